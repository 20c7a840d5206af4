"""Server time of the map and profile callbacks at Copenhagen scale.

A fresh SQLite store is seeded with the shipped data (399 roder, 67 kvarterer, 10 bydele,
8 criteria 2008-2025 plus context, coverage and state-list inputs). The data caches of
the process (observations, comparisons, disclosure control, web geometry) are warmed
first, as they are after the first request of a gunicorn worker; what is timed is the
work every further request does.

* map callback: ``area_map.update`` for a new criterion and year at rode, kvarter and
  bydel level (build the figure, patch it, caption, banner, URL), i.e. what a user waits
  for after touching a control;
* profile: ``area_profile.body`` for De udsatte byområder samlet and for one rode, with
  the per-version memo bypassed, so every figure and table is built from the frames.

The floor, measured in the same run, is serialising the same response to JSON with
Plotly's encoder (what Dash must do with any figure of that size): the ratio says how
much building costs on top of merely sending the answer.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import plotly

from benchmarks.harness import Result, compare


def _seeded_store() -> str:
    from db import migrate
    from db.engine import make_engine
    from keob.seed import seed

    folder = Path(tempfile.mkdtemp(prefix="keob-bench-"))
    url = f"sqlite:///{folder / 'keob.sqlite'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(engine)
    engine.dispose()
    return url


def _to_json(value: object) -> str:
    return json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder)


def run(quick: bool = False) -> list[Result]:
    os.environ["DATABASE_URL"] = _seeded_store()
    from dashboard import data
    from dashboard.views import area_map, area_profile

    data.reset()
    repeat = 3 if quick else 10
    results = []
    for level in ("rode", "kvarter", "bydel"):
        search = f"?kriterium=indkomst&aar=2024&niveau={level}"
        # Warm the process caches (comparison, disclosure, geometry) once.
        area_map.update("tryghed", 2025, level, search, True)
        response = area_map.update("tryghed", 2025, level, search, True)
        results.append(
            compare(
                f"map callback, {level} level ({len(data.areas((level,)))} areas)",
                lambda level=level, search=search: _to_json(
                    area_map.update("tryghed", 2025, level, search, True)
                ),
                "serialise the same response",
                lambda response=response: _to_json(response),
                repeat=repeat,
                bytes=f"{len(_to_json(response)):,}",
            )
        )
    unmemoized = area_profile.body.__wrapped__
    for code, name in (("ub-alle", "De udsatte byområder samlet"), ("R252", "Islevhus")):
        response = unmemoized(code, name, "da")
        results.append(
            compare(
                f"profile body, {code}",
                lambda code=code, name=name: _to_json(unmemoized(code, name, "da")),
                "serialise the same response",
                lambda response=response: _to_json(response),
                repeat=repeat,
                bytes=f"{len(_to_json(response)):,}",
            )
        )
    return results
