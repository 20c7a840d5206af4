"""The Fremdrift 2035 page. Logic and layout: ``dashboard/views/fremdrift.py``.

The page's callbacks are registered here with ``dash.callback`` (they only convert inputs
and call the view functions), so the page is self-contained.
"""

from dash import Input, Output, State, callback

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import fremdrift as view

PAGE = Page(
    path=view.PATH,
    nav_key=view.NAV_KEY,
    layout=view.layout,
    update=view.update,
    download=view.download,
    content_ids=(view.AREA, view.CHART),
    title="Fremdrift 2035 – KEOB",
    order=5,
)
PAGE.register_page(__name__)


@callback(
    Output(view.HEADLINE, "children"),
    Output(view.STATUS_TABLE, "children"),
    Output(view.CHART, "figure"),
    Output(view.CHART_CAPTION, "children"),
    Output(view.GRID, "figure"),
    Output(view.GRID_CAPTION, "children"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(view.AREA, "value"),
    Input(view.BASELINE, "value"),
    Input(view.CRITERION, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def progress_selection(area, baseline, criterion, search):  # type: ignore[no-untyped-def]
    return view.update(area, baseline, criterion, search)


@callback(
    Output(view.DOWNLOAD, "data"),
    Input(view.DOWNLOAD_BUTTON, "n_clicks"),
    State(view.AREA, "value"),
    State(view.BASELINE, "value"),
    prevent_initial_call=True,
)
def progress_download(_clicks, area, baseline):  # type: ignore[no-untyped-def]
    return view.download(area, baseline)
