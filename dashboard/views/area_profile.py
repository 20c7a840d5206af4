"""Områdeprofil: the eight criteria over time for one area, the rest of the city and the city."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from dash import dcc, html, no_update

from dashboard import components, data, ids, urlstate
from dashboard.figures.area_profile import profile_figure
from dashboard.figures.common import direction_text_colour
from dashboard.i18n import format_difference, format_value, level_name, t
from indicators import survey as survey_stats
from indicators.registry import load_registry

DEFAULT_AREA = data.ALL_UDSATTE_CODE


@data.memoize_per_version()
def picker_options(lang: str) -> list[dict]:
    """Every area a profile can show, grouped by level in the label."""
    table = data.areas(data.PROFILE_LEVELS)
    order = {lv: i for i, lv in enumerate(data.PROFILE_LEVELS)}
    table = table.assign(_order=table["level"].map(order)).sort_values(["_order", "name"])
    return [
        {"label": f"{row['name']} ({level_name(row['level'], lang).lower()})", "value": row["code"]}
        for row in table.to_dict("records")
    ]


def latest_table(comparison: pd.DataFrame, lang: str) -> html.Table:
    rows = []
    for code, ind in data.criteria_by_code().items():
        part = comparison[(comparison["indicator"] == code)].dropna(subset=["value"])
        if part.empty:
            rows.append([ind.name(lang), "–", "–", "–", "–", "–"])
            continue
        last = part.loc[part["year"].idxmax()]
        direction = int(last["direction"])
        within_noise = ind.is_survey and bool(last.get("gap_within_noise", False))
        if within_noise:
            direction = 0
        word = t(
            "direction.within_noise"
            if within_noise
            else "direction.better"
            if direction > 0
            else "direction.worse"
            if direction < 0
            else "direction.same",
            lang,
        )
        area_value = format_value(last["value"], ind.unit, ind.decimals, lang)
        if ind.is_survey and pd.notna(last.get("ci_low")):
            low = format_value(last["ci_low"], ind.unit, ind.decimals, lang)
            high = format_value(last["ci_high"], ind.unit, ind.decimals, lang)
            n = format_value(last["denominator"], "count", 0, lang)
            area_value = f"{area_value} ({low}–{high}; n = {n})"
        gap = format_difference(last["gap"], ind.unit, ind.decimals, lang)
        rows.append(
            [
                ind.name(lang)
                + (f" ({t('profile.survey_marker', lang)})" if ind.is_survey else ""),
                str(int(last["year"])),
                area_value,
                format_value(last["rest_value"], ind.unit, ind.decimals, lang),
                format_value(last["city_value"], ind.unit, ind.decimals, lang),
                html.Span(
                    f"{gap} ({word})",
                    className="gap-cell",
                    style={"color": direction_text_colour(direction)},
                ),
            ]
        )
    return components.table(
        [
            t("common.criterion", lang),
            t("common.year", lang),
            t("common.area", lang),
            t("common.rest", lang),
            t("common.city", lang),
            t("common.gap", lang),
        ],
        rows,
        caption=t("profile.latest", lang),
        numeric=[False, True, True, True, True, True],
    )


def series_table(comparison: pd.DataFrame, lang: str) -> html.Table:
    """The whole series as a table: the accessible alternative to the small multiples."""
    criteria = data.criteria_by_code()
    ordered = comparison.assign(
        _order=comparison["indicator"].map({c: i for i, c in enumerate(criteria)})
    ).sort_values(["_order", "year"])
    rows = []
    for rec in ordered.to_dict("records"):
        ind = criteria[rec["indicator"]]
        rows.append(
            [
                ind.name(lang),
                str(rec["year"]),
                format_value(rec["value"], ind.unit, ind.decimals, lang),
                format_value(rec["rest_value"], ind.unit, ind.decimals, lang),
                format_value(rec["city_value"], ind.unit, ind.decimals, lang),
                format_difference(rec["gap"], ind.unit, ind.decimals, lang),
                t("demo.badge", lang) if rec["synthetic"] else "",
            ]
        )
    return components.table(
        [
            t("common.criterion", lang),
            t("common.year", lang),
            t("common.area", lang),
            t("common.rest", lang),
            t("common.city", lang),
            t("common.gap", lang),
            "",
        ],
        rows,
        numeric=[False, True, True, True, True, True, False],
    )


#: A section another page contributes to the profile: ``(area_code, lang) -> components``.
RelatedSection = Callable[[str, str], list]


@data.memoize_per_version(maxsize=256)
def body(code: str, area_name: str, lang: str, related: tuple[RelatedSection, ...] = ()) -> list:
    """Everything below the picker: banner, small multiples, notes and tables, then the
    ``related`` sections (the page module composes them; views never import each other)."""
    comparison = data.area_comparison(code)
    registry = load_registry()
    # 95 % intervals for the survey criteria (Wilson for levels, Newcombe for the gap).
    with_noise = survey_stats.add_gap_noise(
        survey_stats.add_intervals(comparison, registry), registry
    )
    criteria = list(data.criteria_by_code().values())
    years = sorted(comparison["year"].unique())
    fig = profile_figure(comparison, criteria, lang=lang, area_name=area_name)
    caption = t(
        "profile.caption",
        lang,
        area=area_name,
        first=years[0] if years else "–",
        last=years[-1] if years else "–",
    )
    survey = [c.name(lang) for c in criteria if c.is_survey]
    return [
        components.demo_banner(lang, data.synthetic_years(comparison)),
        components.figure(components.graph(ids.PROFILE_GRAPH, fig), caption),
        html.P(
            [html.Strong(", ".join(survey) + ": "), t("common.survey_note", lang)],
            className="note",
        ),
        latest_table(with_noise, lang),
        html.P(t("profile.ci_note", lang), className="note"),
        html.Details(
            [html.Summary(t("profile.series_table", lang)), series_table(comparison, lang)],
            className="details",
        ),
        *(piece for section in related for piece in section(code, lang)),
    ]


def unknown_area_help(code: str, lang: str) -> list:
    """What was asked, and the ways on: the picker above, the levels on the map, the
    udsatte byområder together and the overview."""
    links = (
        [
            dcc.Link(
                t("profile.unknown.all_udsatte", lang),
                href=urlstate.href(f"/omraade/{DEFAULT_AREA}", lang),
            )
        ]
        + [
            dcc.Link(
                t(
                    "profile.unknown.level_map",
                    lang,
                    level=level_name(level, lang, plural=True).lower(),
                ),
                href=urlstate.href("/kort", lang, niveau=level),
            )
            for level in data.MAP_LEVELS
        ]
        + [dcc.Link(t("profile.unknown.overview", lang), href=urlstate.href("/", lang))]
    )
    return [
        html.P(t("profile.unknown_area", lang, code=code), className="notice", role="status"),
        html.P(t("profile.unknown.help", lang)),
        html.Ul([html.Li(link) for link in links], className="link-list"),
    ]


def layout(
    lang: str = "da",
    area_code: str | None = None,
    related: tuple[RelatedSection, ...] = (),
    **_: object,
) -> html.Div:
    code = area_code or DEFAULT_AREA
    area = data.area_row(code)
    known = area is not None and area["level"] in data.PROFILE_LEVELS
    picker = html.Div(
        components.control(
            t("profile.picker", lang),
            dcc.Dropdown(
                id=ids.PROFILE_PICKER,
                options=picker_options(lang),
                value=code if known else None,
                clearable=False,
            ),
            ids.PROFILE_PICKER,
        ),
        className="controls",
    )
    if not known:
        return html.Div(
            [
                *components.page_title(t("profile.title", lang)),
                picker,
                *unknown_area_help(code, lang),
            ]
        )
    level_tag = html.Span(level_name(area["level"], lang), className="level-tag")
    return html.Div(
        [
            html.H1([area["name"], level_tag]),
            html.P(t("profile.intro", lang), className="intro"),
            picker,
            components.print_bar(lang, data.years()[-1] if data.years() else None),
            *body(code, area["name"], lang, related),
        ]
    )


def navigate(code: str | None, search: str | None, current_path: str | None) -> str:
    """Callback body: a picked area → the href of its profile (keeps the language)."""
    if not code or current_path == f"/omraade/{code}":
        return no_update
    return urlstate.href(f"/omraade/{code}", urlstate.lang_of(search))
