"""Indsatser: the action plan's initiatives, filtered by goal, focus area, administration,
funding and area, with funded/unfunded counts, a coverage map and a CSV download.

Everything here is a plain function (layouts, callback bodies, figures); the decorated
callbacks are in ``dashboard/pages/indsatser.py``. URL parameters (Danish, like the other
pages): ``aargang`` (plan vintage), ``maal`` (1,2), ``fokus`` (focus-area codes),
``forvaltning`` (BIF, …), ``finansiering`` (``finansieret`` / ``ufinansieret``),
``omraade`` (an area code) and ``indsats`` (the initiative shown on the map).

The page's own labels are the ``indsatser.*`` texts of ``dashboard/texts`` (Danish and
English); the initiatives' texts are the plan's Danish text in both languages.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from dash import dcc, html
from dash.exceptions import PreventUpdate

from dashboard import components, data, urlstate
from dashboard.figures import indsatser as fig
from dashboard.i18n import level_name, normalise_lang, t
from indicators import initiatives as ini

# ---------------------------------------------------------------------------------- ids

GOAL = "ini-goal"
FOCUS = "ini-focus"
ADMIN = "ini-admin"
FUNDING = "ini-funding"
AREA = "ini-area"
SUMMARY = "ini-summary"
RESULTS = "ini-results"
COUNT_GRAPH = "ini-count-graph"
COUNT_TABLE = "ini-count-table"
FURTHER = "ini-further"
DOWNLOAD_CSV = "ini-download-csv"
DOWNLOAD_EXCEL = "ini-download-excel"
DOWNLOAD = "ini-download"
MAP_GRAPH = "ini-map"

PATH = "/indsatser"
AREA_LEVELS = ("udsat_byomraade", "bydel", "lokaludvalg", "kvarter", "boligomraade")
MAP_LEVEL = "kvarter"
TOPOJSON_URL = "/assets/topojson/"
CSV_FILE_NAME = "keob-indsatser-{vintage}.csv"
EXCEL_FILE_NAME = "keob-indsatser-{vintage}-excel.csv"
FUNDING_VALUES = ("finansieret", "ufinansieret")

# ---------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class Selection:
    vintage: str | None
    goals: tuple[int, ...]
    focus_areas: tuple[str, ...]
    administrations: tuple[str, ...]
    funded: bool | None
    area: str | None
    initiative: str | None

    def query(self) -> dict[str, object]:
        return {
            "aargang": self.vintage,
            "maal": list(self.goals) or None,
            "fokus": list(self.focus_areas) or None,
            "forvaltning": list(self.administrations) or None,
            "finansiering": None if self.funded is None else FUNDING_VALUES[not self.funded],
            "omraade": self.area,
            "indsats": self.initiative,
        }


def selection(
    aargang: object = None,
    maal: object = None,
    fokus: object = None,
    forvaltning: object = None,
    finansiering: object = None,
    omraade: object = None,
    indsats: object = None,
    *,
    vintages: list[str] | None = None,
    area_codes: set[str] | None = None,
) -> Selection:
    """Validated filters from URL or control values; unknown values are dropped."""
    vintages = vintages if vintages is not None else []
    vintage = aargang if isinstance(aargang, str) and aargang in vintages else None
    goals = tuple(sorted({int(g) for g in urlstate.as_list(maal) if g in ("1", "2")}))
    focus = tuple(f for f in ini.FOCUS_AREAS if f in set(urlstate.as_list(fokus)))
    admins = tuple(a for a in ini.ADMINISTRATIONS if a in set(urlstate.as_list(forvaltning)))
    funded = {"finansieret": True, "ufinansieret": False}.get(str(finansiering))
    area = omraade if isinstance(omraade, str) and omraade else None
    if area is not None and area_codes is not None and area not in area_codes:
        area = None
    initiative = indsats if isinstance(indsats, str) and indsats else None
    return Selection(vintage, goals, focus, admins, funded, area, initiative)


# ---------------------------------------------------------------------------- data


def register(vintage: str | None = None) -> ini.Register | None:
    return data.monitor().initiatives(vintage)


def membership() -> pd.DataFrame:
    return data.monitor().initiative_membership()


def vintages() -> list[str]:
    return data.monitor().initiative_vintages()


def area_options(lang: str) -> list[dict]:
    table = data.areas(AREA_LEVELS)
    order = {lvl: i for i, lvl in enumerate(AREA_LEVELS)}
    table = table.assign(_o=table["level"].map(order)).sort_values(["_o", "name"])
    return [
        {
            "label": f"{row.name} ({level_name(row.level, lang).lower()}, {row.code})",
            "value": row.code,
        }
        for row in table.itertuples(index=False)
    ]


def area_names() -> dict[str, str]:
    table = data.monitor().areas()
    return dict(zip(table["code"], table["name"], strict=True))


def selected(reg: ini.Register, sel: Selection) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The initiatives matching ``sel`` and, with an area, the area's matches."""
    frame = ini.initiatives_frame(reg)
    matches = None
    area_ids = None
    if sel.area:
        matches = ini.initiatives_for_area(reg, sel.area, membership())
        area_ids = matches["id"].tolist()
    frame = ini.filter_initiatives(
        frame,
        goals=sel.goals or None,
        focus_areas=sel.focus_areas or None,
        administrations=sel.administrations or None,
        funded=sel.funded,
        area_ids=area_ids,
    )
    if matches is not None:
        order = {i: n for n, i in enumerate(matches["id"])}
        frame = frame.assign(_o=frame["id"].map(order)).sort_values("_o").drop(columns="_o")
        frame = frame.reset_index(drop=True)
    return frame, matches


