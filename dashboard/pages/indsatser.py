"""The Indsatser page. Logic and layout: ``dashboard/views/indsatser.py``.

The page's callbacks are registered here with ``dash.callback`` (they only convert inputs
and call the view functions), so the page is self-contained.
"""

from dash import Input, Output, State, callback, ctx

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import indsatser as view

PAGE = Page(
    path=view.PATH,
    nav_key="nav.initiatives",
    layout=view.layout,
    update=view.update,
    download=view.download,
    content_ids=(view.GOAL, view.RESULTS),
    title="Indsatser – KEOB",
    order=25,
)
PAGE.register_page(__name__)


_FILTERS = (
    Input(view.GOAL, "value"),
    Input(view.FOCUS, "value"),
    Input(view.ADMIN, "value"),
    Input(view.FUNDING, "value"),
    Input(view.AREA, "value"),
)


@callback(
    Output(view.RESULTS, "children"),
    Output(view.COUNT_GRAPH, "figure"),
    Output(view.COUNT_TABLE, "children"),
    Output(view.FURTHER, "children"),
    Output(ids.URL, "search", allow_duplicate=True),
    *_FILTERS,
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def filter_initiatives(goals, focus, admins, funding, area, search):  # type: ignore[no-untyped-def]
    return view.update(goals, focus, admins, funding, area, search)


@callback(
    Output(view.DOWNLOAD, "data"),
    Input(view.DOWNLOAD_CSV, "n_clicks"),
    Input(view.DOWNLOAD_EXCEL, "n_clicks"),
    State(view.GOAL, "value"),
    State(view.FOCUS, "value"),
    State(view.ADMIN, "value"),
    State(view.FUNDING, "value"),
    State(view.AREA, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def download_initiatives(_csv, _excel, goals, focus, admins, funding, area, search):  # type: ignore[no-untyped-def]
    excel = ctx.triggered_id == view.DOWNLOAD_EXCEL
    return view.download(goals, focus, admins, funding, area, search, excel=excel)
