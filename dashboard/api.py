"""The read-only data API under ``/api/v1``: every table of the app as a URL.

One route table (:data:`ROUTES`) drives everything: the Flask rules, the parameter
validation, the OpenAPI document (``dashboard/openapi.py``, served at
``/api/v1/openapi.json``) and the API page. A route answers

    /api/v1/<route>            JSON (or ``?format=...``)
    /api/v1/<route>.<format>   csv, csv-da, xlsx, json, geojson, gpkg, parquet

with the same query parameters on every route where they apply (:data:`PARAMS`):
``level``, ``area`` (repeatable), ``criterion`` (repeatable), ``year_from``, ``year_to``,
``as_of`` and ``format``. ``?_dl=1`` adds ``Content-Disposition: attachment``.

Rules
    * GET and HEAD only; nothing here writes to the store.
    * A bad parameter gets 400 with an RFC 9457 problem-details body naming it
      (``invalid_params``); an unknown area or criterion gets 404; never a 500.
    * ``ETag`` and ``Last-Modified`` come from the store's data version, so a client
      revalidates with ``If-None-Match`` and gets 304 until the next import.
    * The tables come from ``indicators`` (the indicator table from
      ``indicators.services.export.indicator_export_frame``, the same function as the app's
      download) and the files from ``indicators.formats``; this module only parses,
      validates and wraps.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

import geopandas as gpd
import orjson
import pandas as pd
import shapely
from flask import Blueprint, Response, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.http import is_resource_modified

from dashboard import data
from indicators import formats, times
from indicators.export import EXPORT_COLUMNS
from indicators.registry import load_registry, registry_frame
from indicators.services.export import indicator_export_frame
from indicators.services.monitor import AREA_LEVELS, UnknownVintageError

log = logging.getLogger(__name__)

API_VERSION = "1.0.0"
PREFIX = "/api/v1"
DOCS_PATH = "/api"  # the human-readable page (dashboard/pages/api_docs.py)
ETAG_SALT = "keob-api-1"  # bump when the serialisation of any format changes
DEFAULT_LEVEL = "udsat_byomraade"  # as the app's Data page
YEAR_MIN, YEAR_MAX = 1900, 2100
AREA_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
KK_LICENCE = "CC BY 4.0"
KK_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

blueprint = Blueprint("api", __name__, url_prefix=PREFIX)


# ============================================================================ problems


PROBLEM_TITLES: dict[str, tuple[int, str]] = {
    "invalid-parameter": (400, "Invalid query parameter"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "not-loaded": (503, "Not loaded yet"),
    "store-unavailable": (503, "The store is unavailable"),
    "too-large": (413, "Too large for this format"),
    "internal-error": (500, "Internal error"),
}


class Problem(Exception):
    """An RFC 9457 problem: raised anywhere in a request, turned into JSON by the handler."""

    def __init__(
        self,
        kind: str,
        detail: str,
        *,
        invalid_params: Sequence[Mapping[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.status, self.title = PROBLEM_TITLES[kind]
        self.detail = detail
        self.invalid_params = [dict(p) for p in invalid_params]
        self.headers = dict(headers or {})

    def body(self, instance: str) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": f"{DOCS_PATH}#problem-{self.kind}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.invalid_params:
            doc["invalid_params"] = self.invalid_params
        return doc


def problem_response(problem: Problem) -> Response:
    path = request.full_path.rstrip("?") if request else PREFIX
    response = Response(
        orjson.dumps(problem.body(path)),
        status=problem.status,
        mimetype="application/problem+json",
    )
    for name, value in problem.headers.items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


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


# ============================================================================ parameters


@dataclass(frozen=True)
class Param:
    """A query parameter, with the same name and meaning on every route that takes it."""

    name: str
    schema: dict[str, Any]  # OpenAPI schema of one value
    expected: str  # what a valid value looks like, for 400 messages
    description_en: str
    description_da: str
    repeatable: bool = False
    example: Any = None


def _enum(values: Sequence[str]) -> dict[str, Any]:
    return {"type": "string", "enum": list(values)}


PARAMS: dict[str, Param] = {
    p.name: p
    for p in (
        Param(
            "level",
            _enum(AREA_LEVELS),
            "one of " + ", ".join(AREA_LEVELS),
            "Area level. Indicators default to udsat_byomraade (or the areas' own level when "
            "`area` is given); other routes return every level.",
            "Områdeniveau. Indikatorer bruger udsat_byomraade, hvis intet er valgt (eller "
            "områdernes eget niveau, når `area` er givet); andre ruter giver alle niveauer.",
            example="bydel",
        ),
        Param(
            "area",
            {"type": "string", "pattern": AREA_CODE_PATTERN},
            "an area code such as R101, K20802, B3, L5, ub-alle or kbh",
            "Area code (repeatable, or comma-separated). Unknown codes give 404.",
            "Områdekode (kan gentages eller kommasepareres). Ukendte koder giver 404.",
            repeatable=True,
            example="ub-alle",
        ),
        Param(
            "criterion",
            {"type": "string", "pattern": r"^[a-z][a-z0-9_]{0,31}$"},
            "a criterion code from /api/v1/criteria",
            "Criterion code from the registry (repeatable, or comma-separated); see "
            "/api/v1/criteria. Unknown codes give 404.",
            "Kriteriekode fra registret (kan gentages eller kommasepareres); se "
            "/api/v1/criteria. Ukendte koder giver 404.",
            repeatable=True,
            example="indkomst",
        ),
        Param(
            "year_from",
            {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
            f"an integer year from {YEAR_MIN} to {YEAR_MAX}",
            "First year (inclusive).",
            "Første år (medregnet).",
            example=2015,
        ),
        Param(
            "year_to",
            {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
            f"an integer year from {YEAR_MIN} to {YEAR_MAX}, not before year_from",
            "Last year (inclusive).",
            "Sidste år (medregnet).",
            example=2024,
        ),
        Param(
            "as_of",
            {
                "anyOf": [
                    {"type": "string", "format": "date"},
                    {"type": "string", "format": "date-time"},
                ]
            },
            "an ISO 8601 date (2025-06-30) or date-time (2025-06-30T14:00:00+02:00, "
            "2025-06-30T12:00:00Z)",
            "What the store held at that moment (reproduces an earlier report). A date means "
            "the end of that day in Copenhagen; a date-time without offset is Copenhagen time "
            "(as in `keob`). A moment before the first load gives 404.",
            "Hvad lageret indeholdt på det tidspunkt (genskaber en tidligere rapport). En dato "
            "betyder slutningen af dagen (dansk tid); et tidspunkt uden tidszone er dansk tid "
            "(som i `keob`). Et tidspunkt før første indlæsning giver 404.",
            example="2025-06-30",
        ),
        Param(
            "vintage",
            {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
            "a designation year such as 2021",
            "Designation vintage of the aggregate areas (default: the newest). A vintage that "
            "is not stored gives 404, naming the stored ones.",
            "Udpegningens årgang for de sammensatte områder (standard: den nyeste). En årgang, "
            "der ikke er i lageret, giver 404 med de gemte årgange.",
            example=2021,
        ),
        Param(
            "format",
            _enum(list(formats.FORMATS)),
            "one of the route's formats",
            "Output format (the same as the file extension). Default json.",
            "Format (det samme som filendelsen). Standard er json.",
            example="csv",
        ),
        Param(
            "rest_of_city",
            {"type": "boolean"},
            "true or false",
            "Include the rest_of_city_value column (default true).",
            "Medtag kolonnen rest_of_city_value (standard: ja).",
        ),
        Param(
            "city",
            {"type": "boolean"},
            "true or false",
            "Include the city_value column (default true).",
            "Medtag kolonnen city_value (standard: ja).",
        ),
        Param(
            "gap",
            {"type": "boolean"},
            "true or false",
            "Include the gap column (value minus rest of the city; default true).",
            "Medtag kolonnen gap (værdi minus resten af byen; standard: ja).",
        ),
        Param(
            "kind",
            {"type": "string", "pattern": r"^[a-z][a-z0-9_]{0,31}$"},
            "a facility kind code",
            "Facility kind (repeatable, or comma-separated).",
            "Facilitetstype (kan gentages eller kommasepareres).",
            repeatable=True,
        ),
        Param(
            "_dl",
            {"type": "boolean"},
            "true or false (or 1/0)",
            "Add `Content-Disposition: attachment` so that a browser saves the file.",
            "Tilføj `Content-Disposition: attachment`, så browseren gemmer filen.",
        ),
    )
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass
class Query:
    """A validated request: every parameter parsed, normalised and checked."""

    route: Route
    format: str
    level: str | None = None
    areas: list[str] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    as_of: datetime | None = None
    vintage: int | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    kinds: list[str] = field(default_factory=list)
    download: bool = False

    def normalised(self) -> dict[str, Any]:
        """The query as it was understood, for provenance, ETags and links."""
        out: dict[str, Any] = {}
        if self.level:
            out["level"] = self.level
        if self.areas:
            out["area"] = list(self.areas)
        if self.criteria:
            out["criterion"] = list(self.criteria)
        if self.year_from is not None:
            out["year_from"] = self.year_from
        if self.year_to is not None:
            out["year_to"] = self.year_to
        if self.as_of is not None:
            out["as_of"] = self.as_of.isoformat()
        if self.vintage is not None:
            out["vintage"] = self.vintage
        if self.kinds:
            out["kind"] = list(self.kinds)
        for name, value in sorted(self.flags.items()):
            out[name] = value
        return out

    def url(self, fmt: str | None = None) -> str:
        pairs: list[tuple[str, str]] = []
        for name, value in self.normalised().items():
            values = value if isinstance(value, list) else [value]
            for v in values:
                pairs.append((name, str(v).lower() if isinstance(v, bool) else str(v)))
        query = urlencode(pairs, safe=",:")
        return f"{PREFIX}/{self.route.name}.{fmt or self.format}" + (f"?{query}" if query else "")


EMPTY_REASON = "is empty; give a value or leave the parameter out"


def _values(args, name: str, errors: list[dict[str, str]]) -> list[str]:  # type: ignore[no-untyped-def]
    """The values of a repeatable ``name``; comma-separated values are split."""
    out: list[str] = []
    for raw in args.getlist(name):
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not parts:
            errors.append({"name": name, "reason": EMPTY_REASON})
        out.extend(parts)
    return out


def _single(args, name: str, errors: list[dict[str, str]]) -> str | None:  # type: ignore[no-untyped-def]
    values = [v.strip() for v in args.getlist(name)]
    if len(values) > 1:
        errors.append({"name": name, "reason": f"given {len(values)} times; give it once"})
        return None
    if values and not values[0]:
        errors.append({"name": name, "reason": EMPTY_REASON})
        return None
    return values[0] if values else None


def _reason(param: Param, value: str) -> dict[str, str]:
    shown = value if len(value) <= 60 else value[:57] + "..."
    return {"name": param.name, "reason": f"{shown!r} is not {param.expected}"}


def parse_year(value: str) -> int:
    if not re.fullmatch(r"[+-]?\d{1,6}", value):
        raise ValueError(value)
    year = int(value)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise ValueError(value)
    return year


def parse_as_of(value: str) -> datetime:
    """An ISO 8601 date (the end of that day in Copenhagen) or date-time (Copenhagen time
    when naive), in UTC: the same reading as ``keob --as-of``."""
    return times.parse_as_of(value)


def parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(value)


def parse_query(route: Route, args, ext: str | None) -> Query:  # type: ignore[no-untyped-def]
    """Validate ``args`` for ``route``; raise a 400 :class:`Problem` listing every problem."""
    errors: list[dict[str, str]] = []
    allowed = set(route.params) | {"format", "_dl"}
    unknown = sorted(k for k in args if k not in allowed and not k.startswith("_"))
    for name in unknown:
        accepted = ", ".join(sorted(allowed - {"_dl"}))
        errors.append(
            {"name": name, "reason": f"not a parameter of {route.name}; accepted: {accepted}"}
        )

    # format: the extension or format=, not both differently
    fmt = ext
    given = _single(args, "format", errors)
    if given is not None:
        if given not in route.formats:
            errors.append(
                {
                    "name": "format",
                    "reason": f"{given!r} is not one of {', '.join(route.formats)}",
                }
            )
        elif ext is not None and given != ext:
            errors.append(
                {"name": "format", "reason": f"{given!r} contradicts the extension .{ext}"}
            )
        else:
            fmt = given
    query = Query(route=route, format=fmt or route.default_format)

    if "level" in route.params:
        level = _single(args, "level", errors)
        if level is not None:
            if level in AREA_LEVELS:
                query.level = level
            else:
                errors.append(_reason(PARAMS["level"], level))
    if "area" in route.params:
        for code in _values(args, "area", errors):
            if re.fullmatch(AREA_CODE_PATTERN, code):
                if code not in query.areas:
                    query.areas.append(code)
            else:
                errors.append(_reason(PARAMS["area"], code))
    if "criterion" in route.params:
        for code in _values(args, "criterion", errors):
            if re.fullmatch(PARAMS["criterion"].schema["pattern"], code):
                if code not in query.criteria:
                    query.criteria.append(code)
            else:
                errors.append(_reason(PARAMS["criterion"], code))
    if "kind" in route.params:
        for code in _values(args, "kind", errors):
            if re.fullmatch(PARAMS["kind"].schema["pattern"], code):
                if code not in query.kinds:
                    query.kinds.append(code)
            else:
                errors.append(_reason(PARAMS["kind"], code))
    for name in ("year_from", "year_to", "vintage"):  # the designation vintage is a year too
        if name in route.params:
            value = _single(args, name, errors)
            if value is not None:
                try:
                    setattr(query, name, parse_year(value))
                except ValueError:
                    errors.append(_reason(PARAMS[name], value))
    if (
        query.year_from is not None
        and query.year_to is not None
        and query.year_from > query.year_to
    ):
        errors.append(
            {
                "name": "year_to",
                "reason": f"{query.year_to} is before year_from {query.year_from}",
            }
        )
    if "as_of" in route.params:
        value = _single(args, "as_of", errors)
        if value is not None:
            try:
                query.as_of = parse_as_of(value)
            except ValueError:
                errors.append(_reason(PARAMS["as_of"], value))
    for name in ("rest_of_city", "city", "gap"):
        if name in route.params:
            value = _single(args, name, errors)
            if value is not None:
                try:
                    query.flags[name] = parse_bool(value)
                except ValueError:
                    errors.append(_reason(PARAMS[name], value))
    dl = _single(args, "_dl", errors)
    if dl is not None:
        try:
            query.download = parse_bool(dl)
        except ValueError:
            errors.append(_reason(PARAMS["_dl"], dl))
    if errors:
        names = ", ".join(dict.fromkeys(e["name"] for e in errors))
        raise Problem(
            "invalid-parameter",
            f"Invalid query parameter(s): {names}. See {PREFIX}/openapi.json or {DOCS_PATH}.",
            invalid_params=errors,
        )
    return query


# ============================================================================ store context


@dataclass(frozen=True)
class StoreState:
    """Per data version: when the store last changed and the batch times (for as_of)."""

    version: str
    last_modified: datetime | None
    batch_times: tuple[datetime, ...]  # as stored (for passing back to the store)
    batch_times_utc: tuple[datetime, ...]


def store_state() -> StoreState:
    """The store's state, read once per request (``serve`` and the builders share it)."""
    if not has_request_context():
        return _store_state(data.database_url(), data.monitor().refresh())
    env = request.environ
    if "keob.store_state" not in env:
        env["keob.store_state"] = _store_state(data.database_url(), data.monitor().refresh())
    return env["keob.store_state"]


