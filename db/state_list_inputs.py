"""State-list inputs: the criterion values of each boligområde per list year (migration 0003).

The state lists (almenboligloven § 61 a/b) are computed from values that do not fit the
observation table's numerator/denominator model (2-year means of full-time equivalents,
a national conviction rate, income as a percentage of the regional mean), so they get
their own narrow table. Rows are keyed by a free ``area_key`` (a state-list boligområde
spans several afdelinger and may be missing from the area table); ``members`` can list
the afdelinger's area codes.

Like observations, values are never overwritten: a changed row for an existing
``area_key`` + ``year`` becomes a new revision, an identical row is left alone, and the
read returns the highest revision (optionally as of a moment).
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Connection,
    Engine,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from db import store
from db.models import Base, LoadBatch
from db.store import WriteResult

VALUE_COLUMNS = (
    "residents",
    "non_western_pct",
    "outside_labour_pct",
    "convicted_pct",
    "national_convicted_pct",
    "basic_education_pct",
    "income_pct_of_region",
)
TEXT_COLUMNS = ("area_name", "byomraade", "members", "source")


class StateListInput(Base):
    """One boligområde's state-list inputs for one list year (percentages as numbers)."""

    __tablename__ = "state_list_input"
    __table_args__ = (
        UniqueConstraint("area_key", "year", "revision"),
        CheckConstraint("residents >= 0", name="residents_non_negative"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_key: Mapped[str] = mapped_column(String(64), index=True)
    area_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    byomraade: Mapped[str | None] = mapped_column(String(64), nullable=True)
    members: Mapped[str | None] = mapped_column(Text, nullable=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    residents: Mapped[float] = mapped_column(Float)
    non_western_pct: Mapped[float] = mapped_column(Float)
    outside_labour_pct: Mapped[float] = mapped_column(Float)
    convicted_pct: Mapped[float] = mapped_column(Float)
    national_convicted_pct: Mapped[float | None] = mapped_column(Float, nullable=True)
    basic_education_pct: Mapped[float | None] = mapped_column(Float, nullable=True)
    income_pct_of_region: Mapped[float | None] = mapped_column(Float, nullable=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(500), nullable=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)


_COMPARED = (*VALUE_COLUMNS, "area_name", "byomraade", "members", "synthetic")


def write_inputs(conn: Connection, frame: pd.DataFrame, batch_id: int) -> WriteResult:
    """Append state-list inputs (``area_id`` or ``area_key``, ``year`` and the values).

    Unchanged rows are skipped; changed rows become a new revision. Runs inside the
    caller's transaction.
    """
    if frame.empty:
        return WriteResult(0, 0, 0)
    df = frame.rename(columns={"area_id": "area_key"}).copy()
    for col in (*TEXT_COLUMNS, *VALUE_COLUMNS):
        if col not in df:
            df[col] = None
    if "synthetic" not in df:
        df["synthetic"] = False
    df["year"] = df["year"].astype(int)
    current = read_inputs(conn)
    current = current.rename(columns={"area_id": "area_key"})
    merged = df.merge(
        current[["area_key", "year", "revision", *_COMPARED]],
        on=["area_key", "year"],
        how="left",
        suffixes=("", "_cur"),
    )
    is_new = merged["revision"].isna().to_numpy()
    same = ~is_new
    for col in _COMPARED:
        a, b = merged[col], merged[f"{col}_cur"]
        if col in VALUE_COLUMNS:
            av = pd.to_numeric(a, errors="coerce").to_numpy(dtype=float)
            bv = pd.to_numeric(b, errors="coerce").to_numpy(dtype=float)
            eq = (av == bv) | (np.isnan(av) & np.isnan(bv))
        elif col == "synthetic":
            eq = a.fillna(False).astype(bool).to_numpy() == b.fillna(False).astype(bool).to_numpy()
        else:
            eq = (a.fillna("").astype(str) == b.fillna("").astype(str)).to_numpy()
        same &= eq
    todo = merged.loc[~same]
    rows = []
    for rec in todo.to_dict("records"):
        row = {
            "area_key": str(rec["area_key"]),
            "year": int(rec["year"]),
            "revision": 1 if pd.isna(rec["revision"]) else int(rec["revision"]) + 1,
            "synthetic": bool(rec["synthetic"]),
            "batch_id": batch_id,
        }
        for col in VALUE_COLUMNS:
            value = rec[col]
            row[col] = None if value is None or pd.isna(value) else float(value)
        for col in TEXT_COLUMNS:
            value = rec[col]
            row[col] = None if value is None or pd.isna(value) or value == "" else str(value)
        rows.append(row)
    if rows:
        conn.execute(insert(StateListInput), rows)
    revised = int((~is_new & ~same).sum())
    return WriteResult(written=len(rows), unchanged=int(same.sum()), revised=revised)


def load_inputs(
    engine: Engine,
    frame: pd.DataFrame,
    *,
    batch_kind: str,
    file_name: str,
    checksum: str,
    rows_in_file: int,
    note: str | None = None,
) -> WriteResult:
    """Write ``frame`` (see :func:`write_inputs`) as one load batch in one transaction."""
    with engine.begin() as conn:
        batch = store.create_batch(
            conn,
            kind=batch_kind,
            file_name=file_name,
            checksum=checksum,
            rows_in_file=rows_in_file,
            note=note,
        )
        result = write_inputs(conn, frame, batch)
        store.finish_batch(conn, batch, written=result.written, unchanged=result.unchanged)
    return result


def read_inputs(engine: Engine | Connection, as_of: datetime | None = None) -> pd.DataFrame:
    """The current (or as-of) revision of every row, as the classifier's input frame.

    Columns: ``area_id`` (the area key), ``year``, the values, ``area_name``,
    ``byomraade``, ``members``, ``synthetic``, ``source``, ``revision``, ``batch_id``.
    """
    t = StateListInput.__table__
    batch = LoadBatch.__table__
    conditions = []
    if as_of is not None:
        conditions.append(batch.c.loaded_at <= as_of)
    joined = t.join(batch, t.c.batch_id == batch.c.id)
    latest = (
        select(t.c.area_key, t.c.year, func.max(t.c.revision).label("rev"))
        .select_from(joined)
        .where(*conditions)
        .group_by(t.c.area_key, t.c.year)
        .subquery()
    )
    columns = [
        "area_key", "year", *VALUE_COLUMNS, "area_name", "byomraade", "members",
        "synthetic", "source", "revision", "batch_id",
    ]  # fmt: skip
    stmt = select(*[t.c[c] for c in columns]).join(
        latest,
        and_(
            t.c.area_key == latest.c.area_key,
            t.c.year == latest.c.year,
            t.c.revision == latest.c.rev,
        ),
    )
    if isinstance(engine, Connection):
        records = list(engine.execute(stmt).all())
    else:
        with engine.connect() as conn:
            records = list(conn.execute(stmt).all())
    frame = pd.DataFrame(records, columns=columns)
    frame = frame.rename(columns={"area_key": "area_id"})
    if not frame.empty:
        frame["year"] = frame["year"].astype(int)
        frame["synthetic"] = frame["synthetic"].astype(bool)
        for col in VALUE_COLUMNS:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    return frame.sort_values(["area_id", "year"]).reset_index(drop=True)
