"""Overblik (/): the udsatte byområder combined against the rest of the city."""

import dash

from dashboard.i18n import normalise_lang
from dashboard.views import overview

dash.register_page(__name__, path="/", title="Overblik – KEOB", order=0, nav_key="nav.overview")


def layout(lang: object = None, **params: object):
    return overview.layout(lang=normalise_lang(lang), **params)