@lru_cache(maxsize=8)
def _store_state(url: str, version: str) -> StoreState:
    del url  # cache key only
    batches = data.monitor().batches()
    raw = sorted(batches["loaded_at"].dropna().tolist())
    utc = tuple(_utc(t) for t in raw)
    return StoreState(version, max(utc) if utc else None, tuple(raw), utc)


def _utc(moment: datetime) -> datetime:
    moment = pd.Timestamp(moment).to_pydatetime()
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


BEFORE_ANY_BATCH = datetime(1970, 1, 1)


def check_as_of(as_of: datetime | None, state: StoreState) -> None:
    """404 for an as-of moment before the store's first load: an empty table would read
    as "nothing matched" when the store simply held nothing yet."""
    if as_of is None or not state.batch_times_utc or as_of >= state.batch_times_utc[0]:
        return
    reason = times.nothing_before(state.batch_times_utc[0], sep="T")
    raise Problem(
        "not-found",
        f"as_of {times.local_text(as_of, sep='T')} is too early: {reason}.",
        invalid_params=[{"name": "as_of", "reason": reason}],
    )


def check_vintage(vintage: int | None) -> None:
    """404 for a designation vintage the store holds no memberships for (never the
    newest earlier one in its place), naming the stored vintages."""
    try:
        data.monitor().check_vintage(vintage)
    except UnknownVintageError as exc:
        raise Problem(
            "not-found",
            f"{exc}. See {PREFIX}/areas and `keob status` for the designations.",
            invalid_params=[{"name": "vintage", "reason": str(exc)}],
        ) from None


