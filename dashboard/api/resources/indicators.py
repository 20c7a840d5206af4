"""The indicator table (``indicators.services.export``), as the app's Data page."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlencode

import pandas as pd

from dashboard import data
from dashboard.api import sources
from dashboard.api.checks import check_areas, check_criteria, check_vintage
from dashboard.api.conditional import BEFORE_ANY_BATCH, effective_as_of, store_state
from dashboard.api.constants import DEFAULT_LEVEL, PREFIX
from dashboard.api.contract import Column, Dataset
from dashboard.api.problems import Problem
from dashboard.api.query import Query
from indicators import formats
from indicators.export import EXPORT_COLUMNS
from indicators.services.export import indicator_export_frame

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
    check_criteria(q.criteria)
    check_vintage(q.vintage)
    levels: list[str]
    if q.areas:
        rows = check_areas(q.areas)
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
        sources=sources.criterion_sources(criteria, synthetic),
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
