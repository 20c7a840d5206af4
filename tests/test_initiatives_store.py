"""The initiatives register in the store (SQLite and PostgreSQL), the CLI and the seed."""

from __future__ import annotations

import dataclasses
import io
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from sqlalchemy import func, inspect, select

from db import initiatives_store, migrate, store
from db import models_initiatives as models
from db.engine import make_engine
from db.models import LoadBatch
from indicators import geography
from indicators import initiatives as ini
from indicators.registry import load_registry
from indicators.services import initiatives as register_store
from indicators.services.imports import import_initiatives_file
from keob.seed import ALMENE_FILE, GEOGRAPHY_VINTAGE, RODE_FILE
from keob.seed_initiatives import seed_initiatives

SHIPPED = ini.shipped_register_path()


@lru_cache(maxsize=1)
def geography_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    roder = geography.load_roder(RODE_FILE)
    areas, membership = geography.derive_areas(roder)
    almene = geography.load_almene_boliger(ALMENE_FILE)
    frames = []
    for gdf in (areas, almene):
        out = pd.DataFrame(gdf[["code", "name", "level"]])
        out["geometry_wkb"] = shapely.to_wkb(gdf.geometry.to_numpy())
        frames.append(out)
    return pd.concat(frames, ignore_index=True), membership


def load_geography(engine) -> None:  # type: ignore[no-untyped-def]
    areas, membership = geography_frames()
    with engine.begin() as conn:
        store.sync_indicators(conn, [vars(i) for i in load_registry().values()])
        batch = store.create_batch(conn, kind="areas", file_name="geo", checksum="g")
        store.upsert_areas(conn, areas, batch)
        store.replace_memberships(conn, membership, GEOGRAPHY_VINTAGE, batch)


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    load_geography(eng)
    yield eng
    eng.dispose()


