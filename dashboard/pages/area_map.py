"""Kort (/kort): choropleth of one criterion and year; ?kriterium=&aar=&niveau=."""

from dash import Input, Output, State, callback, ctx

from dashboard import ids
from dashboard.page_contract import Page
from dashboard.views import area_map

PAGE = Page(
    path="/kort",
    nav_key="nav.map",
    layout=area_map.layout,
    update=area_map.update,
    download=None,
    content_ids=(ids.MAP_CRITERION, ids.MAP_GRAPH),
    title="Kort – KEOB",
    order=10,
)
PAGE.register_page(__name__)


@callback(
    Output(ids.MAP_GRAPH, "figure"),
    Output(ids.MAP_CAPTION, "children"),
    Output(ids.MAP_DEMO, "hidden"),
    Output(ids.MAP_DEMO, "children"),
    Output(ids.MAP_TABLE_LINK, "href"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(ids.MAP_CRITERION, "value"),
    Input(ids.MAP_YEAR, "value"),
    Input(ids.MAP_LEVEL, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def map_selection(criterion, year, level, search):  # type: ignore[no-untyped-def]
    return area_map.update(
        criterion, year, level, search, level_changed=ctx.triggered_id == ids.MAP_LEVEL
    )


@callback(
    Output(ids.NAVIGATE, "href", allow_duplicate=True),
    Input(ids.MAP_GRAPH, "clickData"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def map_click(click_data, search):  # type: ignore[no-untyped-def]
    return area_map.area_from_click(click_data, search)
