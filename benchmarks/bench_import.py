"""Import throughput: 1 million observations from a long CSV into SQLite and PostgreSQL.

The file (``area_code,criterion,year,numerator,denominator``, about 30 MB) holds 5,000
roder x 8 criteria x 25 years (quick mode: 500 roder, 100,000 rows). Each measurement
is ``import_indicator_files`` end to end, as ``keob import indicators`` runs it: read
and decode, split, type and check every row (years, counts, shares, known areas and
criteria, duplicate keys), compare with the stored revisions, then write everything in
one transaction (``executemany`` on SQLite, ``COPY`` on PostgreSQL) and commit. The
publish step that ``keob import`` runs after the commit is not included (it recomputes
the publications of the whole store, not of the import; ``bench_publish`` measures it). Every
run starts from a fresh copy of the same migrated store holding the 5,000 areas, so
the store's indexes, unique key and foreign keys are maintained as in real use.

Floors, timed in the same run on the same kind of fresh store:

* SQLite: one ``executemany`` of the same 1 M prepared observation tuples into
  ``observation`` in one transaction, no parsing or validation;
* PostgreSQL: one ``COPY observation FROM STDIN`` of the same rows as prepared CSV text
  (server-bound: the row-level foreign-key checks and index upkeep of ``observation``);
* parsing: ``pandas.read_csv`` of the same file (the importer's read + check, no store).

A second import of the same values from a file that differs by one blank line (so the
checksum does not short-cut it) measures the "nothing changed" path: every row is
compared with the store and nothing is written.

PostgreSQL: ``TEST_DATABASE_URL`` if set, else a throwaway cluster started with
``scripts/pg-test-cluster.sh`` (port 55480) and removed afterwards; without PostgreSQL
binaries those rows are skipped with a printed note. Rows per second are in the notes.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from benchmarks.harness import Result
from db import migrate, store
from db.engine import make_engine
from indicators.importers.candidates import validate_observations
from indicators.importers.long_csv import read_long_csv
from indicators.registry import CRITERIA_CODES, load_registry
from indicators.services.imports import import_indicator_files as _import_then_publish

REPO = Path(__file__).resolve().parent.parent
YEARS = range(2000, 2025)
PG_PORT = "55480"
# The import alone, without the publish step its pipeline runs after the commit.
import_indicator_files = _import_then_publish.__wrapped__
OBS_COLUMNS = (
    "area_id, indicator_code, year, numerator, denominator, revision, synthetic, source, "
    "batch_id, source_line"
)


def _codes(units: int) -> list[str]:
    return [f"R{10_000 + i}" for i in range(units)]


def write_file(path: Path, units: int) -> int:
    """The benchmark CSV; returns its number of data rows."""
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("area_code,criterion,year,numerator,denominator\n")
        for i, code in enumerate(_codes(units)):
            for j, crit in enumerate(CRITERIA_CODES):
                den = 200 + (i * 7 + j * 13) % 3000
                lines = [f"{code},{crit},{y},{(i + j + y) % den},{den}\n" for y in YEARS]
                fh.writelines(lines)
                n += len(lines)
    return n


def prepare_store(url: str, units: int) -> None:
    """Migrate ``url`` and load the indicators and the benchmark's areas."""
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.begin() as conn:
        store.sync_indicators(conn, [vars(i) for i in load_registry().values()])
        batch = store.create_batch(conn, kind="areas", file_name="bench", checksum="bench")
        codes = _codes(units)
        store.upsert_areas(
            conn,
            pd.DataFrame({"code": codes, "name": codes, "level": "rode", "geometry_wkb": None}),
            batch,
        )
    engine.dispose()


def floor_rows(engine, path: Path) -> list[tuple]:  # type: ignore[no-untyped-def]
    """The file's rows as prepared observation tuples (untimed setup of the floors)."""
    with engine.connect() as conn:
        ids = store.area_ids(conn)
    with engine.begin() as conn:
        batch = store.create_batch(conn, kind="indicators", file_name="floor", checksum="floor")
    frame = pd.read_csv(path, dtype={"area_code": str, "criterion": str})
    area_id = frame["area_code"].map(ids).astype("int64").tolist()
    return list(
        zip(
            area_id,
            frame["criterion"].tolist(),
            frame["year"].astype("int64").tolist(),
            frame["numerator"].astype(float).tolist(),
            frame["denominator"].astype(float).tolist(),
            [1] * len(frame),
            [False] * len(frame),
            [None] * len(frame),
            [batch] * len(frame),
            list(range(2, len(frame) + 2)),
            strict=True,
        )
    )


def raw_insert(engine, rows: list[tuple]) -> None:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerows(rows)
            raw = conn.connection.driver_connection
            sql = f"COPY observation ({OBS_COLUMNS}) FROM STDIN WITH (FORMAT csv)"
            with raw.cursor() as cur, cur.copy(sql) as copy:
                copy.write(buf.getvalue())
        else:
            marks = ", ".join("?" * 10)
            conn.exec_driver_sql(f"INSERT INTO observation ({OBS_COLUMNS}) VALUES ({marks})", rows)


# --------------------------------------------------------------------------- stores


class SqliteStores:
    """Fresh copies of one prepared SQLite file."""

    name = "SQLite"

    def __init__(self, work: Path, units: int) -> None:
        self.work = work
        self.template = work / "template.sqlite"
        prepare_store(f"sqlite:///{self.template}", units)

    def fresh(self) -> str:
        path = self.work / f"run-{uuid.uuid4().hex[:8]}.sqlite"
        shutil.copy(self.template, path)
        return f"sqlite:///{path}"

    def drop(self, url: str) -> None:
        path = Path(make_url(url).database or "")
        for p in path.parent.glob(path.name + "*"):
            p.unlink()

    def close(self) -> None:
        pass


