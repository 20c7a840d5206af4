"""An import killed half-way leaves the store exactly as before; readers never fail meanwhile.

Both run on SQLite (WAL) and PostgreSQL (MVCC). The importer is paused inside its open
transaction after the first chunk of rows was written (``after_chunk`` hook; in a
subprocess the KEOB_IMPORT_PAUSE_FILE test hook), then killed with SIGKILL or resumed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from import_support import make_store, snapshot
from sqlalchemy import func, select

from db import store
from db.engine import make_engine
from db.models import Observation
from indicators.services.imports import import_indicator_files
from keob.commands.imports import PAUSE_ENV

REPO = Path(__file__).resolve().parent.parent
CRITERIA = ["indkomst", "uddannelse", "arbejdsmarked", "doemte", "befolkning"]


def _big_store(url: str, n_areas: int):  # type: ignore[no-untyped-def]
    engine = make_store(url)
    codes = [f"X{i}" for i in range(n_areas)]
    with engine.begin() as conn:
        batch = store.create_batch(conn, kind="areas", file_name="extra", checksum="extra")
        store.upsert_areas(
            conn,
            pd.DataFrame({"code": codes, "name": codes, "level": "rode", "geometry_wkb": None}),
            batch,
        )
    return engine, codes


def _big_file(path: Path, codes: list[str], years: range) -> int:
    lines = ["area_code,criterion,year,numerator,denominator"]
    for code in codes:
        for crit in CRITERIA:
            for year in years:
                lines.append(f"{code},{crit},{year},{(year % 7) + 1},{100 + year % 13}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines) - 1


def _count(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count(Observation.id))).scalar_one())


def test_killed_import_leaves_store_unchanged(db_url: str, tmp_path: Path) -> None:
    engine, codes = _big_store(db_url, 1_000)
    path = tmp_path / "big.csv"
    _big_file(path, codes, range(2000, 2012))  # 60,000 rows: two chunks
    before = snapshot(engine)
    marker = tmp_path / "paused"
    env = {**os.environ, "DATABASE_URL": db_url, PAUSE_ENV: str(marker)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "keob.cli", "import", "indicators", str(path)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert proc.poll() is None, proc.communicate()[0].decode()
            assert time.monotonic() < deadline, "the import never reached its first chunk"
            time.sleep(0.05)
        assert int(marker.read_text()) == 50_000  # rows written in the open transaction
        assert _count(engine) == 0  # ... and invisible to everyone else
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(engine) == before
    # The store is usable (no lock left behind): a small import goes through.
    small = tmp_path / "small.csv"
    small.write_text("area_code,criterion,year,numerator,denominator\nR1,indkomst,2020,1,2\n")
    assert import_indicator_files(engine, [small]).written == 1
    assert _count(engine) == 1
    engine.dispose()


def test_reading_while_an_import_runs_never_fails(db_url: str, tmp_path: Path) -> None:
    engine, codes = _big_store(db_url, 400)
    path = tmp_path / "big.csv"
    rows = _big_file(path, codes, range(2000, 2030))  # 60,000 rows: two chunks
    paused, resume = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def hook(done: int) -> None:
        if not paused.is_set():
            paused.set()
            assert resume.wait(30)

    def run() -> None:
        try:
            import_indicator_files(engine, [path], after_chunk=hook)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
            paused.set()

    writer = threading.Thread(target=run)
    writer.start()
    reader_engine = make_engine(db_url)
    seen: list[int] = []
    stop = threading.Event()
    reader_errors: list[BaseException] = []

    def read_loop() -> None:
        while not stop.is_set():
            try:
                seen.append(len(store.read_observations(reader_engine, indicators=["indkomst"])))
            except BaseException as exc:
                reader_errors.append(exc)
                return

    try:
        assert paused.wait(60), "the import never reached its first chunk"
        assert not errors, errors
        # Mid-import, with 50,000 rows written but not committed: reads work and see nothing.
        assert store.read_observations(reader_engine).empty
        assert store.data_version(reader_engine) == store.data_version(engine)
        loop = threading.Thread(target=read_loop)
        loop.start()
        time.sleep(0.3)
        resume.set()
        writer.join(60)
        time.sleep(0.2)
        stop.set()
        loop.join(30)
    finally:
        resume.set()
        stop.set()
        writer.join(60)
    assert not errors, errors
    assert not reader_errors, reader_errors
    per_criterion = rows // len(CRITERIA)
    assert set(seen) <= {0, per_criterion}, sorted(set(seen))
    assert len(store.read_observations(reader_engine, indicators=["indkomst"])) == per_criterion
    reader_engine.dispose()
    engine.dispose()


@pytest.mark.parametrize("n", [1])
def test_pause_hook_is_inert_without_the_variable(n: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from keob.commands.imports import _pause_hook

    monkeypatch.delenv(PAUSE_ENV, raising=False)
    assert _pause_hook() is None
