"""Områdeprofil (/omraade/<area_code>): the eight criteria over time for one area, then
the coverage (Dækning) and initiatives (Indsatser) of the area."""

from dash import Input, Output, State, callback

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import area_profile, daekning, indsatser

RELATED = (daekning.profile_section, indsatser.area_pieces)


def layout(lang: str = "da", area_code: str | None = None, **params: object):  # type: ignore[no-untyped-def]
    return area_profile.layout(lang=lang, area_code=area_code, related=RELATED, **params)


PAGE = Page(
    path="/omraade/<area_code>",
    nav_key="nav.profile",
    layout=layout,
    update=area_profile.navigate,
    download=None,
    content_ids=(ids.PROFILE_PICKER, ids.PROFILE_GRAPH),
    title="Områdeprofil – KEOB",
    order=20,
    nav_path=f"/omraade/{area_profile.DEFAULT_AREA}",
    example_params={"area_code": area_profile.DEFAULT_AREA},
)
PAGE.register_page(__name__)


@callback(
    Output(ids.NAVIGATE, "href", allow_duplicate=True),
    Input(ids.PROFILE_PICKER, "value"),
    State(ids.URL, "search"),
    State(ids.URL, "pathname"),
    prevent_initial_call=True,
)
def profile_pick(code, search, pathname):  # type: ignore[no-untyped-def]
    return area_profile.navigate(code, search, pathname)
