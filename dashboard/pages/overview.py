"""Overblik (/): the eight criteria of the udsatte byområder against the rest of the city."""

from dash import Input, Output, State, callback

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import indsatser, overview


def layout(lang: str = "da", **params: object):  # type: ignore[no-untyped-def]
    return overview.layout(lang=lang, related=(indsatser.funding_pieces,), **params)


PAGE = Page(
    path="/",
    nav_key="nav.overview",
    layout=layout,
    update=overview.update,
    download=None,
    content_ids=(ids.OVERVIEW_BASELINE, ids.OVERVIEW_CARDS),
    title="Overblik – KEOB",
    order=0,
)
PAGE.register_page(__name__)


@callback(
    Output(ids.OVERVIEW_CARDS, "children"),
    Output(ids.OVERVIEW_DEMO, "hidden"),
    Output(ids.OVERVIEW_DEMO, "children"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.OVERVIEW_BASELINE, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def overview_baseline(baseline, search):  # type: ignore[no-untyped-def]
    return overview.update(baseline, search)
