"""Survey uncertainty: Wilson and Newcombe intervals against textbook values; noise flags."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import survey
from indicators.calculations import compare_with_rest
from indicators.intervals import t_cdf, t_value, z_value
from indicators.registry import load_registry

REGISTRY = load_registry()


def test_wilson_8_of_10_matches_the_textbook() -> None:
    # p = 0.8, z = 1.95996: centre 0.71675, half-width 0.22658 (e.g. Newcombe 1998, Table I).
    low, high = survey.wilson_interval(8, 10)
    assert (round(float(low), 3), round(float(high), 3)) == (0.490, 0.943)


def test_wilson_by_hand() -> None:
    x, n, z = 15, 148, z_value(0.95)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low, high = survey.wilson_interval(x, n)
    assert float(low) == pytest.approx(centre - half) and float(high) == pytest.approx(
        centre + half
    )
    # Newcombe's Table I: 15/148 -> 0.0624 to 0.1605.
    assert (round(float(low), 4), round(float(high), 4)) == (0.0624, 0.1605)


def test_wilson_edges() -> None:
    low, high = survey.wilson_interval([0, 10, 0], [10, 10, 0])
    assert low[0] == 0.0 and high[0] == pytest.approx(0.2775, abs=1e-4)  # 0/10
    assert high[1] == 1.0 and low[1] == pytest.approx(0.7225, abs=1e-4)  # 10/10
    assert np.isnan(low[2]) and np.isnan(high[2])  # no respondents: unknown
    with pytest.raises(ValueError):
        survey.wilson_interval(11, 10)
    narrower = survey.wilson_interval(8, 10, confidence=0.80)
    assert narrower[0] > 0.490 and narrower[1] < 0.943


def test_newcombe_difference_matches_the_paper() -> None:
    # Newcombe (1998), example (a): 56/70 - 48/80 = 0.2000, method 10: 0.0524 to 0.3339.
    d, low, high = survey.newcombe_difference(56, 70, 48, 80)
    assert float(d) == pytest.approx(0.2)
    assert (round(float(low), 4), round(float(high), 4)) == (0.0524, 0.3339)
    # Example (c): 5/56 - 0/29 = 0.0893, method 10: -0.0381 to 0.1926.
    d, low, high = survey.newcombe_difference(5, 56, 0, 29)
    assert (round(float(low), 4), round(float(high), 4)) == (-0.0381, 0.1926)


def test_t_and_z_quantiles_match_tables() -> None:
    assert z_value(0.95) == pytest.approx(1.959964, abs=1e-6)
    for df, value in ((1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (30, 2.042)):
        assert t_value(df) == pytest.approx(value, abs=1e-3)
    assert t_value(5, 0.90) == pytest.approx(2.015, abs=1e-3)
    assert t_cdf(0.0, 7) == pytest.approx(0.5)


def test_within_noise_and_noise_aware_direction() -> None:
    flags = survey.within_noise([-1.0, 0.5, -3.0, np.nan], [2.0, 4.0, -0.1, np.nan])
    assert flags.tolist() == [True, False, False, True]
    # Higher is better (+1): +2 within noise -> 0; +2 outside -> +1; -2 outside -> -1.
    d = survey.noise_aware_direction([2.0, 2.0, -2.0], [True, False, False], [1, 1, 1])
    assert d.tolist() == [0, 1, -1]


def _comparison(
    area: tuple[int, int], city: tuple[int, int], indicator: str = "tryghed"
) -> pd.DataFrame:
    a = pd.DataFrame(
        {"area_code": ["ub"], "indicator": [indicator], "year": [2024],
         "numerator": [area[0]], "denominator": [area[1]]}
    )  # fmt: skip
    c = pd.DataFrame(
        {"indicator": [indicator], "year": [2024], "numerator": [city[0]], "denominator": [city[1]]}
    )
    return compare_with_rest(a, c, REGISTRY)


def test_gap_within_noise_for_a_small_survey_sample() -> None:
    # 70 of 100 feel safe in the area, 3,600 of 4,100 in the city (3,530 of 4,000 in the rest).
    small = survey.add_gap_noise(_comparison((70, 100), (3600, 4100)), REGISTRY).iloc[0]
    assert small["gap"] == pytest.approx(70.0 - 88.25)
    assert small["gap_ci_low"] < small["gap"] < small["gap_ci_high"] < 0
    assert not small["gap_within_noise"] and small["gap_direction_noise_aware"] == -1
    # 85 of 100 against 88.25 %: the interval contains 0, so no difference is claimed.
    close = survey.add_gap_noise(_comparison((85, 100), (3615, 4100)), REGISTRY).iloc[0]
    assert close["gap_within_noise"] and close["gap_direction_noise_aware"] == 0
    # Register criteria have no sampling noise: no interval, any non-zero gap counts.
    reg = survey.add_gap_noise(_comparison((85, 100), (3615, 4100), "indkomst"), REGISTRY).iloc[0]
    assert np.isnan(reg["gap_ci_low"]) and not reg["gap_within_noise"]


def test_intervals_only_for_survey_criteria() -> None:
    counts = pd.DataFrame(
        {"area_code": ["a", "a"], "indicator": ["sundhed", "indkomst"], "year": [2024, 2024],
         "numerator": [8, 30], "denominator": [10, 100]}
    )  # fmt: skip
    out = survey.add_intervals(counts, REGISTRY)
    assert out.loc[0, "ci_low"] == pytest.approx(49.016, abs=1e-3)
    assert out.loc[0, "respondents"] == 10
    assert np.isnan(out.loc[1, "ci_low"]) and np.isnan(out.loc[1, "respondents"])


def test_change_between_years_is_not_called_a_change_when_within_noise() -> None:
    counts = pd.DataFrame(
        {"area_code": ["a", "a", "b", "b"], "indicator": ["tryghed"] * 4,
         "year": [2022, 2024, 2022, 2024],
         "numerator": [80, 86, 800, 860], "denominator": [100, 100, 1000, 1000]}
    )  # fmt: skip
    out = survey.change_with_noise(counts, REGISTRY, 2022, 2024).set_index("area_code")
    assert out.loc["a", "change"] == pytest.approx(6.0) and out.loc["b", "change"] == pytest.approx(
        6.0
    )
    assert out.loc["a", "within_noise"] and out.loc["a", "label_da"] == "ingen sikker ændring"
    assert not out.loc["b", "within_noise"] and out.loc["b", "label_da"] == "bedre"


def test_describe_change_never_calls_noise_a_change() -> None:
    assert survey.describe_change_da(-3.0, -6.5, 0.4, 1).startswith("Ingen sikker ændring")
    assert survey.describe_change_da(-3.0, -6.5, -0.4, 1).startswith("Værre")
    assert survey.describe_change_da(-3.0, -6.5, -0.4, -1).startswith("Bedre")


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(min_value=1, max_value=5000),
    frac=st.floats(min_value=0, max_value=1),
    conf=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
)
def test_wilson_contains_the_estimate_and_stays_in_0_1(n, frac, conf) -> None:  # type: ignore[no-untyped-def]
    x = round(frac * n)
    low, high = survey.wilson_interval(x, n, conf)
    assert 0.0 <= low <= x / n + 1e-12 <= high + 1e-12 <= 1.0 + 1e-12


@settings(max_examples=200, deadline=None)
@given(
    n1=st.integers(min_value=1, max_value=2000),
    n2=st.integers(min_value=1, max_value=2000),
    f1=st.floats(min_value=0, max_value=1),
    f2=st.floats(min_value=0, max_value=1),
)
def test_newcombe_contains_the_difference_and_flips_sign(n1, n2, f1, f2) -> None:  # type: ignore[no-untyped-def]
    x1, x2 = round(f1 * n1), round(f2 * n2)
    d, low, high = survey.newcombe_difference(x1, n1, x2, n2)
    assert low - 1e-12 <= d <= high + 1e-12
    assert low >= -1 and high <= 1
    d2, low2, high2 = survey.newcombe_difference(x2, n2, x1, n1)
    assert d2 == pytest.approx(-d) and low2 == pytest.approx(-high) and high2 == pytest.approx(-low)
    # Equal samples: never a difference.
    assert survey.within_noise(*survey.newcombe_difference(x1, n1, x1, n1)[1:])


def test_gap_change_between_years_with_noise() -> None:
    def comp(year: int, area: tuple[int, int], city: tuple[int, int], ind: str) -> pd.DataFrame:
        return _comparison(area, city, ind).assign(year=year)

    # Tryghed (higher is better): the area catches up from 70 % to 80 % feeling safe while
    # the rest stays at ~88 %: the gap shrinks by ~10 pp. With 400 respondents a year in
    # the area that is a real change; with 20 it is within noise.
    big = pd.concat([comp(2021, (280, 400), (3800, 4400), "tryghed"),
                     comp(2024, (320, 400), (3840, 4400), "tryghed")])  # fmt: skip
    row = survey.gap_change_with_noise(big, REGISTRY, 2021, 2024).iloc[0]
    assert row["gap_change"] == pytest.approx(row["gap_to"] - row["gap_from"])
    assert row["gap_change_ci_low"] < row["gap_change"] < row["gap_change_ci_high"]
    assert not row["within_noise"] and row["direction"] == 1  # the area caught up
    small = pd.concat([comp(2021, (14, 20), (3544, 4020), "tryghed"),
                       comp(2024, (16, 20), (3546, 4020), "tryghed")])  # fmt: skip
    row_small = survey.gap_change_with_noise(small, REGISTRY, 2021, 2024).iloc[0]
    assert row_small["within_noise"] and row_small["direction"] == 0
    assert (row_small["gap_change_ci_high"] - row_small["gap_change_ci_low"]) > (
        row["gap_change_ci_high"] - row["gap_change_ci_low"]
    )
    # A register criterion: no interval, any change counts; a shrinking gap of a
    # higher-is-worse criterion is an improvement.
    reg = pd.concat([comp(2021, (40, 100), (3000, 10000), "indkomst"),
                     comp(2024, (35, 100), (3000, 10000), "indkomst")])  # fmt: skip
    r = survey.gap_change_with_noise(reg, REGISTRY, 2021, 2024).iloc[0]
    assert np.isnan(r["gap_change_ci_low"]) and not r["within_noise"] and r["direction"] == 1


def test_change_of_a_count_uses_the_summed_count_not_a_mean_per_unit() -> None:
    # An aggregate's count denominator is the number of base units (1 each), so the
    # value is the numerator: 3,000 -> 3,300 residents is +300, not +300 / 3 units.
    counts = pd.DataFrame(
        {"area_code": ["a", "a"], "indicator": ["befolkning"] * 2, "year": [2022, 2024],
         "numerator": [3000, 3300], "denominator": [3, 3]}
    )  # fmt: skip
    row = survey.change_with_noise(counts, REGISTRY, 2022, 2024).iloc[0]
    assert row["value_from"] == pytest.approx(3000.0)
    assert row["change"] == pytest.approx(300.0)
