"""The publish step at Copenhagen scale, and a cold process reading vs computing.

The store is the shipped seed (``keob db upgrade`` + ``keob seed``, which publishes) in a
temporary SQLite file: 399 roder, 999 areas, about 60,000 base observations, one
designation vintage; a publication holds 81,197 comparison rows (every level) plus the
classified state lists. The floor of every row is one plain read of the base
observations (``db.store.read_observations`` at the rode level), the least a process that
shows anything must do.

* ``publish``: ``indicators.services.publish.publish`` (compute every level jointly under
  disclosure control, write typed rows and snapshots in one transaction, flip current);
* ``cold start, compute``: a fresh ``Monitor(read_publications=False)`` producing the
  protected comparison of every shown level (rode, kvarter, bydel, lokaludvalg, udsatte
  byområder, city) and the state lists: what each gunicorn worker did before;
* ``cold start, read``: a fresh ``Monitor`` reading the same from the publication;
* ``typed rows, one indicator-year``: an indexed query of the typed table (all kvarterer,
  one criterion, one year).

National scale (``benchmarks/national.py``, **synthetic**): units -> districts (100
units each) -> municipalities (10 districts each) -> the country, stored as rode ->
kvarter -> bydel -> city with one membership vintage, 20 years x the 8 criteria per unit
(the counts of ``bench_calculators``). 100,000 units would be the 16 M observations of a
national publication; building that SQLite store alone takes many minutes and the
publish would need some 20 GB (1.9 GB resident at 10,000 units), so fractions run: 1,000
and 10,000 units (1 % and 10 % of 16 M; quick mode 500 units). The compute grew about
linearly from 4,000 to 10,000 units once the disclosure control stopped building a dense
cells x units matrix per indicator-year (about 80 GB at 100,000 units; 50 s at 4,000
units before, 21 s after). Per fraction:

* ``national publish, compute``: ``indicators.services.publish.compute_publication``
  (read, aggregate, compare every level, joint disclosure control);
* ``national publish, write``: ``db.publications.write_publication`` of the computed
  tables (typed rows and Parquet snapshots, one transaction), without the compute;

each against one read of the fraction's base observations, timed once (no repeat).

Before this work (same shared machine, 2026-12-05 12:07 UTC) the publish took 20.4 s and
its floor 4.9 s: a cProfile (28 s under the profiler) split it into writing the typed
rows (14 s: ``to_dict`` and SQLAlchemy's per-row parameters), the disclosure control (7
s, half of it Gauss-Jordan flushing the whole matrix every pivot) and the reads and
comparisons (5 s, mostly SQLAlchemy result rows and per-row dict lookups on Arrow
strings). The floor itself got faster (the base observations are read as the driver's
tuples), so the ratios grew while the times fell. At 16 M the fractions point to some 4
minutes of compute plus 5 of writing, and the plain read of 16 M observations from
SQLite alone takes over a minute.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import Result, compare

SHOWN_LEVELS = ("rode", "kvarter", "bydel", "lokaludvalg", "udsat_byomraade", "city")
#: Units of the national-scale fractions (100,000 units = 16 M observations).
NATIONAL_UNITS = (1_000, 10_000)
NATIONAL_UNITS_QUICK = (500,)


def _seeded(workdir: Path):  # type: ignore[no-untyped-def]
    from db import migrate
    from db.engine import make_engine
    from keob.seed import seed

    url = f"sqlite:///{workdir / 'keob.sqlite'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(engine)
    return engine


def run(quick: bool = False) -> list[Result]:
    from db import publications, store
    from indicators.services.monitor import Monitor
    from indicators.services.publish import publish

    repeat = 1 if quick else 3
    with tempfile.TemporaryDirectory() as tmp:
        engine = _seeded(Path(tmp))

        def floor() -> object:
            return store.read_observations(engine, levels=["rode"])

        def cold(read_publications: bool):  # type: ignore[no-untyped-def]
            def start() -> object:
                monitor = Monitor(engine, read_publications=read_publications)
                monitor.refresh()
                for level in SHOWN_LEVELS:
                    monitor.published_comparison(level)
                return monitor.state_lists()

            return start

        floor_name = "read the base observations (rode level)"
        current = publications.current_publication(engine)
        results = [
            compare(
                "publish (compute + write + flip)",
                lambda: publish(engine),
                floor_name,
                floor,
                repeat=repeat,
                rows=f"{current.rows_written:,} comparison rows",
            ),
            compare("cold start, compute (before)", cold(False), floor_name, floor, repeat=repeat),
            compare("cold start, read publication", cold(True), floor_name, floor, repeat=repeat),
        ]
        current = publications.current_publication(engine)
        results.append(
            compare(
                "typed rows, one indicator-year (kvarter)",
                lambda: publications.read_comparison_rows(
                    engine, current, "kvarter", None, indicators=["indkomst"], years=[2020]
                ),
                floor_name,
                floor,
                repeat=repeat,
            )
        )
        speedup = results[1].seconds / results[2].seconds
        results[2].extra["vs compute"] = f"{speedup:.0f}x faster"
        engine.dispose()
    for units in NATIONAL_UNITS_QUICK if quick else NATIONAL_UNITS:
        results += _national(units)
    return results


def _national(units: int) -> list[Result]:
    """Compute and write of one synthetic national fraction, timed separately."""
    from benchmarks import national
    from db import publications, store
    from db.store import data_version
    from indicators.publication_rules import rules_checksum
    from indicators.services.publish import compute_publication

    with tempfile.TemporaryDirectory() as tmp:
        engine = national.make(Path(tmp), units)
        observations = units * national.YEARS * len(national.CRITERIA_CODES)
        computed: dict[str, object] = {}

        def floor() -> object:
            return store.read_observations(engine, levels=["rode"])

        def compute() -> object:
            computed["tables"] = compute_publication(engine)
            return computed["tables"]

        def write() -> object:
            comparisons, frames = computed["tables"]  # type: ignore[misc]
            with engine.begin() as conn:
                return publications.write_publication(
                    conn,
                    data_version=data_version(conn),
                    loaded_through=None,
                    batch_count=1,
                    rules_checksum=rules_checksum(),
                    comparisons=comparisons,
                    frames=frames,
                    seconds=0.0,
                )

        share = f"{observations / 16_000_000:.1%} of 16 M"
        floor_name = f"read the {observations:,} base observations"
        compute_result = compare(
            f"national publish, compute ({units:,} units)",
            compute,
            floor_name,
            floor,
            repeat=1,
            warmup=0,
            data=f"{observations:,} obs ({share}), synthetic",
        )
        rows = sum(len(f) for f in computed["tables"][0].values())  # type: ignore[index]
        write_result = compare(
            f"national publish, write ({units:,} units)",
            write,
            floor_name,
            floor,
            repeat=1,
            warmup=0,
            rows=f"{rows:,} comparison rows",
        )
        engine.dispose()
    return [compute_result, write_result]
