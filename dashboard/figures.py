"""Pure figure builders: frames in, Plotly figures out. No store access, no Dash state.

Colour rules (the same everywhere):

* Better/worse: blue ``BETTER`` and orange-red ``WORSE`` (Okabe-Ito, colour-blind safe),
  always paired with a symbol or word so colour is never the only cue.
* Maps: one sequential scale where *worse is darker*, whatever the indicator's polarity;
  for an indicator where higher is better the scale is reversed.
* Lines: the area solid and dark, the rest of the city dashed grey, the city dotted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import Patch
from plotly.subplots import make_subplots

from dashboard.i18n import (
    PLOTLY_SEPARATORS,
    format_number,
    format_value,
    normalise_lang,
    t,
)
from indicators.registry import Indicator

BETTER = "#0072B2"
WORSE = "#D55E00"
NEUTRAL = "#6B6B6B"
AREA_LINE = "#4B2C83"
REST_LINE = "#6B6B6B"
CITY_LINE = "#A8A8A8"
NO_DATA_FILL = "#E6E6E6"
OUTLINE = "#111111"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Liberation Sans', Arial, sans-serif"

# Light (better) to dark (worse): ColorBrewer OrRd, colour-blind safe and printable.
WORSE_IS_DARK = [
    [0.0, "#FFF7EC"],
    [0.25, "#FDD49E"],
    [0.5, "#FC8D59"],
    [0.75, "#D7301F"],
    [1.0, "#7F0000"],
]
TRANSPARENT_SCALE = [[0.0, "rgba(0,0,0,0)"], [1.0, "rgba(0,0,0,0)"]]
NO_DATA_SCALE = [[0.0, NO_DATA_FILL], [1.0, NO_DATA_FILL]]

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


def direction_colour(direction: int) -> str:
    """+1 (better) → blue, -1 (worse) → orange-red, 0 → grey."""
    return BETTER if direction > 0 else WORSE if direction < 0 else NEUTRAL


def map_colorscale(polarity: int) -> list[list]:
    """The map's scale with worse values dark: reversed when a higher value is better."""
    if polarity > 0:
        return [[round(1.0 - pos, 4), colour] for pos, colour in reversed(WORSE_IS_DARK)]
    return [list(stop) for stop in WORSE_IS_DARK]


def colour_range(values: pd.Series) -> tuple[float, float]:
    """zmin/zmax from the 2nd-98th percentile, so one tiny area cannot wash out the map."""
    present = values.dropna().to_numpy(dtype=float)
    if present.size == 0:
        return 0.0, 1.0
    low, high = np.percentile(present, [2, 98])
    if high <= low:
        high = low + 1.0
    return float(low), float(high)


