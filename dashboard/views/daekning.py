"""Dækning: access to playgrounds, libraries, culture houses, sport and green areas, and
road-noise exposure, per area and against the rest of the city.

Everything shown is a filter on the precomputed resident cells (``keob coverage
compute``): each cell's distance to the nearest facility of each kind and its noise band
are in the store, so moving the threshold never recomputes geometry. At the default
thresholds the figures equal the stored coverage indicators (``kind: coverage`` in
data/criteria.yaml), which also appear in the area profiles (:func:`profile_section`).

The page's labels are the ``daekning.*`` texts of ``dashboard/texts``; ids are the constants
below.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from dash import dash_table, dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, data, urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures import daekning as coverage_figures
from dashboard.figures.common import (
    FONT,
    direction_text_colour,
)
from dashboard.i18n import (
    DEFAULT_LANG,
    format_difference,
    format_number,
    format_value,
    level_name,
    normalise_lang,
    t,
)
from indicators import coverage as cov
from indicators import geography
from indicators import noise as noise_mod
from indicators.registry import Indicator, load_registry

PATH = "/daekning"
NAV_KEY = "nav.coverage"

# Component ids (this page only).
TOPIC = "cov-topic"
THRESHOLD = "cov-threshold"
THRESHOLD_TEXT = "cov-threshold-text"
LEVEL = "cov-level"
LAYERS = "cov-layers"
GRAPH = "cov-graph"
CAPTION = "cov-caption"
DEMO = "cov-demo"
UDSATTE_TABLE = "cov-udsatte-table"
AREA_TABLE = "cov-area-table"
AREA_TABLE_GRID = "cov-area-grid"
DOWNLOAD_BUTTON = "cov-download-button"
DOWNLOAD = "cov-download"

# Every distance target of data/coverage.yaml, then noise (new targets need no edit here).
TOPICS: tuple[str, ...] = (*cov.TARGETS, cov.NOISE)
MAP_LEVELS: tuple[str, ...] = ("rode", "kvarter", "bydel", "lokaludvalg")
LAYER_CODES: tuple[str, ...] = ("faciliteter", "groent", "stoej")
# The point layers behind the distance targets (parks and water are drawn separately).
POINT_KINDS: tuple[str, ...] = tuple(
    dict.fromkeys(t.kind for t in cov.TARGETS.values() if not cov.FACILITY_KINDS[t.kind].polygonal)
)
DISTANCE_RANGE = (100, 2000, 50)  # min, max, step in metres
# Labelled every 500 m (and the range's start): closer marks ("300 m" next to "500 m")
# overlap on a 22rem slider; the chosen value is in the tooltip and the note below.
DISTANCE_MARKS = (100, 500, 1000, 1500, 2000)
#: Rows per page of the table of every area: a page of a few hundred roder as Dash
#: components cost the browser seconds on each update (Dash re-renders every component).
AREA_PAGE_SIZE = 25
CSV_FILE_NAME = "keob-daekning-{topic}-{threshold}-{level}.csv"
NOISE_URL = "/daekning/stoej.geojson"
GREEN_URL = "/daekning/groent.geojson"


def topic_label(topic: str, lang: str) -> str:
    if topic == cov.NOISE:
        return t("daekning.topic.stoej", lang)
    target = cov.TARGETS[topic]
    return target.name(lang)


def facility_names(lang: str) -> dict[str, str]:
    return {code: kind.plural(lang) for code, kind in cov.FACILITY_KINDS.items()}


# ----------------------------------------------------------------------------- selection


def threshold_config(topic: str, lang: str = DEFAULT_LANG) -> dict:
    """Slider settings of a topic: ``min, max, step, marks, value`` (the default)."""
    default = cov.TARGET_DEFAULT_THRESHOLDS.get(topic, 1000.0)
    if topic == cov.NOISE:
        edges = noise_mod.BAND_EDGES_DB
        return {
            "min": edges[0],
            "max": edges[-1],
            "step": None,
            "marks": {e: f"{e} dB" for e in edges},
            "value": int(default),
        }
    low, high, step = DISTANCE_RANGE
    return {
        "min": low,
        "max": high,
        "step": step,
        "marks": {m: f"{format_number(m, 0, lang)} m" for m in DISTANCE_MARKS},
        "value": int(default),
    }


def _valid_threshold(topic: str, value: object) -> int:
    config = threshold_config(topic)
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return config["value"]
    if math.isnan(number):
        return config["value"]
    if topic == cov.NOISE:
        return int(number) if int(number) in noise_mod.BAND_EDGES_DB else config["value"]
    low, high, step = DISTANCE_RANGE
    number = min(max(number, low), high)
    return int(round(number / step) * step)


def default_layers(topic: str) -> list[str]:
    layers = ["faciliteter"]
    if topic == "groent":
        layers.append("groent")
    if topic == cov.NOISE:
        layers = ["stoej"]
    return layers


def selection(
    emne: object = None, taerskel: object = None, niveau: object = None, lag: object = None
) -> tuple[str, int, str, tuple[str, ...]]:
    """Validated (topic, threshold, level, layers) from URL or control values."""
    topic = emne if emne in TOPICS else TOPICS[0]
    threshold = _valid_threshold(str(topic), taerskel)
    level = niveau if niveau in MAP_LEVELS else MAP_LEVELS[0]
    if lag is None:
        layers = default_layers(str(topic))
    else:
        chosen = set(urlstate.as_list(lag))
        layers = [code for code in LAYER_CODES if code in chosen]
    return str(topic), threshold, str(level), tuple(layers)


def _url_state(search: str | None) -> tuple[str, int, str, tuple[str, ...]]:
    params = urlstate.parse(search)
    return selection(
        params.get("emne"), params.get("taerskel"), params.get("niveau"), params.get("lag")
    )


# ----------------------------------------------------------------------------- reads


def _monitor():  # type: ignore[no-untyped-def]
    return data.monitor()


def available() -> bool:
    """Whether a coverage run with cells is in the store."""
    try:
        run = _monitor().coverage_run()
    except Exception:  # a store without the tables (not upgraded) has no coverage
        return False
    return run is not None and run.cells > 0


def _cells() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _monitor().coverage_cells()


@data.memoize_per_version(maxsize=4)
def _population_flags(year: int) -> dict[str, bool]:
    base = _monitor().base_observations()
    rows = base[(base["indicator"] == "befolkning") & (base["year"] == year)]
    return dict(zip(rows["area_code"], rows["synthetic"].astype(bool), strict=True))


def measure(topic: str, threshold: int) -> Indicator:
    """The registry indicator at the default threshold, else an ad-hoc one."""
    stored = cov.stored_indicator_for(topic, threshold)
    registry = load_registry()
    if stored and stored in registry:
        return registry[stored]
    return cov.adhoc_indicator(topic, threshold)


def _values(topic: str, cells: pd.DataFrame, distances: pd.DataFrame) -> np.ndarray:
    if topic == cov.NOISE:
        return cells["noise_db"].to_numpy(dtype=float)
    if topic not in distances.columns:
        return np.full(len(cells), np.inf)
    return distances[topic].to_numpy(dtype=float)


@data.memoize_per_version(maxsize=32)
def rode_counts(topic: str, threshold: int) -> pd.DataFrame:
    """Residents covered per rode at this threshold: the filter on the precomputed cells."""
    cells, distances = _cells()
    return cov.covered_by_rode(
        cells, _values(topic, cells, distances), float(threshold), topic == cov.NOISE
    )


#: Every level the page can show (maps, tables, CSV): protected together, because a
#: kvarter minus its roder on another view is as much a subtraction as on one.
PROTECTED_LEVELS: tuple[str, ...] = (*MAP_LEVELS, "udsat_byomraade")


@data.memoize_per_version(maxsize=16)
def _protected(topic: str, threshold: int) -> pd.DataFrame:
    """Every level at this threshold after disclosure control: ``indicators.coverage``
    compares, ``indicators.disclosure`` protects within the published pattern of the
    same residents (``befolkning`` and the stored indicator), failing closed."""
    from indicators import disclosure

    monitor = _monitor()
    run = monitor.coverage_run()
    indicator = measure(topic, threshold)
    membership = monitor.membership()
    joint = cov.compare_levels(
        rode_counts(topic, threshold),
        indicator=indicator,
        year=run.year,
        membership=membership,
        areas_by_level={level: monitor.areas([level]) for level in PROTECTED_LEVELS},
        city_code=geography.CITY_CODE,
        synthetic=_population_flags(run.year),
    )
    return disclosure.protect_against_published(
        joint,
        membership,
        {indicator.code: indicator},
        published=monitor.published_comparison,
        codes={"befolkning", indicator.code},
        year=int(run.year),
    )


def comparison(topic: str, threshold: int, level: str) -> pd.DataFrame:
    """Every area of ``level`` against the rest of the city at this threshold."""
    frame = _protected(topic, threshold)
    return frame[frame["level"] == level].reset_index(drop=True)


@data.memoize_per_version(maxsize=16)
def facility_points() -> pd.DataFrame:
    """Point facilities (``kind, name, category, lon, lat``) for the map."""
    table = _monitor().facilities()
    table = table[table["kind"].isin(POINT_KINDS)]
    if table.empty:
        return pd.DataFrame(columns=["kind", "name", "category", "lon", "lat"])
    geoms = shapely.from_wkb(table["geometry_wkb"].to_numpy())
    points = shapely.point_on_surface(geoms)
    order = {k: i for i, k in enumerate(POINT_KINDS)}
    out = pd.DataFrame(
        {
            "kind": table["kind"].to_numpy(),
            "name": table["name"].to_numpy(),
            "category": table["category"].to_numpy(),
            "lon": shapely.get_x(points),
            "lat": shapely.get_y(points),
        }
    )
    return out.assign(_o=out["kind"].map(order)).sort_values(["_o", "name"]).drop(columns="_o")


@data.memoize_per_version(maxsize=4)
def layer_sources() -> dict[str, str]:
    """The stored source text per facility kind (the shipped defaults as fallback)."""
    out = {code: kind.source for code, kind in cov.FACILITY_KINDS.items()}
    table = _monitor().facilities()
    for kind, part in table.groupby("kind"):
        sources = sorted({str(s) for s in part["source"].dropna()})
        if sources:
            out[str(kind)] = "; ".join(sources)
    return out


# ----------------------------------------------------------------------------- pieces


def noise_bands(lang: str) -> list[tuple[str, int, str]]:
    """``(feature id, lower edge, label)`` of the bands the noise overlay draws."""
    from dashboard import coverage_routes

    edges = [e for e in noise_mod.BAND_EDGES_DB if e >= coverage_routes.NOISE_MIN_DB]
    return [(str(edge), edge, noise_mod.band_label(edge, lang)) for edge in edges]


@data.memoize_per_version(maxsize=32)
def _map(topic: str, threshold: int, level: str, layers: tuple[str, ...], lang: str):  # type: ignore[no-untyped-def]
    """(figure, caption, synthetic) of a selection, built once per data version: the
    figure is shared between requests, so callers must not modify it."""
    from dashboard import coverage_routes

    frame = comparison(topic, threshold, level)
    indicator = measure(topic, threshold)
    points = facility_points() if "faciliteter" in layers else None
    if points is not None and topic in POINT_KINDS:
        # The chosen kind first, so its markers sit on top of the others.
        points = pd.concat([points[points["kind"] != topic], points[points["kind"] == topic]])
    fig = coverage_figures.coverage_map(
        frame,
        indicator,
        lang=lang,
        level=level,
        geojson_url=f"/geo/{level}.geojson",
        bounds=data.level_bounds(level),
        outline_url="/geo/udsat_byomraade.geojson",
        outline_codes=data.udsatte_codes(),
        facilities=points,
        facility_names=facility_names(lang),
        green_url=GREEN_URL if "groent" in layers else None,
        green_codes=coverage_routes.green_ids() if "groent" in layers else (),
        noise_url=NOISE_URL if "stoej" in layers else None,
        noise_bands=noise_bands(lang) if "stoej" in layers else (),
    )
    run = _monitor().coverage_run()
    caption = t(
        "daekning.caption",
        lang,
        level=level_name(level, lang).lower(),
        measure=indicator.short(lang),
        n=len(frame),
        year=run.year,
    )
    return fig, caption, bool(frame["synthetic"].any())


def _row(rec: dict, indicator: Indicator, lang: str) -> list:
    if rec.get("suppressed"):
        mark = f"({t('daekning.suppressed', lang)})"
        return [rec["area_name"], mark, mark, "–", format_number(rec.get("denominator"), 0, lang)]
    raw = rec.get("direction")
    direction = 0 if raw is None or pd.isna(raw) else int(raw)
    word = t(
        "direction.better"
        if direction > 0
        else "direction.worse"
        if direction < 0
        else "direction.same",
        lang,
    )
    gap = format_difference(rec["gap"], indicator.unit, indicator.decimals, lang)
    return [
        rec["area_name"],
        format_value(rec["value"], indicator.unit, indicator.decimals, lang),
        format_value(rec["rest_value"], indicator.unit, indicator.decimals, lang),
        html.Span(
            f"{gap} ({word})",
            className="gap-cell",
            style={"color": direction_text_colour(direction)},
        ),
        format_number(rec["denominator"], 0, lang),
    ]


def _table(frame: pd.DataFrame, indicator: Indicator, lang: str, caption: str | None) -> html.Table:
    columns = [
        t("daekning.col.area", lang),
        t("daekning.col.value", lang),
        t("daekning.col.rest", lang),
        t("daekning.col.gap", lang),
        t("daekning.col.residents", lang),
    ]
    rows = [_row(rec, indicator, lang) for rec in frame.to_dict("records")]
    return components.table(columns, rows, caption=caption, numeric=[False, True, True, True, True])


def udsatte_frame(topic: str, threshold: int) -> pd.DataFrame:
    frame = comparison(topic, threshold, "udsat_byomraade")
    order = [*data.udsatte_codes(), data.ALL_UDSATTE_CODE]
    frame = frame[frame["area_code"].isin(order)]
    return frame.assign(_o=frame["area_code"].map({c: i for i, c in enumerate(order)})).sort_values(
        "_o"
    )


# Text colours with at least 4.5:1 contrast on white (WCAG AA), as in the other tables.
_DIRECTION_STYLE = (
    ("> 0", direction_text_colour(1)),
    ("< 0", direction_text_colour(-1)),
    ("= 0", direction_text_colour(0)),
)


def _area_table(frame: pd.DataFrame, indicator: Indicator, lang: str) -> dash_table.DataTable:
    """Every area of a level as one paged ``DataTable``: the same cells as ``_table``, in one
    component instead of seven per row, so an update re-renders one component."""
    keys = ("area", "value", "rest", "gap", "residents")
    columns = [{"name": t(f"daekning.col.{k}", lang), "id": k} for k in keys]
    records = []
    for rec in frame.to_dict("records"):
        cells = _row(rec, indicator, lang)
        gap = cells[3]
        direction = 0
        if isinstance(gap, html.Span):
            raw = rec.get("direction")
            direction = 0 if raw is None or pd.isna(raw) else int(raw)
            gap = gap.children
        records.append(
            {**dict(zip(keys, [*cells[:3], gap, cells[4]], strict=True)), "direction": direction}
        )
    return dash_table.DataTable(
        id=AREA_TABLE_GRID,
        columns=columns,
        data=records,
        page_action="native" if len(records) > AREA_PAGE_SIZE else "none",
        page_size=AREA_PAGE_SIZE,
        sort_action="none",
        cell_selectable=False,
        style_as_list_view=True,
        style_table={"overflowX": "auto"},
        style_header={"fontWeight": 700, "backgroundColor": "#f5f5f3"},
        style_cell={
            "fontFamily": FONT,
            "fontSize": "0.9rem",
            "padding": "0.35rem 0.5rem",
            "textAlign": "right",
            "whiteSpace": "nowrap",
        },
        style_cell_conditional=[{"if": {"column_id": "area"}, "textAlign": "left"}],
        style_data_conditional=[
            {
                "if": {"filter_query": f"{{direction}} {test}", "column_id": "gap"},
                "color": colour,
                "fontWeight": 600,
            }
            for test, colour in _DIRECTION_STYLE
        ],
    )


def tables(topic: str, threshold: int, level: str, lang: str) -> tuple[html.Div, html.Div]:
    indicator = measure(topic, threshold)
    udsatte = _table(udsatte_frame(topic, threshold), indicator, lang, None)
    frame = comparison(topic, threshold, level)
    # Worst first: lowest access, or highest noise exposure.
    frame = frame.sort_values("value", ascending=indicator.polarity > 0, na_position="last")
    areas = html.Details(
        [
            html.Summary(
                t("daekning.areas.title", lang, levels=level_name(level, lang, plural=True).lower())
            ),
            _area_table(frame, indicator, lang),
        ],
        className="details",
    )
    return html.Div(udsatte), html.Div(areas)


def threshold_text(topic: str, threshold: int, lang: str) -> html.Div:
    run = _monitor().coverage_run()
    if topic == cov.NOISE:
        text = t("daekning.threshold.noise", lang, value=threshold)
    else:
        text = t(
            "daekning.threshold.network"
            if run and run.distance_method == "network"
            else "daekning.threshold.distance",
            lang,
            value=format_number(threshold, 0, lang),
        )
    default = int(cov.TARGET_DEFAULT_THRESHOLDS.get(topic, threshold))
    stored = cov.stored_indicator_for(topic, threshold)
    if stored and stored in load_registry():
        note = t("daekning.stored", lang, name=load_registry()[stored].name(lang))
    elif threshold != default:
        unit = "dB" if topic == cov.NOISE else "m"
        note = t("daekning.adhoc", lang, default=f"{format_number(default, 0, lang)} {unit}")
    else:
        note = ""
    return html.Div([html.Strong(text), html.Span(" " + note if note else "")])


def method_section(lang: str) -> html.Details:
    run = _monitor().coverage_run()
    distance_key = (
        "daekning.method.distance.network"
        if run.distance_method == "network"
        else "daekning.method.distance.euclidean"
    )
    sources = layer_sources()
    attributions = [
        html.Li(t("daekning.attribution.areas", lang)),
        *[
            html.Li(f"{cov.FACILITY_KINDS[k].plural(lang)}: {sources.get(k, '')}")
            for k in (*POINT_KINDS, "groent", "vand")
            if k in cov.FACILITY_KINDS
        ],
        html.Li(noise_mod.ATTRIBUTION_DA if lang == "da" else noise_mod.ATTRIBUTION_EN),
    ]
    return html.Details(
        [
            html.Summary(t("daekning.method.title", lang)),
            html.P(
                t(
                    "daekning.method.cells",
                    lang,
                    year=run.year,
                    cells=format_number(run.cells, 0, lang),
                    method=run.cell_method,
                )
            ),
            html.P(t(distance_key, lang)),
            html.P(t("daekning.method.noise", lang)),
            html.P(t("daekning.method.air", lang)),
            html.P(t("daekning.method.osm", lang)),
            html.P(t("daekning.method.caveats", lang)),
            html.H3(t("daekning.attribution.title", lang)),
            html.Ul(attributions, className="attribution-list"),
        ],
        className="details",
        open=True,
    )


# ----------------------------------------------------------------------------- layout


def _controls(
    topic: str, threshold: int, level: str, layers: tuple[str, ...], lang: str
) -> html.Div:
    config = threshold_config(topic, lang)
    return html.Div(
        [
            components.control(
                t("daekning.topic", lang),
                dcc.Dropdown(
                    id=TOPIC,
                    options=[{"label": topic_label(c, lang), "value": c} for c in TOPICS],
                    value=topic,
                    clearable=False,
                    searchable=False,
                ),
                TOPIC,
            ),
            components.control(
                t("daekning.threshold", lang),
                html.Div(
                    dcc.Slider(
                        id=THRESHOLD,
                        min=config["min"],
                        max=config["max"],
                        step=config["step"],
                        marks=config["marks"],
                        value=threshold,
                        included=topic != cov.NOISE,
                        updatemode="mouseup",
                        tooltip={"placement": "bottom", "always_visible": False},
                    ),
                    className="slider-wrap",
                    style={"minWidth": "22rem"},
                ),
                THRESHOLD,
            ),
            components.control(
                t("daekning.level", lang),
                dcc.RadioItems(
                    id=LEVEL,
                    options=[
                        {"label": level_name(lv, lang, plural=True), "value": lv}
                        for lv in MAP_LEVELS
                    ],
                    value=level,
                    inline=True,
                    className="radio-inline",
                ),
                LEVEL,
            ),
            components.control(
                t("daekning.layers", lang),
                dcc.Checklist(
                    id=LAYERS,
                    options=[
                        {"label": t(f"daekning.layer.{c}", lang), "value": c} for c in LAYER_CODES
                    ],
                    value=list(layers),
                    inline=True,
                    className="radio-inline",
                ),
                LAYERS,
            ),
        ],
        className="controls",
    )


def layout(
    lang: str = "da",
    emne: object = None,
    taerskel: object = None,
    niveau: object = None,
    lag: object = None,
    **_: object,
) -> html.Div:
    lang = normalise_lang(lang)
    head = components.page_title(t("daekning.title", lang), t("daekning.intro", lang))
    if not available():
        return html.Div([*head, html.P(t("daekning.none", lang), className="notice")])
    topic, threshold, level, layers = selection(emne, taerskel, niveau, lag)
    fig, caption, synthetic = _map(topic, threshold, level, layers, lang)
    udsatte, areas = tables(topic, threshold, level, lang)
    year = _monitor().coverage_run().year
    return html.Div(
        [
            *head,
            _controls(topic, threshold, level, layers, lang),
            html.Div(threshold_text(topic, threshold, lang), id=THRESHOLD_TEXT, className="note"),
            components.demo_banner(lang, [year] if synthetic else [], DEMO),
            components.figure(
                components.graph(GRAPH, fig, topojsonURL="/assets/topojson/"),
                caption,
                caption_id=CAPTION,
            ),
            html.H2(t("daekning.udsatte.title", lang)),
            html.Div(udsatte, id=UDSATTE_TABLE),
            html.Div(areas, id=AREA_TABLE),
            html.Button(t("daekning.download", lang), id=DOWNLOAD_BUTTON, className="button"),
            dcc.Download(id=DOWNLOAD),
            method_section(lang),
        ]
    )


# ----------------------------------------------------------------------------- callbacks


def slider_for(topic: object, search: str | None):  # type: ignore[no-untyped-def]
    """Callback body: a new topic → the slider's range, marks and value."""
    current = _url_state(search)
    chosen = selection(topic, None, current[2], None)[0]
    if chosen == current[0]:
        raise PreventUpdate
    config = threshold_config(chosen, urlstate.lang_of(search))
    return (
        config["min"],
        config["max"],
        config["step"],
        config["marks"],
        config["value"],
        (chosen != cov.NOISE),
    )


