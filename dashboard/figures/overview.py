"""The Overblik page's small trend charts: one area against the rest of the city."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import AREA_LINE, REST_LINE, base_layout
from dashboard.i18n import format_value, normalise_lang, t
from indicators.registry import Indicator


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
        **base_layout(
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
