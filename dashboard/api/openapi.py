"""The OpenAPI 3.1 document of ``/api/v1``, generated from the route table
(:data:`dashboard.api.routes.ROUTES`), the parameters (:data:`dashboard.api.query.PARAMS`) and the
format table in ``indicators.formats``. Nothing here is written by hand per route, so the
description cannot drift from what the routes accept and return.
"""

from __future__ import annotations

from typing import Any

from dashboard.api.constants import API_VERSION, DOCS_PATH, PREFIX
from dashboard.api.contract import Column, Route
from dashboard.api.query import PARAMS, Param
from dashboard.api.routes import ROUTES
from indicators import formats
from indicators.registry import load_registry


def _param(param: Param, route: Route) -> dict[str, Any]:
    schema = dict(param.schema)
    if param.name == "criterion":
        schema = {"type": "string", "enum": list(load_registry())}
    if param.name == "format":
        schema = {"type": "string", "enum": list(route.formats)}
    doc: dict[str, Any] = {
        "name": param.name,
        "in": "query",
        "required": False,
        "description": f"{param.description_en}\n\n*Dansk:* {param.description_da}",
    }
    if param.repeatable:
        doc["schema"] = {"type": "array", "items": schema}
        doc["style"] = "form"
        doc["explode"] = True
    else:
        doc["schema"] = schema
    if param.example is not None:
        doc["example"] = [param.example] if param.repeatable else param.example
    return doc


def _column_schema(column: Column) -> dict[str, Any]:
    if column.type == "any":
        return {"description": column.description_en}
    json_type: Any = column.type
    if column.nullable:
        json_type = [column.type, "null"]
    return {"type": json_type, "description": column.description_en}


def _row_schema(route: Route) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {c.name: _column_schema(c) for c in route.columns},
        "required": [c.name for c in route.columns if not c.optional],
        # Routes whose tables grow with their rules (state lists) list their core columns.
        "additionalProperties": route.open_columns,
    }


def _json_schema(route: Route) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["provenance", "columns", "rows"],
        "properties": {
            "provenance": {"$ref": "#/components/schemas/Provenance"},
            "columns": {"type": "array", "items": {"type": "string"}},
            "rows": {"type": "array", "items": _row_schema(route)},
        },
    }


def _geojson_schema(route: Route) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "features", "provenance"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "provenance": {"$ref": "#/components/schemas/Provenance"},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "properties", "geometry"],
                    "properties": {
                        "type": {"const": "Feature"},
                        "properties": _row_schema(route),
                        "geometry": {"type": ["object", "null"]},
                    },
                },
            },
        },
    }


def _content(route: Route, fmts: tuple[str, ...]) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for name in fmts:
        spec = formats.FORMATS[name]
        media = spec.media_type.split(";")[0]
        if name == "json":
            schema = _json_schema(route)
        elif name == "geojson":
            schema = _geojson_schema(route)
        elif media == "text/csv":
            schema = {"type": "string"}
        else:
            schema = {"type": "string", "format": "binary"}
        content.setdefault(media, {"schema": schema})
    return content


PROBLEM_STATUSES = {
    "400": "A query parameter is invalid (see `invalid_params`).",
    "404": (
        "Unknown area, criterion, facility kind, designation vintage, route or extension; "
        "or an as_of before the store's first load."
    ),
    "503": "The data are not loaded yet, or the store is unavailable.",
}


