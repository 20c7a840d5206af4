"""Overblik: the udsatte byområder combined against the rest of the city, one card per criterion."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, data, ids, urlstate
from dashboard.figures.common import direction_colour, direction_text_colour
from dashboard.figures.overview import trend_figure
from dashboard.i18n import format_number, format_value, t
from indicators import calculations as calc
from indicators import survey
from indicators.registry import Indicator, load_registry


@dataclass(frozen=True)
class CriterionSummary:
    """What one card says: latest value and gap, and how the gap moved since the baseline."""

    indicator: Indicator
    baseline_year: int
    latest_year: int | None
    baseline_value: float
    latest_value: float
    baseline_rest: float
    latest_rest: float
    baseline_gap: float
    latest_gap: float
    development: str  # narrowing, widening, unchanged, within_noise, unknown
    progress: int  # +1 the area's position against the rest improved, -1 worsened, 0 neither
    synthetic: bool


def summaries(
    comparison: pd.DataFrame, indicators: list[Indicator], baseline_year: int
) -> list[CriterionSummary]:
    """One summary per indicator from one area's comparison frame (all years)."""
    present = comparison.dropna(subset=["gap"])
    development = calc.gap_development(present, baseline_year).set_index("indicator")
    summaries = [
        _summary(present[present["indicator"] == ind.code], development, ind, baseline_year)
        for ind in indicators
    ]
    return [_noise_aware(s, present) for s in summaries]


_COUNT_COLUMNS = {"numerator", "denominator", "rest_numerator", "rest_denominator"}


def _noise_aware(summary: CriterionSummary, comparison: pd.DataFrame) -> CriterionSummary:
    """Survey criteria: a gap change inside the sampling uncertainty is no change."""
    ind = summary.indicator
    if not ind.is_survey or summary.latest_year is None or summary.development == "unknown":
        return summary
    if not set(comparison.columns) >= _COUNT_COLUMNS:  # no counts, no interval to judge by
        return summary
    noise = survey.gap_change_with_noise(
        comparison[comparison["indicator"] == ind.code],
        load_registry(),
        summary.baseline_year,
        summary.latest_year,
    )
    if noise.empty or not bool(noise["within_noise"].iloc[0]):
        return summary
    return replace(summary, development="within_noise", progress=0)


def _summary(
    series: pd.DataFrame, development: pd.DataFrame, indicator: Indicator, baseline_year: int
) -> CriterionSummary:
    nan = float("nan")
    if series.empty:
        return CriterionSummary(
            indicator, baseline_year, None, nan, nan, nan, nan, nan, nan, "unknown", 0, False
        )
    latest = series.loc[series["year"].idxmax()]
    base = series[series["year"] == baseline_year]
    base_row = base.iloc[0] if not base.empty else None

    def at_base(column: str) -> float:
        return float(base_row[column]) if base_row is not None else nan

    # Signed, so an area that is better than the rest and pulls further ahead counts as
    # progress too; the sentence uses the absolute gap (gap_development).
    progress = int(calc.direction([latest["gap"] - at_base("gap")], [indicator.polarity])[0])
    return CriterionSummary(
        indicator=indicator,
        baseline_year=baseline_year,
        latest_year=int(latest["year"]),
        baseline_value=at_base("value"),
        latest_value=float(latest["value"]),
        baseline_rest=at_base("rest_value"),
        latest_rest=float(latest["rest_value"]),
        baseline_gap=at_base("gap"),
        latest_gap=float(latest["gap"]),
        development=str(development.loc[indicator.code, "development"]),
        progress=progress,
        synthetic=bool(series["synthetic"].any()),
    )


def progress_sentence(summary: CriterionSummary, lang: str) -> str:
    """One plain line for politicians, e.g. "Afstanden … er mindsket med 1,2 procentpoint …"."""
    ind = summary.indicator
    year = summary.baseline_year
    if summary.development in ("unknown", "within_noise"):
        return t(f"overview.{summary.development}", lang, year=year)
    # From the gaps as displayed in the card's table, so the sentence and the table agree
    # (8,6 -> 6,9 reads as 1,7, not the unrounded 1,6).
    shown_latest = round(abs(summary.latest_gap), ind.decimals)
    shown_baseline = round(abs(summary.baseline_gap), ind.decimals)
    change = abs(shown_latest - shown_baseline)
    amount = format_number(change, ind.decimals, lang)
    if summary.development == "unchanged" or amount == format_number(0, ind.decimals, lang):
        return t("overview.unchanged", lang, year=year)
    unit = t("unit.pp", lang) if ind.unit == "pct" else ""
    return t(f"overview.{summary.development}", lang, amount=amount, unit=unit, year=year).replace(
        "  ", " "
    )


def _badge(summary: CriterionSummary, lang: str) -> html.Span:
    return html.Span(
        t(f"overview.badge.{summary.development}", lang),
        className="progress-badge",
        style={"backgroundColor": direction_text_colour(summary.progress)},
    )


