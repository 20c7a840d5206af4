"""The read-only data API under ``/api/v1``: every table of the app as a URL.

One route table (:data:`dashboard.api.routes.ROUTES`) drives everything: the Flask rules
(``serving``), the parameter validation (``query``), the OpenAPI document (``openapi``,
served at ``/api/v1/openapi.json``) and the API page (``dashboard/views/api_docs.py``).
A route answers

    /api/v1/<route>            JSON (or ``?format=...``)
    /api/v1/<route>.<format>   csv, csv-da, xlsx, json, geojson, gpkg, parquet

with the same query parameters on every route where they apply (:data:`PARAMS`):
``level``, ``area`` (repeatable), ``criterion`` (repeatable), ``year_from``, ``year_to``,
``as_of`` and ``format``. ``?_dl=1`` adds ``Content-Disposition: attachment``.

Rules
    * GET and HEAD only; nothing here writes to the store.
    * A bad parameter gets 400 with an RFC 9457 problem-details body naming it
      (``problems``, ``invalid_params``); an unknown area or criterion gets 404; never a
      500.
    * ``ETag`` and ``Last-Modified`` come from the store's data version
      (``conditional``), so a client revalidates with ``If-None-Match`` and gets 304
      until the next import.
    * The tables come from ``indicators`` through the services (``resources/``, one
      module per route: the indicator table from
      ``indicators.services.export.indicator_export_frame``, the same function as the
      app's download), the files from ``indicators.formats`` and the sources from
      ``data/attributions.yaml``; this package only parses, validates and wraps.

Modules depend one way: constants → problems → query/contract → conditional/checks →
resources → routes → openapi → serving (the blueprint). Nothing imports serving back.
"""

from __future__ import annotations

from dashboard.api.conditional import forget_store_state, store_state
from dashboard.api.constants import (
    API_VERSION,
    AREA_CODE_PATTERN,
    DOCS_PATH,
    PREFIX,
    YEAR_MAX,
    YEAR_MIN,
)
from dashboard.api.contract import Column, Dataset, Route
from dashboard.api.problems import PROBLEM_TITLES, Problem
from dashboard.api.query import PARAMS, Param, Query, parse_query
from dashboard.api.resources.areas import build_areas
from dashboard.api.resources.coverage import coverage_codes
from dashboard.api.resources.criteria import CRITERIA_COLUMNS
from dashboard.api.resources.indicators import indicator_csv, indicator_frame, indicators_url
from dashboard.api.routes import ROUTES, route
from dashboard.api.serving import blueprint, serve
from indicators.services.monitor import AREA_LEVELS

__all__ = [
    "API_VERSION",
    "AREA_CODE_PATTERN",
    "AREA_LEVELS",
    "CRITERIA_COLUMNS",
    "DOCS_PATH",
    "PARAMS",
    "PREFIX",
    "PROBLEM_TITLES",
    "ROUTES",
    "YEAR_MAX",
    "YEAR_MIN",
    "Column",
    "Dataset",
    "Param",
    "Problem",
    "Query",
    "Route",
    "blueprint",
    "build_areas",
    "coverage_codes",
    "forget_store_state",
    "indicator_csv",
    "indicator_frame",
    "indicators_url",
    "parse_query",
    "route",
    "serve",
    "store_state",
]