def _operation(route: Route, with_ext: bool) -> dict[str, Any]:
    params = [_param(PARAMS[name], route) for name in route.params]
    if with_ext:
        params.insert(
            0,
            {
                "name": "ext",
                "in": "path",
                "required": True,
                "description": "Format, as a file extension.",
                "schema": {"type": "string", "enum": list(route.formats)},
            },
        )
    else:
        params.append(_param(PARAMS["format"], route))
    params.append(_param(PARAMS["_dl"], route))
    responses: dict[str, Any] = {
        "200": {
            "description": "The table in the requested format, with its provenance.",
            "headers": {
                "ETag": {
                    "description": "Changes with the data version and the query.",
                    "required": True,
                    "schema": {"type": "string"},
                },
                "Last-Modified": {
                    "description": "When the store last changed.",
                    "schema": {"type": "string"},
                },
                "X-KEOB-Data-Version": {
                    "description": "The store's data version.",
                    "required": True,
                    "schema": {"type": "string"},
                },
                "X-KEOB-Synthetic": {
                    "description": "true when the table holds synthetic demo values.",
                    "required": True,
                    "schema": {"type": "string", "enum": ["true", "false"]},
                },
            },
            "content": _content(route, route.formats),
        },
        "304": {"description": "Not modified since the ETag given in If-None-Match."},
    }
    for status, text in PROBLEM_STATUSES.items():
        responses[status] = {
            "description": text,
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    if "xlsx" in route.formats:
        responses["413"] = {
            "description": "Too many rows for one Excel sheet.",
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
    suffix = " (format by extension)" if with_ext else ""
    return {
        "operationId": f"{route.name.replace('-', '_')}{'_ext' if with_ext else ''}",
        "summary": route.summary_en + suffix,
        "description": (
            f"{route.description_en}\n\n*Dansk:* {route.summary_da}. {route.description_da}"
        ),
        "tags": [route.name],
        "parameters": params,
        "responses": responses,
    }


PROVENANCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": [
        "dataset",
        "data_version",
        "extracted_at",
        "synthetic",
        "disclosure_control",
        "attribution",
        "sources",
    ],
    "properties": {
        "dataset": {"type": "string"},
        "publisher": {"type": "string"},
        "url": {"type": "string"},
        "query": {"type": "object"},
        "data_version": {"type": "string"},
        "last_modified": {"type": ["string", "null"]},
        "extracted_at": {"type": "string"},
        "as_of": {"type": ["string", "null"]},
        "rows": {"type": ["integer", "null"]},
        "synthetic": {"type": "boolean"},
        "synthetic_note": {"type": "string"},
        "disclosure_control": {
            "type": "object",
            "required": ["applied", "rules"],
            "properties": {
                "applied": {"type": "boolean"},
                "rules": {"type": "array", "items": {"type": "string"}},
            },
        },
        "attribution": {"type": "string"},
        "sources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "licence"],
                "properties": {
                    "name": {"type": "string"},
                    "licence": {"type": "string"},
                    "attribution": {"type": "string"},
                    "url": {"type": "string"},
                },
            },
        },
        "notes": {"type": "array", "items": {"type": "string"}},
    },
}

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalid_params": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 description of every route in :data:`dashboard.ROUTES`."""
    paths: dict[str, Any] = {}
    for route in ROUTES:
        paths[f"{PREFIX}/{route.name}"] = {"get": _operation(route, with_ext=False)}
        paths[f"{PREFIX}/{route.name}.{{ext}}"] = {"get": _operation(route, with_ext=True)}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "KEOB data API",
            "version": API_VERSION,
            "summary": "Indicator data for Copenhagen's udsatte byområder, read-only.",
            "description": (
                "Every table of the KEOB app as a URL. Formats by extension or `format=`; "
                "the same parameters on every route; provenance in every file (in the "
                "response headers for CSV); ETag/Last-Modified from the data version. "
                f"Human-readable documentation: {DOCS_PATH}.\n\n*Dansk:* Alle tabeller "
                "i KEOB som URL'er. Format via filendelse eller `format=`; samme parametre "
                "på alle ruter; proveniens i hver fil."
            ),
            "license": {"name": "CC BY 4.0 (data); MIT (code)", "identifier": "CC-BY-4.0"},
        },
        "servers": [{"url": "/"}],
        "tags": [{"name": r.name, "description": r.summary_en} for r in ROUTES],
        "paths": paths,
        "components": {
            "schemas": {"Provenance": PROVENANCE_SCHEMA, "Problem": PROBLEM_SCHEMA},
        },
    }
