"""The Screening page. Logic and layout: ``dashboard/views/screening.py``.

The page's callbacks are registered here with ``dash.callback`` (they only convert inputs
and call the view functions), so the page is self-contained.
"""

from dash import Input, Output, State, callback

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import screening as view

PAGE = Page(
    path=view.PATH,
    nav_key=view.NAV_KEY,
    layout=view.layout,
    update=view.update,
    download=view.download,
    content_ids=(view.YEAR, view.MAP_GRAPH),
    title="Screening – KEOB",
    order=35,
)
PAGE.register_page(__name__)


@callback(
    Output(view.HEADLINE, "children"),
    Output(view.MAP_GRAPH, "figure"),
    Output(view.MAP_CAPTION, "children"),
    Output(view.MATRIX_GRAPH, "figure"),
    Output(view.MATRIX_CAPTION, "children"),
    Output(view.MATRIX_TABLE, "children"),
    Output(view.CHANGES, "children"),
    Output(view.DEMO, "hidden"),
    Output(view.DEMO, "children"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(view.YEAR, "value"),
    Input(view.LEVEL, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def screening_selection(year, level, search):  # type: ignore[no-untyped-def]
    return view.update(year, level, search)


@callback(
    Output(view.DOWNLOAD, "data"),
    Input(view.DOWNLOAD_BUTTON, "n_clicks"),
    State(view.YEAR, "value"),
    State(view.LEVEL, "value"),
    prevent_initial_call=True,
)
def screening_download(_clicks, year, level):  # type: ignore[no-untyped-def]
    return view.download(year, level)
