"""Tvillingeområder: for one area, the areas of its level most like it on the criteria.

Layout and callback bodies for ``dashboard/pages/twins.py``. The distance is
``indicators.twins`` (documented in docs/twins.md) over the published
(disclosure-controlled) comparison of the area's level: a suppressed value is missing,
never estimated. Each twin's criteria are marked better or worse than the area's own by the
criterion's polarity, with a symbol and a word (colour is never the only cue).

URL: ``omraade``, ``aar``, ``antal``, ``lang``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import area_index, components, data, urlstate
from dashboard.downloads import to_csv_bytes
from dashboard.figures.common import direction_colour
from dashboard.i18n import format_number, format_value, level_name, t
from indicators import twins as tw

PATH = "/tvillinger"
NAV_KEY = "nav.twins"
#: Levels with more than a handful of areas; boligområder once they have published values.
LEVELS = ("kvarter", "rode", "bydel", "lokaludvalg", "udsat_byomraade", "boligomraade")
COUNTS = (3, 5, 10)
DEFAULT_AREA = "K20903"  # Tingbjerg (kvarter): a level with many candidates
CSV_FILE = "keob-tvillinger-{area}-{year}.csv"

# Component ids (this page only).
AREA = "twn-area"
YEAR = "twn-year"
COUNT = "twn-count"
HEADLINE = "twn-headline"
TABLE = "twn-table"
YEARS_NOTE = "twn-years-note"
DEMO = "twn-demo"
DOWNLOAD_BUTTON = "twn-download-button"
DOWNLOAD = "twn-download"


@dataclass(frozen=True)
class Selection:
    area: str
    level: str
    year: int
    count: int


@dataclass(frozen=True)
class Result:
    matrix: pd.DataFrame
    years_used: dict[str, int | None]
    found: pd.DataFrame
    detail: pd.DataFrame


# ----------------------------------------------------------------------------- reads


def area_table() -> pd.DataFrame:
    """Every area that has twins to look for (not ``ub-alle``, the sum of the others)."""
    table = area_index.area_table(LEVELS)
    return table[table["code"] != data.ALL_UDSATTE_CODE].reset_index(drop=True)


def area_options(lang: str) -> list[dict]:
    return [o for o in area_index.area_options(lang, LEVELS) if o["value"] != data.ALL_UDSATTE_CODE]


@data.memoize_per_version(maxsize=32)
def level_matrix(level: str, year: int) -> tuple[pd.DataFrame, dict[str, int | None]]:
    frame = data.comparison(level)
    frame = frame[frame["area_code"] != data.ALL_UDSATTE_CODE]
    return tw.criterion_matrix(frame, year, list(data.criteria_by_code()))


@data.memoize_per_version(maxsize=64)
def result(area: str, level: str, year: int, count: int) -> Result:
    matrix, used = level_matrix(level, year)
    if area not in matrix.index:  # no published row at all: no twins
        matrix = pd.concat(
            [matrix, pd.DataFrame(index=[area], columns=matrix.columns, dtype=float)]
        )
    found = tw.twins(matrix, area, count)
    polarity = {code: ind.polarity for code, ind in data.criteria_by_code().items()}
    return Result(matrix, used, found, tw.comparison_table(matrix, area, found, polarity))


def selection(omraade: object = None, aar: object = None, antal: object = None) -> Selection:
    table = area_table().set_index("code")
    code = omraade if isinstance(omraade, str) and omraade in table.index else DEFAULT_AREA
    if code not in table.index:
        code = str(table.index[0])
    count = urlstate.as_int(antal)
    return Selection(
        area=code,
        level=str(table.at[code, "level"]),
        year=data.year_or_latest(aar),
        count=count if count in COUNTS else tw.DEFAULT_COUNT,
    )


# ----------------------------------------------------------------------------- pieces


def _judgement(twin_is: object, lang: str) -> html.Span | str:
    if twin_is is None or pd.isna(twin_is):
        return ""
    key = {tw.BETTER: "better", tw.WORSE: "worse"}.get(int(twin_is), "same")
    direction = int(twin_is)
    return html.Span(
        t(f"twins.symbol.{key}", lang),
        className="twin-judgement",
        style={"color": direction_colour(direction)},
    )


def twins_frame(sel: Selection) -> pd.DataFrame:
    """The twins as downloaded: one row per twin and criterion."""
    res = result(sel.area, sel.level, sel.year, sel.count)
    names = area_table().set_index("code")["name"]
    out = res.detail.merge(res.found, on="area_code", how="left")
    out.insert(0, "area", sel.area)
    out.insert(1, "year", sel.year)
    out["twin_name"] = out["area_code"].map(names)
    out["criterion_year"] = out["indicator"].map(res.years_used)
    out = out.rename(columns={"area_code": "twin_code"})
    words = {tw.BETTER: "better", tw.WORSE: "worse", tw.SAME: "same"}
    out["twin_is"] = out["twin_is"].map(lambda v: "" if pd.isna(v) else words[int(v)])
    columns = [
        "area",
        "year",
        "rank",
        "twin_code",
        "twin_name",
        "distance",
        "shared",
        "indicator",
        "criterion_year",
        "own_value",
        "twin_value",
        "twin_is",
    ]
    return out[columns].sort_values(["rank", "indicator"], kind="mergesort").reset_index(drop=True)


def twins_table(sel: Selection, res: Result, lang: str) -> html.Table:
    criteria = data.criteria_by_code()
    names = area_table().set_index("code")["name"]
    own_name = str(names.get(sel.area, sel.area))
    total = len(criteria)
    header = [
        t("twins.col.rank", lang),
        t("twins.col.twin", lang),
        t("twins.col.distance", lang),
        t("twins.col.shared", lang),
        t("twins.col.better", lang),
        *[ind.short(lang) for ind in criteria.values()],
    ]

    def value(code: str, v: float) -> str:
        ind = criteria[code]
        if pd.isna(v):
            return t("compare.suppressed", lang) if res.years_used.get(code) else "–"
        return format_value(v, ind.unit, ind.decimals, lang)

    own = [
        "",
        html.Strong(t("twins.own_row", lang, area=own_name)),
        "0",
        "",
        "",
        *[value(code, res.matrix.at[sel.area, code]) for code in criteria],
    ]
    rows = [own]
    for twin in res.found.itertuples(index=False):
        detail = res.detail[res.detail["area_code"] == twin.area_code].set_index("indicator")
        judged = detail["twin_is"].dropna()
        better = int((judged == tw.BETTER).sum())
        rows.append(
            [
                str(int(twin.rank)),
                dcc.Link(
                    str(names.get(twin.area_code, twin.area_code)),
                    href=urlstate.href(f"/omraade/{twin.area_code}", lang),
                ),
                format_number(twin.distance, 2, lang),
                t("twins.shared", lang, shared=int(twin.shared), total=total),
                t("twins.better_on", lang, better=better, shared=len(judged)),
                *[
                    html.Span(
                        [
                            value(code, detail.at[code, "twin_value"]),
                            html.Br(),
                            _judgement(detail.at[code, "twin_is"], lang),
                        ]
                    )
                    for code in criteria
                ],
            ]
        )
    return components.table(
        header,
        rows,
        caption=t("twins.table.caption", lang, area=own_name),
        numeric=[True, False, True, True, True, *[True] * total],
        class_name="data-table twins-table",
    )


def pieces(sel: Selection, lang: str):  # type: ignore[no-untyped-def]
    """Headline, table, the years-used note and synthetic years."""
    res = result(sel.area, sel.level, sel.year, sel.count)
    names = area_table().set_index("code")["name"]
    area_name = str(names.get(sel.area, sel.area))
    if res.found.empty:
        head = t("twins.none", lang, area=area_name, year=sel.year)
        table: html.Table | html.P = html.P(head, className="note")
    else:
        head = t(
            "twins.headline",
            lang,
            n=len(res.found),
            candidates=len(res.matrix) - 1,
            level=level_name(sel.level, lang, plural=True).lower(),
            area=area_name,
            year=sel.year,
        )
        table = twins_table(sel, res, lang)
    earlier = [
        f"{data.criteria_by_code()[code].short(lang)} {used}"
        for code, used in res.years_used.items()
        if used is not None and used != sel.year
    ]
    years_note = (
        t("twins.years_used", lang, year=sel.year, list=", ".join(earlier)) if earlier else ""
    )
    comparison = data.comparison(sel.level)
    shown = comparison[
        comparison["area_code"].isin([sel.area, *res.found["area_code"]])
        & comparison["year"].isin({y for y in res.years_used.values() if y is not None})
    ]
    return head, table, years_note, data.synthetic_years(shown)


# ----------------------------------------------------------------------------- layout


def layout(
    lang: str = "da", omraade: object = None, aar: object = None, antal: object = None, **_: object
) -> html.Div:
    sel = selection(omraade, aar, antal)
    head, table, years_note, synthetic = pieces(sel, lang)
    controls = html.Div(
        [
            components.control(
                t("twins.area", lang),
                dcc.Dropdown(id=AREA, options=area_options(lang), value=sel.area, clearable=False),
                AREA,
            ),
            components.control(
                t("twins.year", lang),
                dcc.Dropdown(
                    id=YEAR,
                    options=[{"label": str(y), "value": y} for y in reversed(data.years())],
                    value=sel.year,
                    clearable=False,
                    searchable=False,
                ),
                YEAR,
            ),
            components.control(
                t("twins.count", lang),
                dcc.RadioItems(
                    id=COUNT,
                    options=[{"label": str(n), "value": n} for n in COUNTS],
                    value=sel.count,
                    inline=True,
                    className="radio-inline",
                ),
                COUNT,
            ),
        ],
        className="controls",
    )
    return html.Div(
        [
            *components.page_title(t("twins.title", lang), t("twins.intro", lang)),
            controls,
            components.demo_banner(lang, synthetic, DEMO),
            html.P(head, id=HEADLINE, className="headline", role="status"),
            html.Div(table, id=TABLE, className="table-wrap table-scroll"),
            html.P(years_note, id=YEARS_NOTE, className="note"),
            html.Section(
                [
                    html.H2(t("twins.method.title", lang)),
                    html.P(t("twins.method.text", lang, min_shared=tw.DEFAULT_MIN_SHARED)),
                ]
            ),
            html.Div(
                [
                    html.Button(t("twins.download", lang), id=DOWNLOAD_BUTTON, className="button"),
                    dcc.Download(id=DOWNLOAD),
                ],
                className="downloads",
            ),
        ]
    )


# ----------------------------------------------------------------------------- callbacks


def update(area: object, year: object, count: object, search: str | None):  # type: ignore[no-untyped-def]
    lang = urlstate.lang_of(search)
    sel = selection(area, year, count)
    if sel == urlstate.from_url(search, selection):
        raise PreventUpdate  # Dash calls this when it inserts the page, built from this URL
    head, table, years_note, synthetic = pieces(sel, lang)
    banner = components.demo_banner(lang, synthetic)
    return (
        head,
        table,
        years_note,
        not synthetic,
        banner.children,
        urlstate.updated(search, omraade=sel.area, aar=sel.year, antal=sel.count),
    )


def download(area: object, year: object, count: object):  # type: ignore[no-untyped-def]
    sel = selection(area, year, count)
    frame = twins_frame(sel)
    if frame.empty:
        raise PreventUpdate
    return dcc.send_bytes(to_csv_bytes(frame), CSV_FILE.format(area=sel.area, year=sel.year))
