"""Fremdrift 2035: the politicians' view of progress toward the goals of 2025-2035.

For the udsatte byområder together (or one byområde): per criterion the gap to the rest
of the city at the baseline and now, the target (by default halved by 2030 and closed by
2035), a straight-line projection with its uncertainty, and whether that is on track.
Survey criteria say "ingen sikker ændring" when a change is within sampling noise. Below:
the boligområder on the state lists and at risk, and the designated areas over time.
The page's labels live in :data:`TEXTS`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, data, urlstate
from dashboard import progress_figures as pfig
from dashboard import statelist_figures as slfig
from dashboard.downloads import to_csv_bytes
from dashboard.i18n import format_number, normalise_lang
from dashboard.views import statslister
from indicators import progress as pg
from indicators import state_lists as sl
from indicators import survey
from indicators.registry import Indicator

PATH = "/fremdrift"
NAV_KEY = "nav.progress"
LEVEL = "udsat_byomraade"

# Component ids (this page only).
AREA = "fr-area"
BASELINE = "fr-baseline"
CRITERION = "fr-criterion"
HEADLINE = "fr-headline"
STATUS_TABLE = "fr-status-table"
CHART = "fr-chart"
CHART_CAPTION = "fr-chart-caption"
GRID = "fr-grid"
GRID_CAPTION = "fr-grid-caption"
DEMO = "fr-demo"
DOWNLOAD_BUTTON = "fr-download-button"
DOWNLOAD = "fr-download"
CSV_FILE_NAME = "keob-fremdrift-{area}-{baseline}.csv"

STATUS_SYMBOLS = {"on_track": "✔", "no_gap": "✔", "off_track": "✖", "insufficient_data": "○"}

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Fremdrift mod 2035",
        "intro": (
            "Politikken for udsatte byområder 2025–2035 måler fremskridt som forskellen "
            "mellem de udsatte byområder og resten af byen. Målet her: forskellen fra "
            "basisåret er halveret i 2030 og væk i 2035. For hvert kriterium ser du "
            "forskellen dengang og nu, målet og en fremskrivning af udviklingen."
        ),
        "area": "Område",
        "baseline": "Basisår",
        "criterion": "Kriterium i den store figur",
        "headline": (
            "{area}: {on} af {total} kriterier er på sporet mod målet for {milestone}. "
            "{at_risk} boligområder er i risiko for statslisterne ({year}); målet for 2035 er 0."
        ),
        "headline.no_lists": (
            "{area}: {on} af {total} kriterier er på sporet mod målet for {milestone}."
        ),
        "goals.title": "Målene",
        "goal.halve": "Forskellen til resten af byen halveret i 2030",
        "goal.close": "Ingen forskel til resten af byen i 2035",
        "goal.lists": "Ingen boligområder i risiko for statslisterne i 2035",
        "table.title": "Kriterierne: på sporet eller ej",
        "table.caption": (
            "{area}. Forskel = området minus resten af byen, vendt så et positivt tal betyder, "
            "at området klarer sig dårligere ({unit}). Fremskrivningen er en ret linje gennem "
            "de seneste {fit} år med et {confidence} %-interval."
        ),
        "col.criterion": "Kriterium",
        "col.baseline": "Forskel {year}",
        "col.now": "Forskel {year}",
        "col.change": "Ændring",
        "col.target": "Mål {year}",
        "col.projected": "Fremskrevet {year}",
        "col.status": "Status",
        "change.noise": "ingen sikker ændring",
        "change.better": "mindre forskel",
        "change.worse": "større forskel",
        "change.none": "uændret",
        "status.uncertain": " (usikkert)",
        "survey": "spørgeskema",
        "chart.caption": (
            "{criterion}, {area}: målt forskel til resten af byen (fuld linje), ret linje "
            "fremskrevet til 2035 (stiplet) med usikkerhed (skygge) og målstien (grøn, "
            "prikket). Op er dårligere; 0 er ingen forskel."
        ),
        "grid.title": "Alle otte kriterier",
        "grid.caption": (
            "De otte kriterier for {area}: forskel, fremskrivning og målsti som i den store "
            "figur. ✔ på sporet, ✖ ikke på sporet, ○ for få tal."
        ),
        "lists.title": "Boligområderne og statslisterne",
        "lists.caption": "Antal almene boligområder på statslisterne og i risiko pr. listeår.",
        "lists.link": "Se boligområderne på siden Statslister",
        "designation.title": "De udpegede områder over tid",
        "designation.caption": (
            "Beboere i de udpegede udsatte byområder og deres andel af byens beboere, pr. "
            "udpegning ({vintages}). Lyse søjler: år hvor udpegningen ikke gjaldt."
        ),
        "designation.col.vintage": "Udpegning",
        "designation.col.areas": "Områder",
        "designation.col.residents": "Beboere",
        "designation.col.share": "Andel af byen",
        "method.title": "Sådan er det regnet",
        "method.text": (
            "Basisåret er {baseline} (eller det seneste år før med tal). Målstien går lineært "
            "fra forskellen i basisåret til det halve i 2030 og til 0 i 2035; målet kan "
            "sættes pr. kriterium. Fremskrivningen er en almindelig lineær regression på "
            "forskellen i de seneste {fit} år, med et {confidence} %-prædiktionsinterval. "
            "»På sporet« betyder, at fremskrivningen rammer målet eller bedre i næste "
            "milepælsår; »usikkert«, at intervallet ligger på begge sider af målet. For "
            "spørgeskemakriterierne (tryghed, sundhed) siges »ingen sikker ændring«, når "
            "ændringen ligger inden for den statistiske usikkerhed (95 %, Wilson/Newcombe)."
        ),
        "download": "Hent tabellen som CSV",
    },
    "en": {
        "title": "Progress toward 2035",
        "intro": (
            "The policy for disadvantaged urban areas 2025–2035 measures progress as the gap "
            "between the areas and the rest of the city. The goal here: the gap of the "
            "baseline year is halved by 2030 and gone by 2035. For each criterion you see the "
            "gap then and now, the target and a projection of the trend."
        ),
        "area": "Area",
        "baseline": "Baseline year",
        "criterion": "Criterion in the large chart",
        "headline": (
            "{area}: {on} of {total} criteria are on track for the {milestone} target. "
            "{at_risk} housing areas are at risk of the state lists ({year}); the 2035 goal "
            "is 0."
        ),
        "headline.no_lists": (
            "{area}: {on} of {total} criteria are on track for the {milestone} target."
        ),
        "goals.title": "The goals",
        "goal.halve": "The gap to the rest of the city halved by 2030",
        "goal.close": "No gap to the rest of the city in 2035",
        "goal.lists": "No housing area at risk of the state lists in 2035",
        "table.title": "The criteria: on track or not",
        "table.caption": (
            "{area}. Gap = the area minus the rest of the city, turned so that a positive "
            "number means the area is worse off ({unit}). The projection is a straight line "
            "through the latest {fit} years with a {confidence} % interval."
        ),
        "col.criterion": "Criterion",
        "col.baseline": "Gap {year}",
        "col.now": "Gap {year}",
        "col.change": "Change",
        "col.target": "Target {year}",
        "col.projected": "Projected {year}",
        "col.status": "Status",
        "change.noise": "no certain change",
        "change.better": "smaller gap",
        "change.worse": "larger gap",
        "change.none": "unchanged",
        "status.uncertain": " (uncertain)",
        "survey": "survey",
        "chart.caption": (
            "{criterion}, {area}: measured gap to the rest of the city (solid), straight line "
            "projected to 2035 (dashed) with uncertainty (shaded) and the target path (green, "
            "dotted). Up is worse; 0 is no gap."
        ),
        "grid.title": "All eight criteria",
        "grid.caption": (
            "The eight criteria for {area}: gap, projection and target path as in the large "
            "chart. ✔ on track, ✖ off track, ○ too few figures."
        ),
        "lists.title": "The housing areas and the state lists",
        "lists.caption": "Social housing areas on the state lists and at risk per list year.",
        "lists.link": "See the housing areas on the State lists page",
        "designation.title": "The designated areas over time",
        "designation.caption": (
            "Residents of the designated disadvantaged areas and their share of the city's "
            "residents, per designation ({vintages}). Light bars: years the designation was "
            "not in force."
        ),
        "designation.col.vintage": "Designation",
        "designation.col.areas": "Areas",
        "designation.col.residents": "Residents",
        "designation.col.share": "Share of the city",
        "method.title": "How it is computed",
        "method.text": (
            "The baseline is {baseline} (or the latest earlier year with figures). The target "
            "path runs linearly from the baseline gap to half of it in 2030 and to 0 in 2035; "
            "the target can be set per criterion. The projection is an ordinary linear "
            "regression on the gap over the latest {fit} years, with a {confidence} % "
            "prediction interval. “On track” means the projection meets the target or better "
            "in the next milestone year; “uncertain” that the interval lies on both sides of "
            "the target. For the survey criteria (safety, health) a change within the "
            "sampling uncertainty (95 %, Wilson/Newcombe) is called “no certain change”."
        ),
        "download": "Download the table as CSV",
    },
}

STATUS_LABELS_EN = {
    "on_track": "On track",
    "off_track": "Off track",
    "no_gap": "No gap to close",
    "insufficient_data": "Too few figures",
}


def tx(key: str, lang: str, **values: object) -> str:
    text = TEXTS[normalise_lang(lang)][key]
    return text.format(**values) if values else text


def status_label(status: str, lang: str) -> str:
    labels = STATUS_LABELS_EN if normalise_lang(lang) == "en" else pg.STATUS_LABELS_DA
    return f"{STATUS_SYMBOLS.get(status, '')} {labels.get(status, status)}".strip()


# ----------------------------------------------------------------------------- selection


def area_options(lang: str) -> list[dict]:
    table = data.areas((LEVEL,))
    order = [data.ALL_UDSATTE_CODE, *data.udsatte_codes()]
    names = dict(zip(table["code"], table["name"], strict=True))
    return [{"label": names.get(c, c), "value": c} for c in order if c in names]


def baseline_years() -> list[int]:
    return [y for y in data.years() if y <= pg.DEFAULT_BASELINE_YEAR] or data.years()


def selection(
    omraade: object = None, basisaar: object = None, kriterium: object = None
) -> tuple[str, int, str]:
    codes = {o["value"] for o in area_options("da")}
    area = omraade if isinstance(omraade, str) and omraade in codes else data.ALL_UDSATTE_CODE
    years = baseline_years()
    year = urlstate.as_int(basisaar)
    baseline = year if year in years else years[-1]
    return area, baseline, data.criterion_or_default(kriterium)


# ----------------------------------------------------------------------------- computation


def settings_for(baseline: int) -> pg.ProgressSettings:
    return pg.ProgressSettings(baseline_year=baseline)


@data.memoize_per_version(maxsize=16)
def table_frame(area: str, baseline: int) -> pd.DataFrame:
    """The progress table of one area, with noise flags on the gap change."""
    comparison = data.comparison(LEVEL)
    comparison = comparison[comparison["area_code"] == area]
    table = pg.progress_table(comparison, settings_for(baseline))
    if table.empty:
        return table
    registry = data.monitor().registry
    frames = []
    for (b_year, l_year), part in table.groupby(["baseline_year", "latest_year"]):
        if not np.isfinite(b_year):
            continue
        noisy = survey.gap_change_with_noise(comparison, registry, int(b_year), int(l_year))
        noisy = noisy[noisy["indicator"].isin(part["indicator"])]
        frames.append(noisy[["indicator", "within_noise", "direction"]])
    if frames:
        flags = pd.concat(frames)
        table = table.merge(flags, on="indicator", how="left")
    else:
        table["within_noise"], table["direction"] = False, 0
    return table


@data.memoize_per_version(maxsize=64)
def series(area: str, baseline: int, indicator: str) -> pd.DataFrame:
    comparison = data.comparison(LEVEL)
    return pg.projection_series(comparison, area, indicator, settings_for(baseline))


def _area_name(area: str) -> str:
    row = data.area_row(area)
    return str(row["name"]) if row else area


def _change_text(row: pd.Series, ind: Indicator, lang: str) -> str:
    change = float(row["change"])
    if not np.isfinite(change):
        return "–"
    number = format_number(change, ind.decimals, lang, signed=True)
    if change == 0:
        return tx("change.none", lang)
    if ind.is_survey and bool(row.get("within_noise", False)):
        return f"{number} ({tx('change.noise', lang)})"
    word = "change.better" if change < 0 else "change.worse"
    return f"{number} ({tx(word, lang)})"


def status_table(area: str, baseline: int, lang: str) -> html.Table:
    table = table_frame(area, baseline).set_index("indicator")
    indicators = list(data.criteria_by_code().values())
    first = table.iloc[0] if not table.empty else None
    b_year = int(first["baseline_year"]) if first is not None else baseline
    l_year = int(first["latest_year"]) if first is not None else baseline
    milestone = int(first["milestone_year"]) if first is not None else 2030
    body = []
    for ind in indicators:
        if ind.code not in table.index:
            continue
        r = table.loc[ind.code]
        d = ind.decimals

        def num(value: float, d: int = d) -> str:
            return format_number(float(value), d, lang)

        projected = "–"
        if np.isfinite(r["projected"]):
            projected = (
                f"{num(r['projected'])} ({num(r['projected_low'])} – {num(r['projected_high'])})"
            )
        status = status_label(r["status"], lang)
        if r["status"] in ("on_track", "off_track") and not r["certain"]:
            status += tx("status.uncertain", lang)
        name = ind.name(lang) + (f" ({tx('survey', lang)})" if ind.is_survey else "")
        body.append(
            [
                name,
                num(r["baseline_disadvantage"]),
                num(r["latest_disadvantage"]),
                _change_text(r, ind, lang),
                num(r["target_milestone"]),
                projected,
                status,
            ]
        )
    columns = [
        tx("col.criterion", lang),
        tx("col.baseline", lang, year=b_year),
        tx("col.now", lang, year=l_year),
        tx("col.change", lang),
        tx("col.target", lang, year=milestone),
        tx("col.projected", lang, year=milestone),
        tx("col.status", lang),
    ]
    settings = settings_for(baseline)
    caption = tx(
        "table.caption",
        lang,
        area=_area_name(area),
        unit="procentpoint" if lang == "da" else "percentage points",
        fit=settings.fit_years,
        confidence=round(settings.confidence * 100),
    )
    return components.table(
        columns, body, caption=caption, numeric=[False, True, True, False, True, True, False]
    )


def headline(area: str, baseline: int, lang: str) -> str:
    table = table_frame(area, baseline)
    judged = table[table["status"] != "insufficient_data"]
    on = int(judged["status"].isin(["on_track", "no_gap"]).sum())
    milestone = int(table["milestone_year"].iloc[0]) if not table.empty else 2030
    lists = statslister.classified()
    name = _area_name(area)
    if lists.empty:
        return tx(
            "headline.no_lists", lang, area=name, on=on, total=len(judged), milestone=milestone
        )
    counts = sl.counts_per_year(lists)
    last = counts.iloc[-1]
    return tx(
        "headline",
        lang,
        area=name,
        on=on,
        total=len(judged),
        milestone=milestone,
        at_risk=int(last["high"] + last["listed"]),
        year=int(last["year"]),
    )


def chart(area: str, baseline: int, criterion: str, lang: str):  # type: ignore[no-untyped-def]
    ind = data.indicator(criterion)
    figure = pfig.projection_figure(series(area, baseline, criterion), ind, lang=lang)
    caption = tx("chart.caption", lang, criterion=ind.name(lang), area=_area_name(area))
    return figure, caption


def grid(area: str, baseline: int, lang: str):  # type: ignore[no-untyped-def]
    indicators = list(data.criteria_by_code().values())
    table = table_frame(area, baseline).set_index("indicator")
    statuses = {code: status_label(table.loc[code, "status"], lang) for code in table.index}
    by_code = {ind.code: series(area, baseline, ind.code) for ind in indicators}
    figure = pfig.progress_grid(by_code, indicators, statuses, lang=lang)
    return figure, tx("grid.caption", lang, area=_area_name(area))


def lists_section(lang: str) -> html.Section | None:
    frame = statslister.classified()
    if frame.empty:
        return None
    counts = sl.counts_per_year(frame)
    return html.Section(
        [
            html.H2(tx("lists.title", lang)),
            components.figure(
                components.graph("fr-lists-graph", slfig.counts_figure(counts, lang=lang)),
                tx("lists.caption", lang),
            ),
            dcc.Link(tx("lists.link", lang), href=urlstate.href(statslister.PATH, lang)),
        ]
    )


@data.memoize_per_version(maxsize=2)
def designation() -> pd.DataFrame:
    return pg.designation_from_monitor(data.monitor())


def designation_section(lang: str) -> html.Section:
    frame = designation()
    latest = frame[frame["in_force"]].sort_values("year").groupby("vintage").tail(1)
    rows = [
        [
            str(int(r["vintage"])),
            str(int(r["areas"])),
            format_number(float(r["residents"]), 0, lang),
            f"{format_number(float(r['share']), 1, lang)} %",
        ]
        for _, r in latest.iterrows()
    ]
    vintages = ", ".join(str(int(v)) for v in sorted(frame["vintage"].unique()))
    return html.Section(
        [
            html.H2(tx("designation.title", lang)),
            components.figure(
                components.graph("fr-designation-graph", pfig.designation_figure(frame, lang=lang)),
                tx("designation.caption", lang, vintages=vintages),
            ),
            components.table(
                [
                    tx("designation.col.vintage", lang),
                    tx("designation.col.areas", lang),
                    tx("designation.col.residents", lang),
                    tx("designation.col.share", lang),
                ],
                rows,
                numeric=[False, True, True, True],
            ),
        ]
    )


# ----------------------------------------------------------------------------- layout


def layout(
    lang: str = "da",
    omraade: object = None,
    basisaar: object = None,
    kriterium: object = None,
    **_: object,
) -> html.Div:
    lang = normalise_lang(lang)
    area, baseline, criterion = selection(omraade, basisaar, kriterium)
    big, big_caption = chart(area, baseline, criterion, lang)
    small, small_caption = grid(area, baseline, lang)
    comparison = data.comparison(LEVEL)
    settings = settings_for(baseline)
    criteria = list(data.criteria_by_code().values())
    return html.Div(
        [
            *components.page_title(tx("title", lang), tx("intro", lang)),
            components.demo_banner(lang, data.synthetic_years(comparison), DEMO),
            html.P(headline(area, baseline, lang), id=HEADLINE, className="headline"),
            html.Section(
                [
                    html.H2(tx("goals.title", lang)),
                    html.Ol(
                        [
                            html.Li(tx("goal.halve", lang)),
                            html.Li(tx("goal.close", lang)),
                            html.Li(tx("goal.lists", lang)),
                        ],
                        className="goals",
                    ),
                ]
            ),
            html.Div(
                [
                    components.control(
                        tx("area", lang),
                        dcc.Dropdown(
                            id=AREA, options=area_options(lang), value=area, clearable=False
                        ),
                        AREA,
                    ),
                    components.control(
                        tx("baseline", lang),
                        dcc.Dropdown(
                            id=BASELINE,
                            options=[{"label": str(y), "value": y} for y in baseline_years()],
                            value=baseline,
                            clearable=False,
                        ),
                        BASELINE,
                    ),
                    components.control(
                        tx("criterion", lang),
                        dcc.Dropdown(
                            id=CRITERION,
                            options=[{"label": c.name(lang), "value": c.code} for c in criteria],
                            value=criterion,
                            clearable=False,
                        ),
                        CRITERION,
                    ),
                ],
                className="controls",
            ),
            html.Section(
                [
                    html.H2(tx("table.title", lang)),
                    html.Div(
                        status_table(area, baseline, lang), id=STATUS_TABLE, className="table-wrap"
                    ),
                    components.figure(components.graph(CHART, big), big_caption, CHART_CAPTION),
                ]
            ),
            html.Section(
                [
                    html.H2(tx("grid.title", lang)),
                    components.figure(components.graph(GRID, small), small_caption, GRID_CAPTION),
                ]
            ),
            lists_section(lang),
            designation_section(lang),
            html.Section(
                [
                    html.H2(tx("method.title", lang)),
                    html.P(
                        tx(
                            "method.text",
                            lang,
                            baseline=baseline,
                            fit=settings.fit_years,
                            confidence=round(settings.confidence * 100),
                        )
                    ),
                ]
            ),
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


def update(area: object, baseline: object, criterion: object, search: str | None):  # type: ignore[no-untyped-def]
    """New area, baseline or criterion: headline, table, both charts and the URL."""
    lang = urlstate.lang_of(search)
    a, b, c = selection(area, baseline, criterion)
    big, big_caption = chart(a, b, c, lang)
    small, small_caption = grid(a, b, lang)
    return (
        headline(a, b, lang),
        status_table(a, b, lang),
        big,
        big_caption,
        small,
        small_caption,
        urlstate.updated(search, omraade=a, basisaar=b, kriterium=c),
    )


def download_frame(area: object, baseline: object) -> pd.DataFrame:
    a, b, _ = selection(area, baseline)
    table = table_frame(a, b)
    if table.empty:
        raise PreventUpdate
    out = table.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(4)
    return out


def download(area: object, baseline: object):  # type: ignore[no-untyped-def]
    a, b, _ = selection(area, baseline)
    return dcc.send_bytes(
        to_csv_bytes(download_frame(a, b)), CSV_FILE_NAME.format(area=a, baseline=b)
    )