def effective_as_of(as_of: datetime | None, state: StoreState) -> datetime | None:
    """``as_of`` snapped to the load it selects, so equal states share one cached frame.

    None (the current state) when ``as_of`` is at or after the latest load; the stored
    time of the latest load at or before it otherwise.
    """
    if as_of is None or not state.batch_times_utc:
        return None
    earlier = [i for i, t in enumerate(state.batch_times_utc) if t <= as_of]
    if not earlier:
        return BEFORE_ANY_BATCH
    last = earlier[-1]
    if last == len(state.batch_times_utc) - 1:
        return None
    return state.batch_times[last]


# ============================================================================ datasets


@dataclass
class Column:
    """A column of a route's table: the contract behind the JSON schema and the docs."""

    name: str
    type: str  # string, integer, number, boolean; "any" leaves it open
    description_en: str
    description_da: str
    nullable: bool = False
    optional: bool = False  # may be left out by a parameter


def _columns(fields: Sequence[tuple[Any, ...]]) -> tuple[Column, ...]:
    """Columns from (name, type, description_en, description_da[, nullable]) tuples."""
    return tuple(Column(*f) for f in fields)


@dataclass
class Dataset:
    """What a route hands to the writers."""

    frame: pd.DataFrame
    stem: str
    synthetic: bool = False
    sources: tuple[formats.Source, ...] = ()
    disclosure: tuple[str, ...] = ()
    disclosure_applied: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Route:
    name: str
    summary_en: str
    summary_da: str
    description_en: str
    description_da: str
    params: tuple[str, ...]
    formats: tuple[str, ...]
    columns: tuple[Column, ...]
    build: Callable[[Query], Dataset]
    default_format: str = "json"
    geo: bool = False
    module: str | None = None  # the module that must exist for the route to answer
    open_columns: bool = False  # rows may carry more columns than ``columns`` lists


def _geography_source() -> formats.Source:
    return formats.Source(
        "Københavns Kommune, åbne geodata (roder, bydele, udsatte byområder, almene boliger; "
        "opendata.dk / wfs-kbhkort.kk.dk)",
        KK_LICENCE,
        "Indeholder data fra Københavns Kommune (opendata.dk, CC BY 4.0).",
        KK_LICENCE_URL,
    )


def _project_source() -> formats.Source:
    return formats.Source(
        "KEOB: indikatorregistret (data/criteria.yaml) og beregninger",
        "MIT",
        "",
        "",
    )


def _synthetic_source() -> formats.Source:
    return formats.Source(
        "KEOB demodata: syntetiske værdier dannet af projektet (docs/demodata.md); "
        "ikke officiel statistik",
        "MIT (projektets egne data)",
        "",
        "",
    )


def _criterion_sources(codes: Sequence[str], synthetic: bool) -> tuple[formats.Source, ...]:
    registry = load_registry()
    items = [
        (
            f"{registry[c].name_da} ({c}): {registry[c].source}",
            f"{KK_LICENCE} (reelle tal fra Københavns Kommunes åbne data)",
            "",
            KK_LICENCE_URL,
        )
        for c in codes
        if c in registry
    ]
    sources = list(formats.sources_from(items))
    sources.append(_geography_source())
    if synthetic:
        sources.append(_synthetic_source())
    return tuple(sources)


def _known_areas() -> pd.DataFrame:
    return data.monitor().areas()


def _check_areas(codes: Sequence[str]) -> pd.DataFrame:
    """The rows of ``codes`` in the area table; 404 naming the unknown ones."""
    table = _known_areas()
    known = table[table["code"].isin(list(codes))]
    missing = [c for c in codes if c not in set(known["code"])]
    if missing:
        raise Problem(
            "not-found",
            f"Unknown area code(s): {', '.join(missing)}. See {PREFIX}/areas for the codes.",
            invalid_params=[
                {"name": "area", "reason": f"{c!r} is not a known area"} for c in missing
            ],
        )
    return known


def _check_criteria(codes: Sequence[str]) -> None:
    registry = load_registry()
    missing = [c for c in codes if c not in registry]
    if missing:
        raise Problem(
            "not-found",
            f"Unknown criterion code(s): {', '.join(missing)}. Known: {', '.join(registry)}.",
            invalid_params=[
                {"name": "criterion", "reason": f"{c!r} is not in the registry"} for c in missing
            ],
        )


# ---------------------------------------------------------------------------- indicators

OPTIONAL_INDICATOR_COLUMNS = {
    "rest_of_city": "rest_of_city_value",
    "city": "city_value",
    "gap": "gap",
}