def batches(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return conn.execute(select(func.count(LoadBatch.id))).scalar_one()


def test_store_constants_agree_with_the_register_module() -> None:
    assert tuple(ini.ADMINISTRATIONS) == models.ADMINISTRATION_CODES
    assert tuple(ini.FOCUS_AREAS) == models.FOCUS_AREA_CODES
    assert tuple(ini.PLACE_SOURCES) == models.PLACE_SOURCES


def test_migration_creates_and_drops_the_tables(db_url: str) -> None:
    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    tables = {
        "initiative_vintage",
        "initiative",
        "initiative_administration",
        "initiative_place",
        "initiative_criterion",
        "initiative_further",
    }
    assert tables <= set(inspect(eng).get_table_names())
    migrate.downgrade(db_url, "0004")
    assert not tables & set(inspect(eng).get_table_names())
    migrate.upgrade(db_url)
    assert tables <= set(inspect(eng).get_table_names())
    eng.dispose()


def test_load_and_read_back_the_same_register(engine) -> None:  # type: ignore[no-untyped-def]
    result = import_initiatives_file(engine, SHIPPED)
    assert (result.initiatives, result.further, result.unchanged) == (40, 41, False)
    back = register_store.read_register(engine, "2027-2028")
    original = ini.load_register(SHIPPED)
    assert dataclasses.replace(back, file_name=original.file_name) == original
    assert register_store.read_register(engine) == back  # the newest vintage by default
    assert register_store.read_register(engine, "2029-2030") is None
    assert register_store.available_vintages(engine) == ["2027-2028"]


def test_same_file_twice_changes_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    import_initiatives_file(engine, SHIPPED)
    before = batches(engine)
    again = import_initiatives_file(engine, SHIPPED)
    assert again.unchanged and batches(engine) == before


def test_reimport_retires_the_earlier_load(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import_initiatives_file(engine, SHIPPED)
    changed = tmp_path / "handleplan-2027-2028.yaml"
    changed.write_text(
        SHIPPED.read_text(encoding="utf-8").replace('status: "udkast"', 'status: "vedtaget"'),
        encoding="utf-8",
    )
    result = import_initiatives_file(engine, changed)
    assert result.replaced and not result.unchanged
    assert register_store.read_register(engine).status == "vedtaget"
    loads = initiatives_store.read_vintages(engine, include_retired=True)
    assert len(loads) == 2 and loads["retired_batch_id"].notna().sum() == 1
    old_id = int(loads.loc[loads["retired_batch_id"].notna(), "vintage_id"].iloc[0])
    old = initiatives_store.read_vintage_rows(engine, vintage_id=old_id)
    assert old["vintage"]["status"] == "udkast"  # the earlier load is still readable


def test_invalid_file_writes_nothing(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        SHIPPED.read_text(encoding="utf-8").replace("areas: [A739-23]", "areas: [A739-999]"),
        encoding="utf-8",
    )
    before = batches(engine)
    with pytest.raises(ini.RegisterError) as info:
        import_initiatives_file(engine, bad)
    problem = info.value.problems[0]
    assert (problem.file, problem.entry, problem.value) == (
        "bad.yaml",
        "initiative M1-F-14",
        "A739-999",
    )
    assert problem.line is not None
    assert batches(engine) == before
    assert register_store.read_register(engine) is None


def test_vintage_option_must_match_the_file(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ini.RegisterError, match="--vintage 2029-2030"):
        import_initiatives_file(engine, SHIPPED, vintage="2029-2030")


def test_store_refuses_unknown_references_all_or_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    rows = ini.register_to_rows(ini.load_register(SHIPPED))
    rows["places"][-1] = {**rows["places"][-1], "area_code": "K99999"}
    before = batches(engine)
    with pytest.raises(initiatives_store.UnknownReferenceError, match="K99999"):
        initiatives_store.load_vintage(engine, rows, file_name="x", checksum="c")
    assert batches(engine) == before


def test_a_failure_midway_rolls_everything_back(engine) -> None:  # type: ignore[no-untyped-def]
    rows = ini.register_to_rows(ini.load_register(SHIPPED))
    rows["administrations"].append(dict(rows["administrations"][0]))  # duplicate → IntegrityError
    before = batches(engine)
    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        initiatives_store.load_vintage(engine, rows, file_name="x", checksum="c")
    assert batches(engine) == before
    assert register_store.read_register(engine) is None


def test_import_without_geography_says_what_to_do(sqlite_url: str) -> None:
    migrate.upgrade(sqlite_url)
    eng = make_engine(sqlite_url)
    with pytest.raises(ini.RegisterError, match="load the geography first"):
        import_initiatives_file(eng, SHIPPED)
    eng.dispose()


def test_seed_initiatives_loads_the_shipped_register(engine) -> None:  # type: ignore[no-untyped-def]
    messages: list[str] = []
    result = seed_initiatives(engine, progress=messages.append)
    assert result.initiatives == 40 and "2027-2028" in messages[0]


# ------------------------------------------------------------------------ CLI


@pytest.fixture
def cli_store(sqlite_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    migrate.upgrade(sqlite_url)
    eng = make_engine(sqlite_url)
    load_geography(eng)
    eng.dispose()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    from keob.cli import main

    return main


def test_cli_import_and_list(cli_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    runner = CliRunner()
    done = runner.invoke(cli_store, ["import", "initiatives", str(SHIPPED)])
    assert done.exit_code == 0, done.output
    assert "40 initiatives" in done.output
    done = runner.invoke(cli_store, ["import", "initiatives", str(SHIPPED)])
    assert "already loaded" in done.output
    done = runner.invoke(cli_store, ["initiatives", "list", "--area", "K21005", "--unfunded"])
    assert done.exit_code == 0, done.output
    assert "M1-U-02" in done.output and "M1-F-08" not in done.output
    done = runner.invoke(cli_store, ["initiatives", "list", "--format", "csv", "--goal", "2"])
    listed = pd.read_csv(io.StringIO(done.output))
    assert list(listed.columns) == ini.CSV_COLUMNS
    assert len(listed) == 18 and set(listed["goal"]) == {2}
    done = runner.invoke(cli_store, ["initiatives", "list", "--format", "counts"])
    assert "Styrket børne- og ungeliv" in done.output


def test_cli_import_reports_every_problem_and_exits_2(cli_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.yaml"
    text = SHIPPED.read_text(encoding="utf-8")
    text = text.replace("goal: 2\n    focus_area: tryg", "goal: 3\n    focus_area: tryg", 1)
    text = text.replace("administrations: [BIF]", "administrations: [BIFF]", 1)
    bad.write_text(text, encoding="utf-8")
    done = CliRunner().invoke(cli_store, ["import", "initiatives", str(bad)])
    assert done.exit_code == 2
    assert "nothing was written" in done.output
    assert "bad.yaml, line" in done.output
    assert 'field administrations[1]: got "BIFF"; expected an administration code' in done.output
    assert "field goal: got 3; expected 1 or 2" in done.output
