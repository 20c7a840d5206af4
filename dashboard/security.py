"""Response headers, request limits and the store-unavailable answer for the whole server.

The threat model is in ``docs/security.md``. In short: the app is read-only and public, so
what matters is that a page cannot be framed or made to run foreign script, that nothing
a client sends can make the server spend without bound or leak its internals, and that a
store that stops answering gives a short, honest message instead of a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import orjson
from dash import Dash
from dash.exceptions import DependencyException
from flask import Flask, Response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from dashboard.api.constants import PREFIX as API_PREFIX
from dashboard.api.problems import Problem, problem_response

log = logging.getLogger(__name__)

#: Longest query string accepted (the longest the app itself builds is under 300 bytes;
#: the API's area lists stay well below this for every level).
MAX_QUERY_BYTES = 4096
#: Longest Dash callback body accepted (the largest real one, the Data page's table
#: state, is a few kB).
MAX_CALLBACK_BYTES = 256 * 1024
CALLBACK_PATH = "/_dash-update-component"

UNAVAILABLE_TEXT = {
    "da": "Data er midlertidigt utilgængelige. Prøv igen om lidt.",
    "en": "The data is temporarily unavailable. Please try again shortly.",
}


def content_security_policy(script_hashes: Iterable[str]) -> str:
    """The CSP: everything from this origin only; inline script only by its quoted hash.

    ``style-src 'unsafe-inline'`` is what Dash and Plotly need: both set ``style``
    attributes and Plotly injects ``<style>`` elements at run time. ``data:`` and
    ``blob:`` images are Plotly's "download as PNG" and dcc.Download.
    """
    scripts = " ".join(["'self'", *script_hashes])
    directives = {
        "default-src": "'self'",
        "script-src": scripts,
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _security_headers(csp: str) -> dict[str, str]:
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def _language() -> str:
    """``?lang=`` when given, else the browser's preference; Danish by default."""
    asked = request.args.get("lang")
    if asked in UNAVAILABLE_TEXT:
        return asked
    best = request.accept_languages.best_match(["da", "en"])
    return best or "da"


def _plain(status: int, text: str) -> Response:
    response = Response(text + "\n", status=status, mimetype="text/plain")
    response.headers["Cache-Control"] = "no-store"
    return response


def unavailable() -> Response:
    lang = _language()
    if request.path == CALLBACK_PATH:
        # Dash shows nothing useful for a failed callback; the JSON is for the log/network tab.
        body = orjson.dumps({"error": "store-unavailable", "message": UNAVAILABLE_TEXT[lang]})
        response = Response(body, status=503, mimetype="application/json")
    else:
        response = _plain(503, UNAVAILABLE_TEXT[lang])
    response.headers["Retry-After"] = "30"
    response.headers["Cache-Control"] = "no-store"
    return response


def _malformed_callback() -> str | None:
    """Why a Dash callback body cannot be a real one, or None when it has the right shape."""
    if request.content_length is not None and request.content_length > MAX_CALLBACK_BYTES:
        return "too large"
    body = request.get_json(silent=True, cache=True)
    if not isinstance(body, dict):
        return "not a JSON object"
    if not isinstance(body.get("output"), str):
        return "no output"
    if not isinstance(body.get("inputs", []), list) or not isinstance(body.get("state", []), list):
        return "inputs and state must be lists"
    for item in [*body.get("inputs", []), *body.get("state", [])]:
        # A pattern-matching input arrives as a list of {id, property, value}.
        entries = item if isinstance(item, list) else [item]
        if not all(isinstance(e, dict) and "id" in e and "property" in e for e in entries):
            return "each input needs an id and a property"
    return None


def install(app: Dash) -> None:
    """Headers on every response, request limits and the 503 for a store that is away.

    Call before the first request (Flask takes no hooks after it).
    """
    server: Flask = app.server

    # Pages register their clientside callbacks (inline scripts) when Dash sets itself up
    # on the first request, so the hashes are taken per response (a few short strings).
    def headers() -> dict[str, str]:
        return _security_headers(content_security_policy(app.csp_hashes()))

    @server.before_request
    def _limit_requests() -> Response | None:
        if len(request.query_string) > MAX_QUERY_BYTES:
            if request.path.startswith(API_PREFIX):
                # The API answers every bad query with its documented 400 problem.
                return problem_response(
                    Problem(
                        "invalid-parameter",
                        f"The query string is longer than {MAX_QUERY_BYTES} bytes.",
                    )
                )
            return _plain(414, "Query string too long / Forespørgslen er for lang.")
        if request.path == CALLBACK_PATH and request.method == "POST":
            reason = _malformed_callback()
            if reason == "too large":
                return _plain(413, "Callback body too large.")
            if reason:
                return _plain(400, f"Malformed callback request: {reason}.")
        return None

    @server.after_request
    def _add_headers(response: Response) -> Response:
        for name, value in headers().items():
            response.headers.setdefault(name, value)
        return response

    @server.errorhandler(SQLAlchemyError)
    def _on_store_error(exc: SQLAlchemyError) -> Response:
        log.error("the store did not answer: %s", type(exc).__name__)
        return unavailable()

    @server.errorhandler(DependencyException)
    def _on_unknown_bundle(exc: DependencyException) -> Response:
        # Dash raises this for a script path it does not serve: a 404, not a server error.
        return _plain(404, "Not found / Findes ikke.")

    @server.errorhandler(Exception)
    def _on_unexpected(exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return exc.get_response()
        # Logged in full for the operator; the client learns nothing about the internals.
        log.exception("unhandled error on %s", request.path)
        return _plain(InternalServerError.code, "Internal error / Intern fejl.")
