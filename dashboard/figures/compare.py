"""The Sammenlign page's line chart: one line per area and its rest of the city, dashed.

Colour is never the only cue: each area has its own marker symbol, its name on hover and
in the legend, and the page's table gives every number. Suppressed years are gaps.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.common import CITY_LINE, REST_LINE, base_layout
from dashboard.i18n import format_value, normalise_lang, t
from indicators.registry import Indicator

#: Okabe-Ito (colour-blind safe) plus the app's area purple, for up to eight areas.
AREA_COLOURS = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#4B2C83",
    "#56B4E9",
    "#000000",
)
AREA_SYMBOLS = (
    "circle",
    "square",
    "diamond",
    "triangle-up",
    "x",
    "star",
    "cross",
    "triangle-down",
)
MANY_LINE = "#9AA5B1"


def _values(part: pd.DataFrame, column: str) -> list[float | None]:
    return [None if pd.isna(v) else round(float(v), 6) for v in part[column]]


def _labels(part: pd.DataFrame, column: str, ind: Indicator, lang: str) -> list[str]:
    suppressed = t("compare.suppressed", lang)
    flag = "suppressed" if column == "value" else "rest_suppressed"
    return [
        suppressed if bool(s) else format_value(v, ind.unit, ind.decimals, lang)
        for v, s in zip(part[column], part[flag], strict=True)
    ]


def compare_figure(
    rows: pd.DataFrame,
    indicator: Indicator,
    areas: Sequence[tuple[str, str]],
    *,
    lang: str,
    many: bool,
    baseline: int,
    year: int,
) -> go.Figure:
    """``rows``: published comparison rows of one criterion (``area_code, year, value,
    rest_value, city_value, suppressed, rest_suppressed``); ``areas``: (code, name) in order.

    With ``many`` (every area of a level) each area is a thin grey line and the city is
    drawn dotted instead of a rest of the city per area.
    """
    lang = normalise_lang(lang)
    fig = go.Figure()
    rest_label = t("common.rest", lang)
    for position, (code, name) in enumerate(areas):
        part = rows[rows["area_code"] == code].sort_values("year")
        if part.empty:
            continue
        colour = MANY_LINE if many else AREA_COLOURS[position % len(AREA_COLOURS)]
        fig.add_trace(
            go.Scatter(
                x=part["year"].tolist(),
                y=_values(part, "value"),
                mode="lines" if many else "lines+markers",
                name=name,
                legendgroup=code,
                showlegend=not many,
                connectgaps=False,
                line={"color": colour, "width": 1 if many else 2.5},
                marker={"symbol": AREA_SYMBOLS[position % len(AREA_SYMBOLS)], "size": 7},
                customdata=_labels(part, "value", indicator, lang),
                hovertemplate=f"<b>{name}</b> %{{x}}: %{{customdata}}<extra></extra>",
            )
        )
        if many:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["year"].tolist(),
                y=_values(part, "rest_value"),
                mode="lines",
                name=f"{rest_label} ({name})",
                legendgroup=code,
                connectgaps=False,
                line={"color": colour, "width": 1.5, "dash": "dash"},
                customdata=_labels(part, "rest_value", indicator, lang),
                hovertemplate=(f"{rest_label} ({name}) %{{x}}: %{{customdata}}<extra></extra>"),
            )
        )
    if many and not rows.empty:
        city = rows.drop_duplicates("year").sort_values("year")
        fig.add_trace(
            go.Scatter(
                x=city["year"].tolist(),
                y=_values(city, "city_value"),
                mode="lines",
                name=t("common.city", lang),
                line={"color": REST_LINE, "width": 3, "dash": "dot"},
                customdata=[
                    format_value(v, indicator.unit, indicator.decimals, lang)
                    for v in city["city_value"]
                ],
                hovertemplate=f"{t('common.city', lang)} %{{x}}: %{{customdata}}<extra></extra>",
            )
        )
    for mark, label in ((baseline, t("compare.baseline", lang)), (year, t("common.year", lang))):
        fig.add_vline(x=mark, line={"color": CITY_LINE, "width": 1, "dash": "dot"})
        fig.add_annotation(
            x=mark,
            y=1,
            yref="paper",
            text=f"{label} {mark}",
            showarrow=False,
            yanchor="bottom",
            font={"size": 11, "color": "#555"},
        )
    fig.update_xaxes(showgrid=False, tickformat="d", fixedrange=True)
    fig.update_yaxes(
        gridcolor="#EEEEEE",
        rangemode="tozero",
        fixedrange=True,
        ticksuffix=" %" if indicator.unit == "pct" else "",
        title={"text": indicator.short(lang)},
    )
    fig.update_layout(
        **base_layout(
            lang,
            height=460,
            margin={"l": 56, "r": 16, "t": 36, "b": 40},
            hovermode="closest",
            legend={"orientation": "h", "y": -0.12, "x": 0, "yanchor": "top"},
            meta={"criterion": indicator.code, "areas": [code for code, _ in areas]},
        )
    )
    return fig
