"""Core calculators: pure functions on long DataFrames of counts.

Every rate is recomputed from summed numerators and denominators. Rates are never
averaged: an area of 100 residents must not weigh as much as one of 10,000.

Conventions
-----------
A *counts frame* has the columns ``area_code, indicator, year, numerator, denominator``
(optionally ``synthetic``). A *value* is ``numerator / denominator * scale`` in the
indicator's unit (percent for shares). ``polarity`` is +1 when a higher value is better
and -1 when it is worse; the *direction* of a difference is +1 (better), 0 or -1 (worse).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.registry import Indicator

KEY = ["area_code", "indicator", "year"]
SERIES = ["area_code", "indicator"]


def _per_code(indicators: pd.Series, registry: Mapping[str, Indicator], attr) -> pd.Series:  # type: ignore[no-untyped-def]
    """``attr(registry[code])`` per row, looked up once per distinct code (hot path).

    Taken by the integer codes of ``pd.factorize``: ``Series.map`` with a dict hashes
    every row's string again, the slowest step of a comparison over millions of rows.
    """
    codes, uniques = pd.factorize(indicators, use_na_sentinel=False)
    looked_up = np.array([attr(registry[code]) for code in uniques])
    return pd.Series(looked_up[codes], index=indicators.index)


def _scale(indicators: pd.Series, registry: Mapping[str, Indicator]) -> np.ndarray:
    return _per_code(indicators, registry, lambda ind: ind.scale).to_numpy(dtype=float)


def _is_count(indicators: pd.Series, registry: Mapping[str, Indicator]) -> np.ndarray:
    return _per_code(indicators, registry, lambda ind: ind.unit == "count").to_numpy(dtype=bool)


def value_in_unit(
    indicators: pd.Series,
    numerator: pd.Series | np.ndarray,
    denominator: pd.Series | np.ndarray,
    registry: Mapping[str, Indicator],
) -> np.ndarray:
    """Shares as numerator / denominator x scale; counts (e.g. residents) as the numerator.

    A count's denominator is 1 per base unit, so after summing it counts units, not people.
    """
    values = rate(numerator, denominator) * _scale(indicators, registry)
    counts = _is_count(indicators, registry)
    values[counts] = np.asarray(numerator, dtype=float)[counts]
    return values


def _polarity(indicators: pd.Series, registry: Mapping[str, Indicator]) -> np.ndarray:
    return _per_code(indicators, registry, lambda ind: ind.polarity).to_numpy(dtype=float)


def rate(numerator: pd.Series | np.ndarray, denominator: pd.Series | np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 (no population, no value)."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def aggregate_counts(base: pd.DataFrame, membership: pd.DataFrame) -> pd.DataFrame:
    """Sum base-unit counts into aggregate areas.

    Parameters
    ----------
    base
        Counts frame for the base units (roder).
    membership
        ``aggregate_code, member_code``: the base units making up each aggregate.

    Returns
    -------
    Counts frame with ``area_code`` = the aggregate, plus ``synthetic`` (any member value
    synthetic), ``members_reporting`` and ``members_total`` so that incomplete coverage is
    visible rather than silently hidden.
    """
    membership = membership[["aggregate_code", "member_code"]].drop_duplicates()
    totals = membership.groupby("aggregate_code").size().rename("members_total")
    merged = base.merge(membership, left_on="area_code", right_on="member_code", how="inner")
    if "synthetic" not in merged:
        merged["synthetic"] = False
    grouped = (
        merged.groupby(["aggregate_code", "indicator", "year"], sort=True)
        .agg(
            numerator=("numerator", "sum"),
            denominator=("denominator", "sum"),
            synthetic=("synthetic", "any"),
            members_reporting=("area_code", "nunique"),
        )
        .reset_index()
        .merge(totals, left_on="aggregate_code", right_index=True)
        .rename(columns={"aggregate_code": "area_code"})
    )
    grouped["year"] = grouped["year"].astype(int)
    return grouped


def add_values(counts: pd.DataFrame, registry: Mapping[str, Indicator]) -> pd.DataFrame:
    """Add ``value`` in each indicator's unit."""
    out = counts.copy()
    out["value"] = value_in_unit(out["indicator"], out["numerator"], out["denominator"], registry)
    return out


def compare_with_rest(
    area_counts: pd.DataFrame,
    city_counts: pd.DataFrame,
    registry: Mapping[str, Indicator],
) -> pd.DataFrame:
    """Each area against the rest of the city (city minus the area) and the city.

    The rest of the city is computed from counts: ``(N_city - N_area) / (D_city - D_area)``.
    ``gap`` is ``value - rest_value`` in the indicator's unit (percentage points for
    shares); ``gap_ratio`` is ``value / rest_value``; ``direction`` is -1 when the area is
    worse than the rest, +1 when better and 0 when equal, whatever the polarity.
    """
    city = city_counts[["indicator", "year", "numerator", "denominator"]].rename(
        columns={"numerator": "city_numerator", "denominator": "city_denominator"}
    )
    out = area_counts.merge(city, on=["indicator", "year"], how="inner", validate="many_to_one")
    out["rest_numerator"] = out["city_numerator"] - out["numerator"]
    out["rest_denominator"] = out["city_denominator"] - out["denominator"]
    ind = out["indicator"]
    out["value"] = value_in_unit(ind, out["numerator"], out["denominator"], registry)
    out["rest_value"] = value_in_unit(ind, out["rest_numerator"], out["rest_denominator"], registry)
    out["city_value"] = value_in_unit(ind, out["city_numerator"], out["city_denominator"], registry)
    out["gap"] = out["value"] - out["rest_value"]
    out["gap_ratio"] = rate(out["value"], out["rest_value"])
    out.loc[out["rest_value"] == 0, "gap_ratio"] = np.nan
    out["polarity"] = _polarity(out["indicator"], registry).astype(int)
    out["direction"] = direction(out["gap"], out["polarity"])
    return out.sort_values(KEY, kind="stable").reset_index(drop=True)


