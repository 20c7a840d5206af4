"""Progress toward 2035: target paths, baselines, OLS projection with a prediction band."""

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


def test_default_target_halves_by_2030_and_closes_by_2035() -> None:
    t = pg.DEFAULT_TARGET
    years = np.array([2025, 2027, 2030, 2033, 2035, 2040])
    assert t.fraction(2025, years).tolist() == pytest.approx([1.0, 0.8, 0.5, 0.2, 0.0, 0.0])
    # From a 2031 baseline only the 2035 milestone is ahead.
    assert float(t.fraction(2031, 2033)) == pytest.approx(0.5)
    assert t.next_milestone(2025) == 2030 and t.next_milestone(2030) == 2035
    assert t.next_milestone(2036) == 2035
    with pytest.raises(ValueError):
        pg.Target(((2035, 0.0), (2030, 0.5)))


def test_disadvantage_turns_the_gap_by_polarity() -> None:
    # Income (higher is worse): gap +6 pp = 6 pp worse. Tryghed (higher is better): gap -6.
    assert pg.disadvantage([6.0, -6.0], [-1, 1]).tolist() == [6.0, 6.0]


def test_hand_computed_projection_and_band() -> None:
    # y = 1, 3, 2, 5, 4 in 2021-2025: slope 0.8, mean 3 at 2023, SSE 3.6, s = sqrt(1.2).
    comp = comparison({2021: 1.0, 2022: 3.0, 2023: 2.0, 2024: 5.0, 2025: 4.0})
    row = pg.progress_table(comp).iloc[0]
    assert row["baseline_year"] == 2025 and row["baseline_disadvantage"] == 4.0
    assert row["slope"] == pytest.approx(0.8) and row["fit_points"] == 5
    assert row["milestone_year"] == 2030 and row["target_milestone"] == pytest.approx(2.0)
    assert row["projected"] == pytest.approx(8.6)
    half = t_value(3, 0.90) * math.sqrt(1.2) * math.sqrt(1 + 1 / 5 + 49 / 10)
    assert row["projected_low"] == pytest.approx(8.6 - half)
    assert row["projected_high"] == pytest.approx(8.6 + half)
    assert row["status"] == "off_track" and row["certain"]  # the whole band is above 2.0
    assert row["status_da"] == "Ikke på sporet"
    assert row["target_2035"] == 0.0


def test_a_steadily_closing_gap_is_on_track() -> None:
    comp = comparison({2021: 10.0, 2022: 9.0, 2023: 8.0, 2024: 7.0, 2025: 6.0})
    row = pg.progress_table(comp).iloc[0]
    # Baseline 6, target 3 in 2030; the line reaches 1 in 2030 with no scatter.
    assert row["projected"] == pytest.approx(1.0)
    assert row["projected_low"] == pytest.approx(1.0) and row["projected_high"] == pytest.approx(
        1.0
    )
    assert row["status"] == "on_track" and row["certain"]
    assert row["change"] == 0.0 and row["ahead_of_path_now"]


def test_baseline_falls_back_to_the_latest_year_before_it_and_change_is_measured() -> None:
    comp = comparison({2019: 9.0, 2020: 8.5, 2021: 8.0, 2022: 8.2, 2023: 7.0})
    row = pg.progress_table(comp).iloc[0]
    assert row["baseline_year"] == 2023 and row["latest_year"] == 2023
    settings = pg.ProgressSettings(baseline_year=2020)
    row = pg.progress_table(comp, settings).iloc[0]
    assert row["baseline_year"] == 2020 and row["baseline_disadvantage"] == 8.5
    assert row["change"] == pytest.approx(7.0 - 8.5)
    assert row["gap_change"] == pytest.approx(7.0 - 8.5)  # polarity -1: gap = disadvantage
    # Path from 8.5 in 2020 to 4.25 in 2030: 2023 allows 8.5 * (1 - 0.5 * 3 / 10) = 7.225.
    assert row["target_now"] == pytest.approx(7.225) and row["ahead_of_path_now"]


