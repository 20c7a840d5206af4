"""Transactional writes of validated imports: all or nothing, fast, and never twice.

The importers (``indicators/importers``) check a whole file before calling this module;
here everything of one import is written in ONE transaction, so a failure or a killed
process leaves the store exactly as it was:

* observations go in with ``COPY`` on PostgreSQL and ``executemany`` on SQLite;
* unchanged values are not written again, changed ones become a new revision;
* a batch (file name, checksum, time, who, format) is recorded only when something
  changed, so loading the same data twice changes nothing, not even the data version;
* concurrent imports are serialised (an advisory lock on PostgreSQL, the write lock on
  SQLite, taken before anything is read), while readers keep reading the last
  committed state (MVCC on PostgreSQL, WAL on SQLite).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
from sqlalchemy import Connection, Engine, and_, func, insert, select, text, update

from db import store
from db.models import Area, AreaMembership, LoadBatch, Observation
from db.models_designations import AreaVersion, StateListMembership

ProgressFn = Callable[[int], None]

_OBS_COLUMNS = (
    "area_id",
    "indicator_code",
    "year",
    "numerator",
    "denominator",
    "revision",
    "synthetic",
    "source",
    "batch_id",
    "source_line",
)
_IMPORT_LOCK_KEY = 0x4B454F42  # "KEOB"
CHUNK_ROWS = 50_000
#: In a batch's note when rows were rejected (--skip-invalid): such a batch is incomplete.
SKIPPED_MARK = "--skip-invalid:"


class StoreNotReady(RuntimeError):
    """The store's schema is missing or behind the code: run ``keob db upgrade``."""


