"""Load the synthetic state-list inputs (demo data) for the almene boligområder.

``keob seed`` calls :func:`seed_state_lists` after the indicator series; it writes with
the writer of ``keob import state-list-inputs``, and loading it again changes nothing
(unchanged rows are skipped). The rows are flagged synthetic: they are
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
    result = state_list_inputs.load_inputs(
        engine,
        frame,
        batch_kind="synthetic",
        file_name="indicators/state_list_demo.py (demo_inputs)",
        checksum=store.frame_checksum(frame),
        rows_in_file=len(frame),
        note="DEMODATA: syntetiske statsliste-input, ikke ministeriets tal (docs/demodata.md)",
    )
    return result.written
