"""The Screening page (issue 4). Logic and layout: ``dashboard/screening_figures.py``.

The page's callbacks are registered here with ``dash.callback`` (they only convert inputs
and call the view functions), so the page is self-contained.
"""

import dash
from dash import Input, Output, State, callback

from dashboard import ids
from dashboard import screening_figures as view
from dashboard.i18n import normalise_lang

dash.register_page(
    __name__, path=view.PATH, title="Screening – KEOB", order=35, nav_key=view.NAV_KEY
)


def layout(lang: object = None, **params: object):
    return view.layout(lang=normalise_lang(lang), **params)


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
