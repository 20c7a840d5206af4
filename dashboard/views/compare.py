"""Sammenlign: 2-8 areas of any level, or every area of one level, on one criterion.

Layout and callback bodies for ``dashboard/pages/compare.py``; the figure is in
``dashboard/figures/compare.py``. Every number is the published (disclosure-controlled)
comparison of ``dashboard.data.comparison``: a suppressed cell is shown as suppressed and
downloaded empty with its flag, never estimated. The table ranks the areas by the
criterion's polarity (rank 1 = best); the chart draws each area with its own rest of the
city (the city without that area) dashed in the same colour.

URL: ``omraader`` (codes, comma-separated) or ``niveau`` (every area of a level),
``kriterium``, ``aar``, ``basisaar``, ``sortering``, ``omvendt``, ``lang``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import area_index, components, data, urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures.common import direction_colour
from dashboard.figures.compare import compare_figure
from dashboard.i18n import format_difference, format_value, level_name, t
from indicators.registry import Indicator

PATH = "/sammenlign"
NAV_KEY = "nav.compare"
LEVELS = ("udsat_byomraade", "bydel", "lokaludvalg", "kvarter", "rode", "boligomraade")
MIN_AREAS = 2
MAX_AREAS = 8
SORT_KEYS = ("rank", "value", "gap", "change", "name")
TABLE_FILE = "keob-sammenligning-{criterion}-{year}.csv"
SERIES_FILE = "keob-sammenligning-serier-{criterion}.csv"

# Component ids (this page only).
AREAS = "cmp-areas"
ALL_LEVEL = "cmp-all-level"
CRITERION = "cmp-criterion"
YEAR = "cmp-year"
BASELINE = "cmp-baseline"
SORT = "cmp-sort"
REVERSE = "cmp-reverse"
NOTE = "cmp-note"
DEMO = "cmp-demo"
TABLE = "cmp-table"
GRAPH = "cmp-graph"
CAPTION = "cmp-caption"
TABLE_BUTTON = "cmp-table-download-button"
TABLE_DOWNLOAD = "cmp-table-download"
SERIES_BUTTON = "cmp-series-download-button"
SERIES_DOWNLOAD = "cmp-series-download"

#: Columns of the table download, in the order the table shows them.
TABLE_COLUMNS = [
    "rank",
    "area_code",
    "area_name",
    "level",
    "indicator",
    "year",
    "value",
    "suppressed",
    "rest_value",
    "rest_suppressed",
    "gap",
    "direction",
    "baseline_year",
    "baseline_value",
    "baseline_suppressed",
    "change",
    "change_direction",
    "synthetic",
]
SERIES_COLUMNS = [
    "area_code",
    "area_name",
    "level",
    "indicator",
    "year",
    "value",
    "suppressed",
    "rest_value",
    "rest_suppressed",
    "city_value",
    "synthetic",
]


@dataclass(frozen=True)
class Selection:
    areas: tuple[str, ...]
    #: The level when every area of it is compared, else None.
    all_level: str | None
    criterion: str
    year: int
    baseline: int
    sort: str
    reverse: bool
    #: More than MAX_AREAS codes were asked for (the rest are left out).
    truncated: bool = False


# ----------------------------------------------------------------------------- reads


def levels_with_data() -> tuple[str, ...]:
    """The comparable levels that have published values (boligområder only once loaded)."""
    return tuple(dict.fromkeys(area_index.area_table(LEVELS)["level"]))


def area_table() -> pd.DataFrame:
    return area_index.area_table(LEVELS)


def area_options(lang: str) -> list[dict]:
    return area_index.area_options(lang, LEVELS)


def default_areas() -> tuple[str, ...]:
    """The udsatte byområder one by one: the administrations' first comparison."""
    known = set(area_table()["code"])
    return tuple(c for c in data.udsatte_codes() if c in known)[:MAX_AREAS]


