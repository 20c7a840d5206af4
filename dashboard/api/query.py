"""Query parsing: every parameter (:data:`PARAMS`) parsed, normalised and checked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from dashboard.api.constants import AREA_CODE_PATTERN, DOCS_PATH, PREFIX, YEAR_MAX, YEAR_MIN
from dashboard.api.problems import Problem
from indicators import formats, times
from indicators.services.monitor import AREA_LEVELS

if TYPE_CHECKING:  # pragma: no cover
    from dashboard.api.contract import Route


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
