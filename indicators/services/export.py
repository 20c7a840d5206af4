"""THE export of indicator tables: one function for the CLI, the app's download and the API.

:func:`indicator_export_frame` builds the table of ``indicators.export.EXPORT_COLUMNS``
from the disclosure-protected comparison (``Monitor.published_comparison``), and
:func:`series_history` one series' revisions; ``indicators.export.write_csv`` writes
either. Every export can be asked ``as_of`` a moment (what the store held then, to
reproduce a published report) and for a designation ``vintage`` (the areas as designated
then).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from db import store
from indicators.export import (
    EXPORT_COLUMNS,
    HISTORY_COLUMNS,
    ROUNDED_COLUMNS,
    round_half_away,
    utc,
)
from indicators.services.monitor import Monitor


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
    for column in ROUNDED_COLUMNS:
        out[column] = round_half_away(out[column].to_numpy(), places.to_numpy())
    order = {code: i for i, code in enumerate(registry)}
    out["_order"] = out["criterion"].map(order)
    out = out.sort_values(["area_code", "_order", "year"], kind="stable").drop(columns="_order")
    out = out[EXPORT_COLUMNS].reset_index(drop=True)
    out.attrs["decimals"] = {c: decimals[c] for c in out["criterion"].unique()}
    return out


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
    out["value"] = round_half_away(
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
