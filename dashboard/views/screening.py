"""Screening page: the status and dynamics index, its map and its matrix.

Layout and callback bodies for ``dashboard/pages/screening.py``; the figures are in
``dashboard/figures/screening.py``.
The numbers come from ``indicators.screening.run`` over the *published*
(disclosure-controlled) figures, memoised per data version. The page's labels are the
``screening.*`` texts of ``dashboard/texts``; component ids are the ``scr-`` constants below.

Colour is never the only cue: every map area names its class on hover, the matrix is a
table with counts, and the units that would enter or leave are listed with their drivers.
"""

from __future__ import annotations

import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, data, urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures.screening import (
    class_label,
    criterion_short,
    matrix_figure,
    status_map_figure,
)
from dashboard.i18n import format_number, normalise_lang, t
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
        t("screening.matrix.status", lang),
        *[
            class_label(c, lang, config)
            if c != sc.NOT_CLASSIFIED
            else t("screening.matrix.no_dynamic", lang)
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
        caption=t(
            "screening.matrix.table", lang, level=t(f"screening.level.{level}", lang).lower()
        ),
        numeric=[False, *[True] * len(dyn)],
    )


def changes_table(units: pd.DataFrame, config: sc.ScreeningConfig, lang: str) -> html.Div:
    moved = units[units["change"].isin(["enter", "leave"])].sort_values(
        ["change", "status_index"], ascending=[True, False]
    )
    if moved.empty:
        return html.Div(html.P(t("screening.changes.none", lang), className="note"))
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
                t(f"screening.change.{r.change}", lang),
                format_number(r.population, 0, lang),
                format_number(r.status_index, 2, lang, signed=True),
                class_label(r.status_class, lang, config),
                names.get(r.current_area, "") or "–",
                drivers or "–",
            ]
        )
    columns = [
        t("screening.col.unit", lang),
        t("screening.col.change", lang),
        t("screening.col.population", lang),
        t("screening.col.index", lang),
        t("screening.col.class", lang),
        t("screening.col.current", lang),
        t("screening.col.drivers", lang),
    ]
    return html.Div(
        components.table(columns, rows, numeric=[False, False, True, True, False, False, False]),
        className="table-wrap",
    )


# ----------------------------------------------------------------------------- pieces


def headline(res: sc.ScreeningResult, lang: str) -> str:
    s = res.summary()
    return t(
        "screening.headline",
        lang,
        year=s["year"],
        classified=s["classified"],
        units=s["units"],
        level=t(f"screening.level.{res.level}", lang).lower(),
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
    unit_word = t(f"screening.level.{level}", lang).lower()
    map_caption = t(
        "screening.map.caption",
        lang,
        level=unit_word,
        year=res.year,
        min_pop=int(config.min_population),
    )
    matrix = matrix_figure(res.units, config, lang=lang, level=level)
    matrix_caption = t(
        "screening.matrix.caption",
        lang,
        unit=t(f"screening.unit.{level}", lang),
        years=config.dynamic_years,
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
    title = components.page_title(t("screening.title", lang), t("screening.intro", lang))
    year, level = selection(aar, niveau)
    if year is None:
        return html.Div([*title, html.P(t("screening.none", lang), className="note")])
    head, fig, map_caption, matrix, matrix_caption, m_table, changes, synthetic = pieces(
        year, level, lang
    )
    config = sc.load_config()
    controls = html.Div(
        [
            components.control(
                t("screening.year", lang),
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
                t("screening.level", lang),
                dcc.RadioItems(
                    id=LEVEL,
                    options=[
                        {"label": t(f"screening.level.{lv}", lang), "value": lv} for lv in LEVELS
                    ],
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
                    html.H2(t("screening.map.title", lang)),
                    components.figure(
                        components.graph(MAP_GRAPH, fig, topojsonURL=TOPOJSON_URL),
                        map_caption,
                        caption_id=MAP_CAPTION,
                    ),
                ]
            ),
            html.Section(
                [
                    html.H2(t("screening.matrix.title", lang)),
                    components.figure(
                        components.graph(MATRIX_GRAPH, matrix), matrix_caption, MATRIX_CAPTION
                    ),
                    html.Div(m_table, id=MATRIX_TABLE, className="table-wrap"),
                ]
            ),
            html.Section(
                [
                    html.H2(t("screening.changes.title", lang)),
                    html.P(t("screening.changes.intro", lang)),
                    html.Div(changes, id=CHANGES),
                ]
            ),
            html.Section(
                [
                    html.H2(t("screening.method.title", lang)),
                    html.P(
                        t(
                            "screening.method.text",
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
                    html.Button(
                        t("screening.download", lang), id=DOWNLOAD_BUTTON, className="button"
                    ),
                    dcc.Download(id=DOWNLOAD),
                ],
                className="downloads",
            ),
        ]
    )


# ----------------------------------------------------------------------------- callbacks


def update(year: object, level: object, search: str | None):  # type: ignore[no-untyped-def]
    """New year or level: every piece, the demo banner and the URL."""
    lang = urlstate.lang_of(search)
    chosen_year, chosen_level = selection(year, level)
    if chosen_year is None or (chosen_year, chosen_level) == urlstate.from_url(search, selection):
        raise PreventUpdate  # no data, or Dash inserting the page it built from this URL
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
        raise PreventUpdate
    res = result(chosen_level, chosen_year)
    name = CSV_FILE_NAME.format(level=chosen_level, year=res.year)
    return dcc.send_bytes(to_csv_bytes(sc.export_frame(res)), name)
