"""Screening page: the status and dynamics index, its map and its matrix.

Layout and callback bodies for ``dashboard/pages/screening.py``; the figures are in
``dashboard/figures/screening.py``.
The numbers come from ``indicators.screening.run`` over the *published*
(disclosure-controlled) figures, memoised per data version. The page's labels live in
:data:`TEXTS`; component ids are the ``scr-`` constants below.

Colour is never the only cue: every map area names its class on hover, the matrix is a
table with counts, and the units that would enter or leave are listed with their drivers.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html

from dashboard import components, data, urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures.screening import (
    class_label,
    criterion_short,
    matrix_figure,
    status_map_figure,
)
from dashboard.i18n import format_number, normalise_lang
from indicators import screening as sc

PATH = "/screening"
NAV_KEY = "nav.screening"
LEVELS = sc.LEVELS
OUTLINE_LEVEL = "udsat_byomraade"
TOPOJSON_URL = "/assets/topojson/"
CSV_FILE_NAME = "keob-screening-{level}-{year}.csv"

# Component ids (this page only).
YEAR = "scr-year"
LEVEL = "scr-level"
HEADLINE = "scr-headline"
MAP_GRAPH = "scr-map"
MAP_CAPTION = "scr-map-caption"
MATRIX_GRAPH = "scr-matrix-graph"
MATRIX_CAPTION = "scr-matrix-caption"
MATRIX_TABLE = "scr-matrix-table"
CHANGES = "scr-changes"
DEMO = "scr-demo"
DOWNLOAD_BUTTON = "scr-download-button"
DOWNLOAD = "scr-download"

TEXTS: dict[str, dict[str, str]] = {
    "da": {
        "title": "Screening: hvor er udsatheden størst?",
        "intro": (
            "Et samlet indeks over de otte kriterier for hver rode eller hvert kvarter, "
            "efter samme metode som Berlins sociale bymonitorering: status (niveauet i år) og "
            "dynamik (udviklingen over to år), målt i standardafvigelser fra gennemsnittet. "
            "Screeningen foreslår sammenhængende områder over en tærskel og sammenligner dem "
            "med den gældende udpegning. Den er et redskab til drøftelse, ikke en afgørelse."
        ),
        "year": "År",
        "level": "Enheder",
        "level.rode": "Roder",
        "level.kvarter": "Kvarterer",
        "unit.rode": "rode",
        "unit.kvarter": "kvarter",
        "headline": (
            "{year}: {classified} af {units} {level} er klassificeret. {high} har høj eller "
            "meget høj udsathed. Forslaget omfatter {proposed} i {groups} sammenhængende "
            "områder; den gældende udpegning omfatter {current}. {enter} ville komme ind, "
            "{leave} ville gå ud."
        ),
        "map.title": "Kort over status",
        "map.caption": (
            "Kort over statusindekset for {level} i {year}: jo mørkere, jo højere udsathed. "
            "Grå: ikke klassificeret (under {min_pop} beboere eller for få kriterier med tal). "
            "Sort kant: de gældende udsatte byområder. Blå kant: screeningens forslag."
        ),
        "matrix.title": "Status og dynamik",
        "matrix.caption": (
            "Hver prik er en {unit}: vandret statusindekset (til højre = mere udsat), lodret "
            "dynamikken over {years} år (opad = udviklingen går den forkerte vej). Stiplede "
            "linjer: klassegrænserne."
        ),
        "matrix.table": "Antal {level} (beboere) i hver kombination af status og dynamik",
        "matrix.status": "Status",
        "matrix.no_dynamic": "Ingen dynamik",
        "changes.title": "Forslaget over for den gældende udpegning",
        "changes.intro": (
            "Enheder, der ville komme ind i eller gå ud af udpegningen, og de kriterier, der "
            "trækker mest (z-værdi: standardafvigelser fra gennemsnittet; for dem, der går ud, "
            "de kriterier, der trækker mest ned)."
        ),
        "changes.none": "Forslaget og den gældende udpegning omfatter de samme enheder.",
        "col.unit": "Enhed",
        "col.change": "Ændring",
        "col.population": "Beboere",
        "col.index": "Statusindeks",
        "col.class": "Status",
        "col.current": "Gældende område",
        "col.drivers": "Kriterier, der trækker mest",
        "change.enter": "kommer ind",
        "change.leave": "går ud",
        "method.title": "Sådan beregnes screeningen",
        "method.text": (
            "Hvert kriterium vendes, så en højere værdi altid betyder mere udsat, og "
            "standardiseres (z-værdi) over de klassificerede enheder. Z-værdierne vægtes og "
            "lægges sammen, og summen standardiseres igen: statusindekset. Klasser: lav "
            "udsathed under −1, middel −1 til +1, høj +1 til +1,5 og meget høj over +1,5. "
            "Dynamikken er det samme for ændringen over to år; forbedring under −1, forværring "
            "over +1. Enheder med under {min_pop} beboere klassificeres ikke. Forslaget er "
            "sammenhængende grupper af enheder med indeks på mindst {threshold} og tilsammen "
            "mindst {group_pop} beboere. Tallene er de offentliggjorte: celler, der er "
            "undertrykt af diskretionshensyn, tæller som manglende. Parametrene står i "
            "data/screening.yaml, metoden i docs/screening.md."
        ),
        "download": "Hent screeningen som CSV",
        "none": "Der er ingen kriterietal at screene. Kør »keob seed«.",
    },
    "en": {
        "title": "Screening: where is disadvantage greatest?",
        "intro": (
            "One index over the eight criteria for each rode or kvarter, following the method "
            "of Berlin's social urban monitoring: status (this year's level) and dynamics (the "
            "change over two years), in standard deviations from the mean. The screening "
            "proposes contiguous areas above a threshold and compares them with the current "
            "designation. It is a basis for discussion, not a decision."
        ),
        "year": "Year",
        "level": "Units",
        "level.rode": "Roder",
        "level.kvarter": "Neighbourhoods",
        "unit.rode": "rode",
        "unit.kvarter": "neighbourhood",
        "headline": (
            "{year}: {classified} of {units} {level} are classified. {high} have high or very "
            "high disadvantage. The proposal covers {proposed} in {groups} contiguous areas; "
            "the current designation covers {current}. {enter} would enter, {leave} would "
            "leave."
        ),
        "map.title": "Map of status",
        "map.caption": (
            "Map of the status index of {level} in {year}: the darker, the greater the "
            "disadvantage. Grey: not classified (under {min_pop} residents or too few criteria "
            "with figures). Black outline: the current disadvantaged urban areas. Blue "
            "outline: the screening's proposal."
        ),
        "matrix.title": "Status and dynamics",
        "matrix.caption": (
            "Each dot is a {unit}: across, the status index (right = more disadvantaged); up, "
            "the dynamics over {years} years (up = developing the wrong way). Dashed lines: "
            "the class limits."
        ),
        "matrix.table": "Number of {level} (residents) in each combination of status and dynamics",
        "matrix.status": "Status",
        "matrix.no_dynamic": "No dynamics",
        "changes.title": "The proposal against the current designation",
        "changes.intro": (
            "Units that would enter or leave the designation, and the criteria that weigh most "
            "(z-score: standard deviations from the mean; for units that would leave, the "
            "criteria that pull down most)."
        ),
        "changes.none": "The proposal and the current designation cover the same units.",
        "col.unit": "Unit",
        "col.change": "Change",
        "col.population": "Residents",
        "col.index": "Status index",
        "col.class": "Status",
        "col.current": "Current area",
        "col.drivers": "Criteria weighing most",
        "change.enter": "enters",
        "change.leave": "leaves",
        "method.title": "How the screening is computed",
        "method.text": (
            "Each criterion is turned so that a higher value always means more disadvantaged, "
            "and standardised (z-score) over the classified units. The z-scores are weighted "
            "and summed, and the sum is standardised again: the status index. Classes: low "
            "disadvantage below −1, medium −1 to +1, high +1 to +1.5 and very high above +1.5. "
            "The dynamics are the same for the change over two years; improving below −1, "
            "worsening above +1. Units with fewer than {min_pop} residents are not classified. "
            "The proposal is contiguous groups of units with an index of at least {threshold} "
            "and together at least {group_pop} residents. The figures are the published ones: "
            "cells suppressed for confidentiality count as missing. The parameters are in "
            "data/screening.yaml, the method in docs/screening.md."
        ),
        "download": "Download the screening as CSV",
        "none": "There are no criterion figures to screen. Run `keob seed`.",
    },
}


def tx(key: str, lang: str, **values: object) -> str:
    text = TEXTS[normalise_lang(lang)][key]
    return text.format(**values) if values else text


# ----------------------------------------------------------------------------- reads


@data.memoize_per_version(maxsize=8)
def result(level: str, year: int | None) -> sc.ScreeningResult:
    return sc.run(data.monitor(), year=year, level=level)


def years() -> list[int]:
    """Years with criterion values (the dynamics need the year two years earlier)."""
    return data.years()


def selection(aar: object = None, niveau: object = None) -> tuple[int | None, str]:
    level = niveau if niveau in LEVELS else LEVELS[0]
    available = years()
    if not available:
        return None, str(level)
    year = urlstate.as_int(aar)
    return (year if year in available else available[-1]), str(level)


def matrix_table(
    matrix: pd.DataFrame, config: sc.ScreeningConfig, lang: str, level: str
) -> html.Table:
    """The status × dynamic counts as an accessible table (units, residents)."""
    dyn = [b.code for b in config.dynamic_classes] + [sc.NOT_CLASSIFIED]
    header = [
        tx("matrix.status", lang),
        *[
            class_label(c, lang, config)
            if c != sc.NOT_CLASSIFIED
            else tx("matrix.no_dynamic", lang)
            for c in dyn
        ],
    ]
    body = []
    for band in reversed(config.status_classes):  # most disadvantaged first
        cells = []
        for code in dyn:
            row = matrix[(matrix["status_class"] == band.code) & (matrix["dynamic_class"] == code)]
            units_n = int(row["units"].iloc[0]) if not row.empty else 0
            pop = float(row["population"].iloc[0]) if not row.empty else 0.0
            cells.append(f"{units_n} ({format_number(pop, 0, lang)})" if units_n else "–")
        body.append([band.label(lang), *cells])
    return components.table(
        header,
        body,
        caption=tx("matrix.table", lang, level=tx(f"level.{level}", lang).lower()),
        numeric=[False, *[True] * len(dyn)],
    )


def changes_table(units: pd.DataFrame, config: sc.ScreeningConfig, lang: str) -> html.Div:
    moved = units[units["change"].isin(["enter", "leave"])].sort_values(
        ["change", "status_index"], ascending=[True, False]
    )
    if moved.empty:
        return html.Div(html.P(tx("changes.none", lang), className="note"))
    names = data.areas(("udsat_byomraade",)).set_index("code")["name"].to_dict()
    rows = []
    for r in moved.itertuples(index=False):
        drivers = ", ".join(
            f"{criterion_short(getattr(r, f'driver_{i}'), lang)} "
            f"({format_number(getattr(r, f'driver_{i}_z'), 1, lang, signed=True)})"
            for i in range(1, config.drivers + 1)
            if getattr(r, f"driver_{i}")
        )
        rows.append(
            [
                f"{r.area_name} ({r.area_code})",
                tx(f"change.{r.change}", lang),
                format_number(r.population, 0, lang),
                format_number(r.status_index, 2, lang, signed=True),
                class_label(r.status_class, lang, config),
                names.get(r.current_area, "") or "–",
                drivers or "–",
            ]
        )
    columns = [
        tx("col.unit", lang),
        tx("col.change", lang),
        tx("col.population", lang),
        tx("col.index", lang),
        tx("col.class", lang),
        tx("col.current", lang),
        tx("col.drivers", lang),
    ]
    return html.Div(
        components.table(columns, rows, numeric=[False, False, True, True, False, False, False]),
        className="table-wrap",
    )


# ----------------------------------------------------------------------------- pieces


def headline(res: sc.ScreeningResult, lang: str) -> str:
    s = res.summary()
    return tx(
        "headline",
        lang,
        year=s["year"],
        classified=s["classified"],
        units=s["units"],
        level=tx(f"level.{res.level}", lang).lower(),
        high=s["status_classes"].get("hoej", 0) + s["status_classes"].get("meget_hoej", 0),
        proposed=s["proposed"],
        groups=s["proposed_groups"],
        current=s["current"],
        enter=s["enter"],
        leave=s["leave"],
    )


def synthetic_years(level: str, year: int) -> list[int]:
    frame = data.monitor().published_comparison(level)
    rows = frame[(frame["year"] == year) & frame["synthetic"].astype(bool)]
    return [year] if not rows.empty else []


def pieces(year: int, level: str, lang: str):  # type: ignore[no-untyped-def]
    """Everything that changes with the selection."""
    res = result(level, year)
    config = res.config
    fig = status_map_figure(
        res.units,
        config,
        lang=lang,
        level=level,
        year=res.year,
        geojson_url=f"/geo/{level}.geojson",
        outline_url=f"/geo/{OUTLINE_LEVEL}.geojson",
        outline_codes=data.udsatte_codes(),
        bounds=data.level_bounds(level),
    )
    unit_word = tx(f"level.{level}", lang).lower()
    map_caption = tx(
        "map.caption", lang, level=unit_word, year=res.year, min_pop=int(config.min_population)
    )
    matrix = matrix_figure(res.units, config, lang=lang, level=level)
    matrix_caption = tx(
        "matrix.caption", lang, unit=tx(f"unit.{level}", lang), years=config.dynamic_years
    )
    return (
        headline(res, lang),
        fig,
        map_caption,
        matrix,
        matrix_caption,
        matrix_table(res.matrix, config, lang, level),
        changes_table(res.units, config, lang),
        synthetic_years(level, res.year),
    )


# ----------------------------------------------------------------------------- layout


def layout(lang: str = "da", aar: object = None, niveau: object = None, **_: object) -> html.Div:
    lang = normalise_lang(lang)
    title = components.page_title(tx("title", lang), tx("intro", lang))
    year, level = selection(aar, niveau)
    if year is None:
        return html.Div([*title, html.P(tx("none", lang), className="note")])
    head, fig, map_caption, matrix, matrix_caption, m_table, changes, synthetic = pieces(
        year, level, lang
    )
    config = sc.load_config()
    controls = html.Div(
        [
            components.control(
                tx("year", lang),
                dcc.Dropdown(
                    id=YEAR,
                    options=[{"label": str(y), "value": y} for y in reversed(years())],
                    value=year,
                    clearable=False,
                    searchable=False,
                ),
                YEAR,
            ),
            components.control(
                tx("level", lang),
                dcc.RadioItems(
                    id=LEVEL,
                    options=[{"label": tx(f"level.{lv}", lang), "value": lv} for lv in LEVELS],
                    value=level,
                    inline=True,
                    className="radio-inline",
                ),
                LEVEL,
            ),
        ],
        className="controls",
    )
    return html.Div(
        [
            *title,
            controls,
            components.demo_banner(lang, synthetic, DEMO),
            html.P(head, id=HEADLINE, className="headline"),
            html.Section(
                [
                    html.H2(tx("map.title", lang)),
                    components.figure(
                        components.graph(MAP_GRAPH, fig, topojsonURL=TOPOJSON_URL),
                        map_caption,
                        caption_id=MAP_CAPTION,
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2(tx("matrix.title", lang)),
                    components.figure(
                        components.graph(MATRIX_GRAPH, matrix), matrix_caption, MATRIX_CAPTION
                    ),
                    html.Div(m_table, id=MATRIX_TABLE, className="table-wrap"),
                ]
            ),
            html.Section(
                [
                    html.H2(tx("changes.title", lang)),
                    html.P(tx("changes.intro", lang)),
                    html.Div(changes, id=CHANGES),
                ]
            ),
            html.Section(
                [
                    html.H2(tx("method.title", lang)),
                    html.P(
                        tx(
                            "method.text",
                            lang,
                            min_pop=format_number(config.min_population, 0, lang),
                            threshold=format_number(config.threshold, 1, lang),
                            group_pop=format_number(config.min_group_population, 0, lang),
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


def update(year: object, level: object, search: str | None):  # type: ignore[no-untyped-def]
    """New year or level: every piece, the demo banner and the URL."""
    from dash.exceptions import PreventUpdate

    lang = urlstate.lang_of(search)
    chosen_year, chosen_level = selection(year, level)
    if chosen_year is None:
        raise PreventUpdate
    head, fig, map_caption, matrix, matrix_caption, m_table, changes, synthetic = pieces(
        chosen_year, chosen_level, lang
    )
    banner = components.demo_banner(lang, synthetic)
    return (
        head,
        fig,
        map_caption,
        matrix,
        matrix_caption,
        m_table,
        changes,
        not synthetic,
        banner.children,
        urlstate.updated(search, aar=chosen_year, niveau=chosen_level),
    )


def download(year: object, level: object):  # type: ignore[no-untyped-def]
    chosen_year, chosen_level = selection(year, level)
    if chosen_year is None:
        from dash.exceptions import PreventUpdate

        raise PreventUpdate
    res = result(chosen_level, chosen_year)
    name = CSV_FILE_NAME.format(level=chosen_level, year=res.year)
    return dcc.send_bytes(to_csv_bytes(sc.export_frame(res)), name)
