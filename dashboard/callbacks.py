"""Every decorated callback, and nothing else: each converts its inputs, calls a view or
figure function and returns. The logic and its tests live in ``dashboard.views``."""

from __future__ import annotations

from dash import Dash, Input, Output, State, ctx

from dashboard import components, data, ids, urlstate
from dashboard.views import area_map, area_profile, data_table, overview


def register(app: Dash) -> None:
    @app.callback(
        Output(ids.HEADER, "children"),
        Output(ids.FOOTER, "children"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def chrome(pathname: str | None, search: str | None):
        lang = urlstate.lang_of(search)
        return (
            components.header(pathname, search),
            components.footer(lang, data.data_version(), data.attribution()),
        )

    # Screen readers and hyphenation need <html lang> to follow ?lang=.
    app.clientside_callback(
        """
        function (search) {
            const lang = new URLSearchParams(search || "").get("lang") === "en" ? "en" : "da";
            document.documentElement.lang = lang;
            return lang;
        }
        """,
        Output(ids.HTML_LANG, "data"),
        Input(ids.URL, "search"),
    )

    @app.callback(
        Output(ids.OVERVIEW_CARDS, "children"),
        Output(ids.OVERVIEW_DEMO, "hidden"),
        Output(ids.OVERVIEW_DEMO, "children"),
        Output(ids.URL, "search", allow_duplicate=True),
        Input(ids.OVERVIEW_BASELINE, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def overview_baseline(baseline, search):
        return overview.update(baseline, search)

    @app.callback(
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
    def map_selection(criterion, year, level, search):
        return area_map.update(
            criterion, year, level, search, level_changed=ctx.triggered_id == ids.MAP_LEVEL
        )

    @app.callback(
        Output(ids.NAVIGATE, "href", allow_duplicate=True),
        Input(ids.MAP_GRAPH, "clickData"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def map_click(click_data, search):
        return area_map.area_from_click(click_data, search)

    @app.callback(
        Output(ids.NAVIGATE, "href", allow_duplicate=True),
        Input(ids.PROFILE_PICKER, "value"),
        State(ids.URL, "search"),
        State(ids.URL, "pathname"),
        prevent_initial_call=True,
    )
    def profile_pick(code, search, pathname):
        return area_profile.navigate(code, search, pathname)

    @app.callback(
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
    def data_selection(level, criteria, years, search):
        return data_table.update(level, criteria, years, search)

    @app.callback(
        Output(ids.DATA_DOWNLOAD, "data"),
        Input(ids.DATA_DOWNLOAD_BUTTON, "n_clicks"),
        State(ids.DATA_LEVEL, "value"),
        State(ids.DATA_CRITERIA, "value"),
        State(ids.DATA_YEARS, "value"),
        prevent_initial_call=True,
    )
    def data_download(_clicks, level, criteria, years):
        return data_table.download(level, criteria, years)