def _values_table(summary: CriterionSummary, lang: str) -> html.Table:
    ind = summary.indicator

    def value(v: float) -> str:
        return format_value(v, ind.unit, ind.decimals, lang)

    def gap(v: float) -> str:
        return format_number(v, ind.decimals, lang, signed=True)

    latest = str(summary.latest_year) if summary.latest_year else "–"
    return components.table(
        ["", str(summary.baseline_year), latest],
        [
            [
                t("overview.udsatte", lang),
                value(summary.baseline_value),
                value(summary.latest_value),
            ],
            [t("common.rest", lang), value(summary.baseline_rest), value(summary.latest_rest)],
            [
                t("overview.gap_row", lang)
                + (f" ({t('unit.pp_short', lang)})" if ind.unit == "pct" else ""),
                gap(summary.baseline_gap),
                gap(summary.latest_gap),
            ],
        ],
        numeric=[False, True, True],
        class_name="card-table",
    )


def card(comparison: pd.DataFrame, summary: CriterionSummary, lang: str) -> html.Article:
    ind = summary.indicator
    series = comparison[comparison["indicator"] == ind.code]
    years = sorted(series["year"].unique())
    trend = trend_figure(series, ind, lang=lang, baseline_year=summary.baseline_year)
    caption = t(
        "overview.trend_caption",
        lang,
        criterion=ind.short(lang),
        first=years[0] if years else "–",
        last=years[-1] if years else "–",
    )
    heading = [ind.name(lang)]
    if ind.is_survey:
        heading.append(html.Span(t("common.survey", lang), className="survey-tag"))
    return html.Article(
        [
            html.H2(heading),
            _badge(summary, lang),
            html.P(ind.short(lang), className="card-measure"),
            html.P(progress_sentence(summary, lang), className="card-sentence"),
            _values_table(summary, lang),
            components.figure(
                components.graph({"type": "overview-trend", "index": ind.code}, trend), caption
            ),
            html.P(t("common.survey_note", lang), className="note") if ind.is_survey else None,
            dcc.Link(
                t("overview.on_map", lang),
                href=urlstate.href("/kort", lang, kriterium=ind.code),
                className="card-link",
            ),
        ],
        className="card",
        style={"borderTopColor": direction_colour(summary.progress)},
        **{"aria-label": ind.name(lang)},
    )


@data.memoize_per_version()
def cards(baseline_year: int, lang: str) -> tuple[list, list[int]]:
    """The eight cards and the years with synthetic values among them."""
    comparison = data.udsatte_comparison()
    indicators = list(data.criteria_by_code().values())
    return (
        [card(comparison, s, lang) for s in summaries(comparison, indicators, baseline_year)],
        data.synthetic_years(comparison),
    )


def layout(
    lang: str = "da",
    basisaar: object = None,
    related: tuple[Callable[[str], list], ...] = (),
    **_: object,
) -> html.Div:
    """The page; ``related`` are sections other pages contribute (``(lang) -> components``),
    composed by the page module so views never import each other."""
    baseline = data.baseline_or_default(basisaar)
    cards_, synthetic = cards(baseline, lang)
    years = data.years()
    udsatte_links = [
        html.Li(dcc.Link(row["name"], href=urlstate.href(f"/omraade/{row['code']}", lang)))
        for row in data.areas(("udsat_byomraade",)).to_dict("records")
        if row["code"] != data.ALL_UDSATTE_CODE
    ]
    return html.Div(
        [
            *components.page_title(t("overview.title", lang), t("overview.intro", lang)),
            components.demo_banner(lang, synthetic, ids.OVERVIEW_DEMO),
            html.Div(
                components.control(
                    t("overview.baseline", lang),
                    dcc.Dropdown(
                        id=ids.OVERVIEW_BASELINE,
                        options=[{"label": str(y), "value": y} for y in years[:-1]],
                        value=baseline,
                        clearable=False,
                        searchable=False,
                    ),
                    ids.OVERVIEW_BASELINE,
                ),
                className="controls",
            ),
            components.print_bar(lang, years[-1] if years else None),
            html.Div(cards_, id=ids.OVERVIEW_CARDS, className="card-grid"),
            html.Section(
                [
                    html.H2(t("overview.areas_title", lang)),
                    html.Ul(udsatte_links, className="link-list"),
                    dcc.Link(
                        t("overview.profile_link", lang),
                        href=urlstate.href(f"/omraade/{data.ALL_UDSATTE_CODE}", lang),
                    ),
                ],
                className="section",
            ),
            *(piece for section in related for piece in section(lang)),
        ]
    )


def update(baseline_year: object, search: str | None) -> tuple[list, bool, list, str]:
    """Callback body: new baseline → cards, banner and URL."""
    lang = urlstate.lang_of(search)
    baseline = data.baseline_or_default(baseline_year)
    if baseline == data.baseline_or_default(urlstate.parse(search).get("basisaar")):
        # Dash also calls this when the page is inserted; the page was built from the URL.
        raise PreventUpdate
    cards_, synthetic = cards(baseline, lang)
    banner = components.demo_banner(lang, synthetic)
    return cards_, not synthetic, banner.children, urlstate.updated(search, basisaar=baseline)
