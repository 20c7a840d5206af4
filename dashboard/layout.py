"""The app shell around every page: URL state, header, main content, footer.

The shell's own callbacks (header, footer, ``<html lang>``) are registered here; every
page's callbacks live in its module in ``dashboard/pages/``.
"""

from __future__ import annotations

import dash
import flask
from dash import Dash, Input, Output, State, dcc, html

from dashboard import area_index, components, data, ids, urlstate
from dashboard.i18n import DEFAULT_LANG, t

INDEX_STRING = """<!DOCTYPE html>
<html lang="da">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
        <!-- Charts load Plotly (4.7 MB) only once the page's content has arrived; fetching
             it alongside the other scripts takes it off the first paint's critical path. -->
        <link rel="preload" as="script" href="/_dash-component-suites/dash/dcc/async-graph.js">
        <link rel="preload" as="script"
              href="/_dash-component-suites/plotly/package_data/plotly.min.js">
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>
"""


def app_layout() -> html.Div:
    """Evaluated per page load (a function, so it never goes stale)."""
    return html.Div(
        [
            # The one URL-state Location: callbacks write only its ``search``, and with
            # refresh=False that never re-runs the page router.
            dcc.Location(id=ids.URL, refresh=False),
            # Write-only: setting its ``href`` navigates like a link (map clicks, the picker).
            # Only href: its pathname/search props go stale once ``url`` rewrites the query.
            dcc.Location(id=ids.NAVIGATE, refresh="callback-nav"),
            dcc.Store(id=ids.HTML_LANG),
            html.A(t("skip.to_content", DEFAULT_LANG), href="#main", className="skip-link"),
            html.Header(components.header("/", ""), id=ids.HEADER, className="site-header"),
            html.Main(dash.page_container, id="main", className="site-main"),
            html.Footer(id=ids.FOOTER, className="site-footer"),
        ],
        className="app",
    )


def register_callbacks(app: Dash) -> None:
    @app.callback(
        Output(ids.HEADER, "children"),
        Output(ids.FOOTER, "children"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )
    def chrome(pathname: str | None, search: str | None):  # type: ignore[no-untyped-def]
        lang = urlstate.lang_of(search)
        version = data.data_version()
        return (
            components.header(pathname, search),
            components.footer(
                lang,
                version,
                data.attribution(),
                data.version_loaded_at(version),
                # The printed page names where it came from (assets/print.css shows it).
                flask.request.host_url.rstrip("/") + (pathname or "/") + (search or ""),
            ),
        )

    @app.callback(
        Output(ids.AREA_SEARCH_LIST, "children"),
        Output(ids.NAVIGATE, "href", allow_duplicate=True),
        Input(ids.AREA_SEARCH, "value"),
        Input(ids.AREA_SEARCH, "n_submit"),
        State(ids.URL, "search"),
        prevent_initial_call=True,
    )
    def area_search(text: str | None, _submits: int | None, search: str | None):  # type: ignore[no-untyped-def]
        submitted = dash.ctx.triggered_id == ids.AREA_SEARCH and any(
            fired["prop_id"].endswith(".n_submit") for fired in dash.ctx.triggered
        )
        return area_index.search_box(text, submitted, search)

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
