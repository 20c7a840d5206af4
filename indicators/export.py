"""THE export of indicator tables: one function for the CLI, the app's download and the API.

:func:`indicator_export_frame` builds the table, :func:`write_csv` writes it as RFC 4180
CSV in UTF-8. The columns are a contract (``EXPORT_COLUMNS``); they do not follow the
store's schema:

==================== =====================================================================
area_code            KEOB area code (``R101``, ``B3``, ``ub-noerrebro``, ``kbh`` ...)
area_name            the area's name
level                rode, kvarter, bydel, lokaludvalg, udsat_byomraade, boligomraade, city
criterion            registry code (data/criteria.yaml)
year                 the statistics year
numerator            count (summed over the area's roder for aggregates)
denominator          count
value                numerator / denominator in the criterion's unit (percent for shares),
                     rounded to the registry's decimals
rest_of_city_value   the rest of Copenhagen (city minus the area), same unit and rounding
city_value           the whole city, same unit and rounding
gap                  value - rest_of_city_value, computed before rounding and then rounded
synthetic            true when any count behind the row is demo data (not statistics)
==================== =====================================================================

Every export can be asked ``as_of`` a moment (what the store held then, to reproduce a
published report) and for a designation ``vintage`` (the areas as designated then).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO

import numpy as np
import pandas as pd

from db import store
from indicators.monitor import Monitor

EXPORT_COLUMNS = [
    "area_code",
    "area_name",
    "level",
    "criterion",
    "year",
    "numerator",
    "denominator",
    "value",
    "rest_of_city_value",
    "city_value",
    "gap",
    "synthetic",
]
_ROUNDED = ["value", "rest_of_city_value", "city_value", "gap"]


def indicator_export_frame(
    monitor: Monitor,
    level: str,
    criteria: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    as_of: datetime | None = None,
    vintage: int | None = None,
) -> pd.DataFrame:
    """The indicator table of every area of ``level`` (columns ``EXPORT_COLUMNS``).

    Raises KeyError for a criterion that is not in the registry. Rows are ordered by
    area code, criterion (registry order) and year. ``frame.attrs["decimals"]`` maps each
    criterion to its decimals (used by :func:`write_csv`).
    """
    registry = monitor.registry
    if criteria:
        unknown = [c for c in criteria if c not in registry]
        if unknown:
            raise KeyError(f"unknown criterion {', '.join(unknown)}; known: {', '.join(registry)}")
    comparison = monitor.published_comparison(level, vintage, utc(as_of))
    frame = comparison
    if criteria:
        frame = frame[frame["indicator"].isin(list(criteria))]
    if year_from is not None:
        frame = frame[frame["year"] >= year_from]
    if year_to is not None:
        frame = frame[frame["year"] <= year_to]
    out = pd.DataFrame(
        {
            "area_code": frame["area_code"].astype(str),
            "area_name": frame["area_name"].fillna("").astype(str),
            "level": level,
            "criterion": frame["indicator"].astype(str),
            "year": frame["year"].astype(int),
            "numerator": frame["numerator"].astype(float),
            "denominator": frame["denominator"].astype(float),
            "value": frame["value"].astype(float),
            "rest_of_city_value": frame["rest_value"].astype(float),
            "city_value": frame["city_value"].astype(float),
            "gap": frame["gap"].astype(float),
            "synthetic": frame["synthetic"].astype(bool) if "synthetic" in frame else False,
        }
    )
    decimals = {code: ind.decimals for code, ind in registry.items()}
    places = out["criterion"].map(decimals).fillna(1).astype(int)
    for column in _ROUNDED:
        out[column] = _round(out[column].to_numpy(), places.to_numpy())
    order = {code: i for i, code in enumerate(registry)}
    out["_order"] = out["criterion"].map(order)
    out = out.sort_values(["area_code", "_order", "year"], kind="stable").drop(columns="_order")
    out = out[EXPORT_COLUMNS].reset_index(drop=True)
    out.attrs["decimals"] = {c: decimals[c] for c in out["criterion"].unique()}
    return out


def utc(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC, the zone the store keeps load times in (naive means UTC).

    SQLite compares times as text without a zone, so an as-of time in another zone must
    be converted before it reaches a query.
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _round(values: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Round half away from zero to each row's decimals (12.25 -> 12.3 at 1 decimal).

    The scaled value is first rounded to 9 decimals so that binary noise (1.005 is
    stored as 1.00499999...) does not decide the direction, as it would not in Excel.
    """
    values = np.asarray(values, dtype=float)
    factor = 10.0 ** np.asarray(places, dtype=float)
    with np.errstate(invalid="ignore"):
        scaled = np.round(np.abs(values) * factor, 9)
        return np.sign(values) * np.floor(scaled + 0.5) / factor


def write_csv(frame: pd.DataFrame, fh: IO, *, bom: bool = False) -> None:
    """Write ``frame`` as RFC 4180 CSV (CRLF, quotes where needed) in UTF-8.

    ``fh`` may be a text stream (open it with ``newline=""``) or a binary one. Missing
    values are empty fields; booleans are ``true``/``false``; counts print without a
    trailing ``.0``; value columns print with the criterion's decimals when
    ``frame.attrs["decimals"]`` is set. ``bom=True`` writes a UTF-8 BOM (for Excel).
    """
    text = fh if _is_text(fh) else io.TextIOWrapper(fh, encoding="utf-8", newline="")
    try:
        if bom:
            text.write("\ufeff")
        writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(list(frame.columns))
        decimals = frame.attrs.get("decimals") or {}
        crit = frame["criterion"].tolist() if "criterion" in frame else [None] * len(frame)
        if isinstance(decimals, int):  # one criterion: the same decimals on every row
            decimals = dict.fromkeys(set(crit), decimals)
        columns = []
        for name in frame.columns:
            values = frame[name].tolist()
            if name in _ROUNDED and decimals:
                columns.append(
                    [_fixed(v, decimals.get(c)) for v, c in zip(values, crit, strict=True)]
                )
            else:
                columns.append([_cell(v) for v in values])
        writer.writerows(zip(*columns, strict=True))
    finally:
        if text is not fh:
            text.flush()
            text.detach()


