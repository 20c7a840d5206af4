"""gunicorn settings read from the project root (make run and the browser tests).

Each worker reads the current publication's disclosure-protected frames once per
publication (``keob publish``; it computes them only on a store with no usable
publication) and builds every page once per language (``app.warm_up``); doing it in the
background when the worker starts spares the first visitor of each page that wait.
"""

from __future__ import annotations

import threading


def post_worker_init(worker) -> None:  # type: ignore[no-untyped-def]
    def warm() -> None:
        try:
            from app import warm_up

            warm_up()
        except Exception:  # a cold cache is slower, never wrong: log and go on serving
            worker.log.exception("cache warm-up failed")

    threading.Thread(target=warm, name="keob-warm-up", daemon=True).start()
