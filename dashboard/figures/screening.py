"""The Screening page's figures: the status map and the status/dynamics matrix.

Colour is never the only cue: every map area names its class on hover, and the matrix
dots are named on hover and counted in the page's table.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import FONT, NO_DATA_FILL, OUTLINE, TRANSPARENT_SCALE, geo_frame
from dashboard.i18n import PLOTLY_SEPARATORS, format_number, normalise_lang, t
from indicators import screening as sc
from indicators.registry import load_registry

#: Fill of each status class, light (low disadvantage) to dark (very high): OrRd.
STATUS_COLOURS = {
    "lav": "#FEF0D9",
    "middel": "#FDCC8A",
    "hoej": "#FC8D59",
    "meget_hoej": "#B30000",
}
PROPOSED_LINE = "#0072B2"


def class_label(code: str, lang: str, config: sc.ScreeningConfig | None = None) -> str:
    """Label of a status or dynamic class code (or "not classified")."""
    config = config or sc.load_config()
    for band in (*config.status_classes, *config.dynamic_classes):
        if band.code == code:
            return band.label(lang)
    return t("screening.figure.map.not_classified", lang)


def criterion_short(code: str, lang: str) -> str:
    return load_registry()[code].short(lang)


def status_map_figure(
    units: pd.DataFrame,
    config: sc.ScreeningConfig,
    *,
    lang: str,
    level: str,
    year: int,
    geojson_url: str,
    outline_url: str | None = None,
    outline_codes: Sequence[str] = (),
    bounds: tuple[float, float, float, float] | None = None,
) -> go.Figure:
    """Choropleth of the status classes; proposed units outlined in blue and the current
    designation in black.

    ``units`` is ``ScreeningResult.units``. Traces: 0 = not classified, 1 = the classes,
    then the current designation's outline (when given) and the proposal's on top.
    """
    lang = normalise_lang(lang)
    codes = [b.code for b in config.status_classes]
    shown = units[units["status_class"].isin(codes)]
    other = units[~units["status_class"].isin(codes)]
    n = len(codes)
    scale = []
    for i, code in enumerate(codes):  # a stepped scale: class i fills [i/n, (i+1)/n]
        scale += [
            [i / n, STATUS_COLOURS.get(code, "#888")],
            [(i + 1) / n, STATUS_COLOURS.get(code, "#888")],
        ]
    not_classified = t("screening.figure.map.not_classified", lang)
    fig = go.Figure()
    fig.add_trace(
        go.Choropleth(
            geojson=geojson_url,
            locations=other["area_code"].tolist(),
            z=[0] * len(other),
            zmin=0,
            zmax=1,
            colorscale=[[0, NO_DATA_FILL], [1, NO_DATA_FILL]],
            showscale=False,
            marker={"line": {"color": "#FFFFFF", "width": 0.4}},
            customdata=other[["area_name"]].to_numpy().tolist(),
            hovertemplate=f"<b>%{{customdata[0]}}</b><br>{not_classified}<extra></extra>",
            name=not_classified,
        )
    )
    fig.add_trace(
        go.Choropleth(
            geojson=geojson_url,
            locations=shown["area_code"].tolist(),
            z=[codes.index(c) + 0.5 for c in shown["status_class"]],
            zmin=0,
            zmax=n,
            colorscale=scale,
            marker={"line": {"color": "#FFFFFF", "width": 0.4}},
            colorbar={
                "title": {"text": t("screening.figure.hover.index", lang), "side": "top"},
                "tickvals": [i + 0.5 for i in range(n)],
                "ticktext": [class_label(c, lang, config) for c in codes],
                "thickness": 14,
                "len": 0.6,
                "x": 1.0,
                "xanchor": "left",
            },
            customdata=_hover_rows(shown, config, lang),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
                f"{t('screening.figure.hover.index', lang)}: %{{customdata[2]}}<br>"
                f"{t('screening.figure.hover.dynamic', lang)}: %{{customdata[3]}}<br>"
                f"{t('screening.figure.hover.population', lang)}: %{{customdata[4]}}<br>"
                f"{t('screening.figure.hover.drivers', lang)}: %{{customdata[5]}}<extra></extra>"
            ),
            name=t("screening.figure.hover.index", lang),
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
                name=t("screening.figure.map.outline", lang),
            )
        )
    proposed = units.loc[units["proposed"], "area_code"].tolist()
    if proposed:
        fig.add_trace(
            go.Choropleth(
                geojson=geojson_url,
                locations=proposed,
                z=[0] * len(proposed),
                colorscale=TRANSPARENT_SCALE,
                showscale=False,
                marker={"line": {"color": PROPOSED_LINE, "width": 2.0}},
                hoverinfo="skip",
                name=t("screening.figure.map.proposed", lang),
            )
        )
    fig.update_layout(
        separators=PLOTLY_SEPARATORS[lang],
        font={"family": FONT, "size": 13, "color": "#1B1B1B"},
        paper_bgcolor="rgba(0,0,0,0)",
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=600,
        dragmode=False,
        uirevision=level,
        meta={"level": level, "year": int(year)},
        geo=geo_frame(bounds),
    )
    return fig


def _hover_rows(units: pd.DataFrame, config: sc.ScreeningConfig, lang: str) -> list[list[str]]:
    rows = []
    for r in units.itertuples(index=False):
        drivers = [
            f"{criterion_short(getattr(r, f'driver_{i}'), lang)} "
            f"({format_number(getattr(r, f'driver_{i}_z'), 1, lang, signed=True)})"
            for i in range(1, config.drivers + 1)
            if getattr(r, f"driver_{i}")
        ]
        rows.append(
            [
                str(r.area_name or r.area_code),
                class_label(r.status_class, lang, config),
                format_number(r.status_index, 2, lang, signed=True),
                class_label(r.dynamic_class, lang, config)
                if isinstance(r.dynamic_class, str) and r.dynamic_class != sc.NOT_CLASSIFIED
                else "–",
                format_number(r.population, 0, lang),
                ", ".join(drivers) or "–",
            ]
        )
    return rows


def matrix_figure(
    units: pd.DataFrame, config: sc.ScreeningConfig, *, lang: str, level: str
) -> go.Figure:
    """Status index (x) against dynamic index (y), the class limits as dashed lines, each
    dot coloured by status class and named on hover."""
    lang = normalise_lang(lang)
    classified = units[units["classified"]]
    index_label = t("screening.figure.hover.index", lang)
    dynamic_label = t("screening.figure.hover.dynamic", lang)
    fig = go.Figure()
    for band in config.status_classes:
        part = classified[classified["status_class"] == band.code]
        fig.add_trace(
            go.Scatter(
                x=part["status_index"].round(3),
                y=part["dynamic_index"].round(3),
                mode="markers",
                marker={
                    "color": STATUS_COLOURS.get(band.code, "#888"),
                    "size": np.clip(np.sqrt(part["population"].fillna(0)) / 6, 5, 22),
                    "line": {"color": "#444", "width": 0.6},
                },
                customdata=part[["area_name"]].fillna("").to_numpy().tolist(),
                hovertemplate=(
                    "<b>%{customdata[0]}</b><br>"
                    f"{index_label}: %{{x:+.2f}}<br>"
                    f"{dynamic_label}: %{{y:+.2f}}<extra>{band.label(lang)}</extra>"
                ),
                name=band.label(lang),
            )
        )
    for band in config.status_classes[:-1]:
        fig.add_vline(x=band.upper, line={"color": "#888", "dash": "dash", "width": 1})
    for band in config.dynamic_classes[:-1]:
        fig.add_hline(y=band.upper, line={"color": "#888", "dash": "dash", "width": 1})
    fig.update_layout(
        separators=PLOTLY_SEPARATORS[lang],
        font={"family": FONT, "size": 13, "color": "#1B1B1B"},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        height=440,
        margin={"l": 60, "r": 10, "t": 10, "b": 50},
        xaxis={
            "title": t("screening.figure.hover.index", lang),
            "zeroline": False,
            "gridcolor": "#EEE",
        },
        yaxis={
            "title": t("screening.figure.hover.dynamic", lang),
            "zeroline": False,
            "gridcolor": "#EEE",
        },
        legend={"orientation": "h", "y": -0.2},
        meta={"level": level},
    )
    return fig
