"""Statslister: the almene boligområder against the state lists (almenboligloven § 61 a/b).

Reads the state-list inputs in the store (``state_list_input``; ``keob state-lists
import`` or the demo data of ``keob seed``), classifies them with
``indicators.state_lists`` and shows, per list year: which boligområder are on which
list, how far each criterion is from its threshold, and which areas are at risk and why
(the 2035 goal is that none is). The page's labels live in :data:`TEXTS`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, sections, urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures import statslister as fig
from dashboard.i18n import format_number, normalise_lang
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

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Statslisterne: de almene boligområder",
        "intro": (
            "Staten offentliggør hvert år 1. december, hvilke almene boligområder der er "
            "udsatte boligområder, parallelsamfund, omdannelses- og forebyggelsesområder. "
            "Her kan du se, hvor Københavns store boligområder står i forhold til grænserne, "
            "og hvilke der er i risiko for at komme på en liste. Målet for 2035 er, at intet "
            "boligområde er i risiko."
        ),
        "none": (
            "Der er ingen statsliste-tal i lageret. Kør »keob seed« (demodata) eller »keob "
            "state-lists import-inputs FIL.csv«, så vises siden her."
        ),
        "year": "Listeår",
        "area": "Boligområde",
        "headline": (
            "{year}: {listed} boligområder på en statsliste, {high} i risiko og {watch} under "
            "opmærksomhed (af {total}). Målet for 2035: ingen i risiko."
        ),
        "status.title": "Status pr. 1. december {year}",
        "status.caption": (
            "Alle boligområder i {year} efter risiko. ● = kriteriet er opfyldt, ◐ = tæt på "
            "grænsen, ↗ = på vej mod grænsen. Grænserne følger reglerne for {rules}."
        ),
        "col.area": "Boligområde",
        "col.residents": "Beboere",
        "col.category": "Liste",
        "col.criteria": "Kriterier opfyldt",
        "col.risk": "Risiko",
        "criteria.list.udsat": "udsat",
        "criteria.list.ghetto": "ghetto",
        "criteria.list.forebyggelse": "forebyggelse",
        "plan": "under udviklingsplan",
        "status.criteria_note": (
            "»Kriterier opfyldt« tæller for den liste, boligområdet er på, og for den næste "
            "liste: forebyggelse ved de lavere grænser, udsat ved grænserne for udsat "
            "boligområde (før 2018: ghettolisten). Et tidligere omdannelsesområde er fortsat "
            "under udviklingsplan (almenboligloven § 168 a)."
        ),
        "history.title": "Boligområderne år for år",
        "history.caption": (
            "Hvert felt er et boligområde i et listeår. O = omdannelsesområde (før 2021 hårdt "
            "ghettoområde), P = parallelsamfund, G = ghettoområde, U = udsat boligområde, F = "
            "forebyggelsesområde, – = under 1.000 beboere (ikke omfattet), ! = i risiko, * = "
            "under udviklingsplan efter omdannelseslisten."
        ),
        "counts.title": "Antal boligområder på listerne",
        "counts.caption": (
            "Antal af de viste boligområder på hver liste og i risiko pr. listeår, {first}–{last}."
        ),
        "counts.table": "Tallene i tabelform",
        "area.title": "{name} i {year}",
        "area.reasons": "Hvorfor: {reasons}",
        "area.no_reasons": "Ingen kriterier er opfyldt eller tæt på grænsen.",
        "margins.caption": (
            "{name} i {year}: hvert kriterium (søjlen) mod grænsen for udsat boligområde (fuld "
            "streg) og for forebyggelsesområde (stiplet)."
        ),
        "pressure.caption": (
            "{name}, {first}–{last}: hvert kriterium i forhold til grænsen for udsat "
            "boligområde det år (100 = grænsen; over 100 = kriteriet er opfyldt)."
        ),
        "rules.title": "Reglerne",
        "rules.intro": (
            "Reglerne har skiftet; hvert listeår vurderes efter de regler, der gjaldt da. Et "
            "boligområde skal have mindst 1.000 beboere for at være omfattet. »Over« betyder, "
            "at præcis grænsen ikke tæller; »mindst« betyder, at den gør."
        ),
        "rules.sources": "Kilder",
        "method.title": "Sådan beregnes risikoen",
        "method.text": (
            "Et kriterium er »tæt på«, når det er mindre end {distance} procentpoint fra "
            "grænsen for udsat boligområde (dømte: {convicted} gange landsgennemsnittet). Det "
            "er »på vej«, når en ret linje gennem de seneste {window} år vil nå grænsen inden "
            "for {horizon} år. Et boligområde er i risiko, når det er forebyggelsesområde, "
            "eller når det ville komme på en liste, hvis kriterierne tæt på eller på vej mod "
            "grænsen blev opfyldt. Opmærksomhed: mindst ét kriterium er opfyldt, tæt på eller "
            "på vej."
        ),
        "download": "Hent alle år som CSV",
        "yes": "ja",
    },
    "en": {
        "title": "The state lists: the social housing areas",
        "intro": (
            "Every 1 December the state publishes which social housing areas are vulnerable "
            "areas, parallel societies, transformation areas and prevention areas. This page "
            "shows where Copenhagen's large housing areas stand against the thresholds and "
            "which are at risk of a list. The goal for 2035 is that no area is at risk."
        ),
        "none": (
            "The store has no state-list figures. Run “keob seed” (demo data) or “keob "
            "state-lists import-inputs FILE.csv” and the page appears here."
        ),
        "year": "List year",
        "area": "Housing area",
        "headline": (
            "{year}: {listed} housing areas on a state list, {high} at risk and {watch} under "
            "watch (of {total}). The 2035 goal: none at risk."
        ),
        "status.title": "Status on 1 December {year}",
        "status.caption": (
            "Every housing area in {year} by risk. ● = the criterion is met, ◐ = close to the "
            "threshold, ↗ = heading for it. Thresholds follow the rules of {rules}."
        ),
        "col.area": "Housing area",
        "col.residents": "Residents",
        "col.category": "List",
        "col.criteria": "Criteria met",
        "col.risk": "Risk",
        "criteria.list.udsat": "vulnerable",
        "criteria.list.ghetto": "ghetto",
        "criteria.list.forebyggelse": "prevention",
        "plan": "under development plan",
        "status.criteria_note": (
            "“Criteria met” counts for the list the housing area is on and for the next "
            "list: prevention at the lower thresholds, vulnerable at the vulnerable-area "
            "thresholds (before 2018: the ghetto list). A former transformation area stays "
            "under its development plan (almenboligloven § 168 a)."
        ),
        "history.title": "The housing areas year by year",
        "history.caption": (
            "Each cell is a housing area in a list year. O = transformation area (hard ghetto "
            "before 2021), P = parallel society, G = ghetto area, U = vulnerable area, F = "
            "prevention area, – = under 1,000 residents (not covered), ! = at risk, * = under "
            "the development plan after the transformation list."
        ),
        "counts.title": "Number of housing areas on the lists",
        "counts.caption": (
            "Number of the housing areas shown on each list and at risk per list year, "
            "{first}–{last}."
        ),
        "counts.table": "The figures as a table",
        "area.title": "{name} in {year}",
        "area.reasons": "Why: {reasons}",
        "area.no_reasons": "No criterion is met or close to its threshold.",
        "margins.caption": (
            "{name} in {year}: each criterion (the bar) against the threshold for a "
            "vulnerable area (solid line) and for a prevention area (dashed)."
        ),
        "pressure.caption": (
            "{name}, {first}–{last}: each criterion against that year's threshold for a "
            "vulnerable area (100 = the threshold; above 100 = the criterion is met)."
        ),
        "rules.title": "The rules",
        "rules.intro": (
            "The rules have changed; each list year is judged by the rules of that year. A "
            "housing area needs at least 1,000 residents to be covered. “Over” means that "
            "exactly the threshold does not count; “at least” means that it does."
        ),
        "rules.sources": "Sources",
        "method.title": "How the risk is computed",
        "method.text": (
            "A criterion is “close” when it is less than {distance} percentage points from the "
            "vulnerable-area threshold (convictions: {convicted} times the national average). "
            "It is “heading for it” when a straight line through the latest {window} years "
            "reaches the threshold within {horizon} years. An area is at risk when it is a "
            "prevention area, or when it would be on a list if the criteria that are close or "
            "heading for their thresholds were met. Watch: at least one criterion is met, "
            "close or heading for its threshold."
        ),
        "download": "Download all years as CSV",
        "yes": "yes",
    },
}


def tx(key: str, lang: str, **values: object) -> str:
    text = TEXTS[normalise_lang(lang)][key]
    return text.format(**values) if values else text


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
        f"{c.met}/{c.of} {tx('criteria.list.' + c.list, lang)}" for c in sl.criteria_counts(row)
    )


def category_text(row: pd.Series, lang: str) -> str:
    label = fig.category_label(row["category"], row["rules"], lang)
    if bool(row.get("udviklingsplan", False)) and row["category"] != "omdannelse":
        return f"{label} · {tx('plan', lang)}"
    return label


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
        tx("col.area", lang),
        tx("col.residents", lang),
        tx("col.category", lang),
        tx("col.criteria", lang),
        *[fig.short_label(c, lang) for c in crits],
        tx("col.risk", lang),
    ]
    numeric = [False, True, False, False, *[True] * len(crits), False]
    rules_name = sl.load_rules().rule_sets[rules_id].name_da if rules_id else ""
    return components.table(
        columns,
        body,
        caption=tx("status.caption", lang, year=year, rules=rules_name)
        + " "
        + tx("status.criteria_note", lang),
        numeric=numeric,
    )


def headline(year: int, lang: str) -> str:
    counts = sl.counts_per_year(classified())
    row = counts[counts["year"] == year].iloc[0]
    return tx(
        "headline",
        lang,
        year=year,
        listed=int(row["listed"]),
        high=int(row["high"]),
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
    reasons = row["risk_reasons"] or tx("area.no_reasons", lang)
    reasons_text = tx("area.reasons", lang, reasons=reasons) if row["risk_reasons"] else reasons
    margins = fig.margins_figure(row, SHOWN_CRITERIA, lang=lang)
    pressure = fig.pressure_figure(rows, SHOWN_CRITERIA[:4], lang=lang)
    years = rows["year"].tolist()
    return (
        tx("area.title", lang, name=name, year=shown_year),
        reasons_text,
        margins,
        tx("margins.caption", lang, name=name, year=shown_year),
        pressure,
        tx("pressure.caption", lang, name=name, first=years[0], last=years[-1]),
    )


def counts_table(lang: str) -> html.Details:
    counts = sl.counts_per_year(classified())
    cols = ["udsat", "ghetto", "parallelsamfund", "omdannelse", "forebyggelse", "high"]
    header = [
        tx("year", lang),
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
            html.Summary(tx("counts.table", lang)),
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
                    html.Span(tx("rules.sources", lang) + ": ", className="note"),
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
            html.H2(tx("rules.title", lang)),
            html.P(tx("rules.intro", lang)),
            html.Ul(items, className="rules-list"),
            html.H3(tx("method.title", lang)),
            html.P(
                tx(
                    "method.text",
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
    title = components.page_title(tx("title", lang), tx("intro", lang))
    year, area = selection(aar, omraade)
    if year is None:
        return html.Div([*title, html.P(tx("none", lang), className="note")])
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
                        tx("year", lang),
                        dcc.Dropdown(
                            id=YEAR,
                            options=[{"label": str(y), "value": y} for y in list_years()],
                            value=year,
                            clearable=False,
                        ),
                        YEAR,
                    ),
                    components.control(
                        tx("area", lang),
                        dcc.Dropdown(id=AREA, options=area_options, value=area, clearable=False),
                        AREA,
                    ),
                ],
                className="controls",
            ),
            html.Section(
                [
                    html.H2(tx("status.title", lang, year=year), id=STATUS_TITLE),
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
                    html.H2(tx("counts.title", lang)),
                    components.figure(
                        components.graph("sl-counts-graph", fig.counts_figure(counts, lang=lang)),
                        tx(
                            "counts.caption",
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
                    html.H2(tx("history.title", lang)),
                    components.figure(
                        components.graph("sl-history-graph", history),
                        tx("history.caption", lang),
                    ),
                ]
            ),
            rules_section(lang),
            html.Div(
                [
                    html.Button(tx("download", lang), id=DOWNLOAD_BUTTON, className="button"),
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
    if chosen_year is None:
        raise PreventUpdate
    a_title, reasons, margins, m_caption, pressure, p_caption = area_pieces(
        chosen_year, chosen_area, lang
    )
    return (
        headline(chosen_year, lang),
        tx("status.title", lang, year=chosen_year),
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
