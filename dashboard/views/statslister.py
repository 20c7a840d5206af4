"""Statslister: the almene boligområder against the state lists (almenboligloven § 61 a/b).

Reads the state-list inputs in the store (``state_list_input``; ``keob state-lists
import`` or the demo data of ``keob seed``), classifies them with
``indicators.state_lists`` and shows, per list year: which boligområder are on which
list, how far each criterion is from its threshold, and which areas are at risk and why
(the 2035 goal is that none is). The page's labels are the ``statslister.*`` texts of
``dashboard/texts``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, sections, urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures import statslister as fig
from dashboard.i18n import format_number, normalise_lang, t
from indicators import state_lists as sl
from indicators.state_list_csv import to_output_frame

PATH = sections.STATE_LISTS_PATH
NAV_KEY = "nav.state_lists"

# Component ids (this page only).
YEAR = "sl-year"
AREA = "sl-area"
HEADLINE = "sl-headline"
STATUS_TABLE = "sl-status-table"
STATUS_TITLE = "sl-status-title"
AREA_TITLE = "sl-area-title"
AREA_REASONS = "sl-area-reasons"
MARGINS_GRAPH = "sl-margins-graph"
MARGINS_CAPTION = "sl-margins-caption"
PRESSURE_GRAPH = "sl-pressure-graph"
PRESSURE_CAPTION = "sl-pressure-caption"
DEMO = "sl-demo"
DOWNLOAD_BUTTON = "sl-download-button"
DOWNLOAD = "sl-download"
CSV_FILE_NAME = "keob-statslister.csv"

SHOWN_CRITERIA = ("outside_labour", "convicted", "basic_education", "income", "non_western")

# ----------------------------------------------------------------------------- reads


classified = sections.state_lists_classified


def names() -> dict[str, str]:
    frame = classified()
    if frame.empty:
        return {}
    named = frame.dropna(subset=["area_name"]) if "area_name" in frame else frame.iloc[0:0]
    out = dict(zip(named["area_id"], named["area_name"], strict=True))
    return {a: out.get(a, a) for a in frame["area_id"].unique()}


def list_years() -> list[int]:
    frame = classified()
    return [] if frame.empty else sorted(int(y) for y in frame["year"].unique())


def selection(aar: object = None, omraade: object = None) -> tuple[int | None, str | None]:
    years = list_years()
    if not years:
        return None, None
    year = urlstate.as_int(aar)
    year = year if year in years else years[-1]
    frame = classified()
    in_year = frame[frame["year"] == year]
    order = sl.latest_status(in_year)["area_id"].tolist()
    area = omraade if isinstance(omraade, str) and omraade in set(frame["area_id"]) else None
    return year, area or (order[0] if order else None)


# ----------------------------------------------------------------------------- pieces


def _cell(row: pd.Series, crit: str, lang: str) -> str:
    value = row.get(sl.CRITERION_COLUMNS[crit])
    if not np.isfinite(float(row.get(f"threshold_udsat_{crit}", np.nan))):
        return "–"
    mark = "● " if row[f"met_udsat_{crit}"] else "◐ " if row[f"close_{crit}"] else ""
    trend = " ↗" if row[f"projected_{crit}"] else ""
    decimals = 2 if crit == "convicted" else 1
    return f"{mark}{format_number(float(value), decimals, lang)} %{trend}"


def criteria_text(row: pd.Series, lang: str) -> str:
    """E.g. "3/4 forebyggelse · 0/4 udsat": the count for the area's list, then the next."""
    return " · ".join(
        f"{c.met}/{c.of} {t('statslister.criteria.list.' + c.list, lang)}"
        for c in sl.criteria_counts(row)
    )


def category_text(row: pd.Series, lang: str) -> str:
    label = fig.category_label(row["category"], row["rules"], lang)
    if bool(row.get("udviklingsplan", False)) and row["category"] != "omdannelse":
        return f"{label} · {t('statslister.plan', lang)}"
    return label


def _status_caption(year: int, rules_name: str, lang: str) -> list:
    """The table's caption; the rules' Danish title (a law's name) marked as Danish."""
    marker = "\x00"
    before, after = t("statslister.status.caption", lang, year=year, rules=marker).split(marker)
    note = t("statslister.status.criteria_note", lang)
    return [before, components.in_danish(rules_name), f"{after} {note}"]