# ---------------------------------------------------------------------------- figures


def funding_figure(counts: pd.DataFrame, lang: str) -> go.Figure:
    """The stacked funded/unfunded bars, labelled in ``lang``."""
    return fig.funding_figure(
        counts,
        lang=lang,
        goal_label=lambda n: t("indsatser.goal_n", lang, n=n),
        funded_name=t("indsatser.badge.funded", lang),
        unfunded_name=t("indsatser.badge.unfunded", lang),
    )


def coverage_figure(
    kinds: dict[str, str],
    names: dict[str, str],
    lang: str,
    bounds: tuple[float, float, float, float] | None = None,
) -> go.Figure:
    """The kvarterer an initiative covers, labelled in ``lang``."""
    kind_names = {
        "delvis": t("indsatser.match.delvis", lang),
        "full": t("indsatser.match.inden_for", lang),
    }
    return fig.coverage_figure(kinds, names, kind_names=kind_names, level=MAP_LEVEL, bounds=bounds)


def coverage_kinds(
    initiative: ini.Initiative, codes: list[str], members: pd.DataFrame
) -> dict[str, str]:
    """``full``, ``delvis`` or ``none`` per area code (navngivet/inden_for/kbh → full)."""
    covered = ini.covered_areas(initiative, codes, members)
    out = {}
    for code in codes:
        kind = covered.get(code)
        out[code] = "none" if kind is None else "delvis" if kind == "delvis" else "full"
    return out


# ---------------------------------------------------------------------------- pieces


def counts_block(frame: pd.DataFrame, lang: str) -> tuple[go.Figure, html.Details]:
    counts = ini.funding_counts(frame)
    fig = funding_figure(counts, lang)
    rows = [
        [
            t("indsatser.goal_n", lang, n=r.goal),
            r.focus_area_name,
            str(r.funded),
            str(r.unfunded),
            str(r.total),
        ]
        for r in counts.itertuples(index=False)
    ]
    table = html.Details(
        [
            html.Summary(t("indsatser.counts_table", lang)),
            components.table(
                [
                    t("indsatser.col.goal", lang),
                    t("indsatser.col.focus", lang),
                    t("indsatser.col.funded", lang),
                    t("indsatser.col.unfunded", lang),
                    t("indsatser.col.total", lang),
                ],
                rows,
                numeric=[False, False, True, True, True],
            ),
        ],
        className="details",
    )
    return fig, table


def _paragraphs(text: str) -> list:
    out = []
    for para in text.split("\n\n"):
        lines = [line for line in para.split("\n") if line.strip()]
        bullets = [line for line in lines if line.lstrip().startswith("•")]
        prose = [line for line in lines if not line.lstrip().startswith("•")]
        if prose:
            out.append(html.P(" ".join(prose)))
        if bullets:
            out.append(html.Ul([html.Li(b.lstrip("• ").strip()) for b in bullets]))
    return out