def series(codes: tuple[str, ...], criterion: str) -> pd.DataFrame:
    """The published rows of ``codes`` for ``criterion``, every year."""
    table = area_table()
    levels = table[table["code"].isin(codes)]["level"].unique()
    parts = []
    for level in levels:
        frame = data.comparison(level)
        parts.append(frame[(frame["indicator"] == criterion) & frame["area_code"].isin(codes)])
    if not parts:
        return pd.DataFrame(columns=[*SERIES_COLUMNS, "gap", "direction"])
    out = pd.concat(parts, ignore_index=True)
    order = {c: i for i, c in enumerate(codes)}
    return out.assign(_o=out["area_code"].map(order)).sort_values(["_o", "year"]).drop(columns="_o")


# ----------------------------------------------------------------------------- selection


def selection(
    omraader: object = None,
    niveau: object = None,
    kriterium: object = None,
    aar: object = None,
    basisaar: object = None,
    sortering: object = None,
    omvendt: object = None,
) -> Selection:
    """A valid selection from URL or control values; nonsense falls back to defaults."""
    table = area_table()
    levels = levels_with_data()
    all_level = niveau if niveau in levels else None
    truncated = False
    if all_level:
        codes = tuple(table.loc[table["level"] == all_level, "code"])
    else:
        known = set(table["code"])
        asked = list(dict.fromkeys(c for c in urlstate.as_list(omraader) if c in known))
        truncated = len(asked) > MAX_AREAS
        codes = tuple(asked[:MAX_AREAS]) or default_areas()
    year = data.year_or_latest(aar)
    baseline = data.baseline_or_default(basisaar)
    sort = sortering if sortering in SORT_KEYS else SORT_KEYS[0]
    # The URL says omvendt=1; the checklist gives ["1"] or [].
    reverse = bool(omvendt) if isinstance(omvendt, list) else str(omvendt) in {"1", "true"}
    return Selection(
        areas=codes,
        all_level=all_level,
        criterion=data.criterion_or_default(kriterium),
        year=year,
        baseline=baseline,
        sort=str(sort),
        reverse=reverse,
        truncated=truncated,
    )


def search_of(sel: Selection, search: str | None) -> str:
    """The query string of a selection (what the page writes back into the URL)."""
    return urlstate.updated(
        search,
        omraader=None if sel.all_level else list(sel.areas),
        niveau=sel.all_level,
        kriterium=sel.criterion,
        aar=sel.year,
        basisaar=sel.baseline,
        sortering=None if sel.sort == SORT_KEYS[0] else sel.sort,
        omvendt=1 if sel.reverse else None,
    )


# ----------------------------------------------------------------------------- the ranking


def _rank(values: pd.Series, polarity: int) -> pd.Series:
    """1 = best by polarity; missing values get no rank."""
    if polarity == 0:
        return pd.Series(np.nan, index=values.index)
    return (values * -polarity).rank(method="min", na_option="keep")


def table_frame(sel: Selection) -> pd.DataFrame:
    """One row per area, as the table shows it (TABLE_COLUMNS), sorted by the selection."""
    indicator = data.indicator(sel.criterion)
    rows = series(sel.areas, sel.criterion)
    names = area_table().set_index("code")
    frame = pd.DataFrame({"area_code": list(sel.areas)})
    frame["area_name"] = frame["area_code"].map(names["name"])
    frame["level"] = frame["area_code"].map(names["level"])
    now = rows[rows["year"] == sel.year].set_index("area_code")
    base = rows[rows["year"] == sel.baseline].set_index("area_code")
    frame["indicator"] = sel.criterion
    frame["year"] = sel.year
    for column in ("value", "rest_value", "gap"):
        frame[column] = frame["area_code"].map(now[column]) if column in now else np.nan
    for flag in ("suppressed", "rest_suppressed"):
        frame[flag] = frame["area_code"].map(now[flag]).fillna(False).astype(bool)
    frame["direction"] = frame["area_code"].map(now["direction"]).fillna(0).astype(int)
    frame["baseline_year"] = sel.baseline
    frame["baseline_value"] = frame["area_code"].map(base["value"]) if "value" in base else np.nan
    frame["baseline_suppressed"] = (
        frame["area_code"].map(base["suppressed"]).fillna(False).astype(bool)
    )
    frame["change"] = frame["value"] - frame["baseline_value"]
    frame["change_direction"] = np.sign(frame["change"] * indicator.polarity).fillna(0).astype(int)
    synthetic = rows[rows["year"].isin([sel.year, sel.baseline])].groupby("area_code")["synthetic"]
    frame["synthetic"] = frame["area_code"].map(synthetic.any()).fillna(False).astype(bool)
    frame["rank"] = _rank(frame["value"], indicator.polarity).astype("Int64")
    return sort_frame(frame, sel, indicator)[TABLE_COLUMNS].reset_index(drop=True)