def status_table(year: int, lang: str) -> html.Table:
    frame = classified()
    rows = sl.latest_status(frame[frame["year"] == year])
    labels = names()
    crits = [c for c in SHOWN_CRITERIA if rows[f"threshold_udsat_{c}"].notna().any()]
    body = []
    for _, r in rows.iterrows():
        body.append(
            [
                labels.get(r["area_id"], r["area_id"]),
                format_number(float(r["residents"]), 0, lang),
                category_text(r, lang),
                criteria_text(r, lang),
                *[_cell(r, c, lang) for c in crits],
                fig.risk_label(r["risk_level"], lang),
            ]
        )
    rules_id = rows["rules"].iloc[0] if not rows.empty else ""
    columns = [
        t("statslister.col.area", lang),
        t("statslister.col.residents", lang),
        t("statslister.col.category", lang),
        t("statslister.col.criteria", lang),
        *[fig.short_label(c, lang) for c in crits],
        t("statslister.col.risk", lang),
    ]
    numeric = [False, True, False, False, *[True] * len(crits), False]
    rules_name = sl.load_rules().rule_sets[rules_id].name_da if rules_id else ""
    return components.table(
        columns,
        body,
        caption=_status_caption(year, rules_name, lang),
        numeric=numeric,
    )


def headline(year: int, lang: str) -> str:
    counts = sl.counts_per_year(classified())
    row = counts[counts["year"] == year].iloc[0]
    return t(
        "statslister.headline",
        lang,
        year=year,
        listed=int(row["listed"]),
        forebyggelse=int(row["forebyggelse"]),
        at_risk=int(row["at_risk"]),
        watch=int(row["watch"]),
        total=int(row["areas"]),
    )


def area_rows(area: str) -> pd.DataFrame:
    frame = classified()
    return frame[frame["area_id"] == area].sort_values("year")


def area_pieces(year: int, area: str, lang: str):  # type: ignore[no-untyped-def]
    """Title, reasons, margins figure and caption, pressure figure and caption of one area."""
    rows = area_rows(area)
    name = names().get(area, area)
    current = rows[rows["year"] == year]
    if current.empty:
        current = rows.tail(1)
    row = current.iloc[0]
    shown_year = int(row["year"])
    reasons = row["risk_reasons"] or t("statslister.area.no_reasons", lang)
    reasons_text = (
        t("statslister.area.reasons", lang, reasons=reasons) if row["risk_reasons"] else reasons
    )
    margins = fig.margins_figure(row, SHOWN_CRITERIA, lang=lang)
    pressure = fig.pressure_figure(rows, SHOWN_CRITERIA[:4], lang=lang)
    years = rows["year"].tolist()
    return (
        t("statslister.area.title", lang, name=name, year=shown_year),
        reasons_text,
        margins,
        t("statslister.margins.caption", lang, name=name, year=shown_year),
        pressure,
        t("statslister.pressure.caption", lang, name=name, first=years[0], last=years[-1]),
    )


def counts_table(lang: str) -> html.Details:
    counts = sl.counts_per_year(classified())
    cols = ["udsat", "ghetto", "parallelsamfund", "omdannelse", "forebyggelse", "high"]
    header = [
        t("statslister.year", lang),
        *[
            fig.category_label(c, "2018" if c == "ghetto" else "2021", lang)
            if c != "high"
            else fig.risk_label("high", lang)
            for c in cols
        ],
    ]
    body = [[str(int(r["year"])), *[str(int(r[c])) for c in cols]] for _, r in counts.iterrows()]
    return html.Details(
        [
            html.Summary(t("statslister.counts.table", lang)),
            components.table(header, body, numeric=[False, *[True] * len(cols)]),
        ]
    )


def rules_section(lang: str) -> html.Section:
    rules = sl.load_rules()
    items = []
    for rs in rules.rule_sets.values():
        years = f"{rs.first_year}–{rs.last_year or ''}"
        items.append(
            html.Li(
                [
                    html.Strong(f"{years}: {rs.name_da if lang == 'da' else rs.name_en}. "),
                    html.Span(rs.summary_da),
                    html.Br(),
                    html.Span(t("statslister.rules.sources", lang) + ": ", className="note"),
                    *[
                        html.A(f"[{i}]", href=url, className="source-link", rel="noopener")
                        for i, url in enumerate(rs.sources, start=1)
                    ],
                ]
            )
        )
    ew = rules.early_warning
    return html.Section(
        [
            html.H2(t("statslister.rules.title", lang)),
            html.P(t("statslister.rules.intro", lang)),
            html.Ul(items, className="rules-list"),
            html.H3(t("statslister.method.title", lang)),
            html.P(
                t(
                    "statslister.method.text",
                    lang,
                    distance=format_number(ew.distance.get("outside_labour", 0), 0, lang),
                    convicted=format_number(ew.distance.get("convicted", 0), 1, lang),
                    window=ew.trend_window,
                    horizon=ew.horizon_years,
                )
            ),
        ]
    )


