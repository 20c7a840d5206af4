"""Områdeprofil (/omraade/<area_code>): the eight criteria over time for one area."""

import dash

from dashboard.i18n import normalise_lang
from dashboard.views import area_profile

dash.register_page(
    __name__,
    path_template="/omraade/<area_code>",
    title="Områdeprofil – KEOB",
    order=20,
    nav_key="nav.profile",
    nav_path=f"/omraade/{area_profile.DEFAULT_AREA}",
)


def layout(lang: object = None, area_code: str | None = None, **params: object):
    return area_profile.layout(lang=normalise_lang(lang), area_code=area_code, **params)
