"""Every calculator over a synthetic store of 100,000 units x 20 years x 8 criteria.

16 million observations (quick mode: 2,000 units, 320,000 observations), generated in
memory with numpy: ``area_code`` and ``indicator`` categorical, ``year`` int16, counts
float32. The floor is one plain pandas group-by over the same frame (sum of numerator
and denominator per indicator and year). Calculators and their inputs:

* ``aggregate_counts``: the units summed into 1,000 aggregates (100 units each);
* ``add_values``, ``compare_with_rest`` (every unit against the rest of the city),
  ``change_since``, ``gap_development``: over all 16 M rows;
* ``trend_slope`` (vectorised group sums): over every unit's 800,000 series and over
  the 8,000 aggregate series;
* ``survey.add_intervals``, ``survey.change_with_noise`` (Wilson / Newcombe): all rows;
* ``progress.progress_table``: OLS projection and target status for all 800,000 series;
* ``state_lists.classify``: 100,000 boligområder x 20 list years (2 M rows), without
  and with the Danish reasons text.

Full mode peaks at about 4.5 GB resident. Runs on a shared 2-core machine
with other work in parallel are pessimistic; compare the ratios to the floor.
"""

from __future__ import annotations

import gc
import time

import numpy as np
import pandas as pd

from benchmarks.harness import Result, compare, median_seconds
from indicators import calculations as calc
from indicators import progress, state_lists, survey
from indicators.registry import CRITERIA_CODES, load_registry

YEARS = 20
FIRST_YEAR = 2006


def make_store(units: int, seed: int = 1) -> pd.DataFrame:
    """Long counts frame: units x years x the 8 criteria (categoricals, int16, float32)."""
    rng = np.random.default_rng(seed)
    n_ind = len(CRITERIA_CODES)
    unit_idx = np.repeat(np.arange(units, dtype=np.int32), YEARS * n_ind)
    year = np.tile(
        np.repeat(np.arange(FIRST_YEAR, FIRST_YEAR + YEARS, dtype=np.int16), n_ind), units
    )
    ind_idx = np.tile(np.arange(n_ind, dtype=np.int8), units * YEARS)
    size = rng.integers(200, 3000, units).astype(np.float32)
    denominator = size[unit_idx] * rng.uniform(0.15, 0.8, n_ind).astype(np.float32)[ind_idx]
    denominator = np.maximum(np.round(denominator), 1).astype(np.float32)
    p = (rng.beta(2, 8, units)[unit_idx] * 0.6 + 0.02).astype(np.float32)
    p *= (1 + 0.01 * (year - FIRST_YEAR)).astype(np.float32)
    numerator = rng.binomial(denominator.astype(np.int64), np.clip(p, 0, 1)).astype(np.float32)
    codes = np.array([f"u{i:06d}" for i in range(units)])
    return pd.DataFrame(
        {
            "area_code": pd.Categorical.from_codes(unit_idx, categories=codes),
            "indicator": pd.Categorical.from_codes(ind_idx, categories=list(CRITERIA_CODES)),
            "year": year,
            "numerator": numerator,
            "denominator": denominator,
        }
    )


def make_state_list_inputs(areas: int, seed: int = 2) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = areas * YEARS
    area = np.repeat(np.arange(areas), YEARS)
    year = np.tile(np.arange(2010, 2010 + YEARS), areas)
    base = rng.uniform(0, 1, (areas, 5))[area]
    drift = rng.normal(0, 0.4, (areas, 5))[area] * (year[:, None] - 2010)
    noise = rng.normal(0, 1, (n, 5))
    return pd.DataFrame(
        {
            "area_id": pd.Categorical.from_codes(area, [f"b{i:06d}" for i in range(areas)]),
            "year": year,
            "residents": rng.integers(900, 5000, areas)[area],
            "non_western_pct": np.clip(base[:, 0] * 80 + drift[:, 0] + noise[:, 0], 0, 100),
            "outside_labour_pct": np.clip(base[:, 1] * 55 + drift[:, 1] + noise[:, 1], 0, 100),
            "convicted_pct": np.clip(base[:, 2] * 3.5 + drift[:, 2] / 10, 0, 100),
            "national_convicted_pct": 0.8,
            "basic_education_pct": np.clip(base[:, 3] * 75 + drift[:, 3] + noise[:, 3], 0, 100),
            "income_pct_of_region": np.clip(45 + base[:, 4] * 50 + drift[:, 4], 1, 300),
        }
    )


