"""KEOB's Dash app. Gunicorn serves ``app:server``.

Offline by design: no external stylesheets or scripts (Dash serves its own JS, our CSS is
in assets/), maps are SVG geo traces with a vendored topojson, and no tiles or fonts are
fetched. The store is opened lazily on the first request (``dashboard.data``).
"""

from __future__ import annotations

import logging

import dash
from dash import Dash
from flask import Response, jsonify
from sqlalchemy.exc import SQLAlchemyError

from dashboard import api, data, geo_routes, security
from dashboard.layout import INDEX_STRING, app_layout, register_callbacks

log = logging.getLogger(__name__)

app = Dash(
    __name__,
    use_pages=True,
    pages_folder="dashboard/pages",
    title="KEOB – opfølgning på udsatte byområder",
    update_title=None,
    external_stylesheets=[],
    external_scripts=[],
    serve_locally=True,
    # Otherwise Dash renders every page once at start-up and ships the result (~400 kB)
    # in each page's config; tests/test_app_routes.py checks callback ids instead.
    suppress_callback_exceptions=True,
)
app.index_string = INDEX_STRING
app.layout = app_layout
server = app.server
server.register_blueprint(geo_routes.blueprint)
server.register_blueprint(api.blueprint)  # /api/v1 (dashboard/api/)
register_callbacks(app)  # the shell's; each page registers its own
security.install(app)  # headers, request limits, 503 when the store is away (docs/security.md)


def _finish_dash_setup() -> None:
    """Run Dash's first-request setup now, before any real request arrives.

    Dash registers its script bundles on the first request without a lock, so under a
    threaded gunicorn worker the parallel first requests for the JS bundles can find an
    empty registry and fail with 500. This request touches no store.
    """
    server.test_client().get("/_dash-dependencies")


def warm_up() -> None:
    """Build every page once per language, so no visitor of this worker waits for a cold
    cache: a page's layout is only built when the browser asks for it, and the first build
    after a start reads the publication and prepares figures (seconds, not milliseconds).
    gunicorn.conf.py runs this in the background when a worker starts."""
    data.warm_caches()
    for page in dash.page_registry.values():
        layout = page["layout"]
        if not callable(layout) or page.get("path_template"):
            continue  # /omraade/<code>, /rapport/<year>: one build per area is not worth it
        for lang in ("da", "en"):
            path = page["path"] + ("?lang=en" if lang == "en" else "")
            try:
                with server.test_request_context(path):
                    layout(lang=lang)
            except Exception:  # a cold page is slower, never wrong: log and warm the rest
                log.exception("warm-up of %s failed", path)


@server.get("/health")
def health() -> tuple[Response, int]:
    """200 with the data version when the store answers, 503 otherwise."""
    try:
        version = data.data_version()
    except SQLAlchemyError:
        log.exception("health check: the store did not answer")
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok", app="keob", data_version=version), 200


# Last: after the first request Flask accepts no more routes or blueprints.
_finish_dash_setup()

if __name__ == "__main__":
    app.run(debug=True, host="127.0.0.1", port=8050)
