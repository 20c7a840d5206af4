"""Om data (/om): the registry, sources and licences, the demo-data statement."""

import dash

from dashboard.i18n import normalise_lang
from dashboard.views import about

dash.register_page(__name__, path="/om", title="Om data – KEOB", order=90, nav_key="nav.about")


def layout(lang: object = None, **params: object):
    return about.layout(lang=normalise_lang(lang), **params)
