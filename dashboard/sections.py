"""What more than one page reads: shared by views, which never import each other.

Sections one page contributes to another (the initiatives on an area profile, the funding
summary on the overview) are composed by the page modules in ``dashboard/pages/``; this
module imports no view, so the views stay independent (import-linter checks it).
"""

from __future__ import annotations

import pandas as pd

from dashboard import data

STATE_LISTS_PATH = "/statslister"


def state_lists_classified() -> pd.DataFrame:
    """Every stored input row, classified (empty frame when the store has none).

    The classification is ``Monitor.state_lists``, the same the API serves.
    """
    try:
        return data.monitor().state_lists()
    except Exception:  # a store that was never upgraded to 0003 has no table
        return pd.DataFrame()
