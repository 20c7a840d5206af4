"""Writing and reading publications (``db.models_publication``).

:func:`write_publication` writes a publication's rows and makes it the current one in the
caller's transaction, so a reader sees the previous publication or the new one, never a
part. Readers find a publication (:func:`current_publication`,
:func:`publication_for_version`) and then read its rows by id (:func:`read_comparison`,
:func:`read_frame`); a publication never changes once written, so the two reads need not
share a transaction.

A store older than the publication migration has no tables: the finders then return
None (:data:`NO_TABLES`) and the caller falls back to computing.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.exc import OperationalError, ProgrammingError

from db.models_publication import NO_VINTAGE, Publication, PublishedComparison, PublishedFrame
from db.store import _execute, fetch_raw, who_loads

#: What reading a store without the publication tables raises (SQLite; PostgreSQL).
NO_TABLES = (OperationalError, ProgrammingError)

PUBLICATION = Publication.__table__
COMPARISON_TABLE = PublishedComparison.__table__
#: The frame's columns, in the order ``Monitor.published_comparison`` returns them.
COMPARISON_COLUMNS = (
    "area_code",
    "indicator",
    "year",
    "numerator",
    "denominator",
    "synthetic",
    "members_reporting",
    "members_total",
    "city_numerator",
    "city_denominator",
    "rest_numerator",
    "rest_denominator",
    "value",
    "rest_value",
    "city_value",
    "gap",
    "gap_ratio",
    "polarity",
    "direction",
    "area_name",
    "level",
    "suppressed",
    "suppression",
    "suppression_rule",
    "rest_suppressed",
    "rest_suppression",
    "city_suppressed",
)
_INTS = ("year", "members_reporting", "members_total", "polarity", "direction")
_STRINGS = (
    "area_code",
    "indicator",
    "area_name",
    "level",
    "suppression",
    "suppression_rule",
    "rest_suppression",
)
_BOOLS = ("synthetic", "suppressed", "rest_suppressed", "city_suppressed")
_FLOATS = tuple(c for c in COMPARISON_COLUMNS if c not in (*_INTS, *_STRINGS, *_BOOLS))
#: Rows per INSERT: large enough to be fast, small enough to keep memory flat.
CHUNK_ROWS = 20_000


@dataclass(frozen=True)
class PublicationInfo:
    """A publication's header row."""

    id: int
    status: str
    data_version: str
    loaded_through: datetime | None
    batch_count: int
    rules_checksum: str
    vintages: tuple[int, ...]
    published_at: datetime
    rows_written: int
    seconds: float

    def vintage_key(self, vintage: int | None) -> int:
        """The stored vintage that answers ``vintage`` (None: the newest published).

        ``read_membership(None)`` takes each aggregate's newest membership, which is the
        membership of the newest vintage, so None is stored once, as that vintage.
        """
        if vintage is not None:
            return int(vintage)
        return max(self.vintages) if self.vintages else NO_VINTAGE


def _info(row) -> PublicationInfo:  # type: ignore[no-untyped-def]
    loaded = row.loaded_through
    if loaded is not None and loaded.tzinfo is None:
        loaded = loaded.replace(tzinfo=UTC)
    published = row.published_at
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return PublicationInfo(
        id=int(row.id),
        status=row.status,
        data_version=row.data_version,
        loaded_through=loaded,
        batch_count=int(row.batch_count),
        rules_checksum=row.rules_checksum,
        vintages=tuple(int(v) for v in row.vintages.split(",") if v),
        published_at=published,
        rows_written=int(row.rows_written),
        seconds=float(row.seconds),
    )


# ---------------------------------------------------------------------------------- finding


def current_publication(engine: Engine | Connection) -> PublicationInfo | None:
    """The publication in force, or None (none made yet, or a store without the tables)."""
    stmt = select(PUBLICATION).where(PUBLICATION.c.status == "current")
    try:
        rows = _execute(engine, stmt)
    except NO_TABLES:
        return None
    return _info(rows[0]) if rows else None


