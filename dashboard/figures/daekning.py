"""Pure figure builders of the Dækning page: frames in, Plotly figures out.

The map follows the app's map rules (``dashboard.figures.common``): SVG geo traces with the
geometry as cacheable URLs, no base map and no tiles (offline), worse is darker whatever
the indicator's polarity, the udsatte byområder outlined. On top of the shading it can
draw the green areas, the road-noise bands and the facilities as points.

Trace order (stable ``uid`` values, so tests and patches can find them): areas without
data, coverage values, green areas, noise bands (quietest first), outlines, one point
trace per facility kind.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from dash import Patch

from dashboard.figures import common
from dashboard.i18n import PLOTLY_SEPARATORS, format_number, format_value, normalise_lang, t
from indicators.registry import Indicator

TRACE_NO_DATA = "cov-no-data"
TRACE_VALUES = "cov-values"
TRACE_GREEN = "cov-green"
TRACE_NOISE_PREFIX = "cov-noise-"
TRACE_OUTLINES = "cov-outlines"
TRACE_FACILITY_PREFIX = "cov-fac-"

GREEN_FILL = "#4DAF4A"
# Noise bands, 58 dB upwards: a light-to-dark purple scale (ColorBrewer Purples), distinct
# from the orange-red shading underneath.
NOISE_COLOURS: dict[int, str] = {
    53: "#DADAEB",
    58: "#BCBDDC",
    63: "#9E9AC8",
    68: "#756BB1",
    73: "#54278F",
}
# Okabe-Ito colours and distinct symbols per facility kind: colour is never the only cue.
FACILITY_STYLE: dict[str, tuple[str, str]] = {
    "legeplads": ("#E69F00", "circle"),
    "bibliotek": ("#0072B2", "square"),
    "kulturhus": ("#CC79A7", "diamond"),
    "svoemning": ("#56B4E9", "triangle-up"),
    "idraetshal": ("#009E73", "pentagon"),
    "boldbane": ("#F0E442", "star"),
    "laege": ("#D55E00", "cross"),
    "supermarked": ("#000000", "hexagon"),
    "skole": ("#0072B2", "triangle-down"),
    "daginstitution": ("#009E73", "hourglass"),
}
DEFAULT_STYLE = ("#000000", "x")

VALUE_FIELDS = ("locations", "z", "zmin", "zmax", "customdata", "hovertemplate", "colorbar")


def _hover_rows(values: pd.DataFrame, indicator: Indicator, lang: str) -> list[list[str]]:
    demo = f" ({t('demo.badge', lang).lower()})"
    return [
        [
            name,
            format_value(value, indicator.unit, indicator.decimals, lang),
            format_number(covered, 0, lang),
            format_number(residents, 0, lang),
            demo if synthetic else "",
        ]
        for name, value, covered, residents, synthetic in zip(
            values["area_name"],
            values["value"],
            values["numerator"],
            values["denominator"],
            values["synthetic"].astype(bool),
            strict=True,
        )
    ]


def _hover_template(indicator: Indicator, lang: str) -> str:
    covered = "dækket" if lang == "da" else "covered"
    if indicator.polarity < 0:
        covered = "berørt" if lang == "da" else "exposed"
    residents = "beboere" if lang == "da" else "residents"
    return (
        "<b>%{customdata[0]}</b><br>"
        f"{indicator.short(lang)}: %{{customdata[1]}}%{{customdata[4]}}<br>"
        f"%{{customdata[2]}} {covered} af %{{customdata[3]}} {residents}"
        "<extra></extra>"
    )


def coverage_map(
    values: pd.DataFrame,
    indicator: Indicator,
    *,
    lang: str,
    level: str,
    geojson_url: str,
    bounds: tuple[float, float, float, float] | None = None,
    outline_url: str | None = None,
    outline_codes: Sequence[str] = (),
    facilities: pd.DataFrame | None = None,
    facility_names: Mapping[str, str] | None = None,
    green_url: str | None = None,
    green_codes: Sequence[str] = (),
    noise_url: str | None = None,
    noise_bands: Sequence[tuple[str, int, str]] = (),
    height: int = 640,
) -> go.Figure:
    """The Dækning map.

    Parameters
    ----------
    values
        One row per area of ``level``: ``area_code, area_name, value, numerator,
        denominator, synthetic``; areas with a NaN value are drawn grey (no data or
        suppressed).
    indicator
        What ``value`` measures (unit, decimals, polarity, labels).
    facilities
        ``kind, name, category, lon, lat``: one marker per facility, one trace per kind
        (legend entries named by ``facility_names``).
    green_url, green_codes
        GeoJSON URL and feature ids of the green areas (≥ 0.5 ha).
    noise_url, noise_bands
        GeoJSON URL of the noise bands and ``(feature id, lower edge dB, label)`` per band.
    """
    lang = normalise_lang(lang)
    present = values[values["value"].notna()]
    missing = values[values["value"].isna()]
    zmin, zmax = common.colour_range(present["value"])
    fig = go.Figure()
    fig.add_trace(
        common.no_data_trace(geojson_url, missing, lang, uid=TRACE_NO_DATA, showlegend=False)
    )
    fig.add_trace(
        go.Choropleth(
            geojson=geojson_url,
            locations=present["area_code"].tolist(),
            z=present["value"].round(6).tolist(),
            zmin=zmin,
            zmax=zmax,
            colorscale=common.map_colorscale(indicator.polarity),
            marker={"line": {"color": "#FFFFFF", "width": 0.4}},
            colorbar=_colorbar(indicator, lang),
            customdata=_hover_rows(present, indicator, lang),
            hovertemplate=_hover_template(indicator, lang),
            name=indicator.short(lang),
            showlegend=False,
            uid=TRACE_VALUES,
        )
    )
    if green_url and green_codes:
        fig.add_trace(
            go.Choropleth(
                geojson=green_url,
                locations=list(green_codes),
                z=[1] * len(green_codes),
                colorscale=[[0, GREEN_FILL], [1, GREEN_FILL]],
                showscale=False,
                marker={"line": {"color": "#2F7D2B", "width": 0.5}, "opacity": 0.55},
                hoverinfo="skip",
                name="Grønne områder ≥ 0,5 ha" if lang == "da" else "Green areas ≥ 0.5 ha",
                showlegend=True,
                uid=TRACE_GREEN,
            )
        )
    if noise_url:
        road = "Vejstøj" if lang == "da" else "Road noise"
        for feature_id, edge, label in noise_bands:
            colour = NOISE_COLOURS.get(int(edge), "#3F007D")
            fig.add_trace(
                go.Choropleth(
                    geojson=noise_url,
                    locations=[feature_id],
                    z=[1],
                    colorscale=[[0, colour], [1, colour]],
                    showscale=False,
                    marker={"line": {"width": 0}, "opacity": 0.7},
                    hovertemplate=f"{road} Lden {label}<extra></extra>",
                    name=f"{road} {label}",
                    showlegend=True,
                    uid=f"{TRACE_NOISE_PREFIX}{edge}",
                )
            )
    if outline_url and outline_codes:
        fig.add_trace(
            go.Choropleth(
                geojson=outline_url,
                locations=list(outline_codes),
                z=[0] * len(outline_codes),
                colorscale=common.TRANSPARENT_SCALE,
                showscale=False,
                marker={"line": {"color": common.OUTLINE, "width": 2.2}},
                hoverinfo="skip",
                name=t("map.outline", lang),
                showlegend=False,
                uid=TRACE_OUTLINES,
            )
        )
    if facilities is not None and not facilities.empty:
        names = dict(facility_names or {})
        for kind, part in facilities.groupby("kind", sort=False):
            colour, symbol = FACILITY_STYLE.get(str(kind), DEFAULT_STYLE)
            label = names.get(str(kind), str(kind))
            detail = [
                label if not isinstance(c, str) or not c else f"{label} · {c}"
                for c in part["category"].tolist()
            ]
            fig.add_trace(
                go.Scattergeo(
                    lon=part["lon"].round(6).tolist(),
                    lat=part["lat"].round(6).tolist(),
                    mode="markers",
                    marker={
                        "size": 8,
                        "color": colour,
                        "symbol": symbol,
                        "line": {"color": "#1B1B1B", "width": 0.8},
                    },
                    customdata=[[n, d] for n, d in zip(part["name"], detail, strict=True)],
                    hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                    name=label,
                    showlegend=True,
                    uid=f"{TRACE_FACILITY_PREFIX}{kind}",
                )
            )
    fig.update_layout(
        separators=PLOTLY_SEPARATORS[lang],
        font={"family": common.FONT, "size": 13, "color": "#1B1B1B"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        hoverlabel={"font": {"family": common.FONT}},
        margin={"l": 0, "r": 0, "t": 0, "b": common.MAP_BOTTOM_MARGIN},
        height=height,
        dragmode=False,
        uirevision=level,
        meta={"level": level, "indicator": indicator.code},
        # Facilities above the map, the colour bar below it (common.map_colorbar).
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1,
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        geo=common.geo_frame(bounds),
    )
    return fig


def _colorbar(indicator: Indicator, lang: str) -> dict:
    return common.map_colorbar(f"{indicator.short(lang)} (%; {t('map.colorbar_note', lang)})", " %")


def values_patch(figure: go.Figure) -> Patch:
    """Only the shading of a new threshold (same level and layers), as a ``dash.Patch``.

    Geometry URLs, the overlays, the points and the user's zoom stay in the browser.
    """
    patch = Patch()
    for index, trace in enumerate(figure.to_dict()["data"]):
        if trace.get("uid") not in (TRACE_NO_DATA, TRACE_VALUES):
            continue
        for field in VALUE_FIELDS:
            if field in trace:
                patch["data"][index][field] = trace[field]
    patch["layout"]["meta"] = figure.layout.meta
    return patch
