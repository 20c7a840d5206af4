"""Kort (/kort): choropleth of one criterion and year; ?kriterium=&aar=&niveau=."""

import dash

from dashboard.i18n import normalise_lang
from dashboard.views import area_map

dash.register_page(__name__, path="/kort", title="Kort – KEOB", order=10, nav_key="nav.map")


def layout(lang: object = None, **params: object):
    return area_map.layout(lang=normalise_lang(lang), **params)