def _period(initiative: ini.Initiative) -> str | None:
    if initiative.period_text:
        return initiative.period_text
    if initiative.period_start or initiative.period_end:
        return f"{initiative.period_start or ''}–{initiative.period_end or ''}"
    return None


def _place_item(place: ini.Place, lang: str, names: dict[str, str]) -> html.Li:
    codes = ", ".join(f"{names.get(c, c)} ({c})" for c in place.areas)
    period = []
    if place.period_text or place.start_year or place.end_year:
        period = [f" – {place.period_text or ''}".rstrip()]
    title = [t(f"indsatser.source.{place.source}", lang)]
    if place.note:
        title.append(place.note)
    return html.Li(
        [
            html.Strong(components.in_danish(place.name)),
            *period,
            html.Span(f" → {codes}", className="note", lang="da"),
        ],
        title=" · ".join(title),
    )


def initiative_card(
    initiative: ini.Initiative,
    lang: str,
    *,
    names: dict[str, str],
    match: tuple[str, tuple[str, ...]] | None = None,
    search: str | None = None,
) -> html.Article:
    """One initiative: title, badges, administrations, places, text, explanation, criteria."""
    registry = data.criteria_by_code()
    funded = initiative.funded
    badge = html.Span(
        funding_badge(funded, lang),
        className="ini-badge ini-funded" if funded else "ini-badge ini-unfunded",
    )
    fa = ini.FOCUS_AREAS[initiative.focus_area]
    admins = ", ".join(initiative.administrations)
    if initiative.administrations_text:
        admins = f"{initiative.administrations_text} ({admins})"
    facts = [
        html.Dt(t("indsatser.label.admins", lang)),
        html.Dd(
            admins, title="; ".join(ini.ADMINISTRATIONS[a] for a in initiative.administrations)
        ),
    ]
    if match is not None:
        kind, places = match
        facts += [
            html.Dt(t("indsatser.label.match", lang)),
            html.Dd(f"{t(f'indsatser.match.{kind}', lang)} ({', '.join(places)})"),
        ]
    period = _period(initiative)
    if period:
        facts += [html.Dt(t("indsatser.label.period", lang)), html.Dd(period)]
    criteria = (
        html.P(", ".join(registry[c].name(lang) for c in initiative.criteria if c in registry))
        if initiative.criteria
        else html.P(t("indsatser.label.no_criteria", lang))
    )
    map_href = PATH + urlstate.updated(search, indsats=initiative.id) + "#ini-map-section"
    body = [
        html.H3(
            [
                html.Span(initiative.id, className="ini-id"),
                " ",
                components.in_danish(initiative.title),
            ],
            id=f"indsats-{initiative.id}",
        ),
        html.P(
            [
                badge,
                html.Span(t("indsatser.goal_n", lang, n=initiative.goal), className="level-tag"),
                html.Span(fa.name, className="level-tag", lang="da"),
            ],
            className="ini-badges",
        ),
        html.Dl(facts, className="ini-facts"),
        html.H4(t("indsatser.label.text", lang)),
        html.Blockquote(html.P(f"… {initiative.text}"), lang="da"),
        html.H4(t("indsatser.label.places", lang)),
        html.Ul([_place_item(p, lang, names) for p in initiative.places], className="ini-places"),
        dcc.Link(t("indsatser.label.show_map", lang), href=map_href, className="ini-map-link"),
        html.Details(
            [
                html.Summary(t("indsatser.label.explanation", lang)),
                html.Div(_paragraphs(initiative.explanation), lang="da"),
            ],
            className="details",
        ),
        html.H4(t("indsatser.label.criteria", lang)),
        criteria,
        html.P(initiative.criteria_reason, className="note", lang="da"),
    ]
    if initiative.note:
        body.append(
            html.P(
                [
                    html.Strong(t("indsatser.label.note", lang) + ": "),
                    components.in_danish(initiative.note),
                ]
            )
        )
    return html.Article(body, className="card ini-card")


