"""The publish step at Copenhagen scale, and a cold process reading vs computing.

The store is the shipped seed (``keob db upgrade`` + ``keob seed``, which publishes) in a
temporary SQLite file: 399 roder, 999 areas, about 60,000 base observations, one
designation vintage; a publication holds 77,373 comparison rows (every level) plus the
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
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.harness import Result, compare

SHOWN_LEVELS = ("rode", "kvarter", "bydel", "lokaludvalg", "udsat_byomraade", "city")


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
    return results
