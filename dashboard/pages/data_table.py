"""Data (/data): the published table, filtered, with a CSV download."""

from dash import Input, Output, State, callback

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import data_table

PAGE = Page(
    path="/data",
    nav_key="nav.data",
    layout=data_table.layout,
    update=data_table.update,
    download=data_table.download,
    content_ids=(ids.DATA_LEVEL, ids.DATA_PREVIEW),
    title="Data – KEOB",
    order=30,
)
PAGE.register_page(__name__)


@callback(
    Output(ids.DATA_PREVIEW, "children"),
    Output(ids.DATA_DEMO, "hidden"),
    Output(ids.DATA_DEMO, "children"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.DATA_LEVEL, "value"),
    Input(ids.DATA_CRITERIA, "value"),
    Input(ids.DATA_YEARS, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def data_selection(level, criteria, years, search):  # type: ignore[no-untyped-def]
    return data_table.update(level, criteria, years, search)


@callback(
    Output(ids.DATA_DOWNLOAD, "data"),
    Input(ids.DATA_DOWNLOAD_BUTTON, "n_clicks"),
    State(ids.DATA_LEVEL, "value"),
    State(ids.DATA_CRITERIA, "value"),
    State(ids.DATA_YEARS, "value"),
    prevent_initial_call=True,
)
def data_download(_clicks, level, criteria, years):  # type: ignore[no-untyped-def]
    return data_table.download(level, criteria, years)