def results_block(
    reg: ini.Register,
    frame: pd.DataFrame,
    matches: pd.DataFrame | None,
    sel: Selection,
    lang: str,
    search: str | None,
) -> list:
    names = area_names()
    total = len(reg.initiatives)
    if sel.area:
        summary = t(
            "indsatser.shown_area",
            lang,
            shown=len(frame),
            total=total,
            area=names.get(sel.area, sel.area),
        )
    else:
        summary = t("indsatser.shown", lang, shown=len(frame), total=total)
    match_of: dict[str, tuple[str, tuple[str, ...]]] = {}
    if matches is not None:
        match_of = {
            r.id: (r.match, r.match_places)
            for r in matches[["id", "match", "match_places"]].itertuples()
        }
    cards = [
        initiative_card(reg.get(i), lang, names=names, match=match_of.get(i), search=search)
        for i in frame["id"]
    ]
    return [
        html.P(summary, className="ini-summary", role="status"),
        html.Div(cards, className="ini-list") if cards else html.P(t("indsatser.no_results", lang)),
    ]


def further_block(reg: ini.Register, sel: Selection, lang: str) -> list:
    frame = ini.further_frame(reg)
    if sel.area:
        frame = ini.further_for_area(reg, sel.area, membership())
    if sel.goals:
        frame = frame[frame["goal"].isin(sel.goals)]
    if frame.empty:
        return []
    sections = []
    for goal, part in frame.groupby("goal"):
        sections.append(
            html.H3(
                [
                    t("indsatser.goal_n", lang, n=goal) + ": ",
                    components.in_danish(ini.GOALS[int(goal)]),
                ]
            )
        )
        sections.append(
            html.Ul([html.Li(n) for n in part["name"]], className="ini-further", lang="da")
        )
    return [
        html.H2(t("indsatser.further_title", lang)),
        html.P(t("indsatser.further_intro", lang)),
        *sections,
    ]


def map_block(reg: ini.Register, sel: Selection, lang: str) -> html.Section | None:
    if not sel.initiative:
        return None
    try:
        initiative = reg.get(sel.initiative)
    except KeyError:
        return None
    kvarterer = data.areas((MAP_LEVEL,))
    codes = kvarterer["code"].tolist()
    names = dict(zip(kvarterer["code"], kvarterer["name"], strict=True))
    kinds = coverage_kinds(initiative, codes, membership())
    fig = coverage_figure(kinds, names, lang, data.level_bounds(MAP_LEVEL))
    n = sum(1 for k in kinds.values() if k != "none")
    caption = (
        t("indsatser.map_citywide", lang)
        if ini.CITY_CODE in initiative.area_codes
        else t("indsatser.map_caption", lang, n=n, total=len(codes))
    )
    return html.Section(
        [
            html.H2(t("indsatser.map_title", lang, id=f"{initiative.id} {initiative.title}")),
            components.figure(components.graph(MAP_GRAPH, fig, topojsonURL=TOPOJSON_URL), caption),
            dcc.Link(
                t("indsatser.map_close", lang),
                href=PATH + urlstate.query({**sel.query(), "indsats": None, "lang": lang}),
            ),
        ],
        id="ini-map-section",
        className="section",
    )


# ---------------------------------------------------------------------------- layout


