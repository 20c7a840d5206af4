"""The store on SQLite and PostgreSQL: migrations, revisions that lose nothing, as-of reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
import shapely
from sqlalchemy import inspect

from db import migrate, store
from db.engine import make_engine
from indicators.registry import load_registry


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    with eng.begin() as conn:
        store.sync_indicators(conn, [vars(i) for i in load_registry().values()])
        batch = store.create_batch(conn, kind="areas", file_name="fixture", checksum="x")
        square = shapely.to_wkb(shapely.box(12.5, 55.6, 12.51, 55.61))
        areas = pd.DataFrame(
            {
                "code": ["R1", "R2", "kbh"],
                "name": ["Rode 1", "Rode 2", "København"],
                "level": ["rode", "rode", "city"],
                "geometry_wkb": [square, None, None],
            }
        )
        store.upsert_areas(conn, areas, batch)
        membership = pd.DataFrame({"aggregate_code": ["kbh", "kbh"], "member_code": ["R1", "R2"]})
        store.replace_memberships(conn, membership, 2021, batch)
    yield eng
    eng.dispose()


def _obs(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows, columns=["area_code", "indicator", "year", "numerator", "denominator"]
    )


def _load(engine, frame: pd.DataFrame, when: datetime | None = None) -> store.WriteResult:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        batch = store.create_batch(
            conn, kind="indicators", file_name="t.csv", checksum="c", loaded_at=when
        )
        return store.write_observations(conn, frame, batch)


def test_migrations_round_trip(db_url: str) -> None:
    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    assert {"area", "observation", "load_batch", "indicator", "area_membership"} <= set(
        inspect(eng).get_table_names()
    )
    migrate.downgrade(db_url, "base")
    assert "observation" not in inspect(eng).get_table_names()
    migrate.upgrade(db_url)
    assert "observation" in inspect(eng).get_table_names()
    eng.dispose()


def test_same_data_twice_changes_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    frame = _obs([("R1", "indkomst", 2020, 10, 100), ("R2", "indkomst", 2020, 5, 50)])
    first = _load(engine, frame)
    second = _load(engine, frame)
    assert (first.written, first.unchanged) == (2, 0)
    assert (second.written, second.unchanged) == (0, 2)


def test_revision_keeps_earlier_value_and_as_of_reproduces_it(engine) -> None:  # type: ignore[no-untyped-def]
    t0 = datetime(2025, 1, 1, tzinfo=UTC)
    _load(engine, _obs([("R1", "indkomst", 2020, 10, 100)]), when=t0)
    revised = _load(engine, _obs([("R1", "indkomst", 2020, 12, 100)]), when=t0 + timedelta(days=30))
    assert revised.revised == 1
    now = store.read_observations(engine)
    assert now.iloc[0].numerator == 12 and now.iloc[0].revision == 2
    then = store.read_observations(engine, as_of=t0 + timedelta(days=1))
    assert then.iloc[0].numerator == 10 and then.iloc[0].revision == 1
    before = store.read_observations(engine, as_of=t0 - timedelta(days=1))
    assert before.empty


def test_unknown_area_is_refused_and_nothing_written(engine) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyError, match="R99"):
        _load(engine, _obs([("R1", "indkomst", 2020, 1, 10), ("R99", "indkomst", 2020, 1, 10)]))
    assert store.read_observations(engine).empty
    # The batch of the failed transaction is gone too.
    assert store.read_batches(engine)["file_name"].tolist() == ["fixture"]


def test_membership_and_geometry_read_back(engine) -> None:  # type: ignore[no-untyped-def]
    members = store.read_membership(engine)
    assert members[["aggregate_code", "member_code"]].values.tolist() == [
        ["kbh", "R1"],
        ["kbh", "R2"],
    ]
    areas = store.read_areas(engine, levels=["rode"], with_geometry=True)
    geom = shapely.from_wkb(areas.set_index("code").loc["R1", "geometry_wkb"])
    assert geom.equals(shapely.box(12.5, 55.6, 12.51, 55.61))


def test_data_version_changes_with_each_batch(engine) -> None:  # type: ignore[no-untyped-def]
    before = store.data_version(engine)
    _load(engine, _obs([("R1", "doemte", 2020, 1, 100)]))
    assert store.data_version(engine) != before


@pytest.mark.postgres
def test_postgis_geometry_follows_wkb(postgres_url: str) -> None:
    from sqlalchemy import text

    migrate.upgrade(postgres_url)
    eng = make_engine(postgres_url)
    with eng.begin() as conn:
        batch = store.create_batch(conn, kind="areas", file_name="f", checksum="x")
        wkb = shapely.to_wkb(shapely.box(12.5, 55.6, 12.51, 55.61))
        frame = pd.DataFrame(
            {"code": ["R1"], "name": ["R"], "level": ["rode"], "geometry_wkb": [wkb]}
        )
        store.upsert_areas(conn, frame, batch)
        srid, kind = conn.execute(text("SELECT ST_SRID(geom), GeometryType(geom) FROM area")).one()
    assert (srid, kind) == (4326, "POLYGON")
    eng.dispose()