def first_of_its_version(engine: Engine | Connection, publication: PublicationInfo) -> bool:
    """True unless an earlier publication was made from the same data version (a
    publication again after the rules changed)."""
    stmt = select(func.count()).where(
        PUBLICATION.c.data_version == publication.data_version,
        PUBLICATION.c.id < publication.id,
    )
    return _execute(engine, stmt)[0][0] == 0


def publication_for_version(
    engine: Engine | Connection, data_version: str, rules_checksum: str | None = None
) -> PublicationInfo | None:
    """The newest publication made from the store at ``data_version`` (and, if given,
    under ``rules_checksum``), or None."""
    stmt = select(PUBLICATION).where(PUBLICATION.c.data_version == data_version)
    if rules_checksum is not None:
        stmt = stmt.where(PUBLICATION.c.rules_checksum == rules_checksum)
    try:
        rows = _execute(engine, stmt.order_by(PUBLICATION.c.id.desc()).limit(1))
    except NO_TABLES:
        return None
    return _info(rows[0]) if rows else None


def list_publications(engine: Engine | Connection) -> list[PublicationInfo]:
    """Every publication, oldest first (empty for a store without the tables)."""
    try:
        rows = _execute(engine, select(PUBLICATION).order_by(PUBLICATION.c.id))
    except NO_TABLES:
        return []
    return [_info(r) for r in rows]


# ---------------------------------------------------------------------------------- writing


def write_publication(
    conn: Connection,
    *,
    data_version: str,
    loaded_through: datetime | None,
    batch_count: int,
    rules_checksum: str,
    comparisons: Mapping[tuple[str, int | None], pd.DataFrame],
    frames: Mapping[str, pd.DataFrame],
    seconds: float,
    note: str | None = None,
    write_rows: Callable[[Connection, list[dict]], None] | None = None,
) -> int:
    """Write one publication in ``conn``'s transaction and make it current; returns its id.

    ``comparisons`` maps (level, vintage) to ``published_comparison`` frames (vintage None
    only for a store without designation vintages). Nothing is visible to other
    connections before the caller commits; an exception leaves the previous publication
    current once the caller rolls back. ``write_rows`` (default: one INSERT per chunk)
    is the seam the failure tests replace.
    """
    writer = write_rows or _insert_comparison_rows
    vintages = sorted({int(v) for (_, v) in comparisons if v is not None})
    total = sum(len(f) for f in comparisons.values())
    conn.execute(
        update(Publication).where(PUBLICATION.c.status == "current").values(status="superseded")
    )
    publication_id = int(
        conn.execute(
            insert(Publication).values(
                status="current",
                data_version=data_version,
                loaded_through=loaded_through,
                batch_count=batch_count,
                rules_checksum=rules_checksum,
                vintages=",".join(str(v) for v in vintages),
                published_at=datetime.now(UTC),
                published_by=who_loads(),
                rows_written=total,
                seconds=seconds,
                note=note,
            )
        ).inserted_primary_key[0]
    )
    for (level, vintage), frame in comparisons.items():
        records = _comparison_records(frame, publication_id, level, vintage)
        for start in range(0, len(records), CHUNK_ROWS):
            writer(conn, records[start : start + CHUNK_ROWS])
    snapshots = {
        snapshot_name(level, NO_VINTAGE if vintage is None else int(vintage)): frame
        for (level, vintage), frame in comparisons.items()
    }
    for name, frame in {**snapshots, **frames}.items():
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=True)
        conn.execute(
            insert(PublishedFrame).values(
                publication_id=publication_id,
                name=name,
                rows=len(frame),
                payload=buffer.getvalue(),
            )
        )
    return publication_id


def _insert_comparison_rows(conn: Connection, records: list[dict]) -> None:
    """One driver-level ``executemany`` of the chunk.

    ``conn.execute(insert(...), records)`` builds SQLAlchemy parameters row by row, which
    cost more than SQLite's own insert; the records already hold plain Python values of
    the columns' types (``_comparison_records``), so they go to the driver as they are.
    """
    if not records:
        return
    compiled = insert(COMPARISON_TABLE).compile(dialect=conn.dialect, column_keys=list(records[0]))
    if compiled.positional:
        order = compiled.positiontup or []
        params: list = [tuple(record[name] for name in order) for record in records]
    else:
        params = records
    conn.exec_driver_sql(str(compiled), params)


