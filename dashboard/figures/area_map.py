"""The Kort page's choropleth: published values in, a Plotly map (or its patch) out."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from dash import Patch

from dashboard.figures.common import (
    MAP_BOTTOM_MARGIN,
    OUTLINE,
    TRANSPARENT_SCALE,
    base_layout,
    colour_range,
    geo_frame,
    map_colorbar,
    map_colorscale,
    no_data_trace,
)
from dashboard.i18n import format_number, format_value, normalise_lang, t
from indicators.registry import Indicator

# Stable trace ids, so tests and clientside code can tell the traces apart (plotly draws no
# group for an empty trace, so the DOM position of a trace is not stable).
MAP_TRACE_NO_DATA = "areas-no-data"
MAP_TRACE_VALUES = "areas-values"
MAP_TRACE_OUTLINES = "outlines"

# Fields a map update changes; the geometry URL and the layout stay put.
MAP_PATCH_FIELDS = (
    "locations",
    "z",
    "zmin",
    "zmax",
    "customdata",
    "hovertemplate",
    "colorscale",
    "colorbar",
    "name",
)


def choropleth_figure(
    values: pd.DataFrame,
    indicator: Indicator,
    *,
    lang: str,
    level: str,
    year: int,
    geojson_url: str,
    outline_url: str | None = None,
    outline_codes: Sequence[str] = (),
    bounds: tuple[float, float, float, float] | None = None,
) -> go.Figure:
    """A choropleth of one indicator and year with the udsatte byområder outlined.

    Parameters
    ----------
    values
        One row per area of ``level``: ``area_code, area_name, value, denominator,
        synthetic``. Areas without a value are drawn grey ("no data") so every area has
        exactly one shape.
    geojson_url, outline_url
        URLs of the simplified GeoJSON (feature ``id`` = area code). Geometry travels as a
        URL the browser caches, never inside the figure.
    bounds
        (west, south, east, north) in degrees. Given explicitly, the map fills its frame;
        plotly's ``fitbounds`` leaves a wide margin around a city-sized area.

    Traces: 0 = areas without data, 1 = the values, 2 = outlines (when given).
    """
    lang = normalise_lang(lang)
    present = values[values["value"].notna()]
    missing = values[values["value"].isna()]
    zmin, zmax = colour_range(present["value"])
    suffix = " %" if indicator.unit == "pct" else ""
    unit = suffix.strip() or t("unit.count", lang)
    colorbar_title = f"{indicator.short(lang)}<br>({unit}; {t('map.colorbar_note', lang)})"
    fig = go.Figure()
    fig.add_trace(no_data_trace(geojson_url, missing, lang, uid=MAP_TRACE_NO_DATA))
    fig.add_trace(
        go.Choropleth(
            geojson=geojson_url,
            locations=present["area_code"].tolist(),
            z=present["value"].round(6).tolist(),
            zmin=zmin,
            zmax=zmax,
            colorscale=map_colorscale(indicator.polarity),
            marker={"line": {"color": "#FFFFFF", "width": 0.4}},
            colorbar=map_colorbar(colorbar_title, suffix),
            customdata=_map_customdata(present, indicator, lang),
            hovertemplate=_map_hovertemplate(indicator, lang),
            name=indicator.short(lang),
            uid=MAP_TRACE_VALUES,
        )
    )
    if outline_url and outline_codes:
        fig.add_trace(
            go.Choropleth(
                geojson=outline_url,
                locations=list(outline_codes),
                z=[0] * len(outline_codes),
                colorscale=TRANSPARENT_SCALE,
                showscale=False,
                marker={"line": {"color": OUTLINE, "width": 2.2}},
                hoverinfo="skip",
                name=t("map.outline", lang),
                uid=MAP_TRACE_OUTLINES,
            )
        )
    fig.update_layout(
        **base_layout(
            lang,
            margin={"l": 0, "r": 0, "t": 0, "b": MAP_BOTTOM_MARGIN},
            height=620,
            dragmode=False,
            uirevision=level,
            meta={"level": level, "year": int(year), "indicator": indicator.code},
            geo=geo_frame(bounds),
        )
    )
    return fig


def _map_customdata(frame: pd.DataFrame, indicator: Indicator, lang: str) -> list[list[str]]:
    demo = f" ({t('demo.badge', lang).lower()})"
    return [
        [
            name,
            format_value(value, indicator.unit, indicator.decimals, lang),
            format_number(den, 0, lang),
            demo if synthetic else "",
        ]
        for name, value, den, synthetic in zip(
            frame["area_name"],
            frame["value"],
            frame["denominator"],
            frame["synthetic"].astype(bool),
            strict=True,
        )
    ]


def _map_hovertemplate(indicator: Indicator, lang: str) -> str:
    return (
        "<b>%{customdata[0]}</b><br>"
        f"{indicator.short(lang)}: %{{customdata[1]}}%{{customdata[3]}}<br>"
        f"{t('map.hover_n', lang)} = %{{customdata[2]}}"
        "<extra></extra>"
    )


def map_patch(figure: go.Figure) -> Patch:
    """The data changes between two maps of the same level, as a ``dash.Patch``.

    Only arrays, colour range, scale and hover texts are sent; geometry URLs, the layout and
    the user's zoom stay in the browser.
    """
    patch = Patch()
    for index, trace in enumerate(figure.to_dict()["data"]):
        for field in MAP_PATCH_FIELDS:
            if field in trace:
                patch["data"][index][field] = trace[field]
    patch["layout"]["meta"] = figure.layout.meta
    return patch