def check_schema(engine: Engine) -> None:
    """Raise StoreNotReady unless the store is migrated to the newest revision."""
    from db import migrate

    heads = set(migrate.current_heads("sqlite://"))
    try:
        with engine.connect() as conn:
            current = {r[0] for r in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except Exception as exc:  # no table, no database, no server
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise StoreNotReady(
            f"the store has no KEOB schema ({message[:200]}); run `keob db upgrade` first"
        ) from None
    if current != heads:
        raise StoreNotReady(
            f"the store's schema is at {', '.join(sorted(current)) or 'nothing'}, the code "
            f"needs {', '.join(sorted(heads))}; run `keob db upgrade` first"
        )


def known_areas(engine: Engine | Connection) -> dict[str, str]:
    """Area code -> level of every area in the store."""
    stmt = select(Area.code, Area.level)
    if isinstance(engine, Connection):
        return dict(engine.execute(stmt).all())
    with engine.connect() as conn:
        return dict(conn.execute(stmt).all())


def find_batch(
    engine: Engine,
    *,
    kind: str,
    checksum: str,
    mapping_checksum: str | None = None,
) -> dict | None:
    """The earliest complete batch of ``kind`` with this checksum (and mapping), if any.

    A batch that rejected rows (``--skip-invalid``, :data:`SKIPPED_MARK` in its note)
    does not count: loading its file again may write rows that were refused then.
    """
    stmt = (
        select(
            LoadBatch.id,
            LoadBatch.file_name,
            LoadBatch.loaded_at,
            LoadBatch.loaded_by,
            LoadBatch.note,
        )
        .where(LoadBatch.kind == kind, LoadBatch.checksum == checksum)
        .order_by(LoadBatch.id)
    )
    if mapping_checksum is None:
        stmt = stmt.where(LoadBatch.mapping_checksum.is_(None))
    else:
        stmt = stmt.where(LoadBatch.mapping_checksum == mapping_checksum)
    with engine.connect() as conn:
        for batch in conn.execute(stmt).all():
            if SKIPPED_MARK not in (batch.note or ""):
                return {
                    "id": batch.id,
                    "file_name": batch.file_name,
                    "loaded_at": batch.loaded_at,
                    "loaded_by": batch.loaded_by,
                }
    return None


def _lock(conn: Connection) -> None:
    """Serialise importers; readers are not blocked."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _IMPORT_LOCK_KEY})
    else:
        # Any write statement makes SQLite take the database's write (RESERVED) lock now,
        # before we read the revisions we are going to extend.
        conn.execute(text("UPDATE load_batch SET id = id WHERE 1 = 0"))


def _create_batch(
    conn: Connection,
    *,
    kind: str,
    file_name: str,
    checksum: str,
    rows_in_file: int,
    source_format: str,
    mapping_checksum: str | None,
    note: str | None,
) -> int:
    result = conn.execute(
        insert(LoadBatch).values(
            kind=kind,
            file_name=file_name[:500],
            checksum=checksum,
            loaded_at=datetime.now(UTC),
            loaded_by=store.who_loads()[:200],
            rows_in_file=rows_in_file,
            rows_written=0,
            rows_unchanged=0,
            note=note,
            source_format=source_format,
            mapping_checksum=mapping_checksum,
        )
    )
    return int(result.inserted_primary_key[0])


# ---------------------------------------------------------------------------- observations


@dataclass
class ObservationLoad:
    """One file's validated observations (``area_code, indicator, year, numerator,
    denominator, source, source_line``)."""

    file_name: str
    checksum: str
    rows: pd.DataFrame
    rows_in_file: int
    source_format: str = "long"
    mapping_checksum: str | None = None
    note: str | None = None


@dataclass
class LoadResult:
    file_name: str
    batch_id: int | None
    written: int
    unchanged: int
    revised: int


def load_observations(
    engine: Engine,
    loads: Sequence[ObservationLoad],
    *,
    indicators: Iterable[dict],
    progress: ProgressFn | None = None,
    after_chunk: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> list[LoadResult]:
    """Write every load in one transaction; returns what each file did.

    ``progress(n)`` is called with the number of rows just handled; ``after_chunk(total)``
    after each chunk written (tests use it to interrupt an import half-way).
    """
    results: list[LoadResult] = []
    with engine.begin() as conn:
        _lock(conn)
        store.sync_indicators(conn, list(indicators))
        ids = store.area_ids(conn)
        for load in loads:
            frame = _plan(conn, load.rows, ids)
            to_write = frame[~frame["same"]]
            unchanged = int(frame["same"].sum())
            revised = int((to_write["revision"] > 1).sum())
            if progress and unchanged:
                progress(unchanged)
            if to_write.empty:
                results.append(LoadResult(load.file_name, None, 0, unchanged, 0))
                continue
            batch_id = _create_batch(
                conn,
                kind="indicators",
                file_name=load.file_name,
                checksum=load.checksum,
                rows_in_file=load.rows_in_file,
                source_format=load.source_format,
                mapping_checksum=load.mapping_checksum,
                note=load.note,
            )
            insert_observation_frame(
                conn,
                to_write,
                batch_id,
                progress=progress,
                after_chunk=after_chunk,
                chunk_rows=chunk_rows,
            )
            store.finish_batch(conn, batch_id, written=len(to_write), unchanged=unchanged)
            results.append(LoadResult(load.file_name, batch_id, len(to_write), unchanged, revised))
    return results


def _plan(conn: Connection, rows: pd.DataFrame, ids: dict[str, int]) -> pd.DataFrame:
    """Rows with ``area_id``, the next ``revision`` and ``same`` (unchanged) flags."""
    df = rows.copy()
    codes = pd.Index(list(ids), dtype=object)
    position = codes.get_indexer(df["area_code"].to_numpy(dtype=object))
    if (position < 0).any():
        missing = sorted(set(df["area_code"].to_numpy(dtype=object)[position < 0]))[:10]
        raise KeyError(f"unknown area codes: {missing}")
    df["area_id"] = np.asarray(list(ids.values()), dtype="int64")[position]
    if "source_line" not in df:
        df["source_line"] = None
    if "source" not in df:
        df["source"] = None
    if df.empty:
        df["revision"] = pd.Series(dtype="int64")
        df["same"] = pd.Series(dtype=bool)
        return df
    latest = _latest(
        conn, df["indicator"].unique().tolist(), int(df["year"].min()), int(df["year"].max())
    )
    merged = df.merge(latest, on=["area_id", "indicator", "year"], how="left")
    is_new = merged["cur_revision"].isna()
    same = (
        ~is_new
        & (merged["numerator"] == merged["cur_numerator"])
        & (merged["denominator"] == merged["cur_denominator"])
        & ~merged["cur_synthetic"].fillna(False).astype(bool)
    )
    merged["revision"] = merged["cur_revision"].fillna(0).astype("int64") + 1
    merged["same"] = same.to_numpy(dtype=bool)
    return merged


def _latest(conn: Connection, indicators: list[str], year_from: int, year_to: int) -> pd.DataFrame:
    obs = Observation.__table__
    where = [
        obs.c.indicator_code.in_(indicators),
        obs.c.year >= year_from,
        obs.c.year <= year_to,
    ]
    top = (
        select(
            obs.c.area_id, obs.c.indicator_code, obs.c.year, func.max(obs.c.revision).label("rev")
        )
        .where(*where)
        .group_by(obs.c.area_id, obs.c.indicator_code, obs.c.year)
        .subquery()
    )
    stmt = select(
        obs.c.area_id,
        obs.c.indicator_code,
        obs.c.year,
        obs.c.revision,
        obs.c.numerator,
        obs.c.denominator,
        obs.c.synthetic,
    ).join(
        top,
        and_(
            obs.c.area_id == top.c.area_id,
            obs.c.indicator_code == top.c.indicator_code,
            obs.c.year == top.c.year,
            obs.c.revision == top.c.rev,
        ),
    )
    cols = [
        "area_id",
        "indicator",
        "year",
        "cur_revision",
        "cur_numerator",
        "cur_denominator",
        "cur_synthetic",
    ]
    frame = pd.DataFrame([tuple(r) for r in conn.execute(stmt)], columns=cols)
    return (
        frame.astype({"area_id": "int64", "year": "int64"})
        if not frame.empty
        else frame.astype({"area_id": "int64", "year": "int64", "cur_revision": "float64"})
    )


def insert_observation_frame(
    conn: Connection,
    frame: pd.DataFrame,
    batch_id: int,
    *,
    progress: ProgressFn | None = None,
    after_chunk: Callable[[int], None] | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> None:
    """Bulk-insert observation rows: COPY on PostgreSQL, executemany on SQLite.

    ``frame`` has ``area_id, indicator, year, numerator, denominator, revision`` and
    optionally ``source``, ``source_line`` and ``synthetic``. Rows go in chunks of
    ``chunk_rows`` (``progress`` and ``after_chunk`` are called after each), all in the
    caller's transaction.
    """
    table = _observation_table(frame, batch_id)
    if conn.dialect.name == "postgresql":
        _copy_rows(conn, table, chunk_rows, progress, after_chunk)
        return
    sql = (
        f"INSERT INTO observation ({', '.join(_OBS_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in _OBS_COLUMNS)})"
    )
    done = 0
    for start in range(0, table.num_rows, chunk_rows):
        # Plain tuples of Python values straight from Arrow's columns (nulls become None).
        part = table.slice(start, chunk_rows)
        chunk = list(zip(*(_python_values(column) for column in part.columns), strict=True))
        conn.exec_driver_sql(sql, chunk)
        done += len(chunk)
        if progress:
            progress(len(chunk))
        if after_chunk:
            after_chunk(done)


def _python_values(column: pa.ChunkedArray) -> list:
    """A column as a list of Python values; numpy's ``tolist`` is far faster than
    Arrow's ``to_pylist``, which is only needed for a column with some nulls."""
    if column.null_count == len(column):
        return [None] * len(column)
    if column.null_count:
        return column.to_pylist()
    return column.to_numpy().tolist()


