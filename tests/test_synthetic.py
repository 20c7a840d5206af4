"""Tests for indicators/synthetic.py: the documented, deterministic demo series."""

from __future__ import annotations

import functools
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import synthetic
from indicators.importers import real_series

ROOT = Path(__file__).resolve().parent.parent
SOCIO_CSV = ROOT / "data" / "statistics" / "kk_socio_roder_2008_2014.csv"
RODE_FILE = ROOT / "data" / "boundaries" / "kk_rode_2023.geojson"
CRITERIA_FILE = ROOT / "data" / "criteria.yaml"

EIGHT = {
    "indkomst",
    "uddannelse",
    "arbejdsmarked",
    "ungdomsuddannelse",
    "boernefattigdom",
    "sundhed",
    "tryghed",
    "doemte",
}


def load_roder() -> pd.DataFrame:
    """Small local reader of the rode layer (independent of indicators.geography)."""
    g = gpd.read_file(RODE_FILE, ignore_geometry=True)
    udsat = g["udsat_byomraade"].astype(object)
    return pd.DataFrame(
        {
            "code": "R" + g["rode_nr"].astype(int).astype(str),
            "name": g["rodenavn"].astype(str),
            "udsat_code": udsat.where(udsat.notna(), None),
        }
    )


def polarity() -> dict[str, int]:
    reg = yaml.safe_load(CRITERIA_FILE.read_text(encoding="utf-8"))
    return {i["code"]: int(i["polarity"]) for i in reg["indicators"]}


def rates(frame: pd.DataFrame, by: list[str]) -> pd.Series:
    s = frame.groupby(by)[["numerator", "denominator"]].sum()
    return s.numerator / s.denominator * 100


# --- a small hand-made input --------------------------------------------------------------
def _real_rows(code: str, year: int, residents: float, s1664: float, s18: float, ed, inc):
    rows = [(code, "befolkning", year, residents, 1.0)]
    rows.append((code, "uddannelse", year, ed * residents * s1664, residents * s1664))
    if inc is not None:
        rows.append((code, "indkomst", year, inc * residents * s18, residents * s18))
    return rows


def small_inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    roder = pd.DataFrame(
        {
            "code": ["R1", "R2", "R3"],
            "name": ["Alfa", "Beta", "Tom"],
            "udsat_code": ["Nørrebro", None, None],
        }
    )
    rows = []
    for year in range(2008, 2015):
        inc = None if year == 2014 else 1
        rows += _real_rows("R1", year, 1000, 0.74, 0.82, 0.30, 0.40 if inc else None)
        rows += _real_rows("R2", year, 3000, 0.75, 0.85, 0.15, 0.30 if inc else None)
    real = pd.DataFrame(
        rows, columns=["area_code", "indicator", "year", "numerator", "denominator"]
    )
    real["synthetic"] = False
    real["source"] = "test"
    return roder, real


@pytest.fixture
def small() -> tuple[pd.DataFrame, pd.DataFrame]:
    return small_inputs()


@functools.cache
def small_expected() -> pd.DataFrame:
    return synthetic.generate_demo_series(*small_inputs())


def test_small_input_rows_and_denominators(small) -> None:
    roder, real = small
    demo = synthetic.generate_demo_series(roder, real)
    assert list(demo.columns) == synthetic.COLUMNS
    assert demo.synthetic.all()
    assert "R3" not in set(demo.area_code)  # a rode with no residents gets no rows
    # Every criterion in every year, except the real values.
    for code in ("R1", "R2"):
        d = demo[demo.area_code == code]
        for ind in EIGHT - {"sundhed", "tryghed"}:
            years = set(d.loc[d.indicator == ind, "year"])
            if ind == "uddannelse":
                assert years == set(range(2015, 2026))
            elif ind == "indkomst":
                assert years == set(range(2014, 2026))
            else:
                assert years == set(range(2008, 2026))
        assert set(d.loc[d.indicator == "befolkning", "year"]) == set(range(2015, 2026))

    def den(code: str, ind: str, year: int) -> float:
        row = demo[(demo.area_code == code) & (demo.indicator == ind) & (demo.year == year)]
        return float(row.denominator.iloc[0])

    # R1 in 2014: 1000 residents, 18+ share 0.82 (carried from 2013), 16-64 share 0.74.
    assert den("R1", "doemte", 2014) == 820  # 18+
    assert den("R1", "indkomst", 2014) == 820  # 18+
    assert den("R1", "boernefattigdom", 2014) == 180  # 0-17 = 1000 - 820
    # 18-64 = 740 - 180 x 8,624/100,450 = 724.55 -> 725
    assert den("R1", "arbejdsmarked", 2014) == 725
    # 25-year-olds = 724.55 x 15,772/410,632 = 27.83 -> 28
    assert den("R1", "ungdomsuddannelse", 2014) == 28
    # Population grows with the city: 2025 total = 4,000 x 667,099 / 570,172 (rounding).
    pop = demo[(demo.indicator == "befolkning") & (demo.year == 2025)].numerator.sum()
    assert pop == pytest.approx(4000 * 667_099 / 570_172, abs=2)


