"""The yearly report's figure: every criterion's gap to the rest of the city, then and now.

A dumbbell per criterion: the gap at the baseline (grey ring) and in the latest year
(filled dot, blue when the udsatte byområder's position improved, orange when it
worsened). Colour is never the only cue: the report's table next to it gives the numbers
and the development in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from dashboard.figures.common import NEUTRAL, base_layout, direction_colour
from dashboard.i18n import t

ROW_HEIGHT = 34


def gap_figure(summaries: Sequence[Any], lang: str) -> go.Figure:
    """``summaries`` are Overblik's ``CriterionSummary`` objects (indicator, gaps, progress)."""
    shown = [s for s in summaries if not math.isnan(s.latest_gap)]
    names = [s.indicator.short(lang) for s in shown]
    fig = go.Figure()
    for s, name in zip(shown, names, strict=True):
        fig.add_trace(
            go.Scatter(
                x=[s.baseline_gap, s.latest_gap],
                y=[name, name],
                mode="lines",
                line={"color": NEUTRAL, "width": 2},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[s.baseline_gap for s in shown],
            y=names,
            mode="markers",
            marker={"symbol": "circle-open", "size": 11, "color": NEUTRAL, "line": {"width": 2}},
            name=t("rapport.figure.baseline", lang),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[s.latest_gap for s in shown],
            y=names,
            mode="markers",
            marker={"size": 12, "color": [direction_colour(s.progress) for s in shown]},
            name=t("rapport.figure.latest", lang),
        )
    )
    fig.add_vline(x=0, line={"color": "#1B1B1B", "width": 1})
    fig.update_layout(
        **base_layout(
            lang,
            height=ROW_HEIGHT * max(len(shown), 1) + 110,
            margin={"l": 10, "r": 10, "t": 10, "b": 60},
            xaxis={"title": {"text": t("rapport.figure.x", lang)}, "zeroline": False},
            yaxis={"autorange": "reversed", "automargin": True},
            legend={"orientation": "h", "y": -0.25, "x": 0},
        )
    )
    return fig
