"""Progress toward 2035: trend and projection of the gap, survey cadence, assumed targets.

The policy sets no target for the gap (data/gap_targets.yaml ships empty), so by default
the status is the gap's direction; on/off track exists only against a configured target.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import progress as pg
from indicators.intervals import t_value


def comparison(series: dict[int, float], polarity: int = -1, indicator: str = "indkomst",
               area: str = "ub-alle") -> pd.DataFrame:  # fmt: skip
    """A compare_with_rest-shaped frame whose *disadvantage* is ``series``."""
    years = sorted(series)
    return pd.DataFrame(
        {
            "area_code": area,
            "area_name": "De udsatte byområder samlet",
            "indicator": indicator,
            "year": years,
            "gap": [-polarity * series[y] for y in years],
            "polarity": polarity,
        }
    )


TARGETS_YAML = """
version: 1
targets:
  - criterion: indkomst
    points:
      - {year: 2030, share_of_baseline: 0.5}
      - {year: 2035, gap: 0.0}
    source: "Scenarie i en test"
    set_by: "testen"
"""


def test_the_shipped_configuration_sets_no_target() -> None:
    # The policy sets no gap target; the shipped file must not invent one.
    assert pg.load_gap_targets() == ()
    row = pg.progress_table(comparison({2021: 10.0, 2022: 9.0, 2023: 8.0, 2025: 6.0})).iloc[0]
    assert row["assumed_target"] == "" and np.isnan(row["assumed_target_value"])
    assert row["status"] in pg.TREND_STATUSES


def test_disadvantage_turns_the_gap_by_polarity() -> None:
    # Income (higher is worse): gap +6 pp = 6 pp worse. Tryghed (higher is better): gap -6.
    assert pg.disadvantage([6.0, -6.0], [-1, 1]).tolist() == [6.0, 6.0]


def test_hand_computed_projection_band_and_slope_interval() -> None:
    # y = 1, 3, 2, 5, 4 in 2021-2025: slope 0.8, mean 3 at 2023, Sxx 10, SSE 3.6,
    # s = sqrt(1.2). Projected to 2035: 3 + 0.8 * 12 = 12.6.
    comp = comparison({2021: 1.0, 2022: 3.0, 2023: 2.0, 2024: 5.0, 2025: 4.0})
    row = pg.progress_table(comp).iloc[0]
    assert row["baseline_year"] == 2025 and row["baseline_disadvantage"] == 4.0
    assert row["slope"] == pytest.approx(0.8) and row["fit_points"] == 5
    assert row["projection_year"] == 2035 and row["projected"] == pytest.approx(12.6)
    t3 = t_value(3, 0.90)
    half = t3 * math.sqrt(1.2) * math.sqrt(1 + 1 / 5 + 144 / 10)
    assert row["projected_low"] == pytest.approx(12.6 - half)
    assert row["projected_high"] == pytest.approx(12.6 + half)
    # Slope interval 0.8 +- 2.353 * sqrt(1.2 / 10) = (-0.015, 1.615): contains 0.
    slope_half = t3 * math.sqrt(1.2 / 10)
    assert row["slope_low"] == pytest.approx(0.8 - slope_half)
    assert row["slope_low"] < 0 < row["slope_high"]
    assert row["status"] == "within_noise" and row["status_da"] == "Ingen sikker retning"


def test_a_steadily_closing_gap_is_narrowing_and_a_growing_one_widening() -> None:
    comp = comparison({2021: 10.0, 2022: 9.0, 2023: 8.0, 2024: 7.0, 2025: 6.0})
    row = pg.progress_table(comp).iloc[0]
    assert row["slope"] == pytest.approx(-1.0) and row["projected"] == pytest.approx(-4.0)
    assert row["status"] == "narrowing" and row["status_da"] == "Forskellen mindskes"
    # Tryghed: area 80 %, rest 88 % -> gap -8 -> disadvantage 8, widening by 1 a year.
    comp = comparison({2022: 5.0, 2023: 6.0, 2024: 7.0, 2025: 8.0}, polarity=1, indicator="tryghed")
    assert comp["gap"].tolist() == [-5.0, -6.0, -7.0, -8.0]
    row = pg.progress_table(comp).iloc[0]
    assert row["baseline_disadvantage"] == 8.0 and row["projected"] == pytest.approx(18.0)
    assert row["status"] == "widening"


def test_baseline_falls_back_to_the_latest_year_before_it_and_change_is_measured() -> None:
    comp = comparison({2019: 9.0, 2020: 8.5, 2021: 8.0, 2022: 8.2, 2023: 7.0})
    row = pg.progress_table(comp).iloc[0]
    assert row["baseline_year"] == 2023 and row["latest_year"] == 2023
    row = pg.progress_table(comp, pg.ProgressSettings(baseline_year=2020)).iloc[0]
    assert row["baseline_year"] == 2020 and row["baseline_disadvantage"] == 8.5
    assert row["change"] == pytest.approx(7.0 - 8.5)
    assert row["gap_change"] == pytest.approx(7.0 - 8.5)  # polarity -1: gap = disadvantage


def test_no_gap_and_too_few_measurements() -> None:
    better = comparison({2022: -2.0, 2023: -2.5, 2024: -3.0, 2025: -3.0})
    assert pg.progress_table(better).iloc[0]["status"] == "no_gap"
    # Two points give a line, but no trend is claimed from them, however steep.
    short = comparison({2024: 9.0, 2025: 4.0})
    row = pg.progress_table(short).iloc[0]
    assert row["status"] == "insufficient_data" and row["status_da"] == "For få målinger"
    assert row["measurements"] == 2
    assert np.isnan(row["projected"]) and np.isnan(row["slope"])


def test_a_survey_every_fourth_year_is_fitted_on_its_three_measurements() -> None:
    # Sundhedsprofil-like cadence: 2017, 2021, 2025 = 6, 5, 3 (no values in between).
    # x mean 2021, y mean 14/3, Sxx 32, Sxy -12 -> slope -0.375; residuals -1/6, 1/3,
    # -1/6 -> SSE 1/6, s = sqrt(1/6) with 1 degree of freedom.
    comp = comparison({2017: 6.0, 2021: 5.0, 2025: 3.0}, indicator="sundhed")
    row = pg.progress_table(comp).iloc[0]
    assert row["measurements"] == 3 and row["fit_points"] == 3 and row["fit_first_year"] == 2017
    assert row["slope"] == pytest.approx(-0.375)
    assert row["projected"] == pytest.approx(14 / 3 - 0.375 * 14)
    half = t_value(1, 0.90) * math.sqrt(1 / 6) / math.sqrt(32)  # 6.314 * 0.0722 = 0.456
    assert row["slope_low"] == pytest.approx(-0.375 - half)
    assert row["slope_high"] == pytest.approx(-0.375 + half)
    assert row["slope_high"] > 0
    # Three noisy points: a falling line, but not a certain direction.
    assert row["status"] == "within_noise"
    # Older measurements outside the window count as measurements, not as fit points.
    longer = comparison({2009: 9.0, 2013: 2.0, 2017: 6.0, 2021: 5.0, 2025: 3.0})
    row = pg.progress_table(longer).iloc[0]
    assert row["measurements"] == 5 and row["fit_points"] == 3
    assert row["slope"] == pytest.approx(-0.375)
    # Only two survey rounds: too few measurements.
    two = comparison({2021: 5.0, 2025: 3.0}, indicator="sundhed")
    assert pg.progress_table(two).iloc[0]["status"] == "insufficient_data"


def test_projection_series_never_interpolates_missing_survey_years() -> None:
    comp = comparison({2017: 6.0, 2021: 5.0, 2025: 3.0}, indicator="sundhed")
    s = pg.projection_series(comp, "ub-alle", "sundhed").set_index("year")
    assert s["observed"].notna().sum() == 3
    assert np.isnan(s.loc[2019, "observed"]) and s.loc[2021, "observed"] == 5.0
    assert s.loc[2035, "fitted"] == pytest.approx(14 / 3 - 0.375 * 14)
    assert np.isnan(s.loc[2024, "low"]) and np.isfinite(s.loc[2025, "low"])
    assert s["target"].isna().all()  # nothing configured, no target path
    two = pg.projection_series(comparison({2021: 5.0, 2025: 3.0}), "ub-alle", "indkomst")
    assert two["fitted"].isna().all() and two["low"].isna().all()


def test_a_configured_target_is_an_assumption_with_on_and_off_track() -> None:
    targets = pg.parse_gap_targets(TARGETS_YAML)
    assert len(targets) == 1 and targets[0].area == "ub-alle"
    settings = pg.ProgressSettings(targets=targets)
    comp = pd.concat(
        [
            comparison({2021: 10.0, 2022: 9.0, 2023: 8.0, 2024: 7.0, 2025: 6.0}),
            comparison({2021: 10.0, 2022: 9.0, 2023: 8.0, 2024: 7.0, 2025: 6.0},
                       indicator="tryghed", polarity=1),
        ]
    )  # fmt: skip
    out = pg.progress_table(comp, settings).set_index("indicator")
    inc = out.loc["indkomst"]
    # Baseline 6 in 2025: 3 in 2030 (half), 0 in 2035; the line reaches 1 in 2030.
    assert inc["assumed_target_year"] == 2030 and inc["assumed_target_value"] == pytest.approx(3)
    assert inc["assumed_target_now"] == pytest.approx(6.0) and inc["assumed_target_2035"] == 0
    assert inc["projected_at_target"] == pytest.approx(1.0)
    assert inc["status"] == "on_track" and inc["certain"]
    assert inc["assumed_target"].startswith("antagelse") and "testen" in inc["assumed_target"]
    assert inc["status_da"] == "På sporet mod antaget mål"
    # No target for tryghed: its status stays the direction of the gap.
    assert (
        out.loc["tryghed", "assumed_target"] == "" and out.loc["tryghed", "status"] == "narrowing"
    )
    # y = 1, 3, 2, 5, 4: baseline 4, assumed 2 in 2030, projected 3 + 0.8 * 7 = 8.6.
    row = pg.progress_table(
        comparison({2021: 1.0, 2022: 3.0, 2023: 2.0, 2024: 5.0, 2025: 4.0}), settings
    ).iloc[0]
    half = t_value(3, 0.90) * math.sqrt(1.2) * math.sqrt(1 + 1 / 5 + 49 / 10)
    assert row["projected_at_target"] == pytest.approx(8.6)
    assert row["projected_at_target_low"] == pytest.approx(8.6 - half)
    assert row["status"] == "off_track" and row["certain"]  # the whole band is above 2
    # The path: linear from 6 in 2025 to 3 in 2030 (2027: 4.8), 0 in 2035, then flat.
    s = pg.projection_series(comp, "ub-alle", "indkomst", settings).set_index("year")
    assert s.loc[2027, "target"] == pytest.approx(4.8) and s.loc[2035, "target"] == 0.0
    assert np.isnan(s.loc[2024, "target"])
    # Too few measurements: the target is shown, but no on/off-track judgement.
    short = pg.progress_table(comparison({2024: 7.0, 2025: 6.0}), settings).iloc[0]
    assert short["status"] == "insufficient_data" and short["assumed_target_value"] == 3.0


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("criterion: befolkning\n    points: [{year: 2030, gap: 0}]", "criterion"),
        ("criterion: indkomst\n    points: [{year: 2030, gap: 0, share_of_baseline: 0.5}]",
         "exactly one"),
        ("criterion: indkomst\n    points: [{year: 2030, share_of_baseline: 1.5}]", "[0, 1]"),
        ("criterion: indkomst\n    points: [{year: 2035, gap: 0}, {year: 2030, gap: 1}]",
         "increase"),
        ("criterion: indkomst\n    points: []", "non-empty"),
        ("criterion: indkomst\n    points: [{year: 2030, gap: 0}]\n    target: 1", "unknown"),
    ],
)  # fmt: skip
def test_malformed_targets_are_refused(entry: str, message: str) -> None:
    text = f"targets:\n  - {entry}\n    source: s\n    set_by: b\n"
    with pytest.raises(pg.GapTargetError, match=message.replace("[", r"\[").replace("]", r"\]")):
        pg.parse_gap_targets(text)


def test_a_target_needs_its_source_and_who_set_it() -> None:
    base = "targets:\n  - criterion: indkomst\n    points: [{year: 2030, gap: 0}]\n"
    with pytest.raises(pg.GapTargetError, match="source"):
        pg.parse_gap_targets(base + "    set_by: b\n")
    with pytest.raises(pg.GapTargetError, match="set_by"):
        pg.parse_gap_targets(base + "    source: s\n")
    twice = base + "    source: s\n    set_by: b\n"
    with pytest.raises(pg.GapTargetError, match="second target"):
        pg.parse_gap_targets(twice + twice.removeprefix("targets:\n"))


def test_designation_over_time() -> None:
    pop = pd.DataFrame(
        {"vintage": [2021] * 4 + [2025] * 2,
         "area_code": ["ub-a", "ub-b", "ub-a", "ub-alle", "ub-a", "ub-b"],
         "year": [2024, 2024, 2025, 2025, 2025, 2025],
         "residents": [100, 50, 110, 160, 120, 40]}
    )  # fmt: skip
    city = pd.DataFrame({"year": [2024, 2025], "residents": [1000, 1100]})
    out = pg.designation_over_time(pop, city).set_index(["vintage", "year"])
    assert out.loc[(2021, 2024), "areas"] == 2 and out.loc[(2021, 2024), "residents"] == 150
    assert out.loc[(2021, 2024), "share"] == pytest.approx(15.0)
    assert out.loc[(2021, 2025), "areas"] == 1  # ub-alle is not an area of its own
    assert out.loc[(2021, 2024), "in_force"] and not out.loc[(2021, 2025), "in_force"]
    assert out.loc[(2025, 2025), "in_force"]


@settings(max_examples=40, deadline=None)
@given(
    start=st.floats(min_value=0.5, max_value=20),
    slope=st.floats(min_value=-2, max_value=2),
    noise=st.lists(st.floats(min_value=-0.5, max_value=0.5), min_size=6, max_size=6),
)
def test_band_contains_the_projection_and_status_follows_the_slope(start, slope, noise) -> None:  # type: ignore[no-untyped-def]
    comp = comparison({2020 + i: start + slope * i + e for i, e in enumerate(noise)})
    row = pg.progress_table(comp).iloc[0]
    assert row["projected_low"] <= row["projected"] + 1e-9 <= row["projected_high"] + 2e-9
    assert row["slope_low"] <= row["slope"] + 1e-9 <= row["slope_high"] + 2e-9
    if row["status"] == "narrowing":
        assert row["slope_high"] < 0
    elif row["status"] == "widening":
        assert row["slope_low"] > 0
    elif row["status"] == "within_noise":
        assert row["slope_low"] <= 1e-9 and row["slope_high"] >= -1e-9
    # Negating a polarity and the gap describes the same situation.
    flipped = comp.assign(polarity=1, gap=-comp["gap"])
    assert pg.progress_table(flipped).iloc[0]["projected"] == pytest.approx(row["projected"])