def _observation_table(frame: pd.DataFrame, batch_id: int) -> pa.Table:
    """The rows in ``_OBS_COLUMNS`` order as an Arrow table of the store's types."""
    n = len(frame)

    def optional(name: str, kind: pa.DataType) -> pa.Array:
        if name not in frame:
            return pa.nulls(n, kind)
        values = frame[name]
        if kind == pa.int64():
            values = pd.to_numeric(values, errors="raise").astype("Int64")
        else:
            values = values.astype(object).where(values.notna(), None)
        return pa.array(values, type=kind, from_pandas=True)

    synthetic = (
        frame["synthetic"].astype(bool).to_numpy() if "synthetic" in frame else np.zeros(n, bool)
    )
    return pa.table(
        {
            "area_id": pa.array(frame["area_id"].to_numpy(dtype="int64")),
            "indicator_code": pa.array(frame["indicator"].astype(str), type=pa.string()),
            "year": pa.array(frame["year"].to_numpy(dtype="int64")),
            "numerator": pa.array(frame["numerator"].to_numpy(dtype="float64")),
            "denominator": pa.array(frame["denominator"].to_numpy(dtype="float64")),
            "revision": pa.array(frame["revision"].to_numpy(dtype="int64")),
            "synthetic": pa.array(synthetic),
            "source": optional("source", pa.string()),
            "batch_id": pa.array(np.full(n, batch_id, dtype="int64")),
            "source_line": optional("source_line", pa.int64()),
        }
    )