def layout(
    lang: str = "da",
    aargang: object = None,
    maal: object = None,
    fokus: object = None,
    forvaltning: object = None,
    finansiering: object = None,
    omraade: object = None,
    indsats: object = None,
    **_: object,
) -> html.Div:
    lang = normalise_lang(lang)
    loaded = vintages()
    if not loaded:
        return html.Div(
            [
                *components.page_title(t("indsatser.title", lang)),
                html.P(t("indsatser.none_loaded", lang)),
            ]
        )
    options = area_options(lang)
    sel = selection(
        aargang,
        maal,
        fokus,
        forvaltning,
        finansiering,
        omraade,
        indsats,
        vintages=loaded,
        area_codes={o["value"] for o in options},
    )
    reg = register(sel.vintage)
    assert reg is not None
    frame, matches = selected(reg, sel)
    search = urlstate.query({**sel.query(), "lang": lang})
    fig, table = counts_block(frame, lang)
    controls = html.Div(
        [
            components.control(
                t("indsatser.goal", lang),
                dcc.Checklist(
                    id=GOAL,
                    options=[
                        {
                            "label": html.Span(
                                [
                                    f"{t('indsatser.goal_n', lang, n=g)}: ",
                                    components.in_danish(name),
                                ]
                            ),
                            "value": str(g),
                        }
                        for g, name in ini.GOALS.items()
                    ],
                    value=[str(g) for g in sel.goals],
                    className="checklist",
                ),
                GOAL,
            ),
            components.control(
                t("indsatser.focus", lang),
                dcc.Dropdown(
                    id=FOCUS,
                    options=[
                        {"label": fa.name, "value": fa.code}
                        for fa in sorted(ini.FOCUS_AREAS.values(), key=lambda f: f.order)
                    ],
                    value=list(sel.focus_areas),
                    multi=True,
                    placeholder=t("indsatser.funding.all", lang),
                ),
                FOCUS,
            ),
            components.control(
                t("indsatser.admin", lang),
                dcc.Checklist(
                    id=ADMIN,
                    options=[
                        {"label": html.Span(code, title=name), "value": code}
                        for code, name in ini.ADMINISTRATIONS.items()
                    ],
                    value=list(sel.administrations),
                    className="checklist",
                ),
                ADMIN,
            ),
            components.control(
                t("indsatser.funding", lang),
                dcc.RadioItems(
                    id=FUNDING,
                    options=[
                        {"label": t("indsatser.funding.all", lang), "value": "alle"},
                        *[
                            {"label": t(f"indsatser.funding.{v}", lang), "value": v}
                            for v in FUNDING_VALUES
                        ],
                    ],
                    value="alle" if sel.funded is None else FUNDING_VALUES[not sel.funded],
                    className="radio-inline",
                ),
                FUNDING,
            ),
            components.control(
                t("indsatser.area", lang),
                dcc.Dropdown(
                    id=AREA,
                    options=options,
                    value=sel.area,
                    placeholder=t("indsatser.area.placeholder", lang),
                    searchable=True,
                    clearable=True,
                ),
                AREA,
            ),
        ],
        className="controls ini-controls",
    )
    head = [
        *components.page_title(t("indsatser.title", lang), t("indsatser.intro", lang)),
        html.P(
            [
                t(
                    "indsatser.source",
                    lang,
                    title=reg.title,
                    status=reg.status,
                    vintage=reg.vintage,
                ),
                " ",
                html.Strong(t("indsatser.judgement", lang)),
                " " + t("indsatser.plan_language", lang)
                if t("indsatser.plan_language", lang)
                else "",
            ],
            className="note",
        ),
    ]
    return html.Div(
        [
            *head,
            controls,
            html.Div(
                [
                    html.Button(
                        t("indsatser.download", lang),
                        id=DOWNLOAD_CSV,
                        className="button",
                        n_clicks=0,
                    ),
                    html.Button(
                        t("indsatser.download_excel", lang),
                        id=DOWNLOAD_EXCEL,
                        className="button",
                        n_clicks=0,
                    ),
                    dcc.Download(id=DOWNLOAD),
                    html.Span(t("indsatser.csv_note", lang), className="note"),
                ],
                className="download-row",
            ),
            html.Section(
                [
                    html.H2(t("indsatser.counts_title", lang)),
                    components.figure(
                        components.graph(COUNT_GRAPH, fig), t("indsatser.counts_caption", lang)
                    ),
                    html.Div(table, id=COUNT_TABLE),
                ],
                className="section",
            ),
            map_block(reg, sel, lang) or html.Div(),
            html.Section(
                [
                    html.H2(t("indsatser.results_title", lang)),
                    html.Div(results_block(reg, frame, matches, sel, lang, search), id=RESULTS),
                ],
                className="section",
            ),
            html.Section(further_block(reg, sel, lang), id=FURTHER, className="section"),
        ],
        **{"data-vintage": reg.vintage},
    )


# ---------------------------------------------------------------------------- callbacks


def _from_controls(goals, focus, admins, funding, area, search) -> Selection:  # type: ignore[no-untyped-def]
    params = urlstate.parse(search)
    return selection(
        params.get("aargang"),
        goals,
        focus,
        admins,
        funding,
        area,
        None,
        vintages=vintages(),
    )


