"""The publish step: computed once, stored per data version, read by every process.

Publishing then reading gives the frames the compute path gives; a publication is
atomic (a failure half-way, e.g. a full disk, leaves the previous one current and none
of its rows visible); ``as_of`` picks the publication made from the data held then; a
cold Monitor reads and never runs disclosure control.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest
from import_support import make_store, run_cli, write
from pandas.testing import assert_frame_equal
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from db import migrate, publications, store
from db.engine import make_engine
from db.models import AREA_LEVELS
from db.models_publication import Publication, PublishedComparison, PublishedFrame
from indicators import disclosure
from indicators.services import publish as publish_service
from indicators.services.monitor import Monitor

HEADER = "area_code,criterion,year,numerator,denominator\n"
# Large counts, so the small store's figures pass the primary rules.
V1 = HEADER + "".join(
    f"{r},indkomst,{y},{n},{d}\n"
    for r, n, d in (("R1", 120, 1000), ("R2", 150, 1100), ("R3", 90, 900), ("R4", 200, 1300))
    for y in (2023, 2024)
)
V2 = HEADER + "R1,indkomst,2024,130,1000\n"


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped data seeded once (seeding publishes); tests copy the file."""
    from keob.seed import seed

    path = tmp_path_factory.mktemp("publish") / "seeded.sqlite"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def seeded(seeded_template: Path):  # type: ignore[no-untyped-def]
    engine = make_engine(f"sqlite:///{seeded_template}")
    yield engine
    engine.dispose()


def _count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


# ------------------------------------------------------------------ equal to the compute path


def test_seed_publishes_and_reading_equals_computing(seeded) -> None:  # type: ignore[no-untyped-def]
    current = publications.current_publication(seeded)
    assert current is not None and current.data_version == store.data_version(seeded)
    computed = Monitor(seeded, read_publications=False)
    reader = Monitor(seeded)
    assert reader.publication() == current
    for level in AREA_LEVELS:
        for vintage in (None, *computed.vintages()):
            expected = computed.published_comparison(level, vintage)
            read = reader.published_comparison(level, vintage)
            assert_frame_equal(read, expected, obj=f"{level}@{vintage}")
            rows = publications.read_comparison_rows(seeded, current, level, vintage)
            if expected.empty:
                assert rows.empty
            else:
                assert_frame_equal(rows, expected, obj=f"typed rows {level}@{vintage}")
    assert_frame_equal(reader.state_lists(), computed.state_lists())


def test_typed_rows_answer_indexed_slices(seeded) -> None:  # type: ignore[no-untyped-def]
    current = publications.current_publication(seeded)
    whole = Monitor(seeded, read_publications=False).published_comparison("bydel")
    part = publications.read_comparison_rows(
        seeded, current, "bydel", None, indicators=["indkomst"], years=[2020]
    )
    expected = whole[(whole["indicator"] == "indkomst") & (whole["year"] == 2020)]
    assert len(part) == len(expected) > 0
    assert_frame_equal(part, expected.reset_index(drop=True))


