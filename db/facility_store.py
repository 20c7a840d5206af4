"""Reading and writing facilities and the precomputed coverage cells.

DataFrames in, DataFrames out, like ``db.store``. Geometry crosses this boundary as WKB
in EPSG:4326 (facilities) or as EPSG:25832 coordinates (cells); nothing here imports
geopandas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, delete, func, insert, select

from db import store
from db.models import Area
from db.models_facilities import CoverageCell, CoverageDistance, CoverageRun, Facility
from db.store import _execute, area_ids

FACILITY_FIELDS = ["kind", "name", "category", "municipality", "source", "year", "geometry_wkb"]
_CHUNK = 20_000


def _none(value: object) -> object:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def replace_facilities(
    conn: Connection, frame: pd.DataFrame, batch_id: int, kinds: Sequence[str] | None = None
) -> int:
    """Replace every facility of the frame's kinds (or ``kinds``) with the frame's rows.

    ``frame`` has :data:`FACILITY_FIELDS` (``geometry_wkb`` in EPSG:4326). Returns the
    number of rows written. The load batch keeps the history of what was loaded when.
    """
    missing = [c for c in FACILITY_FIELDS if c not in frame.columns]
    if missing:
        raise ValueError(f"facility frame lacks column(s) {missing}")
    replace_kinds = sorted(set(kinds) if kinds is not None else set(frame["kind"]))
    if replace_kinds:
        conn.execute(delete(Facility).where(Facility.kind.in_(replace_kinds)))
    rows = [
        {
            "kind": str(r["kind"]),
            "name": str(r["name"])[:300],
            "category": _none(r["category"]),
            "municipality": _none(r["municipality"]),
            "source": None if _none(r["source"]) is None else str(r["source"])[:500],
            "year": None if _none(r["year"]) is None else int(r["year"]),
            "geometry_wkb": bytes(r["geometry_wkb"]),
            "batch_id": batch_id,
        }
        for r in frame[FACILITY_FIELDS].to_dict("records")
    ]
    for start in range(0, len(rows), _CHUNK):
        conn.execute(insert(Facility), rows[start : start + _CHUNK])
    return len(rows)


def load_facilities(
    engine: Engine,
    frame: pd.DataFrame,
    *,
    file_name: str,
    checksum: str,
    note: str | None = None,
    append: bool = False,
) -> int:
    """Write a facility layer as one load batch in one transaction; returns the rows written.

    By default the layer replaces every facility of its kinds; ``append`` adds to them.
    """
    with engine.begin() as conn:
        batch = store.create_batch(
            conn,
            kind="facilities",
            file_name=file_name[:500],
            checksum=checksum,
            rows_in_file=len(frame),
            note=note,
        )
        written = replace_facilities(conn, frame, batch, kinds=[] if append else None)
        store.finish_batch(conn, batch, written=written, unchanged=0)
    return written


def read_facilities(
    engine: Engine | Connection, kinds: Sequence[str] | None = None
) -> pd.DataFrame:
    """Facilities as ``id, kind, name, category, municipality, source, year, geometry_wkb``."""
    cols = ["id", *FACILITY_FIELDS]
    stmt = select(*[getattr(Facility, c) for c in cols]).order_by(Facility.kind, Facility.id)
    if kinds:
        stmt = stmt.where(Facility.kind.in_(list(kinds)))
    frame = pd.DataFrame(_execute(engine, stmt), columns=cols)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def facility_counts(engine: Engine | Connection) -> pd.DataFrame:
    """``kind, n, year_min, year_max`` per facility kind."""
    stmt = (
        select(Facility.kind, func.count(), func.min(Facility.year), func.max(Facility.year))
        .group_by(Facility.kind)
        .order_by(Facility.kind)
    )
    return pd.DataFrame(_execute(engine, stmt), columns=["kind", "n", "year_min", "year_max"])


@dataclass(frozen=True)
class CoverageRunInfo:
    id: int
    batch_id: int
    created_at: datetime
    year: int
    cell_method: str
    distance_method: str
    cells: int
    note: str | None


def replace_coverage_cells(
    conn: Connection,
    cells: pd.DataFrame,
    distances: pd.DataFrame,
    *,
    batch_id: int,
    year: int,
    cell_method: str,
    distance_method: str,
    note: str | None = None,
) -> int:
    """Store a new run's resident cells and distances, dropping the previous run's cells.

    ``cells`` has ``area_code, x, y, residents`` and optionally ``noise_db``;
    ``distances`` is row-aligned with one column per target (metres; ``inf``/NaN = none
    reachable), stored as one float32 array per target in cell order. Returns the run
    id. Earlier ``coverage_run`` rows are kept as history; only the current cells are.
    """
    if len(cells) != len(distances):
        raise ValueError("cells and distances must be row-aligned")
    ids = area_ids(conn)
    unknown = sorted(set(cells["area_code"]) - set(ids))
    if unknown:
        raise KeyError(f"unknown area codes in cells: {unknown[:10]}")
    conn.execute(delete(CoverageDistance))
    conn.execute(delete(CoverageCell))
    run_id = int(
        conn.execute(
            insert(CoverageRun).values(
                batch_id=batch_id,
                created_at=datetime.now(UTC),
                year=int(year),
                cell_method=cell_method,
                distance_method=distance_method,
                cells=len(cells),
                note=note,
            )
        ).inserted_primary_key[0]
    )
    # Explicit ids let the distance rows reference their cells without a round trip.
    start_id = int(conn.execute(select(func.coalesce(func.max(CoverageCell.id), 0))).scalar()) + 1
    cell_ids = np.arange(start_id, start_id + len(cells), dtype=np.int64)
    noise = (
        cells["noise_db"].to_numpy(dtype=float)
        if "noise_db" in cells
        else np.full(len(cells), np.nan)
    )
    area = cells["area_code"].map(ids).to_numpy(dtype=np.int64)
    x = cells["x"].to_numpy(dtype=float)
    y = cells["y"].to_numpy(dtype=float)
    res = cells["residents"].to_numpy(dtype=float)
    cell_rows = [
        {
            "id": int(cell_ids[i]),
            "run_id": run_id,
            "area_id": int(area[i]),
            "x": float(x[i]),
            "y": float(y[i]),
            "residents": float(res[i]),
            "noise_db": None if np.isnan(noise[i]) else int(noise[i]),
        }
        for i in range(len(cells))
    ]
    for start in range(0, len(cell_rows), _CHUNK):
        conn.execute(insert(CoverageCell), cell_rows[start : start + _CHUNK])
    distance_rows = [
        {
            "run_id": run_id,
            "target": str(target),
            "cells": len(cells),
            "distances_f32": encode_distances(distances[target].to_numpy()),
        }
        for target in distances.columns
    ]
    if distance_rows:
        conn.execute(insert(CoverageDistance), distance_rows)
    return run_id


def encode_distances(values: np.ndarray) -> bytes:
    """Distances (metres; NaN/inf = none reachable) as little-endian float32 bytes."""
    arr = np.asarray(values, dtype=float)
    arr = np.where(np.isfinite(arr), arr, np.inf).astype("<f4")
    return arr.tobytes()


def decode_distances(blob: bytes) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype="<f4").astype(np.float32)


def latest_coverage_run(engine: Engine | Connection) -> CoverageRunInfo | None:
    fields = [
        "id",
        "batch_id",
        "created_at",
        "year",
        "cell_method",
        "distance_method",
        "cells",
        "note",
    ]
    stmt = (
        select(*[getattr(CoverageRun, f) for f in fields]).order_by(CoverageRun.id.desc()).limit(1)
    )
    rows = _execute(engine, stmt)
    if not rows:
        return None
    return CoverageRunInfo(*rows[0])


def read_coverage_cells(engine: Engine | Connection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The current run's cells (``area_code, x, y, residents, noise_db``) and a row-aligned
    wide table of distances (one ``float32`` column per target; ``inf`` = none reachable).
    """
    cell = CoverageCell.__table__
    area = Area.__table__
    stmt = (
        select(
            cell.c.id,
            area.c.code.label("area_code"),
            cell.c.x,
            cell.c.y,
            cell.c.residents,
            cell.c.noise_db,
        )
        .select_from(cell.join(area, cell.c.area_id == area.c.id))
        .order_by(cell.c.id)
    )
    rows = _execute(engine, stmt)
    # Column-wise construction: several times faster than a DataFrame from row tuples.
    columns = list(zip(*rows, strict=True)) if rows else [()] * 6
    cells = pd.DataFrame(
        {
            "id": np.asarray(columns[0], dtype=np.int64),
            "area_code": np.asarray(columns[1], dtype=object),
            "x": np.asarray(columns[2], dtype=float),
            "y": np.asarray(columns[3], dtype=float),
            "residents": np.asarray(columns[4], dtype=float),
            "noise_db": np.asarray([np.nan if v is None else v for v in columns[5]], dtype=float),
        }
    )
    run = latest_coverage_run(engine)
    wide: dict[str, np.ndarray] = {}
    if run is not None:
        stmt = (
            select(CoverageDistance.target, CoverageDistance.cells, CoverageDistance.distances_f32)
            .where(CoverageDistance.run_id == run.id)
            .order_by(CoverageDistance.target)
        )
        for target, n, blob in _execute(engine, stmt):
            values = decode_distances(blob)
            if n != len(cells) or values.size != len(cells):
                raise RuntimeError(
                    f"coverage_distance {target!r} holds {values.size} values for "
                    f"{len(cells)} cells; recompute with `keob coverage compute`"
                )
            wide[str(target)] = values
    distances = pd.DataFrame(wide, index=cells.index)
    cells = cells.drop(columns="id")
    cells.attrs["crs"] = "EPSG:25832"
    return cells, distances
