"""Pure figure builders for the Fremdrift 2035 page: progress frames in, Plotly figures out.

All charts use the *disadvantage* scale of ``indicators.progress``: the gap to the rest
of the city turned so that up is worse for every criterion; 0 is no gap. The policy sets
no target for the gap, so a target path is drawn only when ``data/gap_targets.yaml``
configures one, and its legend entry says it is an assumption.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.common import AREA_LINE, BETTER, FONT, NEUTRAL, WORSE
from dashboard.i18n import PLOTLY_SEPARATORS, normalise_lang, t
from indicators.registry import Indicator

TARGET_LINE = "#009E73"  # Okabe-Ito green, dotted: an assumed (configured) target path
BAND_FILL = "rgba(75, 44, 131, 0.14)"


def _layout(lang: str, **extra: object) -> dict:
    layout = {
        "separators": PLOTLY_SEPARATORS[normalise_lang(lang)],
        "font": {"family": FONT, "size": 13, "color": "#1B1B1B"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    return layout


def _round(values: pd.Series) -> list:
    return [
        None if not np.isfinite(v) else round(float(v), 4) for v in values.to_numpy(dtype=float)
    ]


def _add_series(
    fig: go.Figure,
    series: pd.DataFrame,
    unit: str,
    lang: str,
    *,
    row: int | None = None,
    col: int | None = None,
    legend: bool = True,
) -> None:
    where = {"row": row, "col": col} if row else {}
    years = series["year"].tolist()
    band = series.dropna(subset=["low", "high"])
    if not band.empty:
        fig.add_trace(
            go.Scatter(
                x=band["year"].tolist() + band["year"].tolist()[::-1],
                y=_round(band["high"]) + _round(band["low"])[::-1],
                fill="toself",
                fillcolor=BAND_FILL,
                line={"width": 0},
                hoverinfo="skip",
                name=t("fremdrift.figure.band", lang),
                showlegend=legend,
                legendgroup="band",
            ),
            **where,
        )
    lines = [
        ("fitted", "projection", {"color": AREA_LINE, "dash": "dash", "width": 1.8}, "lines"),
        ("observed", "observed", {"color": AREA_LINE, "width": 3}, "lines+markers"),
    ]
    # No target path unless one is configured: the policy sets none.
    if series["target"].notna().any():
        target_line = {"color": TARGET_LINE, "dash": "dot", "width": 2.5}
        lines.insert(0, ("target", "target", target_line, "lines"))
    for column, key, line, mode in lines:
        label = t(f"fremdrift.figure.{key}", lang)
        fig.add_trace(
            go.Scatter(
                x=years,
                y=_round(series[column]),
                mode=mode,
                name=label,
                line=line,
                marker={"size": 5},
                showlegend=legend,
                legendgroup=key,
                hovertemplate=f"{label} %{{x}}: %{{y:.1f}} {unit}<extra></extra>",
            ),
            **where,
        )


def projection_figure(
    series: pd.DataFrame, indicator: Indicator, *, lang: str, height: int = 420
) -> go.Figure:
    """One criterion: measured gap, straight-line projection with band, assumed target if any.

    ``series`` is ``indicators.progress.projection_series`` output.
    """
    lang = normalise_lang(lang)
    unit = (
        "pct.-point"
        if indicator.unit == "pct" and lang == "da"
        else "pp"
        if indicator.unit == "pct"
        else ""
    )
    fig = go.Figure()
    _add_series(fig, series, unit, lang)
    fig.add_hline(y=0, line={"color": NEUTRAL, "width": 1})
    fig.update_layout(
        **_layout(
            lang,
            height=height,
            margin={"l": 56, "r": 10, "t": 10, "b": 40},
            legend={"orientation": "h", "y": -0.18},
            hovermode="x unified",
        )
    )
    fig.update_xaxes(tickformat="d", fixedrange=True, showgrid=False)
    fig.update_yaxes(
        title=f"{t('fremdrift.figure.axis', lang)} ({unit})"
        if unit
        else t("fremdrift.figure.axis", lang),
        gridcolor="#EEEEEE",
        fixedrange=True,
        zeroline=False,
    )
    return fig


def progress_grid(
    series_by_code: Mapping[str, pd.DataFrame],
    indicators: Sequence[Indicator],
    statuses: Mapping[str, str],
    *,
    lang: str,
) -> go.Figure:
    """Small multiples (2 x 4): each criterion's gap, projection, band (and assumed target).

    ``statuses`` maps a criterion code to its status label, shown in the panel title with
    a symbol (colour is never the only cue).
    """
    lang = normalise_lang(lang)
    cols = 4
    rows = max(1, -(-len(indicators) // cols))
    titles = [
        f"<b>{ind.name(lang)}</b><br><span style='font-size:11px'>"
        f"{statuses.get(ind.code, '')}</span>"
        for ind in indicators
    ]
    fig = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=0.06, vertical_spacing=0.22
    )
    for pos, ind in enumerate(indicators):
        r, c = divmod(pos, cols)
        series = series_by_code.get(ind.code)
        if series is None or series.empty:
            continue
        unit = "pp" if ind.unit == "pct" else ""
        _add_series(fig, series, unit, lang, row=r + 1, col=c + 1, legend=pos == 0)
        fig.add_hline(y=0, line={"color": NEUTRAL, "width": 1}, row=r + 1, col=c + 1)
    fig.update_layout(
        **_layout(
            lang,
            height=300 * rows + 70,
            margin={"l": 40, "r": 10, "t": 50, "b": 60},
            legend={"orientation": "h", "y": -0.08},
        )
    )
    fig.update_xaxes(tickformat="d", nticks=4, fixedrange=True, showgrid=False)
    fig.update_yaxes(gridcolor="#EEEEEE", fixedrange=True, nticks=5, zeroline=False)
    fig.update_annotations(font={"size": 12})
    return fig


def status_colour(status: str) -> str:
    good = ("on_track", "no_gap", "narrowing")
    return BETTER if status in good else WORSE if status in ("off_track", "widening") else NEUTRAL


def designation_figure(designation: pd.DataFrame, *, lang: str) -> go.Figure:
    """Residents of the designated udsatte byområder per year (bars) and their share (line)."""
    lang = normalise_lang(lang)
    df = designation.sort_values(["vintage", "year"])
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    share_label = t("fremdrift.figure.share", lang)
    for vintage, part in df.groupby("vintage", sort=True):
        name = f"{t('fremdrift.figure.residents', lang)}, {vintage}"
        fig.add_trace(
            go.Bar(
                x=part["year"].tolist(),
                y=part["residents"].tolist(),
                name=name,
                marker={
                    "color": AREA_LINE,
                    "opacity": [1.0 if f else 0.35 for f in part["in_force"]],
                },
                customdata=[
                    ("" if f else " " + t("fremdrift.figure.not_in_force", lang))
                    for f in part["in_force"]
                ],
                hovertemplate=f"{name} %{{x}}: %{{y:,.0f}}%{{customdata}}<extra></extra>",
            ),
            secondary_y=False,
        )
        fig.add_trace(
            go.Scatter(
                x=part["year"].tolist(),
                y=part["share"].round(2).tolist(),
                name=f"{share_label}, {vintage}",
                mode="lines+markers",
                line={"color": "#D55E00", "width": 2},
                hovertemplate=f"{share_label} %{{x}}: %{{y:.1f}} %<extra></extra>",
            ),
            secondary_y=True,
        )
    fig.update_layout(
        **_layout(
            lang,
            height=340,
            margin={"l": 60, "r": 50, "t": 10, "b": 40},
            legend={"orientation": "h", "y": -0.2},
            barmode="group",
        )
    )
    fig.update_xaxes(tickformat="d", fixedrange=True, showgrid=False)
    fig.update_yaxes(
        title=t("fremdrift.figure.residents", lang),
        tickformat=",.0f",
        secondary_y=False,
        rangemode="tozero",
        gridcolor="#EEEEEE",
        fixedrange=True,
    )
    fig.update_yaxes(
        title=t("fremdrift.figure.share", lang),
        tickformat=".0f",
        secondary_y=True,
        rangemode="tozero",
        showgrid=False,
        fixedrange=True,
    )
    return fig