def test_polarity_plus_one_criterion() -> None:
    # Tryghed: area 80 %, rest 88 % -> gap -8 -> disadvantage 8, widening by 1 a year.
    comp = comparison({2022: 5.0, 2023: 6.0, 2024: 7.0, 2025: 8.0}, polarity=1, indicator="tryghed")
    assert comp["gap"].tolist() == [-5.0, -6.0, -7.0, -8.0]
    row = pg.progress_table(comp).iloc[0]
    assert row["baseline_disadvantage"] == 8.0 and row["projected"] == pytest.approx(13.0)
    assert row["status"] == "off_track"


def test_no_gap_and_insufficient_data() -> None:
    better = comparison({2022: -2.0, 2023: -2.5, 2024: -3.0, 2025: -3.0})
    assert pg.progress_table(better).iloc[0]["status"] == "no_gap"
    short = comparison({2024: 5.0, 2025: 4.0})
    row = pg.progress_table(short).iloc[0]
    assert row["status"] == "insufficient_data" and np.isnan(row["projected"])


def test_per_criterion_targets_and_filters() -> None:
    comp = pd.concat(
        [
            comparison({2022: 9.0, 2023: 8.0, 2024: 7.0, 2025: 6.0}, indicator="indkomst"),
            comparison(
                {2022: 9.0, 2023: 8.0, 2024: 7.0, 2025: 6.0}, indicator="tryghed", polarity=1
            ),
            comparison({2022: 1.0, 2023: 1.0, 2024: 1.0, 2025: 1.0}, indicator="befolkning"),
        ]
    )
    settings = pg.ProgressSettings(targets={"tryghed": pg.Target(((2030, 0.0), (2035, 0.0)))})
    out = pg.progress_table(comp, settings).set_index("indicator")
    assert "befolkning" not in out.index  # context indicators are not targets
    assert out.loc["indkomst", "target_milestone"] == pytest.approx(3.0)
    assert out.loc["tryghed", "target_milestone"] == pytest.approx(0.0)
    # Both project to 1.0 in 2030: on track for 3.0, off track for 0.0.
    assert out.loc["indkomst", "status"] == "on_track"
    assert out.loc["tryghed", "status"] == "off_track"
    assert len(pg.progress_table(comp, areas=["ub-noerrebro"])) == 0


def test_projection_series_for_the_chart() -> None:
    comp = comparison({2021: 10.0, 2022: 9.0, 2023: 8.0, 2024: 7.0, 2025: 6.0})
    s = pg.projection_series(comp, "ub-alle", "indkomst").set_index("year")
    assert s.index.min() == 2021 and s.index.max() == 2035
    assert s.loc[2030, "fitted"] == pytest.approx(1.0) and np.isnan(s.loc[2030, "observed"])
    assert s.loc[2025, "target"] == pytest.approx(6.0) and s.loc[2030, "target"] == pytest.approx(
        3.0
    )
    assert np.isnan(s.loc[2024, "target"]) and np.isnan(s.loc[2024, "low"])
    assert s.loc[2035, "target"] == 0.0


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
def test_band_contains_the_projection_and_status_follows_it(start, slope, noise) -> None:  # type: ignore[no-untyped-def]
    comp = comparison({2020 + i: start + slope * i + e for i, e in enumerate(noise)})
    row = pg.progress_table(comp).iloc[0]
    assert row["projected_low"] <= row["projected"] + 1e-9 <= row["projected_high"] + 2e-9
    on = row["projected"] <= row["target_milestone"] + 1e-9
    assert row["status"] in (("on_track", "no_gap") if on else ("off_track",))
    # Negating a polarity and the gap describes the same situation.
    flipped = comp.assign(polarity=1, gap=-comp["gap"])
    assert pg.progress_table(flipped).iloc[0]["projected"] == pytest.approx(row["projected"])
