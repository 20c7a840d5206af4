"""The app shell around every page: URL state, header, main content, footer."""

from __future__ import annotations

import dash
from dash import dcc, html

from dashboard import components, ids
from dashboard.i18n import DEFAULT_LANG, t

INDEX_STRING = """<!DOCTYPE html>
<html lang="da">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
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
