"""Designation vintages, state-list memberships per list year, and migration 0002."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from import_support import make_store, run_cli, write
from sqlalchemy import inspect, text

from db import importing, migrate, store
from db.engine import make_engine
from indicators.importers.state_lists import normalise_category
from indicators.registry import load_registry
from indicators.services.export import indicator_export_frame
from indicators.services.monitor import Monitor, UnknownVintageError


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    eng = make_store(db_url)
    yield eng
    eng.dispose()


# ------------------------------------------------------------------------- migration 0002


def test_migration_0002_round_trip_keeps_data(db_url: str) -> None:
    engine = make_store(db_url)
    with engine.begin() as conn:
        batch = store.create_batch(conn, kind="indicators", file_name="f.csv", checksum="c")
        store.write_observations(
            conn,
            pd.DataFrame([("R1", "indkomst", 2020, 1.0, 2.0)], columns=store.OBSERVATION_COLUMNS),
            batch,
        )
    rows = pd.DataFrame({"area_code": ["R1"], "list_year": [2024], "category": ["udsat"]})
    importing.load_state_lists(engine, rows, file_name="l.csv", checksum="l", rows_in_file=1)
    tables = set(inspect(engine).get_table_names())
    assert {"state_list_membership", "area_version"} <= tables
    assert "source_line" in {c["name"] for c in inspect(engine).get_columns("observation")}

    migrate.downgrade(db_url, "0001")
    engine.dispose()
    engine = make_engine(db_url)
    insp = inspect(engine)
    assert "state_list_membership" not in insp.get_table_names()
    assert "area_version" not in insp.get_table_names()
    assert "source_line" not in {c["name"] for c in insp.get_columns("observation")}
    assert "source_format" not in {c["name"] for c in insp.get_columns("load_batch")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM observation")).scalar_one() == 1

    migrate.upgrade(db_url)
    engine.dispose()
    engine = make_engine(db_url)
    assert "source_line" in {c["name"] for c in inspect(engine).get_columns("observation")}
    assert len(store.read_observations(engine)) == 1
    assert store.read_state_lists(engine).empty
    migrate.downgrade(db_url, "base")
    migrate.upgrade(db_url)
    engine.dispose()


# ------------------------------------------------------------------------- state lists


def test_state_lists_per_year_with_retired_history(engine, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = write(
        tmp_path / "lister.csv",
        "area_code,list_year,category\nR1,2019,Hårdt ghettoområde\nR1,2023,udsat\n"
        "R2,2023,forebyggelse\nR1,2024,udsat\nR2,2024,forebyggelsesområde\n",
    )
    result = run_cli(db_url, "import", "state-lists", str(first))
    assert result.exit_code == 0, result.output
    assert "5 added, 0 retired" in result.output
    lists = store.read_state_lists(engine)
    assert lists[["area_code", "list_year", "category"]].values.tolist() == [
        ["R1", 2019, "haard_ghetto"],
        ["R2", 2023, "forebyggelse"],
        ["R1", 2023, "udsat"],
        ["R2", 2024, "forebyggelse"],
        ["R1", 2024, "udsat"],
    ]
    assert "already loaded" in run_cli(db_url, "import", "state-lists", str(first)).output
    between = datetime.now(UTC)
    time.sleep(0.01)
    # The corrected 2024 list: R2 left the list, R3 joined. 2019 and 2023 are untouched.
    fixed = write(
        tmp_path / "liste_2024.csv", "area_code,list_year,category\nR1,2024,udsat\nR3,2024,udsat\n"
    )
    result = run_cli(db_url, "import", "state-lists", str(fixed))
    assert "1 added, 1 retired, 1 unchanged" in result.output
    now = store.read_state_lists(engine, list_years=[2024])
    assert sorted(now["area_code"]) == ["R1", "R3"]
    then = store.read_state_lists(engine, list_years=[2024], as_of=between)
    assert sorted(then["area_code"]) == ["R1", "R2"]
    assert len(store.read_state_lists(engine, list_years=[2019, 2023])) == 3


def test_category_aliases() -> None:
    assert normalise_category("Hårdt ghettoområde") == "haard_ghetto"
    assert normalise_category("Omdannelsesområde") == "omdannelse"
    assert normalise_category(" Udsat boligområde ") == "udsat"
    assert normalise_category("parallelsamfund") == "parallelsamfund"


# ------------------------------------------------------------------------- vintages


def _two_vintages(engine) -> None:  # type: ignore[no-untyped-def]
    """ub-test is R1 in the 2021 designation and R1 + R2 in the 2025 designation."""
    with engine.begin() as conn:
        batch = store.create_batch(conn, kind="areas", file_name="designations", checksum="d")
        store.upsert_areas(
            conn,
            pd.DataFrame(
                {
                    "code": ["ub-test"],
                    "name": ["Testområdet"],
                    "level": ["udsat_byomraade"],
                    "geometry_wkb": [None],
                }
            ),
            batch,
        )
        for vintage, members in ((2021, ["R1"]), (2025, ["R1", "R2"])):
            store.replace_memberships(
                conn,
                pd.DataFrame({"aggregate_code": "ub-test", "member_code": members}),
                vintage,
                batch,
            )
        obs = pd.DataFrame(
            [
                ("R1", "indkomst", 2024, 10.0, 100.0),
                ("R2", "indkomst", 2024, 30.0, 100.0),
                ("R3", "indkomst", 2024, 20.0, 100.0),
                ("R4", "indkomst", 2024, 20.0, 100.0),
            ],
            columns=store.OBSERVATION_COLUMNS,
        )
        data = store.create_batch(conn, kind="indicators", file_name="obs", checksum="o")
        store.write_observations(conn, obs, data)


def test_series_as_designated_then_and_now(engine) -> None:  # type: ignore[no-untyped-def]
    _two_vintages(engine)
    monitor = Monitor(engine)
    then = indicator_export_frame(monitor, "udsat_byomraade", ["indkomst"], vintage=2021)
    now = indicator_export_frame(monitor, "udsat_byomraade", ["indkomst"], vintage=2025)
    default = indicator_export_frame(monitor, "udsat_byomraade", ["indkomst"])
    assert then[
        ["numerator", "denominator", "value", "rest_of_city_value", "gap"]
    ].values.tolist() == [[10.0, 100.0, 10.0, 23.3, -13.3]]
    assert now[
        ["numerator", "denominator", "value", "rest_of_city_value", "gap"]
    ].values.tolist() == [[40.0, 200.0, 20.0, 20.0, 0.0]]
    pd.testing.assert_frame_equal(default, now)
    # A vintage that was never designated is an error, not the newest one before it.
    with pytest.raises(UnknownVintageError, match="vintage 2023 is not stored; stored: 2021, 2025"):
        indicator_export_frame(monitor, "udsat_byomraade", ["indkomst"], vintage=2023)
    assert store.membership_vintages(engine) == [2021, 2025]


def test_history_of_an_aggregate_follows_the_vintage(engine, db_url: str) -> None:  # type: ignore[no-untyped-def]
    _two_vintages(engine)
    r21 = run_cli(db_url, "history", "ub-test", "indkomst", "--vintage", "2021", "--csv", "-")
    r25 = run_cli(db_url, "history", "ub-test", "indkomst", "--csv", "-")
    assert r21.exit_code == 0 and r25.exit_code == 0, r21.output + r25.output
    assert "2024,1,10,100,10.0,false,true" in r21.output
    assert "2024,1,40,200,20.0,false,true" in r25.output


def test_registry_units_match_store(engine) -> None:  # type: ignore[no-untyped-def]
    registry = load_registry()
    with engine.connect() as conn:
        units = dict(conn.execute(text("SELECT code, unit FROM indicator")).all())
    assert units == {code: ind.unit for code, ind in registry.items()}
