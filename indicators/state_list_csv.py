"""Writing the state-list classifier's output CSV (``keob state-lists classify``, Statslister).

One row per input row (the classifier's columns), booleans written ``true`` / ``false``,
numbers with at most 4 decimals, empty for "not applicable". The input CSV is parsed by
:mod:`indicators.importers.state_list_inputs`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


def to_output_frame(classified: pd.DataFrame) -> pd.DataFrame:
    """Booleans as ``true``/``false``, floats rounded to 4 decimals, NaN as empty."""
    out = classified.drop(columns=["line"], errors="ignore").copy()
    for col in out.columns:
        series = out[col]
        if pd.api.types.is_bool_dtype(series):
            out[col] = np.where(series.to_numpy(), "true", "false")
        elif col == "residents":
            out[col] = series.round().astype("Int64")
        elif pd.api.types.is_float_dtype(series):
            out[col] = series.round(4)
    return out


def write_output_csv(classified: pd.DataFrame, path: str | Path) -> None:
    to_output_frame(classified).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
