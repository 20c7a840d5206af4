"""Årsrapport (/rapport/<year>): the yearly follow-up report of the whole policy, for print.

One page with every section a politician's yearly report needs, built from the figures
the app shows elsewhere: the eight criteria of the udsatte byområder against the rest of
the city (the Overblik summaries), the state lists (``indicators.state_lists`` over the
same classified frame as Statslister), coverage (the Dækning section of the area profile
for ``ub-alle``), the action plan's initiatives (``indicators.initiatives.funding_counts``
as on Indsatser), then the data date, sources and licences. ``keob report`` prints this
page to PDF with headless Chromium (``keob/report.py``); ``assets/print.css`` lays it out.

Views never import each other, so the page module passes the Overblik and Dækning
functions in as :class:`Sources`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from dash import html

from dashboard import components, data, sections
from dashboard.figures.rapport import gap_figure
from dashboard.i18n import format_number, format_value, t, years_text
from indicators import attributions
from indicators import initiatives as ini
from indicators import state_lists as sl
from indicators.registry import Indicator
from indicators.times import local_text

PATH = "/rapport/<year>"

# Component ids (this page only).
ROOT = "report-root"
CRITERIA = "report-criteria"
STATE_LISTS = "report-state-lists"
COVERAGE = "report-coverage"
INITIATIVES = "report-initiatives"
SOURCES = "report-sources"
PRINT_BUTTON = "report-print-button"


@dataclass(frozen=True)
class Sources:
    """What other views contribute: ``summaries(comparison, indicators, baseline)`` and
    ``sentence(summary, lang)`` of Overblik, ``coverage(area_code, lang)`` of Dækning."""

    summaries: Callable[[pd.DataFrame, list[Indicator], int], list[Any]]
    sentence: Callable[[Any, str], str]
    coverage: Callable[[str, str], list]


def report_year(year: object) -> int:
    """The year asked for when the store has it, else the newest year (nonsense too)."""
    return data.year_or_latest(year)


def report_comparison(year: int) -> pd.DataFrame:
    """The udsatte byområder (``ub-alle``) against the rest, every year up to ``year``."""
    frame = data.udsatte_comparison()
    return frame[frame["year"] <= year].reset_index(drop=True)


def polarity_text(indicator: Indicator, lang: str) -> str:
    if indicator.polarity > 0:
        return t("polarity.higher_better", lang)
    if indicator.polarity < 0:
        return t("polarity.higher_worse", lang)
    return t("polarity.neutral", lang)


# ----------------------------------------------------------------------------- criteria


def criteria_rows(summaries: list[Any], sentence: Callable[[Any, str], str], lang: str) -> list:
    """One table row per criterion: value, rest and gap at the baseline and the latest year."""
    rows = []
    for s in summaries:
        ind = s.indicator

        def value(v: float, ind: Indicator = ind) -> str:
            return format_value(v, ind.unit, ind.decimals, lang)

        def gap(v: float, ind: Indicator = ind) -> str:
            return format_number(v, ind.decimals, lang, signed=True)

        rows.append(
            [
                html.Span([html.Strong(ind.name(lang)), html.Br(), polarity_text(ind, lang)]),
                value(s.baseline_value),
                value(s.baseline_rest),
                gap(s.baseline_gap),
                str(s.latest_year or "–"),
                value(s.latest_value),
                value(s.latest_rest),
                gap(s.latest_gap),
                html.Span(
                    [
                        html.Strong(t(f"overview.badge.{s.development}", lang)),
                        html.Br(),
                        sentence(s, lang),
                    ]
                ),
            ]
        )
    return rows


def criteria_section(year: int, baseline: int, sources: Sources, lang: str) -> html.Section:
    comparison = report_comparison(year)
    indicators = list(data.criteria_by_code().values())
    summaries = sources.summaries(comparison, indicators, baseline)
    columns = [
        t("common.criterion", lang),
        t("rapport.col.value_year", lang, year=baseline),
        t("rapport.col.rest_year", lang, year=baseline),
        t("rapport.col.gap_year", lang, year=baseline),
        t("common.year", lang),
        t("rapport.col.value", lang),
        t("rapport.col.rest", lang),
        t("rapport.col.gap", lang),
        t("rapport.col.development", lang),
    ]
    synthetic = data.synthetic_years(comparison)
    return html.Section(
        [
            html.H2(t("rapport.criteria.title", lang)),
            html.P(t("rapport.criteria.intro", lang, baseline=baseline, year=year)),
            components.demo_banner(lang, synthetic),
            components.table(
                columns,
                criteria_rows(summaries, sources.sentence, lang),
                numeric=[False, True, True, True, True, True, True, True, False],
                class_name="data-table report-table",
            ),
            html.P(t("rapport.criteria.gap_note", lang), className="note"),
            components.figure(
                components.graph("report-gap-graph", gap_figure(summaries, lang)),
                t("rapport.criteria.figure_caption", lang, baseline=baseline),
            ),
        ],
        id=CRITERIA,
        className="section report-section",
    )


# ----------------------------------------------------------------------------- state lists


def state_list_counts(year: int) -> pd.DataFrame:
    """Boligområder per list and at risk, per list year up to ``year`` (as on Statslister)."""
    classified = sections.state_lists_classified()
    if classified.empty:
        return pd.DataFrame()
    return sl.counts_per_year(classified[classified["year"] <= year])


def state_list_areas(year: int) -> tuple[int | None, pd.DataFrame]:
    """The newest list year up to ``year`` and its boligområder that are listed or at risk."""
    classified = sections.state_lists_classified()
    if classified.empty:
        return None, classified
    years = classified.loc[classified["year"] <= year, "year"]
    if years.empty:
        return None, classified.iloc[0:0]
    list_year = int(years.max())
    rows = classified[classified["year"] == list_year]
    flagged = rows[rows[list(sl.LISTED_CATEGORIES)].any(axis=1) | rows["at_risk"].astype(bool)]
    return list_year, flagged.sort_values("area_name")


def _area_status(row: pd.Series, lang: str) -> str:
    listed = [c for c in sl.LISTED_CATEGORIES if bool(row[c])]
    parts = [t(f"rapport.state.category.{c}", lang) for c in listed]
    if bool(row["at_risk"]):
        parts.append(t("rapport.state.at_risk", lang))
    return ", ".join(parts)


def state_lists_section(year: int, lang: str) -> html.Section:
    counts = state_list_counts(year)
    list_year, flagged = state_list_areas(year)
    if counts.empty or list_year is None:
        body: list = [html.P(t("rapport.state.none", lang))]
    else:
        count_rows = [
            [str(int(r.year)), str(int(r.areas)), str(int(r.listed)), str(int(r.at_risk))]
            for r in counts.itertuples(index=False)
        ]
        area_rows = [
            [r["area_name"], _area_status(r, lang), r["risk_reasons"] or ""]
            for _, r in flagged.iterrows()
        ]
        synthetic = sorted(
            int(y)
            for y in sections.state_lists_classified()
            .query("synthetic and year <= @year")["year"]
            .unique()
        )
        body = [
            components.demo_banner(lang, synthetic),
            components.table(
                [
                    t("common.year", lang),
                    t("rapport.state.col.areas", lang),
                    t("rapport.state.col.listed", lang),
                    t("rapport.state.col.at_risk", lang),
                ],
                count_rows,
                numeric=[False, True, True, True],
                caption=t("rapport.state.counts_caption", lang),
                class_name="data-table report-table",
            ),
            components.table(
                [
                    t("rapport.state.col.area", lang),
                    t("rapport.state.col.status", lang),
                    t("rapport.state.col.reasons", lang),
                ],
                area_rows,
                caption=t("rapport.state.areas_caption", lang, year=list_year, n=len(area_rows)),
                class_name="data-table report-table",
            ),
        ]
    return html.Section(
        [html.H2(t("rapport.state.title", lang)), *body],
        id=STATE_LISTS,
        className="section report-section",
    )


# ----------------------------------------------------------------------------- coverage


def coverage_section(sources: Sources, lang: str) -> html.Section:
    pieces = sources.coverage(data.ALL_UDSATTE_CODE, lang)
    body = pieces or [html.P(t("rapport.coverage.none", lang))]
    return html.Section(
        [html.H2(t("rapport.coverage.title", lang)), *body],
        id=COVERAGE,
        className="section report-section",
    )


# ----------------------------------------------------------------------------- initiatives


def funding_per_goal(register: ini.Register) -> pd.DataFrame:
    """Funded, unfunded and total initiatives per goal (the Indsatser counts, summed)."""
    counts = ini.funding_counts(ini.initiatives_frame(register))
    return (
        counts.groupby(["goal", "goal_name"], sort=False)[["funded", "unfunded", "total"]]
        .sum()
        .reset_index()
    )


def initiatives_section(lang: str) -> html.Section:
    register = data.monitor().initiatives()
    if register is None:
        body: list = [html.P(t("rapport.initiatives.none", lang))]
    else:
        per_goal = funding_per_goal(register)
        rows = [
            [t("indsatser.goal_n", lang, n=r.goal), str(r.funded), str(r.unfunded), str(r.total)]
            for r in per_goal.itertuples(index=False)
        ]
        body = [
            html.P(t("rapport.initiatives.intro", lang, vintage=register.vintage)),
            components.table(
                [
                    t("indsatser.col.goal", lang),
                    t("indsatser.col.funded", lang),
                    t("indsatser.col.unfunded", lang),
                    t("indsatser.col.total", lang),
                ],
                rows,
                numeric=[False, True, True, True],
                class_name="data-table report-table",
            ),
        ]
    return html.Section(
        [html.H2(t("rapport.initiatives.title", lang)), *body],
        id=INITIATIVES,
        className="section report-section",
    )


# ----------------------------------------------------------------------------- sources


def data_date() -> str:
    """When the store was last loaded (Copenhagen time), or its data version."""
    batches = data.monitor().batches()
    if batches.empty:
        return data.data_version()
    return local_text(batches["loaded_at"].max().replace(microsecond=0))


def sources_section(lang: str) -> html.Section:
    criteria = [
        html.Li([html.Strong(ind.name(lang) + ": "), ind.source])
        for ind in data.criteria_by_code().values()
    ]
    datasets = []
    for name in attributions.dataset_names():
        try:
            src = attributions.source(name)
        except KeyError:  # a per-download template ({placeholders}); the criteria are above
            continue
        licence = f" ({t('rapport.sources.licence', lang)} {src.licence})" if src.licence else ""
        datasets.append(html.Li(src.name + licence))
    return html.Section(
        [
            html.H2(t("rapport.sources.title", lang)),
            html.P(
                t(
                    "rapport.sources.data_date",
                    lang,
                    date=data_date(),
                    version=data.data_version(),
                )
            ),
            html.H3(t("rapport.sources.criteria", lang)),
            html.Ul(criteria),
            html.H3(t("rapport.sources.datasets", lang)),
            html.Ul(datasets),
            html.P(data.attribution() or t("footer.attribution_fallback", lang)),
            html.P(t("demo.text", lang), className="note"),
        ],
        id=SOURCES,
        className="section report-section",
    )


# ----------------------------------------------------------------------------- layout


def layout(
    lang: str = "da",
    year: object = None,
    basisaar: object = None,
    sources: Sources | None = None,
    **_: object,
) -> html.Div:
    """The report for ``year`` (path variable) since ``basisaar`` (query, default 2015)."""
    if sources is None:
        raise ValueError("the report page needs its Sources (dashboard/pages/rapport.py)")
    shown_year = report_year(year)
    baseline = min(data.baseline_or_default(basisaar), shown_year)
    # Each section carries its own demo banner; print.css repeats "Demodata" in the top
    # margin of every printed sheet of a page that shows one.
    synthetic = data.synthetic_years(report_comparison(shown_year))
    return html.Div(
        [
            *components.page_title(
                t("rapport.title", lang, year=shown_year),
                t("rapport.intro", lang, year=shown_year, baseline=baseline),
            ),
            html.P(
                [
                    t("rapport.data_years", lang, years=years_text(data.years())),
                    " ",
                    components.print_button(lang, PRINT_BUTTON),
                ],
                className="note",
            ),
            criteria_section(shown_year, baseline, sources, lang),
            state_lists_section(shown_year, lang),
            coverage_section(sources, lang),
            initiatives_section(lang),
            sources_section(lang),
        ],
        id=ROOT,
        className="report",
        **{"data-year": str(shown_year), "data-synthetic": "1" if synthetic else "0"},
    )