def synthetic_years() -> list[int]:
    frame = classified()
    if frame.empty or "synthetic" not in frame:
        return []
    return sorted(int(y) for y in frame.loc[frame["synthetic"].astype(bool), "year"].unique())


# ----------------------------------------------------------------------------- layout


def layout(lang: str = "da", aar: object = None, omraade: object = None, **_: object) -> html.Div:
    lang = normalise_lang(lang)
    title = components.page_title(t("statslister.title", lang), t("statslister.intro", lang))
    year, area = selection(aar, omraade)
    if year is None:
        return html.Div([*title, html.P(t("statslister.none", lang), className="note")])
    frame = classified()
    labels = names()
    counts = sl.counts_per_year(frame)
    area_options = [
        {"label": labels.get(a, a), "value": a}
        for a in sorted(labels, key=lambda a: labels.get(a, a))
    ]
    a_title, reasons, margins, m_caption, pressure, p_caption = area_pieces(year, area, lang)
    history = fig.history_figure(frame, labels, lang=lang)
    return html.Div(
        [
            *title,
            components.demo_banner(lang, synthetic_years(), DEMO),
            html.P(headline(year, lang), id=HEADLINE, className="headline"),
            html.Div(
                [
                    components.control(
                        t("statslister.year", lang),
                        dcc.Dropdown(
                            id=YEAR,
                            options=[{"label": str(y), "value": y} for y in list_years()],
                            value=year,
                            clearable=False,
                        ),
                        YEAR,
                    ),
                    components.control(
                        t("statslister.area", lang),
                        dcc.Dropdown(id=AREA, options=area_options, value=area, clearable=False),
                        AREA,
                    ),
                ],
                className="controls",
            ),
            html.Section(
                [
                    html.H2(t("statslister.status.title", lang, year=year), id=STATUS_TITLE),
                    html.Div(status_table(year, lang), id=STATUS_TABLE, className="table-wrap"),
                ]
            ),
            html.Section(
                [
                    html.H2(a_title, id=AREA_TITLE),
                    html.P(reasons, id=AREA_REASONS, className="reasons"),
                    components.figure(
                        components.graph(MARGINS_GRAPH, margins), m_caption, MARGINS_CAPTION
                    ),
                    components.figure(
                        components.graph(PRESSURE_GRAPH, pressure), p_caption, PRESSURE_CAPTION
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2(t("statslister.counts.title", lang)),
                    components.figure(
                        components.graph("sl-counts-graph", fig.counts_figure(counts, lang=lang)),
                        t(
                            "statslister.counts.caption",
                            lang,
                            first=int(counts["year"].min()),
                            last=int(counts["year"].max()),
                        ),
                    ),
                    counts_table(lang),
                ]
            ),
            html.Section(
                [
                    html.H2(t("statslister.history.title", lang)),
                    components.figure(
                        components.graph("sl-history-graph", history),
                        t("statslister.history.caption", lang),
                    ),
                ]
            ),
            rules_section(lang),
            html.Div(
                [
                    html.Button(
                        t("statslister.download", lang), id=DOWNLOAD_BUTTON, className="button"
                    ),
                    dcc.Download(id=DOWNLOAD),
                ],
                className="downloads",
            ),
        ]
    )


# ----------------------------------------------------------------------------- callbacks


def update(year: object, area: object, search: str | None):  # type: ignore[no-untyped-def]
    """New year or area: headline, status table, the area's section, and the URL."""
    lang = urlstate.lang_of(search)
    chosen_year, chosen_area = selection(year, area)
    if chosen_year is None or (chosen_year, chosen_area) == urlstate.from_url(search, selection):
        raise PreventUpdate  # no data, or Dash inserting the page it built from this URL
    a_title, reasons, margins, m_caption, pressure, p_caption = area_pieces(
        chosen_year, chosen_area, lang
    )
    return (
        headline(chosen_year, lang),
        t("statslister.status.title", lang, year=chosen_year),
        status_table(chosen_year, lang),
        a_title,
        reasons,
        margins,
        m_caption,
        pressure,
        p_caption,
        urlstate.updated(search, aar=chosen_year, omraade=chosen_area),
    )


def download_frame() -> pd.DataFrame:
    frame = classified()
    if frame.empty:
        raise PreventUpdate
    return to_output_frame(frame)


def download(_clicks: object):  # type: ignore[no-untyped-def]
    return dcc.send_bytes(to_csv_bytes(download_frame()), CSV_FILE_NAME)