def update(goals, focus, admins, funding, area, search):  # type: ignore[no-untyped-def]
    """Callback body: new filters → results, chart, table, further list and URL."""
    lang = urlstate.lang_of(search)
    sel = _from_controls(goals, focus, admins, funding, area, search)
    shown = urlstate.from_url(search, selection, vintages=vintages())
    if sel == dataclasses.replace(shown, initiative=None):  # type: ignore[type-var]
        raise PreventUpdate  # Dash calls this when it inserts the page, built from this URL
    reg = register(sel.vintage)
    if reg is None:
        return [], go.Figure(), [], [], search
    frame, matches = selected(reg, sel)
    new_search = urlstate.updated(search, **{**sel.query(), "indsats": None})
    fig, table = counts_block(frame, lang)
    return (
        results_block(reg, frame, matches, sel, lang, new_search),
        fig,
        table,
        further_block(reg, sel, lang),
        new_search,
    )


def download(goals, focus, admins, funding, area, search, excel: bool) -> dict | None:  # type: ignore[no-untyped-def]
    """Callback body: the shown initiatives as CSV (UTF-8, or the Excel variant)."""
    sel = _from_controls(goals, focus, admins, funding, area, search)
    reg = register(sel.vintage)
    if reg is None:
        return None
    frame, _ = selected(reg, sel)
    name = (EXCEL_FILE_NAME if excel else CSV_FILE_NAME).format(vintage=reg.vintage)
    return dcc.send_bytes(ini.to_csv_bytes(reg, frame, excel=excel), name)


# ---------------------------------------------------------------------------- elsewhere


def funding_badge(funded: bool, lang: str) -> str:
    """The badge word of an initiative with or without funding."""
    return t("indsatser.badge.funded" if funded else "indsatser.badge.unfunded", lang)


def area_section(area_code: str, lang: str = "da") -> html.Section | None:
    """For the area profile: the initiatives running in ``area_code`` (None if none loaded)."""
    lang = normalise_lang(lang)
    reg = register()
    if reg is None:
        return None
    found = ini.initiatives_for_area(reg, area_code, membership())
    n_funded = int(found["funded"].sum()) if not found.empty else 0
    items = [
        html.Li(
            [
                dcc.Link(
                    f"{r.id} {r.title}",
                    href=urlstate.href(PATH, lang, omraade=area_code) + f"#indsats-{r.id}",
                ),
                html.Span(
                    f" – {funding_badge(r.funded, lang).lower()}, "
                    f"{t(f'indsatser.match.{r.match}', lang)}",
                    className="note",
                ),
            ]
        )
        for r in found.itertuples(index=False)
    ]
    return html.Section(
        [
            html.H2(t("indsatser.area_section", lang)),
            html.P(
                t(
                    "indsatser.area_section_intro",
                    lang,
                    n=len(found),
                    total=len(reg.initiatives),
                    vintage=reg.vintage,
                    funded=n_funded,
                    unfunded=len(found) - n_funded,
                )
            ),
            html.Ul(items),
            dcc.Link(
                t("indsatser.area_section_link", lang),
                href=urlstate.href(PATH, lang, omraade=area_code),
            ),
        ],
        className="section",
    )


def funding_summary(lang: str = "da") -> html.Section | None:
    """For the overview: funded vs unfunded counts of the newest plan (None if none)."""
    lang = normalise_lang(lang)
    reg = register()
    if reg is None:
        return None
    fig, table = counts_block(ini.initiatives_frame(reg), lang)
    return html.Section(
        [
            html.H2(t("indsatser.counts_title", lang)),
            components.figure(
                components.graph("ini-overview-counts", fig), t("indsatser.counts_caption", lang)
            ),
            table,
            dcc.Link(t("indsatser.title", lang), href=urlstate.href(PATH, lang)),
        ],
        className="section",
    )


def area_pieces(area_code: str, lang: str) -> list:
    """:func:`area_section` as a list (empty without a register), for the profile page."""
    section = area_section(area_code, lang)
    return [] if section is None else [section]


def funding_pieces(lang: str) -> list:
    """:func:`funding_summary` as a list (empty without a register), for the overview."""
    section = funding_summary(lang)
    return [] if section is None else [section]