class PostgresStores:
    """Fresh databases copied from one prepared template database."""

    name = "PostgreSQL"

    def __init__(self, base_url: str, units: int) -> None:
        self.base = make_url(base_url)
        self.admin = create_engine(
            self.base.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        self.template = f"keob_bench_tmpl_{uuid.uuid4().hex[:6]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.template}"'))
        prepare_store(self._url(self.template), units)

    def _url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def fresh(self) -> str:
        name = f"keob_bench_{uuid.uuid4().hex[:8]}"
        with self.admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"'))
        return self._url(name)

    def drop(self, url: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))

    def close(self) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)'))
        self.admin.dispose()


def _postgres_url() -> tuple[str | None, Callable[[], None]]:
    """TEST_DATABASE_URL, or a throwaway cluster (and how to stop it), or None."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url, lambda: None
    env = {**os.environ, "PG_TEST_PORT": PG_PORT}
    script = REPO / "scripts" / "pg-test-cluster.sh"
    try:
        out = subprocess.run(
            [str(script), "start"], env=env, capture_output=True, text=True, timeout=120, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        print(f"   note: no PostgreSQL for the benchmark ({exc}); PostgreSQL rows skipped")
        return None, lambda: None
    exports = dict(
        line.removeprefix("export ").split("=", 1) for line in out.splitlines() if "=" in line
    )

    def stop() -> None:
        subprocess.run([str(script), "stop"], env=env, capture_output=True, timeout=120)

    return exports["TEST_DATABASE_URL"].strip("'\""), stop


# --------------------------------------------------------------------------- timing


def _timed(stores, setup, fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of fn(url, state) over fresh stores; setup(url) is not timed."""
    times = []
    for _ in range(repeat):
        url = stores.fresh()
        try:
            state = setup(url)
            start = time.perf_counter()
            fn(url, state)
            times.append(time.perf_counter() - start)
        finally:
            stores.drop(url)
    return statistics.median(times)


def _engine_rows(stores, path: Path, rows: int, repeat: int) -> list[Result]:  # type: ignore[no-untyped-def]
    def import_once(url: str, _state) -> None:  # type: ignore[no-untyped-def]
        engine = make_engine(url)
        try:
            report = import_indicator_files(engine, [path])
            assert report.written == rows, report.written
        finally:
            engine.dispose()

    def floor_setup(url: str):  # type: ignore[no-untyped-def]
        engine = make_engine(url)
        return engine, floor_rows(engine, path)

    def floor_once(url: str, state) -> None:  # type: ignore[no-untyped-def]
        engine, prepared = state
        try:
            raw_insert(engine, prepared)
        finally:
            engine.dispose()

    floor = _timed(stores, floor_setup, floor_once, repeat)
    measured = _timed(stores, lambda url: None, import_once, repeat)

    # Same values again from another file (one more blank line, so another checksum):
    # compared row by row with the store, nothing written.
    copy = path.with_name("same_values_" + path.name)
    copy.write_bytes(path.read_bytes() + b"\n")

    def loaded(url: str):  # type: ignore[no-untyped-def]
        import_once(url, None)
        return None

    def again(url: str, _state) -> None:  # type: ignore[no-untyped-def]
        engine = make_engine(url)
        try:
            report = import_indicator_files(engine, [copy])
            assert report.written == 0 and report.unchanged == rows
        finally:
            engine.dispose()

    unchanged = _timed(stores, loaded, again, max(1, repeat - 1))
    label = "executemany" if stores.name == "SQLite" else "COPY"
    return [
        Result(
            f"import {rows:,} rows, {stores.name}",
            measured,
            f"raw {label} of the same rows",
            floor,
            repeat,
            {
                "rows/s": f"{rows / measured:,.0f}",
                "floor rows/s": f"{rows / floor:,.0f}",
            },
        ),
        Result(
            f"re-import {rows:,} unchanged rows, {stores.name}",
            unchanged,
            f"raw {label} of the same rows",
            floor,
            max(1, repeat - 1),
            {"rows/s": f"{rows / unchanged:,.0f}", "written": "0"},
        ),
    ]


def run(quick: bool = False) -> list[Result]:
    units = 500 if quick else 5_000
    repeat = 3
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="keob-bench-import-") as tmp:
        work = Path(tmp)
        path = work / "observations.csv"
        rows = write_file(path, units)
        size_mb = path.stat().st_size / 1e6
        registry = load_registry()
        known = {c: "rode" for c in _codes(units)}

        def parse_check() -> None:
            parsed = read_long_csv(path)
            assert len(validate_observations([parsed], registry, known).rows) == rows

        def pandas_parse() -> None:
            pd.read_csv(path)

        floor = statistics.median(_seconds(pandas_parse) for _ in range(repeat))
        measured = statistics.median(_seconds(parse_check) for _ in range(repeat))
        results.append(
            Result(
                f"read + check {rows:,} rows ({size_mb:.0f} MB), no store",
                measured,
                "pandas.read_csv of the file",
                floor,
                repeat,
                {"rows/s": f"{rows / measured:,.0f}"},
            )
        )

        sqlite = SqliteStores(work, units)
        results += _engine_rows(sqlite, path, rows, repeat)

        url, stop = _postgres_url()
        if url is not None:
            try:
                pg = PostgresStores(url, units)
                try:
                    results += _engine_rows(pg, path, rows, repeat)
                finally:
                    pg.close()
            finally:
                stop()
    return results


def _seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
