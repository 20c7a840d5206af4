"""Reusable pieces of every page: header and navigation, footer, demo banner, figures, tables.

The navigation is built from ``dash.page_registry``: a page appears in the menu when its
``register_page`` call passes ``nav_key`` (an i18n key) and, for pages whose path has a
variable, ``nav_path``. Menu order is the registry's ``order``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import dash
from dash import dcc, html

from dashboard import ids, urlstate
from dashboard.i18n import format_datetime, t, years_text


def nav_items() -> list[dict]:
    """The pages that belong in the menu, in menu order."""
    pages = [p for p in dash.page_registry.values() if p.get("nav_key")]
    return sorted(pages, key=lambda p: (p.get("order") or 0, p["path"]))


def _is_active(page: dict, pathname: str) -> bool:
    """The current page, also for a path template (``/omraade/<area_code>``)."""
    template = page.get("path_template")
    if template:
        return pathname.startswith(template.split("<", 1)[0])
    return pathname.rstrip("/") == page["path"].rstrip("/")


def header(pathname: str | None, search: str | None) -> list:
    """Title, area search, menu (real links that keep the language) and the language switch."""
    pathname = pathname or "/"
    lang = urlstate.lang_of(search)
    other = "en" if lang == "da" else "da"
    links = []
    for page in nav_items():
        target = page.get("nav_path") or page["path"]
        active = _is_active(page, pathname)
        links.append(
            html.Li(
                dcc.Link(
                    t(page["nav_key"], lang),
                    href=urlstate.href(target, lang),
                    className="nav-link active" if active else "nav-link",
                ),
                # dcc.Link takes no aria props; the list item carries the current page.
                **({"aria-current": "page"} if active else {}),
            )
        )
    return [
        html.Div(
            [
                dcc.Link(
                    [
                        html.Span(t("app.title", lang), className="brand-name"),
                        html.Span(t("app.subtitle", lang), className="brand-subtitle"),
                    ],
                    href=urlstate.href("/", lang),
                    className="brand",
                ),
                area_search(lang),
                dcc.Link(
                    html.Span(t("lang.switch", lang), lang=other),
                    href=pathname + urlstate.updated(search, lang=other),
                    className="lang-switch",
                    title=t("lang.switch_label", lang),
                    id="lang-switch",
                ),
            ],
            className="header-top",
        ),
        html.Nav(html.Ul(links, className="nav-list"), **{"aria-label": t("nav.label", lang)}),
    ]


def area_search(lang: str) -> html.Div:
    """The search box: a labelled native input with a datalist of the areas matching what is
    typed (``dashboard.area_index``, answered by a callback of ``dashboard/layout.py``).
    Picking a suggestion, or Enter, opens the best match's profile in the same language.
    A native input and datalist, so the label is its accessible name and the keyboard
    works as everywhere else."""
    return html.Div(
        [
            html.Label(t("search.label", lang), htmlFor=ids.AREA_SEARCH, className="search-label"),
            dcc.Input(
                id=ids.AREA_SEARCH,
                type="search",
                list=ids.AREA_SEARCH_LIST,
                autoComplete="off",
                placeholder=t("search.placeholder", lang),
                className="area-search-input",
            ),
            html.Datalist(id=ids.AREA_SEARCH_LIST, children=[]),
        ],
        className="area-search",
        role="search",
    )


def footer(
    lang: str,
    version: str,
    attribution: str | None,
    loaded_at: datetime | None = None,
    page_url: str | None = None,
) -> list:
    """Attribution, when the data were last updated (the raw version on hover), links;
    ``page_url`` is shown only in print."""
    printed = (
        [html.P(t("print.url", lang, url=page_url), className="print-only")] if page_url else []
    )
    updated = (
        t("footer.data_updated", lang, when=format_datetime(loaded_at, lang))
        if loaded_at is not None
        else t("footer.data_version", lang, version=version)
    )
    return [
        *printed,
        # The attribution line of data/SOURCES.md is Danish only.
        html.P(in_danish(attribution))
        if attribution
        else html.P(t("footer.attribution_fallback", lang)),
        html.P(
            [
                html.Span(updated, title=t("footer.data_version", lang, version=version)),
                " · ",
                dcc.Link(t("footer.about", lang), href=urlstate.href("/om", lang)),
                " · ",
                dcc.Link(
                    t("footer.accessibility", lang), href=urlstate.href("/tilgaengelighed", lang)
                ),
                " · ",
                html.Span(t("demo.text", lang)),
            ]
        ),
    ]


def in_danish(text: str) -> html.Span:
    """Text quoted from a Danish source (the action plan, a law's title, a licence line):
    shown as it is on English pages too, marked ``lang="da"`` so a screen reader reads it
    in Danish (WCAG 3.1.2, language of parts)."""
    return html.Span(text, lang="da")


def demo_banner(lang: str, synthetic_years: Sequence[int], component_id: str | None = None):
    """The "Demodata" badge and statement; hidden when the view shows no synthetic value."""
    props = {"id": component_id} if component_id else {}
    return html.Div(
        [
            html.Strong(t("demo.badge", lang), className="demo-badge"),
            html.Span(t("demo.text", lang)),
            html.Span(
                " " + t("demo.years", lang, years=years_text(list(synthetic_years)))
                if synthetic_years
                else ""
            ),
        ],
        className="demo-banner",
        role="note",
        hidden=not synthetic_years,
        **props,
    )


def figure(graph: dcc.Graph, caption: str | html.Span, caption_id: str | None = None):
    """A graph with an accessible name: Plotly's SVG has none of its own."""
    caption_props = {"id": caption_id} if caption_id else {}
    return html.Figure(
        [graph, html.Figcaption(caption, className="figure-caption", **caption_props)],
        className="figure",
    )


def graph(component_id: str | dict, fig, **config) -> dcc.Graph:
    """A graph without the mode bar, as tall as its figure (Dash's default is 450 px)."""
    height = fig.layout.height
    return dcc.Graph(
        id=component_id,
        figure=fig,
        config={"displayModeBar": False, "responsive": True, **config},
        style={"height": f"{height}px"} if height else None,
    )


def table(
    columns: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    caption: str | list | None = None,
    numeric: Sequence[bool] | None = None,
    class_name: str = "data-table",
) -> html.Table:
    """A plain, accessible HTML table (``numeric`` columns are right-aligned)."""
    numeric = numeric or [False] * len(columns)
    head = html.Thead(
        html.Tr(
            [
                html.Th(c, scope="col", className="num" if n else None)
                for c, n in zip(columns, numeric, strict=True)
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(cell, className="num" if n else None)
                    for cell, n in zip(row, numeric, strict=True)
                ]
            )
            for row in rows
        ]
    )
    parts = ([html.Caption(caption)] if caption else []) + [head, body]
    return html.Table(parts, className=class_name)


def page_title(text: str, intro: str | None = None) -> list:
    return [html.H1(text)] + ([html.P(intro, className="intro")] if intro else [])


def control(label: str, component, control_id: str) -> html.Div:
    return html.Div(
        [html.Label(label, htmlFor=control_id, className="control-label"), component],
        className="control",
    )


def print_button(lang: str, component_id: str | None = None) -> html.Button:
    """ "Udskriv" (assets/print.js opens the print dialog; assets/print.css lays out the page)."""
    props = {"id": component_id} if component_id else {}
    return html.Button(
        t("print.button", lang), type="button", className="print-button no-print", **props
    )


def print_bar(lang: str, report_year: int | None) -> html.Div:
    """The "Udskriv" button and a link to the yearly report (hidden in print)."""
    pieces: list = [print_button(lang)]
    if report_year is not None:
        pieces.append(
            dcc.Link(
                t("print.report_link", lang, year=report_year),
                href=urlstate.href(f"/rapport/{report_year}", lang),
                className="report-link",
            )
        )
    return html.Div(pieces, className="print-bar no-print")
