"""Hand-computed fixtures and Hypothesis properties for the core calculators."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import calculations as calc
from indicators.registry import load_registry

REGISTRY = load_registry()


def counts(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["area_code", "indicator", "year", "numerator", "denominator"]
    )


# Three roder; R1 and R2 make up area A. Hand-computed expectations in the comments.
BASE = counts(
    [
        ("R1", "indkomst", 2020, 30, 100),  # 30 %
        ("R2", "indkomst", 2020, 10, 900),  # 1.11 %
        ("R3", "indkomst", 2020, 200, 1000),  # 20 %
        ("R1", "indkomst", 2021, 20, 100),
        ("R2", "indkomst", 2021, 10, 900),
        ("R3", "indkomst", 2021, 200, 1000),
    ]
)
MEMBERSHIP = pd.DataFrame(
    {
        "aggregate_code": ["A", "A", "kbh", "kbh", "kbh"],
        "member_code": ["R1", "R2", "R1", "R2", "R3"],
    }
)


def test_aggregate_sums_counts_not_rates() -> None:
    agg = calc.aggregate_counts(BASE, MEMBERSHIP)
    a2020 = agg[(agg.area_code == "A") & (agg.year == 2020)].iloc[0]
    assert (a2020.numerator, a2020.denominator) == (40, 1000)
    values = calc.add_values(agg, REGISTRY)
    value = values[(values.area_code == "A") & (values.year == 2020)]["value"].iloc[0]
    # 40 / 1000 = 4.0 %, whereas averaging the rates would give (30 + 1.11) / 2 = 15.6 %.
    assert value == pytest.approx(4.0)
    assert a2020.members_reporting == 2 and a2020.members_total == 2


def test_rest_of_city_from_counts_and_gap_hand_computed() -> None:
    agg = calc.aggregate_counts(BASE, MEMBERSHIP)
    area = agg[agg.area_code == "A"]
    city = agg[agg.area_code == "kbh"]
    cmp = calc.compare_with_rest(area, city, REGISTRY)
    row = cmp[cmp.year == 2020].iloc[0]
    # City 240 / 2000 = 12 %. Rest = (240 - 40) / (2000 - 1000) = 20 %.
    assert row.city_value == pytest.approx(12.0)
    assert row.rest_value == pytest.approx(20.0)
    assert row.gap == pytest.approx(4.0 - 20.0)
    assert row.gap_ratio == pytest.approx(0.2)
    # Low income: higher is worse, and A is lower than the rest, so A is better.
    assert row.polarity == -1 and row.direction == 1


def test_direction_is_polarity_aware() -> None:
    diffs = np.array([2.0, -2.0, 0.0, np.nan])
    assert list(calc.direction(diffs, np.array([1, 1, 1, 1]))) == [1, -1, 0, 0]
    assert list(calc.direction(diffs, np.array([-1, -1, -1, -1]))) == [-1, 1, 0, 0]


def test_zero_denominator_gives_no_value() -> None:
    out = calc.rate(np.array([0.0, 5.0]), np.array([0.0, 10.0]))
    assert math.isnan(out[0]) and out[1] == 0.5


def test_change_since_and_trend_hand_computed() -> None:
    values = pd.DataFrame(
        {
            "area_code": ["A"] * 4,
            "indicator": ["tryghed"] * 4,
            "year": [2015, 2016, 2017, 2018],
            "value": [80.0, 82.0, 84.0, 86.0],
        }
    )
    change = calc.change_since(values, 2015, REGISTRY).iloc[0]
    assert change.change == pytest.approx(6.0)
    assert change.latest_year == 2018
    assert change.direction == 1  # more people feel safe: an improvement
    slope = calc.trend_slope(values, last_n=3).iloc[0]
    assert slope.slope == pytest.approx(2.0) and slope.years_used == 3


def test_gap_development_narrowing_and_widening() -> None:
    comparison = pd.DataFrame(
        {
            "area_code": ["A", "A", "B", "B"],
            "indicator": ["indkomst"] * 4,
            "year": [2015, 2025, 2015, 2025],
            "gap": [8.0, 5.0, -2.0, -3.0],
        }
    )
    dev = calc.gap_development(comparison, 2015).set_index("area_code")
    assert dev.loc["A", "development"] == "narrowing"
    assert dev.loc["A", "gap_change"] == pytest.approx(-3.0)
    assert dev.loc["B", "development"] == "widening"


# ------------------------------------------------------------------------ properties

count_pairs = st.lists(
    st.tuples(st.integers(0, 5_000), st.integers(0, 5_000)).map(lambda t: (min(t), max(t))),
    min_size=2,
    max_size=12,
)


def _frame_from_pairs(pairs: list[tuple[int, int]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    base = counts([(f"R{i}", "indkomst", 2020, n, d) for i, (n, d) in enumerate(pairs)])
    half = len(pairs) // 2
    membership = pd.DataFrame(
        {
            "aggregate_code": ["A"] * half + ["kbh"] * len(pairs),
            "member_code": [f"R{i}" for i in range(half)] + [f"R{i}" for i in range(len(pairs))],
        }
    )
    return base, membership


@settings(max_examples=150, deadline=None)
@given(count_pairs)
def test_area_plus_rest_equals_city_in_counts(pairs: list[tuple[int, int]]) -> None:
    base, membership = _frame_from_pairs(pairs)
    agg = calc.aggregate_counts(base, membership)
    cmp = calc.compare_with_rest(agg[agg.area_code == "A"], agg[agg.area_code == "kbh"], REGISTRY)
    for row in cmp.itertuples():
        assert row.numerator + row.rest_numerator == row.city_numerator
        assert row.denominator + row.rest_denominator == row.city_denominator


@settings(max_examples=100, deadline=None)
@given(count_pairs, st.randoms(use_true_random=False))
def test_row_order_changes_nothing(pairs: list[tuple[int, int]], rnd) -> None:  # type: ignore[no-untyped-def]
    base, membership = _frame_from_pairs(pairs)
    shuffled = base.sample(frac=1.0, random_state=rnd.randint(0, 10_000))
    a = calc.aggregate_counts(base, membership)
    b = calc.aggregate_counts(shuffled, membership.iloc[::-1])
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-50, 50, allow_nan=False), min_size=1, max_size=20))
def test_flipping_polarity_flips_the_sign(diffs: list[float]) -> None:
    arr = np.array(diffs)
    up = calc.direction(arr, np.ones_like(arr))
    down = calc.direction(arr, -np.ones_like(arr))
    assert (up == -down).all()


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 1_000), st.integers(0, 1_000))
def test_gap_is_zero_when_area_equals_rest(den: int, num_raw: int) -> None:
    num = min(num_raw, den)
    area = counts([("A", "doemte", 2020, num, den)])
    city = counts([("kbh", "doemte", 2020, 2 * num, 2 * den)])
    row = calc.compare_with_rest(area, city, REGISTRY).iloc[0]
    assert row.gap == pytest.approx(0.0, abs=1e-9)
    assert row.direction == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0, 100, allow_nan=False), min_size=3, max_size=10),
)
def test_trend_changes_sign_under_negation(ys: list[float]) -> None:
    frame = pd.DataFrame(
        {
            "area_code": "A",
            "indicator": "indkomst",
            "year": range(2010, 2010 + len(ys)),
            "value": ys,
        }
    )
    s1 = calc.trend_slope(frame, last_n=len(ys)).slope.iloc[0]
    s2 = calc.trend_slope(frame.assign(value=-frame.value), last_n=len(ys)).slope.iloc[0]
    assert s1 == pytest.approx(-s2, abs=1e-9)


def test_count_indicators_sum_the_numerator() -> None:
    base = counts([("R1", "befolkning", 2020, 1200, 1), ("R2", "befolkning", 2020, 800, 1)])
    membership = pd.DataFrame(
        {"aggregate_code": ["A", "kbh", "kbh"], "member_code": ["R1", "R1", "R2"]}
    )
    agg = calc.aggregate_counts(base, membership)
    cmp = calc.compare_with_rest(agg[agg.area_code == "A"], agg[agg.area_code == "kbh"], REGISTRY)
    row = cmp.iloc[0]
    assert (row.value, row.rest_value, row.city_value) == (1200, 800, 2000)