def sort_frame(frame: pd.DataFrame, sel: Selection, indicator: Indicator) -> pd.DataFrame:
    """Sorted by the chosen column; rows without a value always last."""
    if sel.sort == "name":
        key = frame["area_name"].str.casefold()
        ascending = not sel.reverse
    elif sel.sort == "rank":
        key, ascending = frame["rank"], not sel.reverse
    else:
        key, ascending = frame[sel.sort], sel.reverse
    ordered = frame.assign(_missing=key.isna(), _key=key)
    ordered = ordered.sort_values(
        ["_missing", "_key", "area_name"], ascending=[True, ascending, True], kind="mergesort"
    )
    return ordered.drop(columns=["_missing", "_key"])


def _word(direction: int, lang: str) -> str:
    key = "better" if direction > 0 else "worse" if direction < 0 else "same"
    return t(f"direction.{key}", lang)


def _judged(text: str, direction: int, lang: str) -> html.Span:
    """A difference with its word: colour is never the only cue."""
    return html.Span(
        f"{text} ({_word(direction, lang)})",
        className="gap-cell",
        style={"color": direction_colour(direction)},
    )


def ranking_table(frame: pd.DataFrame, sel: Selection, lang: str) -> html.Table:
    indicator = data.indicator(sel.criterion)
    unit, decimals = indicator.unit, indicator.decimals
    suppressed = t("compare.suppressed", lang)

    def value_cell(value: float, is_suppressed: bool) -> str:
        if is_suppressed:
            return suppressed
        return format_value(value, unit, decimals, lang)

    mixed = frame["level"].nunique() > 1
    rows = []
    for r in frame.to_dict("records"):
        name = html.Span(
            [
                dcc.Link(r["area_name"], href=urlstate.href(f"/omraade/{r['area_code']}", lang)),
                # The level only when the table mixes levels (names repeat across levels).
                html.Span(level_name(r["level"], lang), className="level-tag") if mixed else "",
            ]
        )
        gap = (
            _judged(format_difference(r["gap"], unit, decimals, lang), r["direction"], lang)
            if pd.notna(r["gap"])
            else "–"
        )
        change = (
            _judged(
                format_difference(r["change"], unit, decimals, lang), r["change_direction"], lang
            )
            if pd.notna(r["change"])
            else suppressed
            if r["suppressed"] or r["baseline_suppressed"]
            else "–"
        )
        rows.append(
            [
                str(int(r["rank"])) if pd.notna(r["rank"]) else "–",
                name,
                value_cell(r["value"], r["suppressed"]),
                value_cell(r["rest_value"], r["rest_suppressed"]),
                gap,
                value_cell(r["baseline_value"], r["baseline_suppressed"]),
                change,
            ]
        )
    columns = {
        "rank": t("compare.col.rank", lang),
        "name": t("common.area", lang),
        "value": t("compare.col.value", lang, year=sel.year),
        "rest": t("compare.col.rest", lang, year=sel.year),
        "gap": t("common.gap", lang),
        "base": t("compare.col.value", lang, year=sel.baseline),
        "change": t("compare.col.change", lang, year=sel.baseline),
    }
    order = "descending" if sel.reverse else "ascending"
    head = html.Thead(
        html.Tr(
            [
                html.Th(
                    label,
                    scope="col",
                    className=None if key == "name" else "num",
                    **({"aria-sort": order} if key == sel.sort else {}),
                )
                for key, label in columns.items()
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [html.Td(cell, className=None if i == 1 else "num") for i, cell in enumerate(row)]
            )
            for row in rows
        ]
    )
    caption = t(
        "compare.table.caption",
        lang,
        criterion=indicator.name(lang),
        year=sel.year,
        sort=t(f"compare.sort.{sel.sort}", lang).lower(),
    )
    return html.Table([html.Caption(caption), head, body], className="data-table")