def indicator_frame(
    level: str,
    criteria: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    as_of: datetime | None = None,
    vintage: int | None = None,
) -> pd.DataFrame:
    """The indicator table for one level: ``indicator_export_frame``, as the Data page."""
    if as_of is BEFORE_ANY_BATCH:
        # The store held nothing then: the current table's columns, no rows.
        return indicator_frame(level, criteria, year_from, year_to, None, vintage).iloc[0:0]
    # indicator_export_frame reads Monitor.published_comparison: only protected figures.
    return indicator_export_frame(
        data.monitor(),
        level,
        criteria or None,
        year_from,
        year_to,
        as_of,
        vintage,
    )


def indicator_csv(
    level: str,
    criteria: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> bytes:
    """The CSV ``/api/v1/indicators.csv`` serves for this selection, for the app's
    download buttons (same frame, same writer: byte for byte the API's file)."""
    return formats.csv_bytes(indicator_frame(level, criteria, year_from, year_to))


def indicators_url(
    level: str,
    criteria: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    fmt: str = "csv",
) -> str:
    """The API URL of a selection (for "this table as a URL" links in the app)."""
    pairs = [("level", level)]
    if criteria:
        pairs.append(("criterion", ",".join(criteria)))
    if year_from is not None:
        pairs.append(("year_from", str(year_from)))
    if year_to is not None:
        pairs.append(("year_to", str(year_to)))
    return f"{PREFIX}/indicators.{fmt}?{urlencode(pairs, safe=',')}"


def build_indicators(q: Query) -> Dataset:
    _check_criteria(q.criteria)
    check_vintage(q.vintage)
    levels: list[str]
    if q.areas:
        rows = _check_areas(q.areas)
        by_code = dict(zip(rows["code"], rows["level"], strict=True))
        if q.level is not None:
            wrong = [c for c in q.areas if by_code[c] != q.level]
            if wrong:
                raise Problem(
                    "invalid-parameter",
                    f"Area(s) {', '.join(wrong)} are not at level {q.level}.",
                    invalid_params=[
                        {"name": "area", "reason": f"{c!r} is a {by_code[c]}, not a {q.level}"}
                        for c in wrong
                    ],
                )
        levels = list(dict.fromkeys(by_code[c] for c in q.areas))
    else:
        levels = [q.level or DEFAULT_LEVEL]
    as_of = effective_as_of(q.as_of, store_state())
    parts = []
    decimals: dict[str, int] = {}
    for level in levels:
        part = indicator_frame(level, q.criteria, q.year_from, q.year_to, as_of, q.vintage)
        decimals.update(part.attrs.get("decimals") or {})
        if q.areas:
            part = part[part["area_code"].isin(q.areas)]
        parts.append(part)
    frame = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
    frame = frame.reset_index(drop=True)
    drop = [col for flag, col in OPTIONAL_INDICATOR_COLUMNS.items() if not q.flags.get(flag, True)]
    if drop:
        frame = frame.drop(columns=drop)
    frame.attrs["decimals"] = decimals
    synthetic = bool(frame["synthetic"].any()) if len(frame) else False
    criteria = q.criteria or sorted(frame["criterion"].unique().tolist())
    stem = "keob-indicators-" + "-".join(levels)
    return Dataset(
        frame=frame,
        stem=stem,
        synthetic=synthetic,
        sources=_criterion_sources(criteria, synthetic),
        disclosure=disclosure_rules(),
        disclosure_applied=True,
        notes=(
            "Andele regnes fra summerede tællere og nævnere; resten af byen er hele byen minus "
            "området. Shares are computed from summed numerators and denominators; the rest of "
            "the city is the city minus the area.",
        ),
    )


@lru_cache(maxsize=1)
def disclosure_rules() -> tuple[str, ...]:
    """The disclosure rules applied to every statistic, in words (data/disclosure.yaml)."""
    from indicators import disclosure

    rules = disclosure.load_rules()
    reg, srv, cnt = rules.register, rules.survey, rules.count
    out = [
        f"Primary suppression (register shares): 0 < numerator < {reg.min_count:g}"
        + (f", or 0 < denominator - numerator < {reg.min_count:g}" if reg.complement else "")
        + f", or denominator < {reg.min_denominator:g}.",
        f"Primary suppression (survey shares): 0 < numerator < {srv.min_count:g}"
        + (f", or 0 < respondents - numerator < {srv.min_count:g}" if srv.complement else "")
        + f", or fewer than {srv.min_denominator:g} respondents.",
        f"Primary suppression (counts): 0 < count < {cnt.min_count:g}.",
    ]
    if rules.sensitive:
        out.append(
            f"Sensitive indicators ({', '.join(sorted(rules.sensitive))}): "
            f"minimum {rules.sensitive_min_count:g} for numerator and complement."
        )
    out.append(
        "Secondary suppression: no suppressed figure can be recovered by subtraction across "
        "levels, designation vintages, the rest of the city and the city (protected jointly)."
    )
    out.append("Suppressed numerator, denominator, value, rest of city and gap are left empty.")
    return tuple(out)


_INDICATOR_COLUMN_DOCS = (
    Column("area_code", "string", "KEOB area code.", "KEOB-områdekode."),
    Column("area_name", "string", "Area name.", "Områdets navn."),
    Column("level", "string", "Area level.", "Områdeniveau."),
    Column("criterion", "string", "Criterion code (registry).", "Kriteriekode (registret)."),
    Column("year", "integer", "Statistics year.", "Statistikår."),
    Column("numerator", "number", "Numerator count.", "Tæller.", nullable=True),
    Column("denominator", "number", "Denominator count.", "Nævner.", nullable=True),
    Column(
        "value",
        "number",
        "numerator / denominator in the criterion's unit, rounded to its decimals.",
        "Tæller / nævner i kriteriets enhed, afrundet til dets decimaler.",
        nullable=True,
    ),
    Column(
        "rest_of_city_value",
        "number",
        "The rest of Copenhagen (city minus the area).",
        "Resten af København (hele byen minus området).",
        nullable=True,
        optional=True,
    ),
    Column("city_value", "number", "The whole city.", "Hele byen.", nullable=True, optional=True),
    Column(
        "gap",
        "number",
        "value - rest_of_city_value (percentage points for shares).",
        "Værdi minus resten af byen (procentpoint for andele).",
        nullable=True,
        optional=True,
    ),
    Column(
        "synthetic",
        "boolean",
        "True when any count behind the row is synthetic demo data.",
        "Sand, når et tal bag rækken er syntetiske demodata.",
    ),
)
_DOCUMENTED = {c.name: c for c in _INDICATOR_COLUMN_DOCS}
#: The export contract (``EXPORT_COLUMNS``) with descriptions; a column the export adds
#: later is served too, described generically until it is documented here.
INDICATOR_COLUMNS = tuple(
    _DOCUMENTED.get(name) or Column(name, "any", name, name, nullable=True)
    for name in EXPORT_COLUMNS
)


# ---------------------------------------------------------------------------- areas


def build_areas(q: Query) -> Dataset:
    monitor = data.monitor()
    if q.areas:
        rows = _check_areas(q.areas)
        levels = sorted(set(rows["level"]), key=AREA_LEVELS.index)
    else:
        levels = [q.level] if q.level else list(AREA_LEVELS)
    parts = [monitor.area_geometries(level) for level in levels]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if q.level:
        table = table[table["level"] == q.level]
    if q.areas:
        table = table[table["code"].isin(q.areas)]
    table = table.sort_values(
        ["level", "code"], key=lambda s: s.map(AREA_LEVELS.index) if s.name == "level" else s
    ).reset_index(drop=True)
    geometry = [None if b is None else shapely.from_wkb(b) for b in table["geometry_wkb"]]
    frame = gpd.GeoDataFrame(
        {
            "area_code": table["code"].astype(str).to_numpy(),
            "area_name": table["name"].astype(str).to_numpy(),
            "level": table["level"].astype(str).to_numpy(),
        },
        geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    if not q.route.formats or formats.FORMATS[q.format].geo or q.format == "parquet":
        out: pd.DataFrame = frame
    else:
        out = pd.DataFrame(frame.drop(columns="geometry"))
    stem = "keob-areas" + (f"-{q.level}" if q.level else "")
    return Dataset(
        frame=out,
        stem=stem,
        sources=(_geography_source(),),
        notes=(
            "Geometri i EPSG:4326 (WGS 84), fuld opløsning fra lageret. Aggregerede områder er "
            "opløst fra deres roder. Geometry in EPSG:4326, full resolution; aggregate areas are "
            "dissolved from their roder.",
        ),
    )


AREA_COLUMNS = (
    Column("area_code", "string", "KEOB area code.", "KEOB-områdekode."),
    Column("area_name", "string", "Area name.", "Områdets navn."),
    Column("level", "string", "Area level.", "Områdeniveau."),
)


# ---------------------------------------------------------------------------- criteria

CRITERIA_FIELDS = (
    ("criterion", "string", "Registry code.", "Kode i registret."),
    ("kind", "string", "criterion or context.", "criterion (kriterium) eller context."),
    ("order", "integer", "Display order.", "Visningsrækkefølge."),
    ("name_da", "string", "Name in Danish.", "Navn på dansk."),
    ("name_en", "string", "Name in English.", "Navn på engelsk."),
    ("short_da", "string", "Short label in Danish.", "Kort etiket på dansk."),
    ("short_en", "string", "Short label in English.", "Kort etiket på engelsk."),
    ("definition_da", "string", "Definition in Danish.", "Definition på dansk."),
    ("definition_en", "string", "Definition in English.", "Definition på engelsk."),
    ("numerator_da", "string", "Numerator in Danish.", "Tæller på dansk."),
    ("numerator_en", "string", "Numerator in English.", "Tæller på engelsk."),
    ("denominator_da", "string", "Denominator in Danish.", "Nævner på dansk."),
    ("denominator_en", "string", "Denominator in English.", "Nævner på engelsk."),
    ("age_band", "string", "Age band.", "Aldersgruppe."),
    ("unit", "string", "pct (share in percent) or count.", "pct (andel i procent) eller count."),
    ("decimals", "integer", "Decimals of value columns.", "Decimaler i værdikolonner."),
    ("polarity", "integer", "1 higher is better, -1 worse.", "1 højere er bedre, -1 værre."),
    ("basis", "string", "register or survey.", "register eller survey (spørgeskema)."),
    ("source", "string", "Source of the figures.", "Kilde til tallene."),
)
CRITERIA_COLUMNS = _columns(CRITERIA_FIELDS)


def build_criteria(q: Query) -> Dataset:
    _check_criteria(q.criteria)
    frame = registry_frame().rename(columns={"code": "criterion"})
    if q.criteria:
        frame = frame[frame["criterion"].isin(q.criteria)]
    frame = frame[[c.name for c in CRITERIA_COLUMNS]].reset_index(drop=True)
    return Dataset(frame=frame, stem="keob-criteria", sources=(_project_source(),))


# ---------------------------------------------------------------------------- batches

BATCH_FIELDS = (
    ("batch_id", "integer", "Load batch id.", "Indlæsningens id.", False),
    ("kind", "string", "What was loaded.", "Hvad der blev indlæst.", False),
    ("file_name", "string", "The file loaded.", "Den indlæste fil.", False),
    ("checksum", "string", "SHA-256 of the file.", "Filens SHA-256.", False),
    (
        "loaded_at",
        "string",
        "When: ISO 8601, Copenhagen time with its offset (2026-12-03T13:05:12.345678+01:00); "
        "usable as as_of.",
        "Hvornår: ISO 8601, dansk tid med forskydning (2026-12-03T13:05:12.345678+01:00); "
        "kan bruges som as_of.",
        False,
    ),
    ("rows_in_file", "integer", "Rows in the file.", "Rækker i filen.", True),
    ("rows_written", "integer", "Rows written.", "Skrevne rækker.", True),
    ("rows_unchanged", "integer", "Rows already in the store.", "Uændrede rækker.", True),
    ("note", "string", "Note.", "Note.", True),
)
BATCH_COLUMNS = _columns(BATCH_FIELDS)


def build_batches(q: Query) -> Dataset:
    batches = data.monitor().batches().rename(columns={"id": "batch_id"})
    loaded = [_utc(t) for t in batches["loaded_at"]]
    if q.as_of is not None:
        keep = [t <= q.as_of for t in loaded]
        batches = batches[keep]
        loaded = [t for t, k in zip(loaded, keep, strict=True) if k]
    frame = pd.DataFrame(
        {
            "batch_id": batches["batch_id"].astype(int).to_numpy(),
            "kind": batches["kind"].astype(str).to_numpy(),
            "file_name": batches["file_name"].astype(str).to_numpy(),
            "checksum": batches["checksum"].astype(str).to_numpy(),
            "loaded_at": [times.local_text(t, sep="T") for t in loaded],
            "rows_in_file": batches["rows_in_file"].astype("Int64").to_numpy(),
            "rows_written": batches["rows_written"].astype("Int64").to_numpy(),
            "rows_unchanged": batches["rows_unchanged"].astype("Int64").to_numpy(),
            "note": _nullable_text(batches["note"]),
        }
    )
    return Dataset(
        frame=frame,
        stem="keob-batches",
        sources=(_project_source(),),
        notes=(
            "Hvem der indlæste, gemmes i lageret til revision, men udgives ikke. Who loaded a "
            "batch is kept in the store for audit but not published.",
        ),
    )


# ---------------------------------------------------------------------------- coverage


def coverage_codes() -> list[str]:
    """The coverage and environment indicators (registry kind ``coverage``)."""
    return [code for code, ind in load_registry().items() if ind.kind == "coverage"]


def build_coverage(q: Query) -> Dataset:
    """The indicator table restricted to the coverage indicators (same export, same
    disclosure control), with the coverage run's method in the provenance."""
    codes = coverage_codes()
    wrong = [c for c in q.criteria if c in load_registry() and c not in codes]
    if wrong:
        raise Problem(
            "not-found",
            f"{', '.join(wrong)} are not coverage indicators; coverage has {', '.join(codes)}.",
            invalid_params=[
                {"name": "criterion", "reason": f"{c!r} is not a coverage indicator"} for c in wrong
            ],
        )
    inner = Query(
        route=q.route,
        format=q.format,
        level=q.level,
        areas=q.areas,
        criteria=q.criteria or codes,
        year_from=q.year_from,
        year_to=q.year_to,
        as_of=q.as_of,
        vintage=q.vintage,
        flags=q.flags,
    )
    dataset = build_indicators(inner)
    dataset.stem = dataset.stem.replace("keob-indicators", "keob-coverage")
    notes = list(dataset.notes)
    run = _coverage_run()
    if run:
        notes.append(run)
    dataset.notes = tuple(notes)
    facility_sources = [
        formats.Source(
            "Københavns Kommune, faciliteter og grønne områder (WFS k101, data.kk.dk)",
            KK_LICENCE,
            "Indeholder data fra Københavns Kommune (opendata.dk, CC BY 4.0).",
            KK_LICENCE_URL,
        ),
        formats.Source(
            "Miljøstyrelsen, støjkortlægning 2022 (vejstøj, Lden)",
            "Fri genbrug med kildeangivelse",
            "Miljøstyrelsen (støjkortlægning 2022).",
            "",
        ),
    ]
    dataset.sources = formats.sources_from(
        [(s.name, s.licence, s.attribution, s.url) for s in (*dataset.sources, *facility_sources)]
    )
    return dataset


def _coverage_run() -> str:
    run = data.monitor().coverage_run()
    if run is None:
        return ""
    return (
        f"Dækningsberegning #{run.id} ({run.created_at:%Y-%m-%d}): befolkningsår {run.year}, "
        f"beboerceller {run.cell_method}, afstand {run.distance_method}. {run.note or ''}"
    ).strip()


# ---------------------------------------------------------------------------- facilities

FACILITY_FIELDS = (
    ("facility_id", "integer", "Facility id in the store.", "Facilitetens id i lageret.", False),
    ("kind", "string", "Kind of facility.", "Facilitetstype.", False),
    ("name", "string", "Name.", "Navn.", True),
    ("category", "string", "Category.", "Kategori.", True),
    ("municipality", "string", "Municipality.", "Kommune.", True),
    ("source", "string", "Source and licence.", "Kilde og licens.", True),
    ("year", "integer", "Year of the layer.", "Lagets år.", True),
    ("lon", "number", "Longitude (WGS 84) of a point on it.", "Længdegrad (WGS 84).", True),
    ("lat", "number", "Latitude (WGS 84) of a point on it.", "Breddegrad (WGS 84).", True),
)
FACILITY_COLUMNS = _columns(FACILITY_FIELDS)


def facility_kinds() -> list[str]:
    from indicators import coverage

    return list(coverage.FACILITY_KINDS)


def build_facilities(q: Query) -> Dataset:
    known = facility_kinds()
    unknown = [k for k in q.kinds if k not in known]
    if unknown:
        raise Problem(
            "not-found",
            f"Unknown facility kind(s): {', '.join(unknown)}. Known: {', '.join(known)}.",
            invalid_params=[{"name": "kind", "reason": f"{k!r} is not a kind"} for k in unknown],
        )
    table = data.monitor().facilities(q.kinds)
    geoms = shapely.from_wkb(table["geometry_wkb"].to_numpy()) if len(table) else []
    frame = gpd.GeoDataFrame(
        {
            "facility_id": table["id"].astype(int).to_numpy(),
            "kind": table["kind"].astype(str).to_numpy(),
            "name": _nullable_text(table["name"]),
            "category": _nullable_text(table["category"]),
            "municipality": _nullable_text(table["municipality"]),
            "source": _nullable_text(table["source"]),
            "year": table["year"].astype("Int64").to_numpy(),
        },
        geometry=gpd.GeoSeries(list(geoms), crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    if q.areas:
        rows = _check_areas(q.areas)
        shapes = []
        for level in sorted(set(rows["level"])):
            geo = data.monitor().area_geometries(level)
            geo = geo[geo["code"].isin(q.areas) & geo["geometry_wkb"].notna()]
            shapes.extend(shapely.from_wkb(geo["geometry_wkb"].to_numpy()))
        if shapes:
            union = shapely.union_all(shapes)
            frame = frame[frame.geometry.intersects(union)]
        else:
            frame = frame.iloc[0:0]
    points = frame.geometry.representative_point()
    frame = frame.assign(
        lon=points.x.round(7).to_numpy(), lat=points.y.round(7).to_numpy()
    ).reset_index(drop=True)
    frame = frame[[*(c.name for c in FACILITY_COLUMNS), "geometry"]]
    if not (formats.FORMATS[q.format].geo or q.format == "parquet"):
        frame = pd.DataFrame(frame.drop(columns="geometry"))
    sources = formats.sources_from(
        (str(src), KK_LICENCE, "Indeholder data fra Københavns Kommune (CC BY 4.0).", "")
        for src in sorted(table["source"].dropna().unique())
    ) or (_geography_source(),)
    stem = "keob-facilities" + (f"-{'-'.join(q.kinds)}" if q.kinds else "")
    return Dataset(
        frame=frame,
        stem=stem,
        sources=sources,
        notes=(
            "Faciliteter fra Københavns Kommunes åbne data; parker og vand er flader, resten "
            "punkter. lon/lat er et punkt på geometrien. Facilities from the City of "
            "Copenhagen's open data; lon/lat is a point on the geometry.",
        ),
    )


def _nullable_text(values: pd.Series) -> Any:
    return values.astype(object).where(values.notna(), None).to_numpy()


# ---------------------------------------------------------------------------- state lists


@lru_cache(maxsize=8)
def _classified(url: str, version: str, as_of: datetime | None) -> pd.DataFrame:
    del url, version  # cache key only
    # The store held nothing before its first load (and the as-of read would say so).
    frame = pd.DataFrame() if as_of is BEFORE_ANY_BATCH else data.monitor().state_lists(as_of)
    return pd.DataFrame(columns=STATE_LIST_CORE) if frame.empty else frame


STATE_LIST_CORE = ["area_id", "area_name", "year", "rules", "category", "risk_level", "synthetic"]
STATE_LIST_COLUMNS = (
    Column("area_id", "string", "State-list area key.", "Statslisteområdets nøgle."),
    Column("area_name", "string", "Name.", "Navn.", nullable=True),
    Column("year", "integer", "List year.", "Listeår."),
    Column("rules", "string", "Rule set used (by list year).", "Regelsæt (efter listeår)."),
    Column("category", "string", "Highest list category met.", "Højeste kategori, der er opfyldt."),
    Column(
        "risk_level",
        "string",
        "Early warning: none, watch, high, listed.",
        "Tidlig varsling: none, watch, high, listed.",
    ),
    Column(
        "criteria_met",
        "integer",
        "Criteria met at the udsat (before 2018: ghetto) thresholds.",
        "Kriterier opfyldt ved grænserne for udsat (før 2018: ghetto).",
    ),
    Column(
        "criteria_met_forebyggelse",
        "integer",
        "Criteria met at the forebyggelse thresholds (from 2021; empty before).",
        "Kriterier opfyldt ved grænserne for forebyggelse (fra 2021; tom før).",
        nullable=True,
    ),
    Column(
        "udviklingsplan",
        "boolean",
        "True from the area's first omdannelse year on: it stays under its development "
        "plan (almenboligloven § 168 a) after leaving the list.",
        "Sand fra områdets første år som omdannelsesområde: det forbliver under sin "
        "udviklingsplan (almenboligloven § 168 a) efter at have forladt listen.",
    ),
    Column("synthetic", "boolean", "True for synthetic demo inputs.", "Sand for demodata."),
)


def build_state_lists(q: Query) -> Dataset:
    state = store_state()
    as_of = effective_as_of(q.as_of, state)
    frame = _classified(data.database_url(), state.version, as_of)
    if q.areas and not frame.empty:
        keys = {
            code
            for column in ("area_id", "byomraade", "members")
            if column in frame
            for value in frame[column].dropna().astype(str)
            for code in value.replace(",", " ").split()
        }
        missing = [c for c in q.areas if c not in keys]
        if missing:
            raise Problem(
                "not-found",
                f"No state-list area matches {', '.join(missing)} (an area_id, a member "
                "boligområde code or an udsat byområde code).",
                invalid_params=[
                    {"name": "area", "reason": f"{c!r} is not a state-list area"} for c in missing
                ],
            )
        wanted = set(q.areas)

        def matches(row: pd.Series) -> bool:
            codes = {str(row.get("area_id")), str(row.get("byomraade"))}
            codes.update(str(row.get("members") or "").replace(",", " ").split())
            return bool(codes & wanted)

        frame = frame[frame.apply(matches, axis=1)]
    elif q.areas:
        raise Problem(
            "not-found",
            "No state-list inputs are loaded, so no area matches.",
            invalid_params=[
                {"name": "area", "reason": f"{c!r} is not a state-list area"} for c in q.areas
            ],
        )
    if q.year_from is not None:
        frame = frame[frame["year"] >= q.year_from]
    if q.year_to is not None:
        frame = frame[frame["year"] <= q.year_to]
    frame = frame.reset_index(drop=True)
    synthetic = bool(frame["synthetic"].any()) if "synthetic" in frame and len(frame) else False
    sources = [
        formats.Source(
            "Social-, Bolig- og Ældreministeriet: statslisternes kriterier "
            "(almenboligloven § 61 a og § 61 b); regler i data/state_list_rules.yaml",
            "Offentlige data",
            "",
            "",
        )
    ]
    if synthetic:
        sources.append(_synthetic_source())
    return Dataset(
        frame=frame,
        stem="keob-state-lists",
        synthetic=synthetic,
        sources=tuple(sources),
        notes=(
            "Klassifikation efter almenboligloven § 61 a/b med tidlig varsling "
            "(indicators/state_lists.py). Statslisternes kriterier offentliggøres pr. "
            "boligområde af ministeriet og er ikke omfattet af diskretioneringen af "
            "indikatorerne. Classification under the state-list rules with early warning; the "
            "criteria are published per area and not subject to the indicators' disclosure "
            "control.",
        ),
    )


# ---------------------------------------------------------------------------- initiatives


def build_initiatives(q: Query) -> Dataset:
    from indicators import initiatives as ini

    monitor = data.monitor()
    _check_criteria(q.criteria)
    register = monitor.initiatives()
    if register is None:
        frame = pd.DataFrame(columns=ini.CSV_COLUMNS)
        return Dataset(frame=frame, stem="keob-initiatives", sources=(_project_source(),))
    table = ini.initiatives_frame(register)
    if q.areas:
        _check_areas(q.areas)
        membership = monitor.initiative_membership()
        ids: set[str] = set()
        for code in q.areas:
            ids.update(ini.initiatives_for_area(register, code, membership)["id"])
        table = table[table["id"].isin(ids)]
    if q.criteria:
        wanted = set(q.criteria)
        table = table[table["criteria"].map(lambda c: bool(wanted.intersection(c or ())))]
    if q.year_from is not None:
        table = table[table["period_end"].isna() | (table["period_end"] >= q.year_from)]
    if q.year_to is not None:
        table = table[table["period_start"].isna() | (table["period_start"] <= q.year_to)]
    frame = ini.csv_frame(register, table.reset_index(drop=True))
    for column in ("period_start", "period_end", "goal"):
        if column in frame:
            frame[column] = frame[column].astype("Int64")
    return Dataset(
        frame=frame,
        stem=f"keob-initiatives-{register.vintage}",
        sources=(
            formats.Source(
                f"Københavns Kommune: Handleplan for udsatte byområder ({register.vintage}); "
                f"{register.source}",
                "Offentligt dokument",
                "",
                "",
            ),
            _project_source(),
        ),
        notes=(
            "En indsats kører i et område, når den navngiver det, dækker hele byen, eller når "
            "dens steder ligger i området (indicators/initiatives.py). An initiative runs in an "
            "area when it names it, covers the whole city or its places lie in the area.",
        ),
    )


def _initiative_columns() -> tuple[Column, ...]:
    """The initiatives download contract (``indicators.initiatives.CSV_COLUMNS``)."""
    try:
        from indicators.initiatives import CSV_COLUMNS
    except ImportError:
        return ()
    return tuple(
        Column(
            name,
            "any",
            INITIATIVE_DOCS.get(name, name),
            INITIATIVE_DOCS.get(name, name),
            nullable=True,
        )
        for name in CSV_COLUMNS
    )


INITIATIVE_DOCS = {
    "vintage": "Plan vintage (e.g. 2027-2028).",
    "id": "Initiative id.",
    "goal": "Strategic goal (1 or 2).",
    "focus_area": "Focus area code.",
    "funded": "finansieret (funded) or ufinansieret (unfunded).",
    "title": "Title.",
    "administrations": "Responsible administrations, separated by '; '.",
    "places": "Places named, as 'name: CODE CODE', separated by '; '.",
    "area_codes": "Area codes of the places, space-separated.",
    "period_start": "First year.",
    "period_end": "Last year.",
    "criteria": "Criteria the initiative is aimed at, separated by '; '.",
}


# ============================================================================ route table

TABULAR = formats.TABULAR_FORMATS
# The indicator-shaped routes (indicators, coverage) take the same filters.
INDICATOR_PARAMS = (
    "level",
    "area",
    "criterion",
    "year_from",
    "year_to",
    "as_of",
    "vintage",
    "rest_of_city",
    "city",
    "gap",
)
WITH_GEO = (*formats.TABULAR_FORMATS, *formats.GEO_FORMATS)

ROUTES: tuple[Route, ...] = (
    Route(
        name="indicators",
        summary_en="Indicator values per area, criterion and year",
        summary_da="Indikatorværdier pr. område, kriterium og år",
        description_en=(
            "The indicator table of the app's Data page: one row per area, criterion and "
            "year with counts, the value, the rest of the city, the whole city and the gap. "
            "Written by the one export function of the app (indicators.services.export)."
        ),
        description_da=(
            "Indikatortabellen fra appens Data-side: en række pr. område, kriterium og år med "
            "tæller, nævner, værdi, resten af byen, hele byen og forskellen. Skrevet af appens "
            "ene eksportfunktion (indicators.services.export)."
        ),
        params=INDICATOR_PARAMS,
        formats=TABULAR,
        columns=INDICATOR_COLUMNS,
        build=build_indicators,
    ),
    Route(
        name="areas",
        summary_en="Areas with their geometry",
        summary_da="Områder med geometri",
        description_en=(
            "Every area (rode, kvarter, bydel, lokaludvalg, udsat byområde, boligområde, the "
            "city) with its code, name and level; GeoJSON, GeoPackage and Parquet "
            "(GeoParquet) carry the geometry in EPSG:4326."
        ),
        description_da=(
            "Alle områder (rode, kvarter, bydel, lokaludvalg, udsat byområde, boligområde, "
            "hele byen) med kode, navn og niveau; GeoJSON, GeoPackage og Parquet (GeoParquet) "
            "har geometrien i EPSG:4326."
        ),
        params=("level", "area"),
        formats=WITH_GEO,
        columns=AREA_COLUMNS,
        build=build_areas,
        geo=True,
    ),
    Route(
        name="criteria",
        summary_en="The data dictionary: criteria and context indicators",
        summary_da="Dataordbogen: kriterier og kontekstindikatorer",
        description_en=(
            "The indicator registry (data/criteria.yaml): names, definitions, numerator, "
            "denominator, unit, decimals, polarity, basis and source of every indicator."
        ),
        description_da=(
            "Indikatorregistret (data/criteria.yaml): navn, definition, tæller, nævner, "
            "enhed, decimaler, retning, grundlag og kilde for hver indikator."
        ),
        params=("criterion",),
        formats=TABULAR,
        columns=CRITERIA_COLUMNS,
        build=build_criteria,
    ),
    Route(
        name="state-lists",
        summary_en="State lists (§ 61 a/b): classification and early warning",
        summary_da="Statslister (§ 61 a/b): klassifikation og tidlig varsling",
        description_en=(
            "Each state-list area and list year classified under the rules of that year: "
            "criteria met, category, thresholds and margins, and the early warning (close, "
            "projected, risk level). `area` matches an area_id, a member boligområde code "
            "(A...) or an udsat byområde code."
        ),
        description_da=(
            "Hvert statslisteområde og listeår klassificeret efter årets regler: opfyldte "
            "kriterier, kategori, grænser og margener samt tidlig varsling. `area` kan være "
            "et area_id, en boligafdelings kode (A...) eller et udsat byområde."
        ),
        params=("area", "year_from", "year_to", "as_of"),
        formats=TABULAR,
        columns=STATE_LIST_COLUMNS,
        build=build_state_lists,
        module="indicators.state_lists",
        open_columns=True,
    ),
    Route(
        name="coverage",
        summary_en="Coverage and noise indicators per area",
        summary_da="Dækning og støj pr. område",
        description_en=(
            "The coverage indicators (share of residents within a distance of playgrounds, "
            "libraries, culture houses and green areas; share exposed to road noise) per "
            "area and year: the indicator table restricted to kind=coverage, with the same "
            "disclosure control."
        ),
        description_da=(
            "Dækningsindikatorerne (andel beboere inden for en afstand af legepladser, "
            "biblioteker, kulturhuse og grønne områder; andel udsat for vejstøj) pr. område og "
            "år: indikatortabellen for kind=coverage, med samme diskretionering."
        ),
        params=INDICATOR_PARAMS,
        formats=TABULAR,
        columns=INDICATOR_COLUMNS,
        build=build_coverage,
        module="indicators.coverage",
    ),
    Route(
        name="facilities",
        summary_en="Facilities: playgrounds, libraries, culture houses, parks ...",
        summary_da="Faciliteter: legepladser, biblioteker, kulturhuse, parker ...",
        description_en=(
            "The facility layers behind the coverage indicators, with geometry (GeoJSON, "
            "GeoPackage, GeoParquet). `kind` picks layers; `area` keeps the facilities that "
            "touch the areas."
        ),
        description_da=(
            "Facilitetslagene bag dækningsindikatorerne, med geometri. `kind` vælger lag; "
            "`area` beholder faciliteterne, der rører områderne."
        ),
        params=("kind", "area"),
        formats=WITH_GEO,
        columns=FACILITY_COLUMNS,
        build=build_facilities,
        geo=True,
        module="db.facility_store",
    ),
    Route(
        name="initiatives",
        summary_en="The action plan's initiatives",
        summary_da="Handleplanens indsatser",
        description_en=(
            "The initiatives of the newest action plan (Handleplan for udsatte byområder). "
            "`area` keeps initiatives running in the areas (named, city-wide, inside or "
            "partly), `criterion` those aimed at the criteria, years the overlapping periods."
        ),
        description_da=(
            "Indsatserne i den nyeste handleplan. `area` beholder indsatser, der kører i "
            "områderne, `criterion` dem, der retter sig mod kriterierne, og årene de "
            "overlappende perioder."
        ),
        params=("area", "criterion", "year_from", "year_to"),
        formats=TABULAR,
        columns=_initiative_columns(),
        build=build_initiatives,
        module="indicators.initiatives",
        open_columns=True,
    ),
    Route(
        name="batches",
        summary_en="Provenance: every load into the store",
        summary_da="Proveniens: alle indlæsninger i lageret",
        description_en=(
            "Each load batch: what was loaded, from which file (with its SHA-256), when, and "
            "how many rows it wrote. `as_of` lists the batches loaded by then."
        ),
        description_da=(
            "Hver indlæsning: hvad, fra hvilken fil (med SHA-256), hvornår og hvor mange rækker "
            "den skrev. `as_of` viser indlæsningerne indtil da."
        ),
        params=("as_of",),
        formats=TABULAR,
        columns=BATCH_COLUMNS,
        build=build_batches,
    ),
)


def route(name: str) -> Route:
    for r in ROUTES:
        if r.name == name:
            return r
    raise KeyError(name)


# ============================================================================ responses


def etag_for(q: Query, version: str) -> str:
    key = "|".join(
        [ETAG_SALT, version, q.route.name, q.format, orjson.dumps(q.normalised()).decode()]
    )
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _header_text(text: str) -> str:
    """Header values in ASCII: anything else is percent-encoded UTF-8 (clients differ in
    how they decode Latin-1, the only other charset HTTP allows)."""
    if text.isascii():
        return text
    return quote(text, safe=" ,;:/()=+.-_'<>")


def _base_headers(q: Query, state: StoreState, etag: str) -> dict[str, str]:
    headers = {
        "ETag": f'"{etag}"',
        "Cache-Control": "public, no-cache",
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Expose-Headers": (
            "ETag, Last-Modified, Link, Content-Disposition, X-KEOB-Data-Version, "
            "X-KEOB-Extracted-At, X-KEOB-Synthetic, X-KEOB-Disclosure-Control, X-KEOB-Licence"
        ),
        "X-KEOB-Data-Version": _header_text(state.version),
        "Link": f'<{DOCS_PATH}>; rel="help", <{PREFIX}/openapi.json>; rel="service-desc"',
    }
    if state.last_modified is not None:
        headers["Last-Modified"] = _http_date(state.last_modified)
    return headers


def _http_date(moment: datetime) -> str:
    from werkzeug.http import http_date

    return http_date(moment)


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
    headers = _base_headers(q, state, etag)
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
        attribution=data.attribution() or "Indeholder data fra Københavns Kommune (CC BY 4.0).",
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
            "X-KEOB-Licence": _header_text(
                ", ".join(dict.fromkeys(s.licence for s in dataset.sources)) or KK_LICENCE
            ),
            "X-KEOB-Rows": str(len(dataset.frame)),
        }
    )
    headers["X-KEOB-Disclosure-Control"] = _header_text(headers["X-KEOB-Disclosure-Control"])
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
    from dashboard.openapi import openapi_document

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
