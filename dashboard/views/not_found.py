"""The page for unknown paths: a title and a link to the overview."""

from __future__ import annotations

from dash import dcc, html

from dashboard import urlstate
from dashboard.i18n import t

TITLE = "notfound-title"


def layout(lang: str = "da", **_: object) -> html.Div:
    return html.Div(
        [
            html.H1(t("notfound.title", lang), id=TITLE),
            dcc.Link(t("notfound.text", lang), href=urlstate.href("/", lang)),
        ]
    )
