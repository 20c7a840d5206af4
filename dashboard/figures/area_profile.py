"""The Områdeprofil page's small multiples: every criterion for one area over time."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.common import AREA_LINE, CITY_LINE, REST_LINE, base_layout
from dashboard.i18n import format_value, normalise_lang, t
from indicators.registry import Indicator


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
        **base_layout(
            lang,
            height=300 * rows + 80,
            margin={"l": 48, "r": 16, "t": 64, "b": 40},
            hovermode="x unified",
            legend={"orientation": "h", "y": -0.08, "x": 0, "yanchor": "top"},
        )
    )
    return fig