def update(
    topic: object,
    threshold: object,
    level: object,
    layers: object,
    search: str | None,
    triggered: str | None = None,
):
    """Callback body: new controls → figure (a Patch when only the threshold moved),
    caption, threshold note, demo banner, tables and URL."""
    if not available():
        raise PreventUpdate
    lang = urlstate.lang_of(search)
    before = _url_state(search)
    chosen = selection(topic, threshold, level, layers if layers is not None else None)
    if chosen == before:
        raise PreventUpdate
    topic, threshold, level, layer_set = chosen
    fig, caption, synthetic = _map(topic, threshold, level, layer_set, lang)
    only_threshold = (
        triggered == THRESHOLD
        and before[0] == topic
        and before[2] == level
        and before[3] == layer_set
    )
    udsatte, areas = tables(topic, threshold, level, lang)
    year = _monitor().coverage_run().year
    banner = components.demo_banner(lang, [year] if synthetic else [])
    new_search = urlstate.updated(
        search, emne=topic, taerskel=threshold, niveau=level, lag=",".join(layer_set) or "ingen"
    )
    return (
        coverage_figures.values_patch(fig) if only_threshold else fig,
        caption,
        threshold_text(topic, threshold, lang),
        not synthetic,
        banner.children,
        udsatte,
        areas,
        new_search,
    )