def test_counts_integer_nonnegative_and_bounded(small) -> None:
    roder, real = small
    demo = synthetic.generate_demo_series(roder, real)
    shares = demo[demo.indicator != "befolkning"]
    assert (shares.numerator >= 0).all()
    assert (shares.denominator > 0).all()  # zero respondents -> no row
    assert (shares.numerator <= shares.denominator).all()
    assert (demo.numerator == np.round(demo.numerator)).all()
    assert (demo.denominator == np.round(demo.denominator)).all()


def test_determinism_and_seed(small) -> None:
    roder, real = small
    a = synthetic.generate_demo_series(roder, real, seed=7)
    b = synthetic.generate_demo_series(roder, real, seed=7)
    c = synthetic.generate_demo_series(roder, real, seed=8)
    pd.testing.assert_frame_equal(a, b)
    assert not a.numerator.equals(c.numerator)


@settings(max_examples=10, deadline=None)
@given(st.randoms(use_true_random=False))
def test_row_order_invariance(rnd) -> None:
    roder, real = small_inputs()
    r_idx = list(roder.index)
    o_idx = list(real.index)
    rnd.shuffle(r_idx)
    rnd.shuffle(o_idx)
    got = synthetic.generate_demo_series(roder.loc[r_idx], real.loc[o_idx])
    pd.testing.assert_frame_equal(small_expected(), got)


def test_years_subset_and_empty(small) -> None:
    roder, real = small
    full = synthetic.generate_demo_series(roder, real)
    part = synthetic.generate_demo_series(roder, real, years=[2020, 2025])
    assert set(part.year) == {2020, 2025}
    pd.testing.assert_frame_equal(part, full[full.year.isin([2020, 2025])].reset_index(drop=True))
    assert synthetic.generate_demo_series(roder, real, years=[]).empty


# --- the full city --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def city() -> dict[str, pd.DataFrame]:
    roder = load_roder()
    real = real_series.load_socio_roder(SOCIO_CSV, roder)
    demo = synthetic.generate_demo_series(roder, real)
    both = pd.concat([real, demo], ignore_index=True)
    both["udsat"] = both.area_code.isin(set(roder.loc[roder.udsat_code.notna(), "code"]))
    return {"roder": roder, "real": real, "demo": demo, "both": both}


def test_full_coverage_and_flags(city) -> None:
    real, demo, both = city["real"], city["demo"], city["both"]
    assert demo.synthetic.all() and not real.synthetic.any()
    assert not both.duplicated(["area_code", "indicator", "year"]).any()
    # Every rode with residents in 2025 has every register criterion in 2025, except a
    # few small roder whose age band is empty (e.g. no children): no row, not a 0/0.
    pop25 = set(demo[(demo.indicator == "befolkning") & (demo.year == 2025)].area_code)
    assert len(pop25) > 370
    for ind in EIGHT - {"sundhed", "tryghed"}:
        got = set(demo[(demo.indicator == ind) & (demo.year == 2025)].area_code)
        assert got <= pop25 and len(pop25 - got) <= 5, ind
    # Survey criteria: some tiny roder have no respondents (no row), never a 0 denominator.
    survey = demo[demo.indicator.isin(["sundhed", "tryghed"])]
    assert (survey.denominator > 0).all()
    resp = survey.groupby(["indicator", "year"]).denominator.sum()
    assert resp.between(4_000, 5_000).all()
    shares = both[both.indicator != "befolkning"]
    assert (shares.numerator <= shares.denominator + 1e-9).all()
    assert (both[["numerator", "denominator"]] >= 0).all().all()