def _base_layout(lang: str, **extra: object) -> dict:
    layout = {
        "separators": PLOTLY_SEPARATORS[normalise_lang(lang)],
        "font": {"family": FONT, "size": 13, "color": "#1B1B1B"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout


# --------------------------------------------------------------------------------- map


def no_data_trace(
    geojson_url: str, missing: pd.DataFrame, lang: str, uid: str, **extra: object
) -> go.Choropleth:
    """Grey shapes for the areas without a (published) value, with a "no data" hover.

    ``missing`` has ``area_code`` and ``area_name``.
    """
    return go.Choropleth(
        geojson=geojson_url,
        locations=missing["area_code"].tolist(),
        z=[0] * len(missing),
        zmin=0,
        zmax=1,
        colorscale=NO_DATA_SCALE,
        showscale=False,
        marker={"line": {"color": "#FFFFFF", "width": 0.4}},
        customdata=missing[["area_name"]].to_numpy().tolist(),
        hovertemplate=f"<b>%{{customdata[0]}}</b><br>{t('common.no_data', lang)}<extra></extra>",
        name=t("common.no_data", lang),
        uid=uid,
        **extra,
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
            colorbar={
                "title": {"text": colorbar_title, "side": "top"},
                "ticksuffix": suffix,
                "thickness": 14,
                "len": 0.75,
                "x": 1.0,
                "xanchor": "left",
            },
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
        **_base_layout(
            lang,
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
            height=620,
            dragmode=False,
            uirevision=level,
            meta={"level": level, "year": int(year), "indicator": indicator.code},
            geo=_geo_frame(bounds),
        )
    )
    return fig


def _geo_frame(bounds: tuple[float, float, float, float] | None) -> dict:
    """The geo subplot: no base map (nothing to fetch), mercator, framed on ``bounds``."""
    frame: dict = {
        "visible": False,
        "projection": {"type": "mercator"},
        "bgcolor": "rgba(0,0,0,0)",
    }
    if bounds is None:
        frame["fitbounds"] = "locations"
        return frame
    west, south, east, north = bounds
    pad_x, pad_y = (east - west) * 0.01, (north - south) * 0.01
    frame["fitbounds"] = False
    frame["lonaxis"] = {"range": [west - pad_x, east + pad_x]}
    frame["lataxis"] = {"range": [south - pad_y, north + pad_y]}
    return frame


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


# --------------------------------------------------------------------------------- lines


def trend_figure(
    series: pd.DataFrame,
    indicator: Indicator,
    *,
    lang: str,
    baseline_year: int | None = None,
    height: int = 150,
) -> go.Figure:
    """A small chart of one indicator: the area (solid) against the rest of the city (dashed).

    ``series`` has ``year, value, rest_value`` for one area.
    """
    lang = normalise_lang(lang)
    data = series.sort_values("year")
    fig = go.Figure()
    for column, label, colour, dash, width in (
        ("rest_value", t("common.rest", lang), REST_LINE, "dash", 2),
        ("value", t("overview.udsatte", lang), AREA_LINE, "solid", 3),
    ):
        fig.add_trace(
            go.Scatter(
                x=data["year"].tolist(),
                y=data[column].round(6).tolist(),
                mode="lines",
                name=label,
                line={"color": colour, "dash": dash, "width": width},
                customdata=[
                    format_value(v, indicator.unit, indicator.decimals, lang) for v in data[column]
                ],
                hovertemplate=f"{label} %{{x}}: %{{customdata}}<extra></extra>",
            )
        )
    if baseline_year is not None and baseline_year in set(data["year"]):
        fig.add_vline(x=baseline_year, line={"color": "#9A9A9A", "width": 1, "dash": "dot"})
    fig.update_layout(
        **_base_layout(
            lang,
            height=height,
            margin={"l": 36, "r": 8, "t": 6, "b": 22},
            showlegend=False,
            hovermode="x unified",
        )
    )
    fig.update_xaxes(showgrid=False, tickformat="d", nticks=5, fixedrange=True)
    # No forced zero: a sparkline shows movement; the card's table gives the levels.
    fig.update_yaxes(
        gridcolor="#EEEEEE",
        ticksuffix=" %" if indicator.unit == "pct" else "",
        nticks=4,
        fixedrange=True,
    )
    return fig


def profile_figure(
    comparison: pd.DataFrame,
    indicators: Sequence[Indicator],
    *,
    lang: str,
    area_name: str,
) -> go.Figure:
    """Small multiples (2 × 4): each criterion for the area, the rest of the city and the city.

    ``comparison`` has ``indicator, year, value, rest_value, city_value`` for one area.
    """
    lang = normalise_lang(lang)
    cols = 4
    rows = max(1, -(-len(indicators) // cols))
    titles = []
    for ind in indicators:
        survey = f" ({t('profile.survey_marker', lang)})" if ind.is_survey else ""
        unit = " (%)" if ind.unit == "pct" else ""
        subtitle = f"<span style='font-size:11px;color:#555'>{ind.short(lang)}{unit}</span>"
        titles.append(f"<b>{ind.name(lang)}</b>{survey}<br>{subtitle}")
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles,
        horizontal_spacing=0.06,
        vertical_spacing=0.2,
    )
    lines = (
        ("value", area_name, AREA_LINE, "solid", 3),
        ("rest_value", t("common.rest", lang), REST_LINE, "dash", 2),
        ("city_value", t("common.city", lang), CITY_LINE, "dot", 2),
    )
    for position, ind in enumerate(indicators):
        row, col = divmod(position, cols)
        part = comparison[comparison["indicator"] == ind.code].sort_values("year")
        for column, label, colour, dash, width in lines:
            fig.add_trace(
                go.Scatter(
                    x=part["year"].tolist(),
                    y=part[column].round(6).tolist(),
                    mode="lines",
                    name=label,
                    legendgroup=column,
                    showlegend=position == 0,
                    line={"color": colour, "dash": dash, "width": width},
                    customdata=[
                        format_value(v, ind.unit, ind.decimals, lang) for v in part[column]
                    ],
                    hovertemplate=f"{label} %{{x}}: %{{customdata}}<extra></extra>",
                ),
                row=row + 1,
                col=col + 1,
            )
        fig.update_yaxes(ticksuffix=" %" if ind.unit == "pct" else "", row=row + 1, col=col + 1)
    fig.update_annotations(font={"size": 13})
    fig.update_xaxes(showgrid=False, tickformat="d", nticks=5, fixedrange=True)
    fig.update_yaxes(gridcolor="#EEEEEE", rangemode="tozero", nticks=5, fixedrange=True)
    fig.update_layout(
        **_base_layout(
            lang,
            height=300 * rows + 80,
            margin={"l": 48, "r": 16, "t": 64, "b": 40},
            hovermode="x unified",
            legend={"orientation": "h", "y": -0.08, "x": 0, "yanchor": "top"},
        )
    )
    return fig