def _copy_rows(conn, table, chunk_rows, progress, after_chunk) -> None:  # type: ignore[no-untyped-def]
    """One ``COPY ... FROM STDIN (FORMAT csv)`` for all rows, fed a CSV block per chunk.

    Arrow's C++ writer makes each block (strings quoted, so an empty text stays empty
    and a NULL is the unquoted empty field; floats in their shortest exact form): one
    ``copy.write`` per chunk instead of formatting every row in Python.
    """
    raw = conn.connection.driver_connection
    sql = f"COPY observation ({', '.join(_OBS_COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
    options = pa_csv.WriteOptions(include_header=False)
    done = 0
    with raw.cursor() as cur, cur.copy(sql) as copy:
        for start in range(0, table.num_rows, chunk_rows):
            part = table.slice(start, chunk_rows)
            block = io.BytesIO()
            pa_csv.write_csv(part, block, write_options=options)
            copy.write(block.getbuffer())
            done += part.num_rows
            if progress:
                progress(part.num_rows)
            if after_chunk:
                after_chunk(done)


# ---------------------------------------------------------------------------- areas


@dataclass
class AreaLoad:
    """Validated areas of one file (``code, name, geometry_wkb``) for one level."""

    file_name: str
    checksum: str
    level: str
    areas: pd.DataFrame
    rows_in_file: int
    vintage: int | None = None
    # aggregate_code, member_code: the whole membership of these aggregates for ``vintage``
    # (an aggregate layer whose members were found by geometry).
    memberships: pd.DataFrame | None = None
    # aggregate_code, member_code: links to add for ``vintage``; a member leaves any other
    # aggregate of the same level it had in that vintage (e.g. a rode moving bydel).
    member_links: pd.DataFrame | None = None
    options_checksum: str | None = None
    note: str | None = None


@dataclass
class AreaResult:
    batch_id: int | None
    inserted: int
    updated: int
    unchanged: int
    versions: int
    memberships: int
    kept_newer: list[str] = field(default_factory=list)