def test_population_path(city) -> None:
    pop = city["both"][city["both"].indicator == "befolkning"].groupby("year").numerator.sum()
    ratio = 565_834 / 570_172  # fixed-address share of the city (2014)
    # calibration.md §0.1: 667,099 residents in 2025; 580,295 in 2015. Rounding per rode.
    assert pop[2025] == pytest.approx(667_099 * ratio, abs=400)
    assert pop[2015] == pytest.approx(580_295 * ratio, abs=400)
    assert pop.loc[2015:2025].is_monotonic_increasing


def test_city_levels_within_calibration_bands(city) -> None:
    r = rates(city["both"], ["indicator", "year"])
    # Register criteria have city denominators of 10^4-10^5: sampling SD <= 0.3 pp.
    # Survey criteria have ~4,000-5,000 respondents: SD ~0.55 pp, so 2 pp (about 3.5 SD).
    for year, value in {2022: 85.0, 2023: 87.0, 2024: 88.0}.items():
        assert r["tryghed", year] == pytest.approx(value, abs=2.0)
    assert r["sundhed", 2021] == pytest.approx(14.3, abs=2.0)  # Danskernes Sundhed 2021
    assert r["ungdomsuddannelse", 2021] == pytest.approx(90.0, abs=1.0)  # KK 2021
    assert r["boernefattigdom", 2020] == pytest.approx(5.9, abs=0.5)  # AE: 6,460 children
    assert r["boernefattigdom", 2022] == pytest.approx(5.3, abs=0.5)  # AE: 5,949 children
    assert r["boernefattigdom"].loc[2020:2025].between(4.0, 6.5).all()
    assert r["doemte"].between(0.7, 1.05).all()
    assert r["arbejdsmarked"].between(10.0, 15.0).all()  # documented assumption
    # The seam between the real and the synthetic years has no jump (< 1 pp a year).
    assert abs(r["uddannelse", 2015] - r["uddannelse", 2014]) < 1.0
    assert abs(r["indkomst", 2014] - r["indkomst", 2013]) < 1.0


def test_udsatte_worse_than_rest_in_2025(city) -> None:
    pol = polarity()
    d = city["both"][city["both"].year == 2025]
    r = rates(d, ["indicator", "udsat"])
    for ind in EIGHT:
        gap = r[ind, True] - r[ind, False]
        assert pol[ind] * gap < 0, (ind, gap)  # worse given the registry's polarity


def test_gaps_move_as_documented(city) -> None:
    r = rates(city["both"], ["indicator", "udsat", "year"])

    def gap(ind: str, year: int) -> float:
        return abs(r[ind, True, year] - r[ind, False, year])

    # Narrowing (register, large counts): income, education, labour market, poverty, crime.
    for ind in ("indkomst", "uddannelse", "arbejdsmarked", "boernefattigdom", "doemte"):
        assert gap(ind, 2025) < gap(ind, 2016), ind
    # Widening: youth education (register, 25-year-olds) and health (survey: 4-year means).
    assert gap("ungdomsuddannelse", 2025) > gap("ungdomsuddannelse", 2008)
    early = np.mean([gap("sundhed", y) for y in (2010, 2013)])
    late = np.mean([gap("sundhed", y) for y in (2021, 2025)])
    assert late > early


def test_health_exists_only_in_sundhedsprofil_years(city) -> None:
    years = set(city["both"].loc[city["both"]["indicator"] == "sundhed", "year"])
    assert years == {2010, 2013, 2017, 2021, 2025}
    # tryghed (Københavns Tryghedsundersøgelse) is yearly.
    assert set(city["both"].loc[city["both"]["indicator"] == "tryghed", "year"]) == set(
        range(2008, 2026)
    )


def test_full_city_permutation_invariance(city) -> None:
    roder, real = city["roder"], city["real"]
    rng = np.random.default_rng(1)
    shuffled = synthetic.generate_demo_series(
        roder.iloc[rng.permutation(len(roder))], real.iloc[rng.permutation(len(real))]
    )
    pd.testing.assert_frame_equal(city["demo"], shuffled)