def _comparison_records(
    frame: pd.DataFrame, publication_id: int, level: str, vintage: int | None
) -> list[dict]:
    """The frame's rows as plain Python values (NaN and missing names as None)."""
    if frame.empty:
        return []
    missing = [c for c in COMPARISON_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"published comparison of {level} lacks columns {missing}")
    # Column-wise ``tolist`` gives Python floats, ints, bools and strs at C speed;
    # ``DataFrame.to_dict`` boxes every cell one by one.
    columns: dict[str, list] = {}
    for column in COMPARISON_COLUMNS:
        series = frame[column]
        if column in _FLOATS:
            values = series.to_numpy(dtype=float)
            columns[column] = np.where(np.isnan(values), None, values).tolist()
        elif column in _INTS:
            columns[column] = series.to_numpy(dtype="int64").tolist()
        elif column in _BOOLS:
            columns[column] = series.to_numpy(dtype=bool).tolist()
        else:
            values = series.astype(object)
            columns[column] = values.where(values.notna(), None).tolist()
    n = len(frame)
    columns["publication_id"] = [int(publication_id)] * n
    columns["vintage"] = [NO_VINTAGE if vintage is None else int(vintage)] * n
    columns["position"] = list(range(n))
    names = list(columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]


# ---------------------------------------------------------------------------------- reading


def snapshot_name(level: str, vintage_key: int) -> str:
    """``published_frame.name`` of a level's whole comparison (the fast read)."""
    return f"comparison/{level}/{vintage_key}"


def read_comparison(
    engine: Engine | Connection, publication: PublicationInfo, level: str, vintage: int | None
) -> pd.DataFrame:
    """The published comparison of ``level`` and ``vintage`` (None: the newest), exactly
    as computed (columns, dtypes, order).

    Read whole from the publication's columnar snapshot: one row and a Parquet decode,
    some 50 times faster than fetching the typed rows (``read_comparison_rows``) at
    Copenhagen scale. Both are written from the same frame in the same transaction.
    """
    snapshot = read_frame(
        engine, publication, snapshot_name(level, publication.vintage_key(vintage))
    )
    if snapshot is not None:
        return snapshot
    return read_comparison_rows(engine, publication, level, vintage)


def read_comparison_rows(
    engine: Engine | Connection,
    publication: PublicationInfo,
    level: str,
    vintage: int | None,
    *,
    indicators: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The published comparison's typed rows of ``level`` and ``vintage`` (None: the
    newest), optionally only ``indicators`` and ``years``, by the index on (publication,
    level, indicator, year), in the order computed. No rows: an empty frame with every
    column."""
    table = COMPARISON_TABLE
    stmt = (
        select(*[table.c[c] for c in COMPARISON_COLUMNS])
        .where(
            table.c.publication_id == publication.id,
            table.c.level == level,
            table.c.vintage == publication.vintage_key(vintage),
        )
        .order_by(table.c.position)
    )
    if indicators is not None:
        stmt = stmt.where(table.c.indicator.in_(list(indicators)))
    if years is not None:
        stmt = stmt.where(table.c.year.in_([int(y) for y in years]))
    rows = fetch_raw(engine, stmt)
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in COMPARISON_COLUMNS]
    data: dict[str, object] = {}
    for name, values in zip(COMPARISON_COLUMNS, columns, strict=True):
        if name in _FLOATS:
            data[name] = np.array(values, dtype=float)
        elif name in _INTS:
            data[name] = np.array(values, dtype="int64")
        elif name in _BOOLS:
            data[name] = np.array(values, dtype=bool)
        else:
            data[name] = pd.array(values, dtype="str")
    return pd.DataFrame(data)


def read_frame(
    engine: Engine | Connection, publication: PublicationInfo, name: str
) -> pd.DataFrame | None:
    """A whole derived table of the publication, or None when it was not published."""
    stmt = select(PublishedFrame.payload).where(
        PublishedFrame.publication_id == publication.id, PublishedFrame.name == name
    )
    rows = _execute(engine, stmt)
    if not rows:
        return None
    return pd.read_parquet(io.BytesIO(rows[0][0]))