def download_frame(topic: str, threshold: int, level: str) -> pd.DataFrame:
    """The CSV rows: the udsatte byområder and every area of ``level`` at this threshold."""
    indicator = measure(topic, threshold)
    run = _monitor().coverage_run()
    frame = pd.concat(
        [udsatte_frame(topic, threshold).drop(columns="_o"), comparison(topic, threshold, level)],
        ignore_index=True,
    )
    out = pd.DataFrame(
        {
            "area_code": frame["area_code"],
            "area_name": frame["area_name"],
            "level": frame["level"],
            "measure": indicator.code,
            "target": topic,
            "threshold": threshold,
            "threshold_unit": "dB" if topic == cov.NOISE else "m",
            "year": run.year,
            "numerator": frame["numerator"].astype(float).round(2),
            "denominator": frame["denominator"].astype(float).round(2),
            "value": frame["value"].astype(float).round(indicator.decimals),
            "rest_of_city_value": frame["rest_value"].astype(float).round(indicator.decimals),
            "city_value": frame["city_value"].astype(float).round(indicator.decimals),
            "gap": frame["gap"].astype(float).round(indicator.decimals),
            "synthetic": frame["synthetic"].astype(bool),
            "suppressed": frame["suppressed"].astype(bool),
            "distance_method": run.distance_method if topic != cov.NOISE else "noise-grid",
            "cell_method": run.cell_method,
            "source": indicator.source,
        }
    )
    return out.drop_duplicates(["area_code"]).reset_index(drop=True)


