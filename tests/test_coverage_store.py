"""Facilities and coverage in the store, on SQLite and PostgreSQL, and the `keob` commands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from db import facility_store, migrate, store
from db.engine import make_engine
from keob.seed_coverage import compute_coverage
from tests.coverage_support import (
    CELL_M,
    EXPECTED_SHARES,
    GEO,
    NOISE_FILE,
    RESIDENTS,
    YEAR,
    load_facilities,
    make_store,
)

TABLES = {"facility", "coverage_run", "coverage_cell", "coverage_distance"}


def _compute(engine, **kw):  # type: ignore[no-untyped-def]
    return compute_coverage(engine, cell_m=CELL_M, noise_file=NOISE_FILE, **kw)


def test_migration_0004_adds_and_removes_the_tables(db_url: str) -> None:
    migrate.upgrade(db_url, "0004")
    engine = make_engine(db_url)
    assert set(inspect(engine).get_table_names()) >= TABLES
    migrate.downgrade(db_url, "0003")
    assert not TABLES & set(inspect(engine).get_table_names())
    migrate.upgrade(db_url)
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_compute_stores_the_hand_worked_observations_and_cells(db_url: str) -> None:
    engine = make_store(db_url)
    assert load_facilities(engine) == 5
    summary = _compute(engine)
    assert summary.year == YEAR and not summary.synthetic_population
    assert summary.cells == 149 and summary.cell_method == "grid-100m"
    obs = store.read_observations(engine, levels=["rode"])
    obs = obs[obs["indicator"] != "befolkning"].set_index(["indicator", "area_code"])
    for indicator, (r1, r2) in EXPECTED_SHARES.items():
        if r1 is None:
            continue
        assert obs.loc[(indicator, "R1"), "numerator"] == pytest.approx(r1 * RESIDENTS["R1"], 1e-6)
        assert obs.loc[(indicator, "R2"), "numerator"] == pytest.approx(r2 * RESIDENTS["R2"], 1e-6)
        assert obs.loc[(indicator, "R2"), "denominator"] == RESIDENTS["R2"]
    row = obs.loc[("daekning_legeplads", "R2")]
    assert not row["synthetic"] and "≤ 300 m" in row["source"] and "2014" in row["source"]

    cells, distances = facility_store.read_coverage_cells(engine)
    assert len(cells) == 149 and cells.groupby("area_code").size().to_dict() == {
        "R1": 49,
        "R2": 100,
    }
    assert cells["residents"].sum() == pytest.approx(sum(RESIDENTS.values()))
    assert set(distances.columns) == {
        "legeplads",
        "bibliotek",
        "kulturhus",
        "groent",
        "svoemning",
        "idraetshal",
        "boldbane",
        "laege",
        "supermarked",
        "skole",
        "daginstitution",
    }
    assert distances["legeplads"].dtype == np.float32
    assert np.isinf(distances["kulturhus"]).all()
    loud = cells["x"] > 700800
    assert set(cells.loc[loud & (cells["area_code"] == "R1"), "noise_db"]) == {68.0}
    run = facility_store.latest_coverage_run(engine)
    assert (run.year, run.cells, run.distance_method) == (YEAR, 149, "euclidean")

    again = _compute(engine)  # the same inputs change no observation
    assert again.observations_written == 0 and again.observations_unchanged > 0
    assert len(facility_store.read_coverage_cells(engine)[0]) == 149
    engine.dispose()


def test_a_new_threshold_is_a_revision(db_url: str) -> None:
    engine = make_store(db_url)
    load_facilities(engine)
    _compute(engine)
    wider = _compute(engine, thresholds={"legeplads": 400})
    # R2 gains residents (revision 2); R1 has none within 400 m either, so its value, and
    # with it the source text of the run that wrote it, stays as it was.
    assert wider.observations_written == 1
    obs = store.read_observations(engine, indicators=["daekning_legeplads"]).set_index("area_code")
    assert obs["revision"].to_dict() == {"R1": 1, "R2": 2}
    assert "≤ 400 m" in obs.loc["R2", "source"] and "≤ 300 m" in obs.loc["R1", "source"]
    engine.dispose()


def test_facilities_round_trip_and_replace_by_kind(db_url: str) -> None:
    engine = make_store(db_url)
    load_facilities(engine)
    table = facility_store.read_facilities(engine)
    assert table.groupby("kind").size().to_dict() == {
        "bibliotek": 1,
        "groent": 2,
        "legeplads": 1,
        "vand": 1,
    }
    from keob.seed_coverage import import_facilities
    from tests.coverage_support import facilities

    only_play = facilities()
    only_play = only_play[only_play["kind"] == "legeplads"]
    import_facilities(engine, pd.concat([only_play, only_play]), file_name="x", checksum="y")
    counts = facility_store.facility_counts(engine).set_index("kind")["n"].to_dict()
    assert counts == {"bibliotek": 1, "groent": 2, "legeplads": 2, "vand": 1}
    engine.dispose()


@pytest.mark.postgres
def test_postgis_geometry_follows_the_facility_wkb(postgres_url: str) -> None:
    from sqlalchemy import text

    engine = make_store(postgres_url)
    load_facilities(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT kind, ST_SRID(geom), GeometryType(geom) FROM facility ORDER BY kind")
        ).all()
    assert ("legeplads", 4326, "POINT") in rows and ("vand", 4326, "POLYGON") in rows
    engine.dispose()


def test_missing_inputs_are_reported(sqlite_url: str) -> None:
    engine = make_store(sqlite_url)
    with pytest.raises(RuntimeError, match="no facilities"):
        _compute(engine)
    load_facilities(engine)
    with pytest.raises(ValueError, match="years with data"):
        _compute(engine, year=1999)
    engine.dispose()


# ------------------------------------------------------------------------------ keob CLI


def test_keob_import_facilities_and_coverage_compute(sqlite_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from keob.cli import main

    engine = make_store(sqlite_url)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    for kind, name in (("legeplads", "legeplads_4326"), ("groent", "parker"), ("vand", "vand")):
        result = runner.invoke(
            main, ["import", "facilities", str(GEO / f"{name}.geojson"), "--kind", kind]
        )
        assert result.exit_code == 0, result.output
    assert "Loaded 1 legeplads facilities" in result.output or "Loaded 1 vand" in result.output
    result = runner.invoke(
        main,
        ["import", "facilities", str(GEO / "bibliotek.geojson"), "--kind", "bibliotek", "--append"],
    )
    assert result.exit_code == 0 and "Added 1 bibliotek" in result.output
    bad = runner.invoke(
        main, ["import", "facilities", str(GEO / "bibliotek.geojson"), "--kind", "X Y"]
    )
    assert bad.exit_code == 1 and "lowercase" in bad.output

    args = ["coverage", "compute", "--cell-size", "100", "--noise", str(NOISE_FILE)]
    result = runner.invoke(main, [*args, "--thresholds", "legeplads=300,stoej_68=68"])
    assert result.exit_code == 0, result.output
    assert "149 resident cells" in result.output and "daekning_groent" in result.output
    usage = runner.invoke(main, [*args, "--thresholds", "stoej_58=60"])
    assert usage.exit_code == 2 and "band edge" in usage.output
    summary = runner.invoke(main, ["coverage", "summary"])
    assert summary.exit_code == 0, summary.output
    assert "daekning_groent" in summary.output and "ub-alle" in summary.output
    obs = store.read_observations(engine, indicators=["daekning_groent"], area_codes=["R2"])
    assert obs["numerator"].item() == pytest.approx(0.3 * RESIDENTS["R2"])
    engine.dispose()


def test_keob_coverage_compute_with_a_network_and_points(
    sqlite_url: str, monkeypatch, tmp_path
) -> None:
    import geopandas as gpd
    import shapely

    from keob.cli import main

    engine = make_store(sqlite_url)
    load_facilities(engine)
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    points = gpd.GeoDataFrame(
        {"boliger": [10, 30]},
        geometry=[shapely.Point(700050, 6171950), shapely.Point(700950, 6170950)],
        crs=25832,
    )
    path = tmp_path / "adresser.gpkg"
    points.to_file(path)
    result = CliRunner().invoke(
        main,
        [
            "coverage",
            "compute",
            "--no-noise",
            "--network",
            str(GEO / "stinet.geojson"),
            "--points",
            str(path),
            "--weight-field",
            "boliger",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "network distance" in result.output and "2 resident cells" in result.output
    obs = store.read_observations(engine, indicators=["daekning_bibliotek"]).set_index("area_code")
    # R2's one address is 1,150 m from the library along the streets: not within 1 km.
    assert obs.loc["R2", "numerator"] == 0
    assert obs.loc["R2", "denominator"] == RESIDENTS["R2"]
    assert store.read_observations(engine, indicators=["stoej_58"]).empty
    engine.dispose()
