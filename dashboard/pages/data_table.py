"""Data (/data): table preview and CSV download; ?niveau=&kriterier=&fra=&til=."""

import dash

from dashboard.i18n import normalise_lang
from dashboard.views import data_table

dash.register_page(__name__, path="/data", title="Data – KEOB", order=30, nav_key="nav.data")


def layout(lang: object = None, **params: object):
    return data_table.layout(lang=normalise_lang(lang), **params)
