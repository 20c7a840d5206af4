"""Kort: a choropleth of one criterion and year at rode, kvarter, bydel or lokaludvalg level."""

from __future__ import annotations

import pandas as pd
from dash import dcc, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import components, data, ids, urlstate
from dashboard.figures import area_map as fig_map
from dashboard.i18n import level_name, t

OUTLINE_LEVEL = "udsat_byomraade"
TOPOJSON_URL = "/assets/topojson/"  # a vendored empty topology: plotly fetches no CDN file


def geojson_url(level: str) -> str:
    return f"/geo/{level}.geojson"


def selection(kriterium: object, aar: object, niveau: object) -> tuple[str, int, str]:
    """Validated (criterion, year, level) from URL or control values."""
    level = niveau if niveau in data.MAP_LEVELS else data.MAP_LEVELS[0]
    return data.criterion_or_default(kriterium), data.year_or_latest(aar), str(level)


def map_values(level: str, criterion: str, year: int) -> pd.DataFrame:
    """Every area of ``level`` with its value, denominator and synthetic flag (NaN if none)."""
    areas = data.areas((level,))[["code", "name"]].rename(
        columns={"code": "area_code", "name": "area_name"}
    )
    comparison = data.comparison(level)
    rows = comparison.loc[
        (comparison["indicator"] == criterion) & (comparison["year"] == year),
        ["area_code", "value", "denominator", "synthetic"],
    ]
    out = areas.merge(rows, on="area_code", how="left")
    out["synthetic"] = out["synthetic"].fillna(False).astype(bool)
    return out


def build(criterion: str, year: int, level: str, lang: str):
    """Figure, caption and synthetic years of one selection."""
    indicator = data.indicator(criterion)
    values = map_values(level, criterion, year)
    fig = fig_map.choropleth_figure(
        values,
        indicator,
        lang=lang,
        level=level,
        year=year,
        geojson_url=geojson_url(level),
        outline_url=geojson_url(OUTLINE_LEVEL),
        outline_codes=data.udsatte_codes(),
        bounds=data.level_bounds(level),
    )
    caption = t(
        "map.caption",
        lang,
        criterion=indicator.short(lang).lower(),
        unit=t("unit.in_pct" if indicator.unit == "pct" else "unit.in_count", lang),
        level=level_name(level, lang).lower(),
        year=year,
        n=len(values),
    )
    synthetic = sorted({year} if values["synthetic"].any() else set())
    return fig, caption, synthetic


def _url_params(search: str | None) -> dict:
    params = urlstate.parse(search)
    return {key: params.get(key) for key in ("kriterium", "aar", "niveau")}


def table_link(criterion: str, year: int, level: str, lang: str) -> str:
    return urlstate.href("/data", lang, niveau=level, kriterier=criterion, fra=year, til=year)


def layout(
    lang: str = "da",
    kriterium: object = None,
    aar: object = None,
    niveau: object = None,
    **_: object,
) -> html.Div:
    criterion, year, level = selection(kriterium, aar, niveau)
    fig, caption, synthetic = build(criterion, year, level, lang)
    criteria = data.criteria_by_code()
    controls = html.Div(
        [
            components.control(
                t("common.criterion", lang),
                dcc.Dropdown(
                    id=ids.MAP_CRITERION,
                    options=[
                        {"label": c.name(lang), "value": code} for code, c in criteria.items()
                    ],
                    value=criterion,
                    clearable=False,
                    searchable=False,
                ),
                ids.MAP_CRITERION,
            ),
            components.control(
                t("common.year", lang),
                dcc.Dropdown(
                    id=ids.MAP_YEAR,
                    options=[{"label": str(y), "value": y} for y in reversed(data.years())],
                    value=year,
                    clearable=False,
                    searchable=False,
                ),
                ids.MAP_YEAR,
            ),
            components.control(
                t("common.level", lang),
                dcc.RadioItems(
                    id=ids.MAP_LEVEL,
                    options=[
                        {"label": level_name(lv, lang, plural=True), "value": lv}
                        for lv in data.MAP_LEVELS
                    ],
                    value=level,
                    inline=True,
                    className="radio-inline",
                ),
                ids.MAP_LEVEL,
            ),
        ],
        className="controls",
    )
    return html.Div(
        [
            *components.page_title(t("map.title", lang), t("map.intro", lang)),
            controls,
            components.demo_banner(lang, synthetic, ids.MAP_DEMO),
            components.figure(
                components.graph(ids.MAP_GRAPH, fig, topojsonURL=TOPOJSON_URL),
                caption,
                caption_id=ids.MAP_CAPTION,
            ),
            dcc.Link(
                t("common.show_table", lang),
                href=table_link(criterion, year, level, lang),
                id=ids.MAP_TABLE_LINK,
            ),
        ]
    )


def update(criterion: object, year: object, level: object, search: str | None, level_changed: bool):
    """Callback body: a new selection → figure (a Patch unless the level changed), caption,
    demo banner, table link and URL."""
    lang = urlstate.lang_of(search)
    chosen = selection(criterion, year, level)
    if chosen == selection(**_url_params(search)):
        # Dash also calls this when the page is inserted; the page was built from the URL.
        raise PreventUpdate
    criterion, year, level = chosen
    fig, caption, synthetic = build(criterion, year, level, lang)
    banner = components.demo_banner(lang, synthetic)
    return (
        fig if level_changed else fig_map.map_patch(fig),
        caption,
        not synthetic,
        banner.children,
        table_link(criterion, year, level, lang),
        urlstate.updated(search, kriterium=criterion, aar=year, niveau=level),
    )


def area_from_click(click_data: dict | None, search: str | None) -> str:
    """Callback body: a clicked area → the href of its profile (keeps the language)."""
    points = (click_data or {}).get("points") or []
    code = points[0].get("location") if points else None
    if not code:
        return no_update
    return urlstate.href(f"/omraade/{code}", urlstate.lang_of(search))
