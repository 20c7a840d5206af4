"""The indicator export's contract and writer, shared by the CLI, the app's download and the API.

The tables are built by ``indicators.services.export`` (which reads the store through the
``Monitor``); this module only fixes their columns and writes them: :func:`write_csv`
writes RFC 4180 CSV in UTF-8. The columns are a contract (``EXPORT_COLUMNS``); they do
not follow the store's schema:

==================== =====================================================================
area_code            KEOB area code (``R101``, ``B3``, ``ub-noerrebro``, ``kbh`` ...)
area_name            the area's name
level                rode, kvarter, bydel, lokaludvalg, udsat_byomraade, boligomraade, city
criterion            registry code (data/criteria.yaml)
year                 the statistics year
numerator            count (summed over the area's roder for aggregates)
denominator          count
value                numerator / denominator in the criterion's unit (percent for shares),
                     rounded to the registry's decimals
rest_of_city_value   the rest of Copenhagen (city minus the area), same unit and rounding
city_value           the whole city, same unit and rounding
gap                  value - rest_of_city_value, computed before rounding and then rounded
synthetic            true when any count behind the row is demo data (not statistics)
==================== =====================================================================

Every export can be asked ``as_of`` a moment (what the store held then, to reproduce a
published report) and for a designation ``vintage`` (the areas as designated then).
"""

from __future__ import annotations

import csv
import io
import math
from datetime import UTC, datetime
from typing import IO

import numpy as np
import pandas as pd

EXPORT_COLUMNS = [
    "area_code",
    "area_name",
    "level",
    "criterion",
    "year",
    "numerator",
    "denominator",
    "value",
    "rest_of_city_value",
    "city_value",
    "gap",
    "synthetic",
]
#: The value columns, rounded to each criterion's decimals (and written with them).
ROUNDED_COLUMNS = ["value", "rest_of_city_value", "city_value", "gap"]


def utc(moment: datetime | None) -> datetime | None:
    """``moment`` in UTC, the zone the store keeps load times in (naive means UTC).

    SQLite compares times as text without a zone, so an as-of time in another zone must
    be converted before it reaches a query.
    """
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def round_half_away(values: np.ndarray, places: np.ndarray) -> np.ndarray:
    """Round half away from zero to each row's decimals (12.25 -> 12.3 at 1 decimal).

    The scaled value is first rounded to 9 decimals so that binary noise (1.005 is
    stored as 1.00499999...) does not decide the direction, as it would not in Excel.
    """
    values = np.asarray(values, dtype=float)
    factor = 10.0 ** np.asarray(places, dtype=float)
    with np.errstate(invalid="ignore"):
        scaled = np.round(np.abs(values) * factor, 9)
        return np.sign(values) * np.floor(scaled + 0.5) / factor


def write_csv(frame: pd.DataFrame, fh: IO, *, bom: bool = False) -> None:
    """Write ``frame`` as RFC 4180 CSV (CRLF, quotes where needed) in UTF-8.

    ``fh`` may be a text stream (open it with ``newline=""``) or a binary one. Missing
    values are empty fields; booleans are ``true``/``false``; counts print without a
    trailing ``.0``; value columns print with the criterion's decimals when
    ``frame.attrs["decimals"]`` is set. ``bom=True`` writes a UTF-8 BOM (for Excel).
    """
    text = fh if _is_text(fh) else io.TextIOWrapper(fh, encoding="utf-8", newline="")
    try:
        if bom:
            text.write("\ufeff")
        writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(list(frame.columns))
        decimals = frame.attrs.get("decimals") or {}
        crit = frame["criterion"].tolist() if "criterion" in frame else [None] * len(frame)
        if isinstance(decimals, int):  # one criterion: the same decimals on every row
            decimals = dict.fromkeys(set(crit), decimals)
        columns = []
        for name in frame.columns:
            values = frame[name].tolist()
            if name in ROUNDED_COLUMNS and decimals:
                columns.append(
                    [_fixed(v, decimals.get(c)) for v, c in zip(values, crit, strict=True)]
                )
            else:
                columns.append([_cell(v) for v in values])
        writer.writerows(zip(*columns, strict=True))
    finally:
        if text is not fh:
            text.flush()
            text.detach()


def _is_text(fh: IO) -> bool:
    return isinstance(fh, io.TextIOBase) or hasattr(fh, "encoding")


def _cell(value: object) -> str:
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, datetime):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return stamp.isoformat()
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            return ""
        return f"{value:.15g}" if not float(value).is_integer() else str(int(value))
    return str(value)


def _fixed(value: object, decimals: int | None) -> str:
    if decimals is None or not isinstance(value, float | np.floating):
        return _cell(value)
    if not math.isfinite(value):
        return ""
    text = f"{value:.{decimals}f}"
    return "0" + text[2:] if text.startswith("-0") and float(text) == 0 else text


# --------------------------------------------------------------------------- history


HISTORY_COLUMNS = [
    "year",
    "revision",
    "numerator",
    "denominator",
    "value",
    "synthetic",
    "current",
    "batch_id",
    "loaded_at",
    "loaded_by",
    "file_name",
    "checksum",
    "source_line",
    "source",
]