def _is_text(fh: IO) -> bool:
    return isinstance(fh, io.TextIOBase) or hasattr(fh, "encoding")


def _cell(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, datetime):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return stamp.isoformat()
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            return ""
        return f"{value:.15g}" if not float(value).is_integer() else str(int(value))
    return str(value)


def _fixed(value: object, decimals: int | None) -> str:
    if decimals is None or not isinstance(value, float | np.floating):
        return _cell(value)
    if not math.isfinite(value):
        return ""
    text = f"{value:.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


# --------------------------------------------------------------------------- history


HISTORY_COLUMNS = [
    "year",
    "revision",
    "numerator",
    "denominator",
    "value",
    "synthetic",
    "current",
    "batch_id",
    "loaded_at",
    "loaded_by",
    "file_name",
    "checksum",
    "source_line",
    "source",
]


def series_history(
    monitor: Monitor,
    area_code: str,
    criterion: str,
    *,
    as_of: datetime | None = None,
    vintage: int | None = None,
) -> pd.DataFrame:
    """Every revision of one area's series, with the batch that brought it.

    For an area with stored observations (a rode, or figures loaded directly on an
    aggregate) these are the stored revisions. For an aggregate computed from roder
    (a bydel, an udsat byområde ...) a new "revision" of a year is every batch that
    changed the year's summed counts; ``file_name`` etc. are then that batch's.
    ``current`` marks the row in force (now or ``as_of``). Raises KeyError for an
    unknown area or criterion.
    """
    registry = monitor.registry
    if criterion not in registry:
        raise KeyError(f"unknown criterion {criterion}; known: {', '.join(registry)}")
    if monitor.area_level(area_code) is None:
        raise KeyError(f"unknown area {area_code}")
    scale = registry[criterion].scale
    as_of = utc(as_of)
    direct = store.read_revisions(monitor.engine, [area_code], criterion, as_of=as_of)
    if not direct.empty:
        out = direct.copy()
    else:
        membership = monitor.membership(vintage)
        members = membership.loc[membership["aggregate_code"] == area_code, "member_code"]
        if members.empty:
            return pd.DataFrame(columns=HISTORY_COLUMNS)
        out = _aggregate_history(monitor, list(members), criterion, as_of)
        if out.empty:
            return pd.DataFrame(columns=HISTORY_COLUMNS)
    out["value"] = np.where(
        out["denominator"] > 0,
        out["numerator"] / out["denominator"].where(out["denominator"] > 0) * scale,
        np.nan,
    )
    out["value"] = _round(
        out["value"].to_numpy(dtype=float), np.full(len(out), registry[criterion].decimals)
    )
    latest = out.groupby("year")["revision"].transform("max")
    out["current"] = out["revision"] == latest
    for column in HISTORY_COLUMNS:
        if column not in out:
            out[column] = None
    # Store times are UTC (SQLite hands them back without a zone).
    out["loaded_at"] = [
        None if t is None else (t if t.tzinfo else t.replace(tzinfo=UTC)).astimezone(UTC)
        for t in out["loaded_at"]
    ]
    result = out[HISTORY_COLUMNS].sort_values(["year", "revision"]).reset_index(drop=True)
    result.attrs["decimals"] = registry[criterion].decimals
    return result


def _aggregate_history(
    monitor: Monitor, members: list[str], criterion: str, as_of: datetime | None
) -> pd.DataFrame:
    revs = store.read_revisions(monitor.engine, members, criterion, as_of=as_of)
    if revs.empty:
        return revs
    batches = (
        revs[["batch_id", "loaded_at", "loaded_by", "file_name", "checksum"]]
        .drop_duplicates("batch_id")
        .sort_values(["loaded_at", "batch_id"])
    )
    previous: dict[int, tuple[float, float, bool]] = {}
    revision: dict[int, int] = {}
    rows = []
    seen = pd.Series(False, index=revs.index)
    for b in batches.itertuples(index=False):
        seen |= revs["batch_id"] == b.batch_id
        upto = revs[seen]
        cur = upto.loc[upto.groupby(["area_code", "year"])["revision"].idxmax()]
        sums = cur.groupby("year").agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            synthetic=("synthetic", "any"),
        )
        for year, r in sums.iterrows():
            state = (float(r.numerator), float(r.denominator), bool(r.synthetic))
            if previous.get(int(year)) != state:
                previous[int(year)] = state
                revision[int(year)] = revision.get(int(year), 0) + 1
                rows.append(
                    {
                        "year": int(year),
                        "revision": revision[int(year)],
                        "numerator": state[0],
                        "denominator": state[1],
                        "synthetic": state[2],
                        "batch_id": b.batch_id,
                        "loaded_at": b.loaded_at,
                        "loaded_by": b.loaded_by,
                        "file_name": b.file_name,
                        "checksum": b.checksum,
                        "source": f"sum of {len(members)} member areas",
                    }
                )
    return pd.DataFrame(rows)
