"""The Indsatser page's figures: funded and unfunded initiatives, and an initiative's areas.

The labels come in from the view, so these stay free of the page's texts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import FONT
from dashboard.i18n import PLOTLY_SEPARATORS, normalise_lang

FUNDED_COLOUR = "#0072B2"  # Okabe-Ito blue
UNFUNDED_COLOUR = "#E69F00"  # Okabe-Ito orange


def funding_figure(
    counts: pd.DataFrame,
    *,
    lang: str,
    goal_label: Callable[[int], str],
    funded_name: str,
    unfunded_name: str,
) -> go.Figure:
    """Horizontal stacked bars: funded and unfunded initiatives per goal and focus area.

    ``counts`` is :func:`indicators.initiatives.funding_counts` output. Bars read top to
    bottom in the plan's order; each bar is labelled "Mål n · focus area".
    """
    lang = normalise_lang(lang)
    rows = counts.iloc[::-1]
    labels = [
        f"{goal_label(g)} · {name}"
        for g, name in zip(rows["goal"], rows["focus_area_name"], strict=True)
    ]
    fig = go.Figure()
    for column, colour, series_name in (
        ("funded", FUNDED_COLOUR, funded_name),
        ("unfunded", UNFUNDED_COLOUR, unfunded_name),
    ):
        values = rows[column].astype(int).tolist()
        fig.add_trace(
            go.Bar(
                y=labels,
                x=values,
                orientation="h",
                name=series_name,
                marker={"color": colour},
                text=[str(v) if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                hovertemplate=f"%{{y}}<br>{series_name}: %{{x}}<extra></extra>",
            )
        )
    most = int(counts["total"].max()) if not counts.empty else 0
    fig.update_layout(
        barmode="stack",
        height=70 + 34 * max(len(rows), 1),
        margin={"l": 10, "r": 10, "t": 10, "b": 30},
        separators=PLOTLY_SEPARATORS[lang],
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        font={
            "family": FONT,
            "size": 13,
            "color": "#1B1B1B",
        },
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top", "traceorder": "normal"},
        xaxis={"dtick": 1, "range": [0, max(most, 1) + 0.5], "gridcolor": "#E6E6E6"},
        yaxis={"automargin": True},
        dragmode=False,
    )
    return fig


def coverage_figure(
    kinds: Mapping[str, str],
    names: Mapping[str, str],
    *,
    kind_names: Mapping[str, str],
    level: str,
    bounds: tuple[float, float, float, float] | None = None,
) -> go.Figure:
    """Areas coloured by how an initiative covers them (one trace per kind: ``none``,
    ``delvis``, ``full``), each kind but ``none`` named on hover by ``kind_names``."""
    fig = go.Figure()
    styles = (
        ("none", "#E6E6E6"),
        ("delvis", "#9ECAE1"),
        ("full", "#08519C"),
    )
    for kind, colour in styles:
        codes = [c for c, k in kinds.items() if k == kind]
        if not codes:
            continue
        fig.add_trace(
            go.Choropleth(
                geojson=f"/geo/{level}.geojson",
                locations=codes,
                z=[0] * len(codes),
                zmin=0,
                zmax=1,
                colorscale=[[0, colour], [1, colour]],
                showscale=False,
                marker={"line": {"color": "#FFFFFF", "width": 0.6}},
                customdata=[[names.get(c, c), kind_names.get(kind, "")] for c in codes],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                name=kind_names.get(kind, ""),
            )
        )
    geo: dict = {"visible": False, "projection": {"type": "mercator"}, "bgcolor": "rgba(0,0,0,0)"}
    if bounds is None:
        geo["fitbounds"] = "locations"
    else:
        west, south, east, north = bounds
        geo.update(
            fitbounds=False,
            lonaxis={"range": [west, east]},
            lataxis={"range": [south, north]},
        )
    fig.update_layout(
        height=420,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        paper_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
        geo=geo,
        showlegend=False,
    )
    return fig
