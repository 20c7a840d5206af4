"""The shipped layers load and give plausible city-wide figures (computed once per module).

Plausibility ranges and why:

* library within 1 km: 60-100 %. Copenhagen has 20 municipal libraries on 88 km² of land,
  about one per 4.4 km², i.e. one per 1.2 km radius circle: most but not all residents.
* road noise >= 58 dB: 20-60 %. Copenhagen's noise action plan 2018-2023 reported 45 % of
  dwellings above 58 dB (domain.md §4, https://blivhoert.kk.dk/svar/svar-til-hearing-48290-
  af-ole-damsgaard). Our residents are spread over land, not placed at façades, and the grid
  is mapped at 1.5 m, so the figure cannot be expected to match, only to be of that order.
* road noise >= 68 dB below the >= 58 dB share, and above 0.
* playground within 300 m: 20-80 % (only KK's 136 own playgrounds: understated access);
  green area of 0.5 ha within 300 m: 50-100 %; culture house within 1 km: 40-100 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from indicators import coverage as cov
from indicators import geography, noise
from indicators import residents_grid as rg
from indicators.importers import real_series

DATA = cov.DATA_DIR


@pytest.fixture(scope="module")
def shipped():  # type: ignore[no-untyped-def]
    roder = geography.load_roder(DATA / "boundaries" / "kk_rode_2023.geojson")
    real = real_series.load_socio_roder(
        DATA / "statistics" / "kk_socio_roder_2008_2014.csv",
        pd.DataFrame(roder.drop(columns="geometry")),
    )
    pop = real[(real["indicator"] == "befolkning") & (real["year"] == 2014)]
    residents = pop.set_index("area_code")["numerator"]
    facilities = cov.load_shipped_facilities()
    exclude = rg.exclusion_tree(facilities[facilities["kind"].isin(cov.NON_RESIDENTIAL_KINDS)])
    cells = rg.grid_cells(roder, residents, exclude, 50.0)  # 25 m in production; 50 m is 4x faster
    distances = cov.distance_table(cells, cov.target_geometries(facilities))
    grid = noise.load_noise_grid().clip(*roder.total_bounds)
    noise_db = cov.noise_bands(cells, grid)
    counts = cov.coverage_counts(cells, distances, noise_db, 2014, residents=residents)
    udsatte = set(roder.loc[roder["udsat_code"].notna(), "code"])
    shares = cov.summary_table(
        cells,
        distances,
        noise_db,
        {"city": set(roder["code"]), "udsatte": udsatte, "rest": set(roder["code"]) - udsatte},
    ).pivot(index="indicator", columns="group", values="share")
    return {
        "roder": roder,
        "residents": residents,
        "facilities": facilities,
        "cells": cells,
        "noise_db": noise_db,
        "counts": counts,
        "shares": shares,
    }


def test_shipped_layers_load_with_the_documented_counts(shipped) -> None:  # type: ignore[no-untyped-def]
    counts = shipped["facilities"].groupby("kind").size().to_dict()
    assert counts == {
        "legeplads": 136,
        "bibliotek": 20,
        "kulturhus": 29,
        "svoemning": 37,
        "idraetshal": 32,
        "boldbane": 18,
        "groent": 1404,
        "vand": 366,  # 375 features, 9 without geometry
        "laege": 60,  # synthetic
        "supermarked": 381,
        "skole": 233,
        "daginstitution": 271,
    }
    fac = shipped["facilities"]
    assert fac["name"].notna().all()
    assert fac["source"].str.contains("Københavns Kommune|OpenStreetMap|SYNTETISK").all()
    assert set(fac.loc[fac["kind"] == "groent", "year"]) == {2014}
    west, south, east, north = fac.total_bounds
    assert 12.3 < west < east < 12.8 and 55.5 < south < north < 55.8


def test_residents_are_placed_on_residential_land(shipped) -> None:  # type: ignore[no-untyped-def]
    cells = shipped["cells"]
    total = shipped["residents"].sum()
    assert cells["residents"].sum() == pytest.approx(total)
    assert 20_000 < len(cells) < 32_000  # about 65 km² of residential land at 50 m
    assert set(cells["area_code"]) == set(shipped["residents"].index)
    assert np.isnan(shipped["noise_db"]).sum() == 0  # every cell lies on the noise map


def test_city_wide_shares_are_plausible(shipped) -> None:  # type: ignore[no-untyped-def]
    city = shipped["shares"]["city"]
    assert 60 <= city["daekning_bibliotek"] <= 100
    assert 20 <= city["stoej_58"] <= 60
    assert 0 < city["stoej_68"] < city["stoej_58"]
    assert 20 <= city["daekning_legeplads"] <= 80
    assert 50 <= city["daekning_groent"] <= 100
    assert 40 <= city["daekning_kulturhus"] <= 100


def test_every_rode_value_is_a_share(shipped) -> None:  # type: ignore[no-untyped-def]
    counts = shipped["counts"]
    assert (counts["numerator"] >= 0).all()
    assert (counts["numerator"] <= counts["denominator"] + 1e-6).all()
    assert counts.groupby("indicator").size().nunique() == 1
    # The fixture loads no air-quality layer, so the air indicators are skipped
    # (tests/test_air_quality.py; the seed computes them).
    assert set(counts["indicator"]) == {s.indicator for s in cov.DEFAULT_SPECS if not s.is_air}
