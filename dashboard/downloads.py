"""Downloads: the indicator extract is ``indicators.services.export`` — the same function and the
same CSV writer as ``/api/v1/indicators.csv`` — so the Data page and the API give
byte-identical files for the same selection.
"""

from __future__ import annotations

import pandas as pd

from dashboard import data
from indicators import formats
from indicators.export import EXPORT_COLUMNS
from indicators.services.export import indicator_export_frame

CSV_ENCODING = "utf-8-sig"  # tables of other pages: the BOM lets Excel read æ, ø and å


def indicator_extract(
    level: str, criteria: list[str], year_from: int | None, year_to: int | None
) -> pd.DataFrame:
    """The disclosure-protected indicator rows of a Data-page selection.

    An empty list of criteria means none (the user unticked them all), not all.
    """
    if not criteria:
        return pd.DataFrame(columns=EXPORT_COLUMNS)
    return indicator_export_frame(
        data.monitor(), level, criteria=criteria, year_from=year_from, year_to=year_to
    )


def indicator_csv_bytes(frame: pd.DataFrame) -> bytes:
    """RFC 4180 UTF-8 CSV, exactly as the API writes it (formula cells neutralised)."""
    return formats.csv_bytes(frame)


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Other pages' tables: comma-separated, point decimals, UTF-8 with BOM, no index."""
    return frame.to_csv(index=False, lineterminator="\n").encode(CSV_ENCODING)
