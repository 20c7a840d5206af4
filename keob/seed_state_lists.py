"""Load the synthetic state-list inputs (demo data) for the almene boligområder.

``keob seed`` calls :func:`seed_state_lists` after the indicator series; loading it again
changes nothing (unchanged rows are skipped). The rows are flagged synthetic: they are
DEMODATA, not the ministry's figures (docs/demodata.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Engine

from db import state_list_inputs, store
from indicators.state_list_demo import demo_inputs

log = logging.getLogger(__name__)


def seed_state_lists(engine: Engine, progress: Callable[[str], None] | None = None) -> int:
    """Write the demo state-list inputs in one batch; returns the rows written."""
    step = progress or (lambda message: log.info(message))
    frame = demo_inputs()
    step(f"Skriver {len(frame):,} syntetiske statsliste-input for de almene boligområder")
    with engine.begin() as conn:
        batch = store.create_batch(
            conn,
            kind="synthetic",
            file_name="indicators/state_list_demo.py (demo_inputs)",
            checksum=store.frame_checksum(frame),
            rows_in_file=len(frame),
            note="DEMODATA: syntetiske statsliste-input, ikke ministeriets tal (docs/demodata.md)",
        )
        result = state_list_inputs.write_inputs(conn, frame, batch)
        store.finish_batch(conn, batch, written=result.written, unchanged=result.unchanged)
    return result.written
