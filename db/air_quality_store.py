"""Reading and writing the air-quality concentration layers (``air_quality_point``).

DataFrames in, DataFrames out, like ``db.store``; positions are EPSG:25832 metres.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Connection, Engine, delete, insert, select

from db import store
from db.models_facilities import AirQualityPoint
from db.store import _execute

POINT_FIELDS = ["pollutant", "x", "y", "concentration"]
_CHUNK = 20_000


def load_air_quality(
    engine: Engine,
    frame: pd.DataFrame,
    *,
    file_name: str,
    checksum: str,
    year: int | None = None,
    source: str | None = None,
    synthetic: bool = False,
    note: str | None = None,
) -> int:
    """Replace every point of the frame's pollutants with its rows, as one load batch in
    one transaction; returns the rows written."""
    missing = [c for c in POINT_FIELDS if c not in frame.columns]
    if missing:
        raise ValueError(f"air-quality frame lacks column(s) {missing}")
    with engine.begin() as conn:
        batch = store.create_batch(
            conn,
            kind="air-quality",
            file_name=file_name[:500],
            checksum=checksum,
            rows_in_file=len(frame),
            note=note,
        )
        pollutants = sorted(set(frame["pollutant"]))
        conn.execute(delete(AirQualityPoint).where(AirQualityPoint.pollutant.in_(pollutants)))
        rows = [
            {
                "pollutant": str(r["pollutant"]),
                "x": float(r["x"]),
                "y": float(r["y"]),
                "concentration": float(r["concentration"]),
                "year": year,
                "source": None if source is None else source[:500],
                "synthetic": bool(synthetic),
                "batch_id": batch,
            }
            for r in frame[POINT_FIELDS].to_dict("records")
        ]
        for start in range(0, len(rows), _CHUNK):
            conn.execute(insert(AirQualityPoint), rows[start : start + _CHUNK])
        store.finish_batch(conn, batch, written=len(rows), unchanged=0)
    return len(rows)


def read_air_quality(
    engine: Engine | Connection, pollutants: Sequence[str] | None = None
) -> pd.DataFrame:
    """``pollutant, x, y, concentration, year, source, synthetic`` of the stored layers."""
    cols = [*POINT_FIELDS, "year", "source", "synthetic"]
    stmt = select(*[getattr(AirQualityPoint, c) for c in cols]).order_by(AirQualityPoint.id)
    if pollutants:
        stmt = stmt.where(AirQualityPoint.pollutant.in_(list(pollutants)))
    frame = pd.DataFrame(_execute(engine, stmt), columns=cols)
    frame["synthetic"] = frame["synthetic"].astype(bool)
    return frame
