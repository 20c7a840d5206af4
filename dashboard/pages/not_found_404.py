"""Unknown paths: a short page with a link to the overview."""

import dash
from dash import dcc, html

from dashboard import urlstate
from dashboard.i18n import normalise_lang, t

dash.register_page(__name__, path="/404", title="Siden findes ikke – KEOB")


def layout(lang: object = None, **_: object):
    lang = normalise_lang(lang)
    return html.Div(
        [
            html.H1(t("notfound.title", lang)),
            dcc.Link(t("notfound.text", lang), href=urlstate.href("/", lang)),
        ]
    )
