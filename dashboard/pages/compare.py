"""The Sammenlign page. Logic and layout: ``dashboard/views/compare.py``."""

from dash import Input, Output, State, callback

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import compare as view

PAGE = Page(
    path=view.PATH,
    nav_key=view.NAV_KEY,
    layout=view.layout,
    update=view.update,
    download=view.download_table,
    content_ids=(view.AREAS, view.GRAPH, view.TABLE),
    title="Sammenlign – KEOB",
    order=21,
)
PAGE.register_page(__name__)

CONTROLS = (
    view.AREAS,
    view.ALL_LEVEL,
    view.CRITERION,
    view.YEAR,
    view.BASELINE,
    view.SORT,
    view.REVERSE,
)


@callback(
    Output(view.NOTE, "children"),
    Output(view.TABLE, "children"),
    Output(view.GRAPH, "figure"),
    Output(view.CAPTION, "children"),
    Output(view.DEMO, "hidden"),
    Output(view.DEMO, "children"),
    Output(view.AREAS, "disabled"),
    Output(ids.URL, "search", allow_duplicate=True),
    *(Input(c, "value") for c in CONTROLS),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def compare_selection(areas, level, criterion, year, baseline, sort, reverse, search):  # type: ignore[no-untyped-def]
    return view.update(areas, level, criterion, year, baseline, sort, reverse, search)


@callback(
    Output(view.TABLE_DOWNLOAD, "data"),
    Input(view.TABLE_BUTTON, "n_clicks"),
    *(State(c, "value") for c in CONTROLS),
    prevent_initial_call=True,
)
def compare_table_download(_clicks, *controls):  # type: ignore[no-untyped-def]
    return view.download_table(*controls)


@callback(
    Output(view.SERIES_DOWNLOAD, "data"),
    Input(view.SERIES_BUTTON, "n_clicks"),
    *(State(c, "value") for c in CONTROLS),
    prevent_initial_call=True,
)
def compare_series_download(_clicks, *controls):  # type: ignore[no-untyped-def]
    return view.download_series(*controls)
