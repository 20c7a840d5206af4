"""The Dækning page. Logic and layout: ``dashboard/views/daekning.py``.

The page's callbacks are registered here with ``dash.callback`` (they only convert inputs
and call the view functions), and so is the blueprint serving its map overlays, so the
page is self-contained.
"""

import dash
from dash import Input, Output, State, callback, ctx

from dashboard import coverage_routes, ids
from dashboard.page_contract import Page
from dashboard.views import daekning as view

PAGE = Page(
    path=view.PATH,
    nav_key=view.NAV_KEY,
    layout=view.layout,
    update=view.update,
    download=view.download,
    content_ids=(view.TOPIC, view.GRAPH),
    title="Dækning – KEOB",
    order=22,
)
PAGE.register_page(__name__)


_server = dash.get_app().server
if coverage_routes.blueprint.name not in _server.blueprints:
    _server.register_blueprint(coverage_routes.blueprint)


@callback(
    Output(view.THRESHOLD, "min"),
    Output(view.THRESHOLD, "max"),
    Output(view.THRESHOLD, "step"),
    Output(view.THRESHOLD, "marks"),
    Output(view.THRESHOLD, "value"),
    Output(view.THRESHOLD, "included"),
    Input(view.TOPIC, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def topic_slider(topic, search):  # type: ignore[no-untyped-def]
    return view.slider_for(topic, search)


@callback(
    Output(view.GRAPH, "figure"),
    Output(view.CAPTION, "children"),
    Output(view.THRESHOLD_TEXT, "children"),
    Output(view.DEMO, "hidden"),
    Output(view.DEMO, "children"),
    Output(view.UDSATTE_TABLE, "children"),
    Output(view.AREA_TABLE, "children"),
    Output(ids.URL, "search", allow_duplicate=True),
    Input(view.TOPIC, "value"),
    Input(view.THRESHOLD, "value"),
    Input(view.LEVEL, "value"),
    Input(view.LAYERS, "value"),
    State(ids.URL, "search"),
    prevent_initial_call=True,
)
def coverage_selection(topic, threshold, level, layers, search):  # type: ignore[no-untyped-def]
    return view.update(topic, threshold, level, layers, search, triggered=ctx.triggered_id)


@callback(
    Output(view.DOWNLOAD, "data"),
    Input(view.DOWNLOAD_BUTTON, "n_clicks"),
    State(view.TOPIC, "value"),
    State(view.THRESHOLD, "value"),
    State(view.LEVEL, "value"),
    prevent_initial_call=True,
)
def coverage_download(_clicks, topic, threshold, level):  # type: ignore[no-untyped-def]
    return view.download(topic, threshold, level)
