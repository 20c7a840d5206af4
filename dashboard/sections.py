"""What more than one page reads: shared by views, which never import each other.

Sections one page contributes to another (the initiatives on an area profile, the funding
summary on the overview) are composed by the page modules in ``dashboard/pages/``; this
module imports no view, so the views stay independent (import-linter checks it).
"""

from __future__ import annotations

import pandas as pd

from dashboard import data
from indicators import state_lists as sl

STATE_LISTS_PATH = "/statslister"


@data.memoize_per_version(maxsize=2)
def state_lists_classified() -> pd.DataFrame:
    """Every stored input row, classified (empty frame when the store has none)."""
    from db import state_list_inputs

    try:
        inputs = state_list_inputs.read_inputs(data.monitor().engine)
    except Exception:  # a store that was never upgraded to 0003 has no table
        return pd.DataFrame()
    if inputs.empty:
        return pd.DataFrame()
    return sl.classify(inputs.drop(columns=["revision", "batch_id"], errors="ignore"))
