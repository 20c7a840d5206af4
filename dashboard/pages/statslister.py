"""The Statslister page. Logic and layout: ``dashboard/views/statslister.py``.

The page's callbacks are registered here with ``dash.callback`` (they only convert inputs
and call the view functions), so the page is self-contained.
"""

from dash import Input, Output, State, callback

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import statslister as view

PAGE = Page(
    path=view.PATH,
    nav_key=view.NAV_KEY,
    layout=view.layout,
    update=view.update,
    download=view.download,
    content_ids=(view.YEAR, view.STATUS_TABLE),
    title="Statslister – KEOB",
    order=30,
)
PAGE.register_page(__name__)


@callback(
    Output(view.HEADLINE, "children"),
    Output(view.STATUS_TITLE, "children"),
    Output(view.STATUS_TABLE, "children"),
    Output(view.AREA_TITLE, "children"),
    Output(view.AREA_REASONS, "children"),
    Output(view.MARGINS_GRAPH, "figure"),
    Output(view.MARGINS_CAPTION, "children"),
    Output(view.PRESSURE_GRAPH, "figure"),
    Output(view.PRESSURE_CAPTION, "children"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(view.YEAR, "value"),
    Input(view.AREA, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def state_list_selection(year, area, search):  # type: ignore[no-untyped-def]
    return view.update(year, area, search)


@callback(
    Output(view.DOWNLOAD, "data"),
    Input(view.DOWNLOAD_BUTTON, "n_clicks"),
    prevent_initial_call=True,
)
def state_list_download(clicks):  # type: ignore[no-untyped-def]
    return view.download(clicks)
