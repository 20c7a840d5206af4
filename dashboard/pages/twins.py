"""The Tvillingeområder page. Logic and layout: ``dashboard/views/twins.py``."""

from dash import Input, Output, State, callback

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import twins as view

PAGE = Page(
    path=view.PATH,
    nav_key=view.NAV_KEY,
    layout=view.layout,
    update=view.update,
    download=view.download,
    content_ids=(view.AREA, view.TABLE),
    title="Tvillingeområder – KEOB",
    order=24,
)
PAGE.register_page(__name__)


@callback(
    Output(view.HEADLINE, "children"),
    Output(view.TABLE, "children"),
    Output(view.YEARS_NOTE, "children"),
    Output(view.DEMO, "hidden"),
    Output(view.DEMO, "children"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(view.AREA, "value"),
    Input(view.YEAR, "value"),
    Input(view.COUNT, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def twins_selection(area, year, count, search):  # type: ignore[no-untyped-def]
    return view.update(area, year, count, search)


@callback(
    Output(view.DOWNLOAD, "data"),
    Input(view.DOWNLOAD_BUTTON, "n_clicks"),
    State(view.AREA, "value"),
    State(view.YEAR, "value"),
    State(view.COUNT, "value"),
    prevent_initial_call=True,
)
def twins_download(_clicks, area, year, count):  # type: ignore[no-untyped-def]
    return view.download(area, year, count)