# ----------------------------------------------------------------------------- pieces


def note(sel: Selection, lang: str) -> str:
    if sel.all_level:
        return t(
            "compare.note.all",
            lang,
            n=len(sel.areas),
            level=level_name(sel.all_level, lang, plural=True).lower(),
        )
    if sel.truncated:
        return t("compare.note.truncated", lang, max=MAX_AREAS)
    if len(sel.areas) < MIN_AREAS:
        return t("compare.note.too_few", lang, min=MIN_AREAS)
    return t("compare.note.selected", lang, n=len(sel.areas))


def series_frame(sel: Selection) -> pd.DataFrame:
    """The chart's data as downloaded (SERIES_COLUMNS)."""
    rows = series(sel.areas, sel.criterion)
    if rows.empty:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    return rows[SERIES_COLUMNS].reset_index(drop=True)


def pieces(sel: Selection, lang: str):  # type: ignore[no-untyped-def]
    """Note, table, figure, caption and synthetic years of one selection."""
    indicator = data.indicator(sel.criterion)
    rows = series(sel.areas, sel.criterion)
    names = area_table().set_index("code")["name"].to_dict()
    fig = compare_figure(
        rows,
        indicator,
        [(code, names.get(code, code)) for code in sel.areas],
        lang=lang,
        many=sel.all_level is not None,
        baseline=sel.baseline,
        year=sel.year,
    )
    caption = t(
        "compare.figure.caption_all" if sel.all_level else "compare.figure.caption",
        lang,
        criterion=indicator.name(lang),
        n=len(sel.areas),
    )
    shown = rows[rows["area_code"].isin(sel.areas)]
    return (
        note(sel, lang),
        ranking_table(table_frame(sel), sel, lang),
        fig,
        caption,
        data.synthetic_years(shown),
    )


# ----------------------------------------------------------------------------- layout