def download(topic: object, threshold: object, level: object, layers: object = None) -> dict:
    """Callback body: the current selection as a CSV file for ``dcc.Download``."""
    topic, threshold, level, _ = selection(topic, threshold, level, layers)
    frame = download_frame(topic, threshold, level)
    name = CSV_FILE_NAME.format(topic=topic, threshold=threshold, level=level)
    return dcc.send_bytes(to_csv_bytes(frame), name)


# ----------------------------------------------------------------------------- profile


def profile_rows(area_code: str) -> pd.DataFrame:
    """The stored coverage indicators of one area (latest year) against the rest."""
    codes = [c for c, i in load_registry().items() if i.kind == "coverage"]
    monitor = data.monitor()
    level = monitor.area_level(area_code)
    if level is None:
        return pd.DataFrame()
    # Disclosure control applies as for every published figure (Monitor.published_comparison).
    frame = monitor.published_comparison(level)
    frame = frame[frame["area_code"] == area_code]
    frame = frame[frame["indicator"].isin(codes)].dropna(subset=["value"])
    if frame.empty:
        return frame
    latest = frame["year"].max()
    return frame[frame["year"] == latest]


@lru_cache(maxsize=2)
def _profile_texts(lang: str) -> tuple[str, str]:
    if lang == "en":
        return (
            "Coverage and road noise",
            "Share of residents near facilities and with road noise, against the rest of the "
            "city (indicative; see the Coverage page for method and other thresholds).",
        )
    return (
        "Dækning og vejstøj",
        "Andel af beboerne tæt på faciliteter og med vejstøj, mod resten af byen "
        "(vejledende; se siden Dækning for metode og andre tærskler).",
    )


def profile_section(area_code: str, lang: str) -> list:
    """Components for the area profile: the six stored coverage indicators (or nothing)."""
    rows = profile_rows(area_code)
    if rows.empty:
        return []
    registry = load_registry()
    order = {c: registry[c].order for c in rows["indicator"]}
    rows = rows.assign(_o=rows["indicator"].map(order)).sort_values("_o")
    title, intro = _profile_texts(normalise_lang(lang))
    table_rows = []
    for rec in rows.to_dict("records"):
        ind = registry[rec["indicator"]]
        label = {**rec, "area_name": ind.name(lang), "suppressed": False}
        table_rows.append(_row(label, ind, lang))
    columns = [
        t("common.criterion", lang),
        t("common.area", lang),
        t("common.rest", lang),
        t("common.gap", lang),
        t("daekning.col.residents", lang),
    ]
    year = int(rows["year"].max())
    return [
        html.H2(f"{title} ({year})"),
        html.P(
            [intro, " ", dcc.Link(t("daekning.title", lang), href=urlstate.href(PATH, lang))],
            className="note",
        ),
        components.table(columns, table_rows, numeric=[False, True, True, True, True]),
    ]
