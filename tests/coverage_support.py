"""Helpers for the coverage tests: the hand-made fixtures and a tiny store built from them.

The geometry and the expected answers are described in
``tests/data/geo_coverage/make_fixtures.py``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from sqlalchemy import Engine

from db import migrate, store
from db.engine import make_engine
from indicators import coverage as cov
from indicators.registry import load_registry

GEO = Path(__file__).resolve().parent / "data" / "geo_coverage"
NOISE_FILE = GEO / "stoej.json"
CELL_M = 100.0
RESIDENTS = {"R1": 980.0, "R2": 500.0}
YEAR = 2014

# Hand-worked answers (make_fixtures.py): covered cells / cells per rode.
R1_CELLS, R2_CELLS = 49, 100
EXPECTED_SHARES = {
    # indicator: (R1 share, R2 share)
    "daekning_legeplads": (0 / 49, 18 / 100),
    "daekning_bibliotek": (26 / 49, 100 / 100),
    "daekning_kulturhus": (None, None),  # no culture house in the fixture: not computed
    "daekning_groent": (30 / 49, 30 / 100),  # columns 700750-700950 are within 300 m
    "stoej_58": (20 / 49, 0 / 100),
    "stoej_68": (20 / 49, 0 / 100),
}


def roder() -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / "roder.geojson")


def facilities() -> gpd.GeoDataFrame:
    """The fixture's facility frame (EPSG:4326), as ``keob import facilities`` reads it."""
    frames = [
        cov.load_facility_layer(GEO / "legeplads.geojson", "legeplads"),
        cov.load_facility_layer(GEO / "bibliotek.geojson", "bibliotek"),
        cov.load_facility_layer(GEO / "parker.geojson", "groent"),
        cov.load_facility_layer(GEO / "vand.geojson", "vand"),
    ]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def make_store(url: str) -> Engine:
    """Migrate ``url``; load R1, R2, kbh, ub-noerrebro and ub-alle (= R2) and befolkning."""
    migrate.upgrade(url)
    engine = make_engine(url)
    rows = roder().to_crs(4326)
    areas = pd.DataFrame(
        {
            "code": ["R1", "R2", "kbh", "ub-noerrebro", "ub-alle", "B3"],
            "name": ["Sydroden", "Nordroden", "København", "Nørrebro", "Udsatte samlet", "Bydel"],
            "level": ["rode", "rode", "city", "udsat_byomraade", "udsat_byomraade", "bydel"],
        }
    )
    union = shapely.union_all(rows.geometry.to_numpy())
    geoms = [rows.geometry.iloc[0], rows.geometry.iloc[1], union]
    geoms += [rows.geometry.iloc[1], rows.geometry.iloc[1], union]
    areas["geometry_wkb"] = [shapely.to_wkb(g) for g in geoms]
    membership = pd.DataFrame(
        {
            "aggregate_code": ["kbh", "kbh", "ub-noerrebro", "ub-alle", "B3", "B3"],
            "member_code": ["R1", "R2", "R2", "R2", "R1", "R2"],
        }
    )
    population = pd.DataFrame(
        {
            "area_code": list(RESIDENTS),
            "indicator": "befolkning",
            "year": YEAR,
            "numerator": list(RESIDENTS.values()),
            "denominator": 1.0,
        }
    )
    with engine.begin() as conn:
        store.sync_indicators(conn, [vars(i) for i in load_registry().values()])
        batch = store.create_batch(conn, kind="areas", file_name="fixture", checksum="x")
        store.upsert_areas(conn, areas, batch)
        store.replace_memberships(conn, membership, 2021, batch)
        store.write_observations(conn, population, batch)
    return engine


def load_facilities(engine: Engine) -> int:
    from keob.seed_coverage import import_facilities

    return import_facilities(engine, facilities(), file_name="fixture", checksum="f")