def load_areas(engine: Engine, load: AreaLoad) -> AreaResult:
    """Insert or update areas (and their vintage versions and memberships) in one transaction.

    With a vintage, the area's current geometry is replaced only when no newer vintage is
    stored (loading the 2017 designation after the 2025 one keeps 2025 as current).
    """
    with engine.begin() as conn:
        _lock(conn)
        existing = {
            r.code: r
            for r in conn.execute(
                select(Area.id, Area.code, Area.name, Area.level, Area.geometry_wkb)
            ).all()
        }
        clash = [
            f"{c} (already a {existing[c].level})"
            for c in load.areas["code"]
            if c in existing and existing[c].level != load.level
        ]
        if clash:
            raise ValueError(f"area codes exist at another level: {', '.join(clash[:10])}")
        newest: dict[int, int] = {}
        versions: dict[tuple[int, int], tuple[str, bytes | None]] = {}
        if load.vintage is not None:
            for area_id, vintage, name, wkb in conn.execute(
                select(
                    AreaVersion.area_id,
                    AreaVersion.vintage,
                    AreaVersion.name,
                    AreaVersion.geometry_wkb,
                )
            ).all():
                newest[area_id] = max(newest.get(area_id, vintage), vintage)
                versions[(area_id, vintage)] = (name, wkb)

        inserts, updates, version_rows, kept_newer = [], [], [], []
        unchanged = 0
        for rec in load.areas.itertuples(index=False):
            old = existing.get(rec.code)
            if old is None:
                inserts.append(
                    {
                        "code": rec.code,
                        "name": rec.name,
                        "level": load.level,
                        "geometry_wkb": rec.geometry_wkb,
                    }
                )
                continue
            if load.vintage is not None:
                current = versions.get((old.id, load.vintage))
                if current != (rec.name, rec.geometry_wkb):
                    version_rows.append((old.id, rec.name, rec.geometry_wkb, current is not None))
                if newest.get(old.id, load.vintage) > load.vintage:
                    kept_newer.append(rec.code)
                    continue
            if old.name == rec.name and old.geometry_wkb == rec.geometry_wkb:
                unchanged += 1
            else:
                updates.append((old.id, rec.name, rec.geometry_wkb))

        membership_change = False
        if load.memberships is not None and load.vintage is not None:
            membership_change = _memberships_differ(conn, load.memberships, load.vintage)
        link_change = False
        if load.member_links is not None and load.vintage is not None:
            link_change = _links_differ(conn, load.member_links, load.vintage)
        if not (inserts or updates or version_rows or membership_change or link_change):
            return AreaResult(None, 0, 0, unchanged, 0, 0, kept_newer)

        batch_id = _create_batch(
            conn,
            kind="areas",
            file_name=load.file_name,
            checksum=load.checksum,
            rows_in_file=load.rows_in_file,
            source_format="geo",
            mapping_checksum=load.options_checksum,
            note=load.note,
        )
        if inserts:
            conn.execute(insert(Area), [{**r, "batch_id": batch_id} for r in inserts])
        for area_id, name, wkb in updates:
            conn.execute(
                update(Area)
                .where(Area.id == area_id)
                .values(name=name, geometry_wkb=wkb, batch_id=batch_id)
            )
        n_versions = 0
        if load.vintage is not None:
            ids = store.area_ids(conn)
            new_codes = {r["code"] for r in inserts}
            rows = [
                {
                    "area_id": ids[r.code],
                    "vintage": load.vintage,
                    "name": r.name,
                    "geometry_wkb": r.geometry_wkb,
                    "batch_id": batch_id,
                }
                for r in load.areas.itertuples(index=False)
                if r.code in new_codes
            ]
            for area_id, name, wkb, exists in version_rows:
                if exists:
                    conn.execute(
                        update(AreaVersion)
                        .where(AreaVersion.area_id == area_id, AreaVersion.vintage == load.vintage)
                        .values(name=name, geometry_wkb=wkb, batch_id=batch_id)
                    )
                else:
                    rows.append(
                        {
                            "area_id": area_id,
                            "vintage": load.vintage,
                            "name": name,
                            "geometry_wkb": wkb,
                            "batch_id": batch_id,
                        }
                    )
            if rows:
                conn.execute(insert(AreaVersion), rows)
            n_versions = len(rows) + sum(1 for *_, e in version_rows if e)
        n_members = 0
        if membership_change and load.memberships is not None and load.vintage is not None:
            n_members = store.replace_memberships(conn, load.memberships, load.vintage, batch_id)
        if link_change and load.member_links is not None and load.vintage is not None:
            n_members += _set_links(conn, load.member_links, load.vintage, batch_id)
        written = len(inserts) + len(updates) + n_versions + n_members
        store.finish_batch(conn, batch_id, written=written, unchanged=unchanged)
        return AreaResult(
            batch_id, len(inserts), len(updates), unchanged, n_versions, n_members, kept_newer
        )


def _membership_pairs(conn: Connection, vintage: int, where) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    agg = Area.__table__.alias("agg")
    mem = Area.__table__.alias("mem")
    am = AreaMembership.__table__
    stmt = (
        select(agg.c.code, mem.c.code)
        .select_from(
            am.join(agg, am.c.aggregate_id == agg.c.id).join(mem, am.c.member_id == mem.c.id)
        )
        .where(am.c.vintage == vintage, where(agg, mem))
    )
    return {(a, m) for a, m in conn.execute(stmt).all()}