def _once(name: str, fn, floor_name: str, floor_seconds: float, **extra: str) -> Result:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    return Result(name, seconds, floor_name, floor_seconds, 1, dict(extra))


def run(quick: bool) -> list[Result]:
    units = 2_000 if quick else 100_000
    repeat = 3 if quick else 1
    registry = load_registry()
    t0 = time.perf_counter()
    base = make_store(units)
    setup = time.perf_counter() - t0
    n_obs = len(base)
    rows = f"{n_obs:,} obs"
    mem = f"{base.memory_usage(deep=True).sum() / 1e6:,.0f} MB in memory"

    def floor() -> object:
        return base.groupby(["indicator", "year"], observed=True)[
            ["numerator", "denominator"]
        ].sum()

    floor_name = f"one groupby-sum over the {rows}"
    floor_s = median_seconds(floor, repeat=3)
    results: list[Result] = []

    def measured(name: str, fn, **extra: str) -> None:  # type: ignore[no-untyped-def]
        gc.collect()
        if repeat == 1:
            results.append(_once(name, fn, floor_name, floor_s, **extra))
        else:
            results.append(compare(name, fn, floor_name, floor, repeat=repeat, **extra))
            results[-1].floor_seconds = floor_s
        print(f"  {name}: {results[-1].seconds:.2f} s", flush=True)

    _store_calculators(measured, base, registry, units, f"{rows}; setup {setup:.1f} s; {mem}")
    gc.collect()

    areas = 2_000 if quick else 100_000
    inputs = make_state_list_inputs(areas)
    sl_rows = f"{len(inputs):,} rows ({areas:,} areas x {YEARS} years)"
    measured(
        "state_lists.classify (no reasons text)",
        lambda: state_lists.classify(inputs, with_reasons=False),
        data=sl_rows,
    )
    measured(
        "state_lists.classify (with Danish reasons)",
        lambda: state_lists.classify(inputs, with_reasons=True),
        data=sl_rows,
    )
    return results


def _store_calculators(measured, base, registry, units, first_note) -> None:  # type: ignore[no-untyped-def]
    rows = f"{len(base):,} obs"
    codes = base["area_code"].cat.categories
    membership = pd.DataFrame(
        {
            "aggregate_code": [f"g{i // 100:05d}" for i in range(units)],
            "member_code": pd.Categorical(codes, categories=codes),
        }
    )
    measured(
        "aggregate_counts (units -> 1,000 aggregates)",
        lambda: calc.aggregate_counts(base, membership),
        data=first_note,
    )
    measured("add_values", lambda: calc.add_values(base, registry), data=rows)
    city = (
        base.groupby(["indicator", "year"], observed=True)[["numerator", "denominator"]]
        .sum()
        .reset_index()
    )
    comparison = calc.compare_with_rest(base, city, registry)
    measured(
        "compare_with_rest (every unit vs the rest)",
        lambda: calc.compare_with_rest(base, city, registry),
        data=rows,
    )
    measured(
        "change_since (2015 -> latest)",
        lambda: calc.change_since(comparison, 2015, registry),
        data=rows,
    )
    measured(
        "gap_development (2015 -> latest)",
        lambda: calc.gap_development(comparison, 2015),
        data=rows,
    )
    _series_calculators(measured, base, membership, comparison, registry, units)


def _series_calculators(measured, base, membership, comparison, registry, units) -> None:  # type: ignore[no-untyped-def]
    rows = f"{len(base):,} obs"
    agg = calc.add_values(calc.aggregate_counts(base, membership), registry)
    measured(
        "trend_slope (8,000 aggregate series)",
        lambda: calc.trend_slope(agg, last_n=5),
        data=f"{len(agg):,} rows",
    )
    values = comparison[["area_code", "indicator", "year", "value"]]
    measured(
        f"trend_slope (all {units * len(CRITERIA_CODES):,} unit series)",
        lambda: calc.trend_slope(values, last_n=5),
        data=rows,
    )
    measured(
        "survey.add_intervals (Wilson)", lambda: survey.add_intervals(base, registry), data=rows
    )
    measured(
        "survey.change_with_noise (Newcombe, 2015 -> 2025)",
        lambda: survey.change_with_noise(base, registry, 2015, FIRST_YEAR + YEARS - 1),
        data=rows,
    )
    settings = progress.ProgressSettings(baseline_year=2021)
    measured(
        f"progress.progress_table ({units * len(CRITERIA_CODES):,} series)",
        lambda: progress.progress_table(comparison, settings),
        data=rows,
    )