def layout(
    lang: str = "da",
    omraader: object = None,
    niveau: object = None,
    kriterium: object = None,
    aar: object = None,
    basisaar: object = None,
    sortering: object = None,
    omvendt: object = None,
    **_: object,
) -> html.Div:
    sel = selection(omraader, niveau, kriterium, aar, basisaar, sortering, omvendt)
    head, table, fig, caption, synthetic = pieces(sel, lang)
    years = data.years()
    year_options = [{"label": str(y), "value": y} for y in reversed(years)]
    controls = html.Div(
        [
            components.control(
                t("compare.areas", lang),
                dcc.Dropdown(
                    id=AREAS,
                    options=area_options(lang),
                    value=[] if sel.all_level else list(sel.areas),
                    multi=True,
                    disabled=sel.all_level is not None,
                    placeholder=t("compare.areas_placeholder", lang, max=MAX_AREAS),
                ),
                AREAS,
            ),
            components.control(
                t("compare.all_level", lang),
                dcc.Dropdown(
                    id=ALL_LEVEL,
                    options=[
                        {"label": level_name(lv, lang, plural=True), "value": lv}
                        for lv in levels_with_data()
                    ],
                    value=sel.all_level,
                    clearable=True,
                    searchable=False,
                    placeholder=t("compare.all_level_none", lang),
                ),
                ALL_LEVEL,
            ),
            components.control(
                t("common.criterion", lang),
                dcc.Dropdown(
                    id=CRITERION,
                    options=[
                        {"label": ind.name(lang), "value": code}
                        for code, ind in data.criteria_by_code().items()
                    ],
                    value=sel.criterion,
                    clearable=False,
                ),
                CRITERION,
            ),
            components.control(
                t("common.year", lang),
                dcc.Dropdown(
                    id=YEAR, options=year_options, value=sel.year, clearable=False, searchable=False
                ),
                YEAR,
            ),
            components.control(
                t("compare.baseline", lang),
                dcc.Dropdown(
                    id=BASELINE,
                    options=year_options,
                    value=sel.baseline,
                    clearable=False,
                    searchable=False,
                ),
                BASELINE,
            ),
            components.control(
                t("compare.sort", lang),
                dcc.Dropdown(
                    id=SORT,
                    options=[
                        {"label": t(f"compare.sort.{key}", lang), "value": key} for key in SORT_KEYS
                    ],
                    value=sel.sort,
                    clearable=False,
                    searchable=False,
                ),
                SORT,
            ),
            html.Div(
                dcc.Checklist(
                    id=REVERSE,
                    options=[{"label": t("compare.reverse", lang), "value": "1"}],
                    value=["1"] if sel.reverse else [],
                ),
                className="control",
            ),
        ],
        className="controls controls-compare",
    )
    return html.Div(
        [
            *components.page_title(t("compare.title", lang), t("compare.intro", lang)),
            controls,
            html.P(head, id=NOTE, className="note", role="status"),
            components.demo_banner(lang, synthetic, DEMO),
            html.Section(
                [
                    html.H2(t("compare.table.title", lang)),
                    html.Div(table, id=TABLE, className="table-wrap table-scroll"),
                ]
            ),
            html.Section(
                [
                    html.H2(t("compare.figure.title", lang)),
                    components.figure(components.graph(GRAPH, fig), caption, CAPTION),
                    html.P(t("compare.rest_note", lang), className="note"),
                ]
            ),
            html.Div(
                [
                    html.Button(
                        t("compare.download.table", lang), id=TABLE_BUTTON, className="button"
                    ),
                    dcc.Download(id=TABLE_DOWNLOAD),
                    html.Button(
                        t("compare.download.series", lang), id=SERIES_BUTTON, className="button"
                    ),
                    dcc.Download(id=SERIES_DOWNLOAD),
                ],
                className="downloads",
            ),
        ]
    )


# ----------------------------------------------------------------------------- callbacks


def update(  # type: ignore[no-untyped-def]
    areas: object,
    all_level: object,
    criterion: object,
    year: object,
    baseline: object,
    sort: object,
    reverse: object,
    search: str | None,
):
    """Any control: the note, table, figure, caption, demo banner and URL."""
    lang = urlstate.lang_of(search)
    sel = selection(areas, all_level, criterion, year, baseline, sort, reverse or [])
    if sel == urlstate.from_url(search, selection):
        raise PreventUpdate  # Dash calls this when it inserts the page, built from this URL
    head, table, fig, caption, synthetic = pieces(sel, lang)
    banner = components.demo_banner(lang, synthetic)
    return (
        head,
        table,
        fig,
        caption,
        not synthetic,
        banner.children,
        sel.all_level is not None,
        search_of(sel, search),
    )


def _chosen(areas, all_level, criterion, year, baseline, sort, reverse) -> Selection:  # type: ignore[no-untyped-def]
    return selection(areas, all_level, criterion, year, baseline, sort, reverse or [])


def download_table(*controls: object):  # type: ignore[no-untyped-def]
    sel = _chosen(*controls)
    if not sel.areas:
        raise PreventUpdate
    name = TABLE_FILE.format(criterion=sel.criterion, year=sel.year)
    return dcc.send_bytes(to_csv_bytes(table_frame(sel)), name)


def download_series(*controls: object):  # type: ignore[no-untyped-def]
    sel = _chosen(*controls)
    if not sel.areas:
        raise PreventUpdate
    name = SERIES_FILE.format(criterion=sel.criterion)
    return dcc.send_bytes(to_csv_bytes(series_frame(sel)), name)