def _memberships_differ(conn: Connection, members: pd.DataFrame, vintage: int) -> bool:
    if members.empty:
        return False
    codes = sorted(set(members["aggregate_code"]))
    now = _membership_pairs(conn, vintage, lambda agg, mem: agg.c.code.in_(codes))
    wanted = set(members[["aggregate_code", "member_code"]].itertuples(index=False, name=None))
    return now != wanted


def _links_scope(conn: Connection, links: pd.DataFrame):  # type: ignore[no-untyped-def]
    levels = dict(conn.execute(select(Area.code, Area.level)).all())
    agg_levels = sorted({levels[c] for c in links["aggregate_code"] if c in levels})
    members = sorted(set(links["member_code"]))
    return lambda agg, mem: and_(mem.c.code.in_(members), agg.c.level.in_(agg_levels))


def _links_differ(conn: Connection, links: pd.DataFrame, vintage: int) -> bool:
    if links.empty:
        return False
    now = _membership_pairs(conn, vintage, _links_scope(conn, links))
    wanted = set(links[["aggregate_code", "member_code"]].itertuples(index=False, name=None))
    return now != wanted


def _set_links(conn: Connection, links: pd.DataFrame, vintage: int, batch_id: int) -> int:
    ids = store.area_ids(conn)
    now = _membership_pairs(conn, vintage, _links_scope(conn, links))
    wanted = set(links[["aggregate_code", "member_code"]].itertuples(index=False, name=None))
    am = AreaMembership.__table__
    for agg, mem in sorted(now - wanted):
        conn.execute(
            am.delete().where(
                am.c.aggregate_id == ids[agg], am.c.member_id == ids[mem], am.c.vintage == vintage
            )
        )
    rows = [
        {"aggregate_id": ids[a], "member_id": ids[m], "vintage": vintage, "batch_id": batch_id}
        for a, m in sorted(wanted - now)
    ]
    if rows:
        conn.execute(insert(AreaMembership), rows)
    return len(rows)


# ---------------------------------------------------------------------------- state lists


@dataclass
class StateListResult:
    batch_id: int | None
    added: int
    retired: int
    unchanged: int
    list_years: list[int]


def load_state_lists(
    engine: Engine,
    rows: pd.DataFrame,
    *,
    file_name: str,
    checksum: str,
    rows_in_file: int,
    note: str | None = None,
) -> StateListResult:
    """Make the store's lists for each list year in ``rows`` equal to ``rows``.

    ``rows`` has ``area_code, list_year, category``. Rows no longer on a list are retired
    (``retired_batch_id``), never deleted.
    """
    years = sorted(int(y) for y in rows["list_year"].unique())
    with engine.begin() as conn:
        _lock(conn)
        ids = store.area_ids(conn)
        slm = StateListMembership.__table__
        current = conn.execute(
            select(slm.c.id, slm.c.area_id, slm.c.list_year, slm.c.category).where(
                slm.c.list_year.in_(years), slm.c.retired_batch_id.is_(None)
            )
        ).all()
        now = {(r.area_id, r.list_year, r.category): r.id for r in current}
        wanted = {
            (ids[a], int(y), c)
            for a, y, c in rows[["area_code", "list_year", "category"]].itertuples(
                index=False, name=None
            )
        }
        to_add = sorted(wanted - set(now))
        to_retire = [now[k] for k in set(now) - wanted]
        unchanged = len(wanted & set(now))
        if not to_add and not to_retire:
            return StateListResult(None, 0, 0, unchanged, years)
        batch_id = _create_batch(
            conn,
            kind="state-lists",
            file_name=file_name,
            checksum=checksum,
            rows_in_file=rows_in_file,
            source_format="state-lists",
            mapping_checksum=None,
            note=note,
        )
        if to_retire:
            conn.execute(
                update(slm).where(slm.c.id.in_(to_retire)).values(retired_batch_id=batch_id)
            )
        if to_add:
            conn.execute(
                insert(slm),
                [
                    {"area_id": a, "list_year": y, "category": c, "batch_id": batch_id}
                    for a, y, c in to_add
                ],
            )
        store.finish_batch(
            conn, batch_id, written=len(to_add) + len(to_retire), unchanged=unchanged
        )
        return StateListResult(batch_id, len(to_add), len(to_retire), unchanged, years)