def direction(difference: pd.Series | np.ndarray, polarity: pd.Series | np.ndarray) -> np.ndarray:
    """+1 where a difference is an improvement (better), -1 where worse, 0 where none.

    NaN differences give 0 (unknown is never coloured as better or worse).
    """
    diff = np.nan_to_num(np.asarray(difference, dtype=float), nan=0.0)
    return (np.sign(diff) * np.asarray(polarity, dtype=float)).astype(int)


def change_since(
    values: pd.DataFrame,
    baseline_year: int,
    registry: Mapping[str, Indicator],
    value_column: str = "value",
) -> pd.DataFrame:
    """Change of ``value_column`` from ``baseline_year`` to each series' latest year.

    Returns one row per ``area_code, indicator`` with ``baseline_value``, ``latest_year``,
    ``latest_value``, ``change`` and ``direction`` (+1 an improvement). Series without a
    baseline value get NaN change.
    """
    present = values.dropna(subset=[value_column])
    latest_idx = present.groupby(SERIES)["year"].idxmax()
    latest = present.loc[latest_idx, [*SERIES, "year", value_column]].rename(
        columns={"year": "latest_year", value_column: "latest_value"}
    )
    base = present.loc[present["year"] == baseline_year, [*SERIES, value_column]].rename(
        columns={value_column: "baseline_value"}
    )
    out = latest.merge(base, on=SERIES, how="left")
    out["baseline_year"] = baseline_year
    out["change"] = out["latest_value"] - out["baseline_value"]
    out["direction"] = direction(out["change"], _polarity(out["indicator"], registry))
    return out.sort_values(SERIES).reset_index(drop=True)


def trend_slope(values: pd.DataFrame, last_n: int = 5, value_column: str = "value") -> pd.DataFrame:
    """Least-squares slope per year of each series over its last ``last_n`` years with data.

    Returns ``area_code, indicator, slope, years_used``; a series with fewer than two
    years gets NaN.
    """
    if last_n < 2:
        raise ValueError("last_n must be at least 2")
    present = values.dropna(subset=[value_column]).sort_values([*SERIES, "year"])
    tail = present.groupby(SERIES, sort=False).tail(last_n)
    # Vectorised least squares: slope = sum((x - mean x)(y - mean y)) / sum((x - mean x)^2)
    # per series, from group sums, instead of a Python loop over up to millions of series.
    x = tail["year"].to_numpy(dtype=float)
    y = tail[value_column].to_numpy(dtype=float)
    keys = [tail[c].to_numpy() for c in SERIES]
    group = tail.assign(_x=x, _y=y).groupby(keys, sort=True)
    mean_x = group["_x"].transform("mean").to_numpy()
    mean_y = group["_y"].transform("mean").to_numpy()
    sums = (
        pd.DataFrame(
            {
                "sxy": (x - mean_x) * (y - mean_y),
                "sxx": (x - mean_x) ** 2,
                "n": 1,
            }
        )
        .groupby(keys, sort=True)
        .sum()
    )
    slope = np.full(len(sums), np.nan)
    np.divide(sums["sxy"].to_numpy(), sums["sxx"].to_numpy(), out=slope, where=sums["sxx"] > 0)
    out = sums.index.to_frame(index=False)
    out.columns = SERIES
    out["slope"] = slope
    out["years_used"] = sums["n"].to_numpy().astype(int)
    return out


def gap_development(comparison: pd.DataFrame, baseline_year: int) -> pd.DataFrame:
    """Is each area's gap to the rest of the city narrowing or widening since the baseline?

    Uses the absolute gap: ``narrowing`` when |gap| is smaller in the latest year than in
    the baseline year, ``widening`` when larger, ``unchanged`` when equal and ``unknown``
    without both years.
    """
    present = comparison.dropna(subset=["gap"])
    latest_idx = present.groupby(SERIES)["year"].idxmax()
    latest = present.loc[latest_idx, [*SERIES, "year", "gap"]].rename(
        columns={"year": "latest_year", "gap": "latest_gap"}
    )
    base = present.loc[present["year"] == baseline_year, [*SERIES, "gap"]].rename(
        columns={"gap": "baseline_gap"}
    )
    out = latest.merge(base, on=SERIES, how="left")
    out["baseline_year"] = baseline_year
    out["gap_change"] = out["latest_gap"].abs() - out["baseline_gap"].abs()
    out["development"] = np.select(
        [out["gap_change"].isna(), out["gap_change"] < 0, out["gap_change"] > 0],
        ["unknown", "narrowing", "widening"],
        default="unchanged",
    )
    return out.sort_values(SERIES).reset_index(drop=True)
