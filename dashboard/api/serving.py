"""The Flask blueprint: error handlers, serving a route, the index and ``openapi.json``."""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from functools import lru_cache

import geopandas as gpd
import orjson
from flask import Blueprint, Response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.http import is_resource_modified

from dashboard import data
from dashboard.api import sources
from dashboard.api.conditional import base_headers, check_as_of, etag_for, header_text, store_state
from dashboard.api.constants import API_VERSION, DOCS_PATH, PREFIX
from dashboard.api.contract import Route
from dashboard.api.openapi import openapi_document
from dashboard.api.problems import Problem, problem_response
from dashboard.api.query import parse_query
from dashboard.api.routes import ROUTES
from indicators import attributions, formats

log = logging.getLogger(__name__)

blueprint = Blueprint("api", __name__, url_prefix=PREFIX)


@blueprint.errorhandler(Problem)
def _on_problem(problem: Problem) -> Response:
    return problem_response(problem)


@blueprint.errorhandler(SQLAlchemyError)
def _on_store_error(exc: SQLAlchemyError) -> Response:
    log.exception("api: the store did not answer")
    return problem_response(
        Problem("store-unavailable", "The indicator store did not answer; try again later.")
    )


@blueprint.app_errorhandler(MethodNotAllowed)
def _on_method_not_allowed(exc: MethodNotAllowed):  # type: ignore[no-untyped-def]
    if not request.path.startswith(PREFIX):
        return exc
    allowed = sorted(exc.valid_methods or ["GET", "HEAD", "OPTIONS"])
    return problem_response(
        Problem(
            "method-not-allowed",
            f"The API is read-only: {request.method} is not allowed here; use GET or HEAD.",
            headers={"Allow": ", ".join(allowed)},
        )
    )


@blueprint.app_errorhandler(NotFound)
def _on_not_found(exc: NotFound):  # type: ignore[no-untyped-def]
    if not request.path.startswith(PREFIX):
        return exc
    return problem_response(_unknown_route())


def _unknown_route() -> Problem:
    names = ", ".join(f"{PREFIX}/{r.name}" for r in ROUTES)
    return Problem(
        "not-found",
        f"There is no API route {request.path}. Routes: {names}, {PREFIX}/openapi.json.",
    )


def serve(route_obj: Route, ext: str | None) -> Response:
    if ext is not None and ext not in route_obj.formats:
        raise Problem(
            "not-found",
            f"{route_obj.name} is not available as .{ext}; formats: "
            + ", ".join(route_obj.formats),
        )
    q = parse_query(route_obj, request.args, ext)
    if route_obj.module is not None and not _module_available(route_obj.module):
        raise Problem(
            "not-loaded",
            f"The {route_obj.name} data are not loaded yet: {route_obj.module} is not part of "
            "this installation.",
        )
    state = store_state()
    check_as_of(q.as_of, state)
    etag = etag_for(q, state.version)
    headers = base_headers(q, state, etag)
    if not is_resource_modified(request.environ, etag=etag, last_modified=state.last_modified):
        return Response(status=304, headers=headers)
    dataset = route_obj.build(q)
    spec = formats.FORMATS[q.format]
    if spec.geo and not isinstance(dataset.frame, gpd.GeoDataFrame):  # pragma: no cover
        raise Problem("not-found", f"{route_obj.name} has no geometry for .{q.format}")
    if q.format == "xlsx" and len(dataset.frame) > formats.EXCEL_MAX_ROWS:
        raise Problem(
            "too-large",
            f"{len(dataset.frame):,} rows do not fit in one Excel sheet; use csv or parquet.",
        )
    extracted = datetime.now(UTC)
    provenance = formats.Provenance(
        dataset=route_obj.name,
        data_version=state.version,
        extracted_at=extracted,
        sources=dataset.sources,
        attribution=data.attribution() or attributions.default_attribution(),
        synthetic=dataset.synthetic,
        disclosure=dataset.disclosure,
        disclosure_applied=dataset.disclosure_applied,
        as_of=q.as_of,
        last_modified=state.last_modified,
        query=q.normalised(),
        rows=len(dataset.frame),
        url=q.url(),
        notes=dataset.notes,
    )
    body = formats.write(
        dataset.frame,
        q.format,
        provenance,
        name=route_obj.name,
        column_notes={c.name: c.description_en for c in route_obj.columns},
    )
    headers.update(
        {
            "X-KEOB-Extracted-At": extracted.isoformat(),
            "X-KEOB-Synthetic": "true" if dataset.synthetic else "false",
            "X-KEOB-Disclosure-Control": (
                "applied; " + "; ".join(dataset.disclosure)
                if dataset.disclosure_applied
                else "none"
            ),
            "X-KEOB-Licence": header_text(
                ", ".join(dict.fromkeys(s.licence for s in dataset.sources))
                or sources.geography_source().licence
            ),
            "X-KEOB-Rows": str(len(dataset.frame)),
        }
    )
    headers["X-KEOB-Disclosure-Control"] = header_text(headers["X-KEOB-Disclosure-Control"])
    if q.download:
        name = formats.file_name(dataset.stem, q.format)
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
    # The body is built from frames already in memory: it needs no request context.
    return Response(_guarded(body), headers=headers, content_type=spec.media_type)


def _guarded(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Log a failure while streaming (the status line is already sent by then)."""
    try:
        yield from chunks
    except Exception:
        log.exception("api: failed while streaming a response")
        raise


@lru_cache(maxsize=32)
def _module_available(module: str) -> bool:
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


# ============================================================================ Flask rules


def _view(route_obj: Route) -> Callable[..., Response]:
    def view(ext: str | None = None) -> Response:
        try:
            return serve(route_obj, ext)
        except (Problem, SQLAlchemyError, HTTPException):
            raise
        except Exception:
            log.exception("api: %s failed", route_obj.name)
            return problem_response(
                Problem("internal-error", "The request failed unexpectedly; it has been logged.")
            )

    view.__name__ = f"api_{route_obj.name.replace('-', '_')}"
    return view


def _register_routes() -> None:
    for r in ROUTES:
        view = _view(r)
        blueprint.add_url_rule(f"/{r.name}", view.__name__, view, methods=["GET"])
        blueprint.add_url_rule(f"/{r.name}.<ext>", view.__name__ + "_ext", view, methods=["GET"])


@blueprint.get("/openapi.json")
def openapi_json() -> Response:
    body = orjson.dumps(openapi_document(), option=orjson.OPT_INDENT_2)
    etag = hashlib.sha256(body).hexdigest()[:32]
    response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, no-cache"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response.make_conditional(request)


@blueprint.get("/")
@blueprint.get("")
def index() -> Response:
    doc = {
        "api": "KEOB data API",
        "version": API_VERSION,
        "openapi": f"{PREFIX}/openapi.json",
        "documentation": DOCS_PATH,
        "routes": [
            {
                "name": r.name,
                "url": f"{PREFIX}/{r.name}",
                "summary": r.summary_en,
                "summary_da": r.summary_da,
                "formats": list(r.formats),
                "parameters": list(r.params),
            }
            for r in ROUTES
        ],
    }
    response = Response(orjson.dumps(doc), mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@blueprint.get("/<path:rest>")
def unknown(rest: str) -> Response:
    raise _unknown_route()


_register_routes()
