"""The CSV extract: a declared column contract over ``Monitor.comparison`` frames.

Pure pandas, no Dash. It belongs in ``indicators/export.py`` (so the planned
``/api/v1/indicators.csv`` route and this download share one function); it lives here
until that module exists.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from indicators.registry import Indicator

# Public CSV column → comparison column. The contract is this list, not the store schema.
CSV_COLUMNS: dict[str, str] = {
    "area_code": "area_code",
    "area_name": "area_name",
    "level": "level",
    "criterion": "indicator",
    "year": "year",
    "numerator": "numerator",
    "denominator": "denominator",
    "value": "value",
    "rest_of_city_value": "rest_value",
    "city_value": "city_value",
    "gap": "gap",
    "synthetic": "synthetic",
}
ROUNDED_COLUMNS = ("value", "rest_of_city_value", "city_value", "gap")
# Numerators can be full-time equivalents (fractions of a person).
COUNT_DECIMALS = 2
CSV_ENCODING = "utf-8-sig"  # the BOM lets Excel read æ, ø and å


def download_frame(
    comparison: pd.DataFrame,
    registry: Mapping[str, Indicator],
    *,
    criteria: Iterable[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> pd.DataFrame:
    """The extract's rows: one per area, criterion and year, values rounded per criterion.

    Parameters
    ----------
    comparison
        A ``Monitor.comparison`` frame (one level).
    registry
        Indicator registry; gives each criterion's decimals and display order.
    criteria, year_from, year_to
        Filters; ``None`` keeps everything.
    """
    rows = comparison
    if criteria is not None:
        rows = rows[rows["indicator"].isin(list(criteria))]
    if year_from is not None:
        rows = rows[rows["year"] >= year_from]
    if year_to is not None:
        rows = rows[rows["year"] <= year_to]
    out = rows[list(CSV_COLUMNS.values())].rename(columns={v: k for k, v in CSV_COLUMNS.items()})
    out = out.copy()
    decimals = out["criterion"].map(lambda code: registry[code].decimals)
    for column in ROUNDED_COLUMNS:
        out[column] = [
            round(float(value), int(places)) if pd.notna(value) else float("nan")
            for value, places in zip(out[column], decimals, strict=True)
        ]
    for column in ("numerator", "denominator"):
        out[column] = out[column].astype(float).round(COUNT_DECIMALS)
    out["year"] = out["year"].astype(int)
    out["synthetic"] = out["synthetic"].astype(bool)
    order = out["criterion"].map(lambda code: registry[code].order)
    out = (
        out.assign(_order=order)
        .sort_values(["area_code", "_order", "year"], kind="stable")
        .drop(columns="_order")
        .reset_index(drop=True)
    )
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV file: comma-separated, point decimals, UTF-8 with BOM, no index."""
    return frame.to_csv(index=False, lineterminator="\n").encode(CSV_ENCODING)