def test_cold_monitor_reads_and_never_runs_disclosure_control(seeded, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def forbidden(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a reading process ran disclosure.protect")

    monkeypatch.setattr(disclosure, "protect", forbidden)
    cold = Monitor(seeded)
    cold.refresh()
    for level in AREA_LEVELS:
        cold.published_comparison(level)
    assert not cold.state_lists().empty
    # The compute path really calls protect, so the patch would have caught a compute.
    with pytest.raises(AssertionError, match="protect"):
        Monitor(seeded, read_publications=False).published_comparison("bydel")


def test_the_app_reads_the_publication(seeded_template, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from dashboard import data

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{seeded_template}")
    monkeypatch.setattr(disclosure, "protect", lambda *a, **k: pytest.fail("computed"))
    data.reset()
    try:
        data.warm_caches()
        engine = make_engine(f"sqlite:///{seeded_template}")
        assert data.data_version() == publications.current_publication(engine).data_version
    finally:
        data.reset()


def test_publish_if_needed_reuses_the_current_publication(seeded_template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "copy.sqlite"
    shutil.copy(seeded_template, path)
    engine = make_engine(f"sqlite:///{path}")
    before = publications.current_publication(engine)
    report = publish_service.publish(engine, if_needed=True)
    assert not report.created and report.publication == before
    engine.dispose()


# ------------------------------------------------------------------ small store: imports, as-of


@pytest.fixture
def small(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_store(db_url)
    yield engine
    engine.dispose()


def test_import_publishes_and_as_of_picks_the_publication_of_then(
    small, db_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert (
        run_cli(db_url, "import", "indicators", str(write(tmp_path / "v1.csv", V1))).exit_code == 0
    )
    first = publications.current_publication(small)
    assert first is not None and first.data_version == store.data_version(small)
    stamp = datetime.now(UTC)
    first_frame = Monitor(small).published_comparison("bydel")
    assert (
        run_cli(db_url, "import", "indicators", str(write(tmp_path / "v2.csv", V2))).exit_code == 0
    )
    second = publications.current_publication(small)
    assert second.id != first.id and second.data_version == store.data_version(small)
    reader = Monitor(small)
    assert reader.publication() == second
    then = reader.publication(stamp)
    assert then is not None and then.id == first.id
    assert_frame_equal(reader.published_comparison("bydel", as_of=stamp), first_frame)
    # ... and that is what computing as of then gives, too.
    assert_frame_equal(
        first_frame,
        Monitor(small, read_publications=False).published_comparison("bydel", as_of=stamp),
    )
    now = reader.published_comparison("bydel")
    b3 = (now["area_code"] == "B3") & (now["year"] == 2024) & (now["indicator"] == "indkomst")
    assert now.loc[b3, "numerator"].item() == 280.0
    assert first_frame.loc[b3, "numerator"].item() == 270.0
    # Earlier publications are kept, the newest is the only current one.
    statuses = [p.status for p in publications.list_publications(small)]
    assert statuses.count("current") == 1 and statuses[-1] == "current"


def test_as_of_reproduces_the_publication_even_under_other_rules(
    small, db_url: str, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert (
        run_cli(db_url, "import", "indicators", str(write(tmp_path / "v1.csv", V1))).exit_code == 0
    )
    stamp = datetime.now(UTC)
    published = Monitor(small).published_comparison("bydel")
    monkeypatch.setattr(publish_service, "rules_checksum", lambda: "other rules")
    monkeypatch.setattr("indicators.services.monitor.rules_checksum", lambda: "other rules")
    monkeypatch.setattr(disclosure, "protect", lambda *a, **k: pytest.fail("computed"))
    assert_frame_equal(Monitor(small).published_comparison("bydel", as_of=stamp), published)


def test_without_a_publication_the_monitor_computes_and_says_so(small, caplog) -> None:  # type: ignore[no-untyped-def]
    with small.begin() as conn:
        batch = store.create_batch(conn, kind="indicators", file_name="t.csv", checksum="c")
        frame = pd.read_csv(pd.io.common.StringIO(V1)).rename(columns={"criterion": "indicator"})
        store.write_observations(conn, frame, batch)
    assert publications.current_publication(small) is None
    with caplog.at_level(logging.WARNING, logger="indicators.services.monitor"):
        frame = Monitor(small).published_comparison("bydel")
    assert not frame.empty
    assert "computing disclosure control in this process" in caplog.text
    assert_frame_equal(frame, Monitor(small, read_publications=False).published_comparison("bydel"))


def test_rules_changed_since_publishing_are_not_served(
    small, db_url, tmp_path, monkeypatch, caplog
) -> None:  # type: ignore[no-untyped-def]
    assert (
        run_cli(db_url, "import", "indicators", str(write(tmp_path / "v1.csv", V1))).exit_code == 0
    )
    monkeypatch.setattr("indicators.services.monitor.rules_checksum", lambda: "other rules")
    reader = Monitor(small)
    with caplog.at_level(logging.WARNING, logger="indicators.services.monitor"):
        assert reader.publication() is None
    assert "made under other rules" in caplog.text


# ------------------------------------------------------------------ atomicity and a full disk


def _fail_after(first_chunks: int, error: Exception):  # type: ignore[no-untyped-def]
    calls = {"n": 0}

    def writer(conn, records) -> None:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > first_chunks:
            raise error
        publications._insert_comparison_rows(conn, records)

    return writer, calls


@pytest.mark.parametrize(
    "error",
    [
        OSError(28, "No space left on device"),
        OperationalError("INSERT", {}, Exception("database or disk is full")),
    ],
    ids=["oserror", "disk-full"],
)
def test_a_failure_half_way_leaves_the_old_publication_in_force(
    small, db_url: str, tmp_path: Path, monkeypatch, error: Exception
) -> None:  # type: ignore[no-untyped-def]
    assert (
        run_cli(db_url, "import", "indicators", str(write(tmp_path / "v1.csv", V1))).exit_code == 0
    )
    old = publications.current_publication(small)
    rows_before = _count(small, PublishedComparison.__table__)
    frames_before = _count(small, PublishedFrame.__table__)
    old_frame = Monitor(small).published_comparison("bydel")
    # New data, then a publish that dies after writing some rows.
    with small.begin() as conn:
        batch = store.create_batch(conn, kind="indicators", file_name="v2.csv", checksum="v2")
        store.write_observations(
            conn,
            pd.DataFrame(
                [("R1", "indkomst", 2024, 130.0, 1000.0)],
                columns=["area_code", "indicator", "year", "numerator", "denominator"],
            ),
            batch,
        )
    monkeypatch.setattr(publications, "CHUNK_ROWS", 5)
    writer, calls = _fail_after(2, error)
    with pytest.raises(type(error)):
        publish_service.publish(small, write_rows=writer)
    assert calls["n"] == 3  # it did fail half-way, after writing two chunks
    assert publications.current_publication(small) == old
    assert [p.id for p in publications.list_publications(small)] == [old.id]
    assert _count(small, PublishedComparison.__table__) == rows_before
    assert _count(small, PublishedFrame.__table__) == frames_before
    assert_frame_equal(Monitor(small).published_comparison("bydel"), old_frame)
    assert publish_service.publication_lag(small) is not None
    # The next publish succeeds and catches up.
    monkeypatch.undo()
    made = publish_service.publish(small).publication
    assert made.id != old.id and publish_service.publication_lag(small) is None


def test_an_import_whose_publish_fails_is_loaded_and_says_so(
    small, db_url: str, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    def full(conn, records):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    real = publish_service.publish
    monkeypatch.setattr(
        publish_service, "publish", lambda engine, **kw: real(engine, **kw, write_rows=full)
    )
    result = run_cli(db_url, "import", "indicators", str(write(tmp_path / "v1.csv", V1)))
    assert result.exit_code == 0, result.output
    assert "not published" in result.output
    assert not store.is_empty(small)
    assert publications.current_publication(small) is None
    with small.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Publication.__table__)).scalar() == 0


def test_keob_publish_command(small, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert (
        run_cli(db_url, "import", "indicators", str(write(tmp_path / "v1.csv", V1))).exit_code == 0
    )
    again = run_cli(db_url, "publish", "--if-needed")
    assert again.exit_code == 0 and "Already published" in again.output
    fresh = run_cli(db_url, "publish")
    assert fresh.exit_code == 0 and "Published: publication #" in fresh.output
    listed = run_cli(db_url, "publish", "--list").output.splitlines()
    assert len(listed) == 2 and "superseded" in listed[0] and "current" in listed[1]


def test_migration_round_trip(db_url: str) -> None:
    from sqlalchemy import inspect

    migrate.upgrade(db_url)
    engine = make_engine(db_url)
    assert {"publication", "published_comparison", "published_frame"} <= set(
        inspect(engine).get_table_names()
    )
    index_columns = {
        tuple(i["column_names"]) for i in inspect(engine).get_indexes("published_comparison")
    }
    assert ("publication_id", "level", "indicator", "year") in index_columns
    migrate.downgrade(db_url, "0005")
    assert "publication" not in inspect(engine).get_table_names()
    # A store without the tables: nothing published, readers compute.
    assert publications.current_publication(engine) is None
    migrate.upgrade(db_url)
    engine.dispose()
