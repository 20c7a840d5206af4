"""Pure figure builders for the Statslister page: classified frames in, Plotly figures out.

Colour is never the only cue: every cell of the history chart carries a letter, and the
criterion bars say "opfyldt" / "tæt på" in their labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.figures.common import BETTER, FONT, NEUTRAL, WORSE
from dashboard.i18n import PLOTLY_SEPARATORS, format_number, normalise_lang, t
from indicators import state_lists as sl

#: Display order of the history chart (low to high) with colour and a one-letter mark.
LEVELS: tuple[tuple[str, str, str], ...] = (
    ("ikke_omfattet", "#D9D9D9", "–"),
    ("ingen", "#F7F7F7", ""),
    ("forebyggelse", "#FDD49E", "F"),
    ("udsat", "#FC8D59", "U"),
    ("ghetto", "#D7301F", "G"),
    ("parallelsamfund", "#D7301F", "P"),
    ("omdannelse", "#7F0000", "O"),
)
LEVEL_INDEX = {name: i for i, (name, _, _) in enumerate(LEVELS)}
RISK_MARK = "!"
#: A year after the area left the omdannelse list, still under its development plan.
PLAN_MARK = "*"

CRITERION_LABELS_EN = {
    "outside_labour": "Outside work and education",
    "convicted": "Convicted",
    "basic_education": "Basic schooling only",
    "income": "Income against the region",
    "non_western": "Non-western origin",
}
CATEGORY_LABELS_EN = {
    "omdannelse": "Transformation area",
    "parallelsamfund": "Parallel society",
    "ghetto": "Ghetto area",
    "udsat": "Vulnerable housing area",
    "forebyggelse": "Prevention area",
    "ingen": "On no list",
    "ikke_omfattet": "Not covered (under 1,000 residents)",
}
RISK_LABELS_EN = {
    "none": "No risk",
    "watch": "Watch",
    "high": "At risk",
    "listed": "On a state list",
}


def criterion_label(crit: str, lang: str) -> str:
    return (
        CRITERION_LABELS_EN[crit] if normalise_lang(lang) == "en" else sl.CRITERION_LABELS_DA[crit]
    )


SHORT_LABELS = {
    "da": {
        "outside_labour": "Uden for arbejde",
        "convicted": "Dømte",
        "basic_education": "Grundskole",
        "income": "Indkomst",
        "non_western": "Ikke-vestlige",
    },
    "en": {
        "outside_labour": "Outside work",
        "convicted": "Convicted",
        "basic_education": "Basic school",
        "income": "Income",
        "non_western": "Non-western",
    },
}


def short_label(crit: str, lang: str) -> str:
    """A column header: "Uden for arbejde", "Dømte", "Grundskole", "Indkomst", ..."""
    return SHORT_LABELS[normalise_lang(lang)][crit]


def category_label(category: str, rules_id: str | None, lang: str) -> str:
    if normalise_lang(lang) == "en":
        return CATEGORY_LABELS_EN.get(category, category)
    return sl.category_label(category, rules_id)


def risk_label(level: str, lang: str) -> str:
    labels = RISK_LABELS_EN if normalise_lang(lang) == "en" else sl.RISK_LABELS_DA
    return labels.get(level, level)


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


def _discrete_scale() -> list[list]:
    n = len(LEVELS)
    scale: list[list] = []
    for i, (_, colour, _) in enumerate(LEVELS):
        scale.append([i / n, colour])
        scale.append([(i + 1) / n, colour])
    return scale


def history_figure(classified: pd.DataFrame, names: Mapping[str, str], *, lang: str) -> go.Figure:
    """Boligområder (rows) x list years (columns), coloured and lettered by category.

    A "!" marks a year in which the area was at risk without being on a state list, a
    "*" a year in which a former omdannelsesområde is still under its development plan.
    """
    lang = normalise_lang(lang)
    df = classified.copy()
    df["name"] = df["area_id"].map(lambda a: names.get(a, a))
    # Most listed areas on top: order by the number of listed years, then by name.
    weight = df.groupby("name")["risk_score"].sum().sort_values(kind="stable")
    order = list(weight.index)
    years = sorted(df["year"].unique())
    z = np.full((len(order), len(years)), np.nan)
    text = np.full((len(order), len(years)), "", dtype=object)
    hover = np.full((len(order), len(years)), "", dtype=object)
    pos_row = {n: i for i, n in enumerate(order)}
    pos_col = {y: j for j, y in enumerate(years)}
    letters = {name: mark for name, _, mark in LEVELS}
    for rec in df.itertuples(index=False):
        i, j = pos_row[rec.name], pos_col[rec.year]
        z[i, j] = LEVEL_INDEX[rec.category] + 0.5
        mark = letters[rec.category]
        if rec.risk_level == "high" and rec.category in ("ingen", "ikke_omfattet"):
            mark += RISK_MARK
        plan = bool(getattr(rec, "udviklingsplan", False)) and rec.category != "omdannelse"
        if plan:
            mark += PLAN_MARK
        text[i, j] = mark
        hover[i, j] = (
            f"<b>{rec.name}</b> {rec.year}<br>{category_label(rec.category, rec.rules, lang)}"
            + (f"<br>{t('statslister.figure.plan', lang)}" if plan else "")
            + f"<br>{rec.criteria_met} {t('statslister.figure.criteria_met', lang)}"
            f"<br>{t('statslister.figure.risk', lang)}: {risk_label(rec.risk_level, lang)}"
        )
    fig = go.Figure(
        go.Heatmap(
            x=[str(y) for y in years],
            y=order,
            z=z,
            zmin=0,
            zmax=len(LEVELS),
            colorscale=_discrete_scale(),
            showscale=False,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 12},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    fig.update_layout(
        **_layout(
            lang,
            height=max(260, 34 * len(order) + 90),
            margin={"l": 10, "r": 10, "t": 10, "b": 40},
        )
    )
    fig.update_xaxes(
        title=t("statslister.figure.years", lang), side="bottom", fixedrange=True, type="category"
    )
    fig.update_yaxes(fixedrange=True, automargin=True)
    return fig


def counts_figure(counts: pd.DataFrame, *, lang: str) -> go.Figure:
    """Per list year: boligområder on each list and at risk (``state_lists.counts_per_year``)."""
    lang = normalise_lang(lang)
    df = counts.sort_values("year")
    rules = sl.load_rules()
    defined = {
        name: np.array([name in rules.for_year(int(y)).category_names for y in df["year"]])
        for name in ("udsat", "omdannelse", "forebyggelse")
    }
    series = (
        ("udsat", df["udsat"], LEVELS[3][1], "solid", "circle"),
        ("hard", df["ghetto"] + df["parallelsamfund"], LEVELS[4][1], "solid", "square"),
        ("omdannelse", df["omdannelse"], LEVELS[6][1], "dash", "diamond"),
        ("forebyggelse", df["forebyggelse"], "#E6A03C", "dot", "triangle-up"),
        ("high", df["high"], NEUTRAL, "dashdot", "x"),
    )
    fig = go.Figure()
    for key, values, colour, dash, symbol in series:
        label = t(f"statslister.figure.series.{key}", lang)
        # A list that did not exist in a year is left out, not drawn as 0.
        mask = defined.get(key, np.ones(len(df), dtype=bool))
        y = [int(v) if m else None for v, m in zip(values, mask, strict=True)]
        fig.add_trace(
            go.Scatter(
                x=df["year"].tolist(),
                y=y,
                mode="lines+markers",
                name=label,
                line={"color": colour, "dash": dash, "width": 2.5},
                marker={"symbol": symbol, "size": 8},
                hovertemplate=f"{label} %{{x}}: %{{y}}<extra></extra>",
            )
        )
    fig.update_layout(
        **_layout(
            lang,
            height=360,
            margin={"l": 48, "r": 10, "t": 10, "b": 40},
            legend={"orientation": "h", "y": -0.2},
            hovermode="x unified",
        )
    )
    fig.update_xaxes(tickformat="d", dtick=1, fixedrange=True, showgrid=False)
    fig.update_yaxes(
        title=t("statslister.figure.count_axis", lang),
        rangemode="tozero",
        dtick=1,
        gridcolor="#EEEEEE",
        fixedrange=True,
    )
    return fig


def pressure(rows: pd.DataFrame, crit: str) -> np.ndarray:
    """100 x value / udsat threshold (threshold / value for income): 100 = the threshold."""
    value = rows[sl.CRITERION_COLUMNS[crit]].to_numpy(dtype=float)
    threshold = rows[f"threshold_udsat_{crit}"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        if crit == "income":
            return 100.0 * threshold / value
        return 100.0 * value / threshold


def pressure_figure(rows: pd.DataFrame, criteria: Sequence[str], *, lang: str) -> go.Figure:
    """One area over the years: each criterion against its udsat threshold (100)."""
    lang = normalise_lang(lang)
    df = rows.sort_values("year")
    colours = ("#4B2C83", "#0072B2", "#009E73", "#D55E00", "#6B6B6B")
    dashes = ("solid", "dash", "dot", "dashdot", "longdash")
    fig = go.Figure()
    for k, crit in enumerate(criteria):
        y = pressure(df, crit)
        if not np.isfinite(y).any():
            continue
        label = criterion_label(crit, lang)
        fig.add_trace(
            go.Scatter(
                x=df["year"].tolist(),
                y=np.round(y, 2).tolist(),
                mode="lines+markers",
                name=label,
                line={"color": colours[k % len(colours)], "dash": dashes[k % len(dashes)]},
                hovertemplate=f"{label} %{{x}}: %{{y:.0f}}<extra></extra>",
            )
        )
    fig.add_hline(
        y=100,
        line={"color": WORSE, "width": 2},
        annotation_text=t("statslister.figure.threshold_line", lang),
        annotation_position="top left",
    )
    fig.update_layout(
        **_layout(
            lang,
            height=360,
            margin={"l": 56, "r": 10, "t": 24, "b": 40},
            legend={"orientation": "h", "y": -0.2},
            hovermode="x unified",
        )
    )
    fig.update_xaxes(tickformat="d", dtick=1, fixedrange=True, showgrid=False)
    fig.update_yaxes(
        title=t("statslister.figure.pressure_axis", lang),
        rangemode="tozero",
        gridcolor="#EEEEEE",
        fixedrange=True,
    )
    return fig


def margins_figure(row: pd.Series, criteria: Sequence[str], *, lang: str) -> go.Figure:
    """One area and year: each criterion's value against the udsat and forebyggelse limits.

    One small panel per criterion (their units differ): a bar for the value (orange when
    the criterion is met, grey-blue when close, blue otherwise), a solid line at the udsat
    threshold and a dashed line at the forebyggelse threshold.
    """
    lang = normalise_lang(lang)
    shown = [c for c in criteria if np.isfinite(float(row.get(f"threshold_udsat_{c}", np.nan)))]
    fig = make_subplots(
        rows=max(1, len(shown)),
        cols=1,
        vertical_spacing=0.09,
        subplot_titles=[_panel_title(row, c, lang) for c in shown],
    )
    for i, crit in enumerate(shown, start=1):
        value = float(row[sl.CRITERION_COLUMNS[crit]])
        udsat = float(row[f"threshold_udsat_{crit}"])
        fb = float(row.get(f"threshold_forebyggelse_{crit}", np.nan))
        met = bool(row[f"met_udsat_{crit}"])
        close = bool(row[f"close_{crit}"])
        colour = WORSE if met else ("#7A9CC6" if close else BETTER)
        state = (
            t("statslister.figure.met", lang)
            if met
            else t("statslister.figure.close", lang)
            if close
            else t("statslister.figure.ok", lang)
        )
        top = max(value, udsat, fb if np.isfinite(fb) else 0.0) * 1.15 or 1.0
        fig.add_trace(
            go.Bar(
                x=[value],
                y=[""],
                orientation="h",
                marker={"color": colour},
                text=[f"{format_number(value, 2 if crit == 'convicted' else 1, lang)} % ({state})"],
                textposition="outside" if value < top * 0.7 else "inside",
                hovertemplate="%{text}<extra></extra>",
                showlegend=False,
            ),
            row=i,
            col=1,
        )
        fig.add_vline(x=udsat, line={"color": "#111111", "width": 2.5}, row=i, col=1)
        if np.isfinite(fb):
            fig.add_vline(
                x=fb, line={"color": "#111111", "width": 1.5, "dash": "dash"}, row=i, col=1
            )
        fig.update_xaxes(
            range=[0, top], row=i, col=1, fixedrange=True, ticksuffix=" %", gridcolor="#EEEEEE"
        )
        fig.update_yaxes(fixedrange=True, showticklabels=False, row=i, col=1)
    fig.update_layout(
        **_layout(
            lang,
            height=110 * max(1, len(shown)) + 30,
            margin={"l": 10, "r": 20, "t": 40, "b": 20},
            bargap=0.35,
        )
    )
    fig.update_annotations(font={"size": 12}, xanchor="left", x=0)
    return fig


_OP_WORDS = {
    "da": {">": "over", ">=": "mindst", "<": "under"},
    "en": {">": "over", ">=": "at least", "<": "under"},
}


def _panel_title(row: pd.Series, crit: str, lang: str) -> str:
    """``Dømte: udsat mindst 2,10 % (——); forebyggelse mindst 1,40 % (– –)``."""
    rules = sl.load_rules()
    rs = rules.rule_sets.get(str(row.get("rules")))
    words = _OP_WORDS[normalise_lang(lang)]
    decimals = 2 if crit == "convicted" else 0
    parts = []
    for tset, style in (("udsat", "——"), ("forebyggelse", "– –")):
        value = float(row.get(f"threshold_{tset}_{crit}", np.nan))
        rule = rs.threshold(tset, crit) if rs else None
        if rule is None or not np.isfinite(value):
            continue
        label = t(
            "statslister.figure.udsat_limit" if tset == "udsat" else "statslister.figure.fb_limit",
            lang,
        )
        parts.append(f"{label} {words[rule.op]} {format_number(value, decimals, lang)} % ({style})")
    return f"<b>{criterion_label(crit, lang)}</b>: " + "; ".join(parts)
