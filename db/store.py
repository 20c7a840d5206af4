"""Reading and writing the indicator store. Everything returns or takes DataFrames.

Writes never overwrite an observation: a changed value for an existing
area + indicator + year becomes a new revision, and an identical value is left alone.
"""

from __future__ import annotations

import getpass
import hashlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from db.models import Area, AreaMembership, Indicator, LoadBatch, Observation

OBSERVATION_COLUMNS = ["area_code", "indicator", "year", "numerator", "denominator"]


def file_checksum(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def frame_checksum(frame: pd.DataFrame) -> str:
    return hashlib.sha256(
        pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes()
    ).hexdigest()


def who_loads() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return os.environ.get("KEOB_LOADED_BY", f"{user} (keob)")


def create_batch(
    conn: Connection,
    *,
    kind: str,
    file_name: str,
    checksum: str,
    rows_in_file: int = 0,
    note: str | None = None,
    loaded_at: datetime | None = None,
) -> int:
    """Insert a load batch and return its id."""
    result = conn.execute(
        insert(LoadBatch).values(
            kind=kind,
            file_name=file_name,
            checksum=checksum,
            loaded_at=loaded_at or datetime.now(UTC),
            loaded_by=who_loads(),
            rows_in_file=rows_in_file,
            rows_written=0,
            rows_unchanged=0,
            note=note,
        )
    )
    return int(result.inserted_primary_key[0])


def finish_batch(conn: Connection, batch_id: int, *, written: int, unchanged: int) -> None:
    conn.execute(
        update(LoadBatch)
        .where(LoadBatch.id == batch_id)
        .values(rows_written=written, rows_unchanged=unchanged)
    )


def sync_indicators(conn: Connection, registry_rows: Iterable[dict]) -> None:
    """Insert or update the indicator table from the registry."""
    existing = set(conn.scalars(select(Indicator.code)))
    for row in registry_rows:
        values = {k: row[k] for k in ("kind", "name_da", "name_en", "unit", "decimals")}
        values.update(polarity=row["polarity"], basis=row["basis"])
        if row["code"] in existing:
            conn.execute(update(Indicator).where(Indicator.code == row["code"]).values(**values))
        else:
            conn.execute(insert(Indicator).values(code=row["code"], **values))


def upsert_areas(conn: Connection, areas: pd.DataFrame, batch_id: int | None) -> int:
    """Insert or update areas (``code, name, level, geometry_wkb``); returns rows touched."""
    existing = dict(conn.execute(select(Area.code, Area.id)).all())
    new_rows, touched = [], 0
    for rec in areas.to_dict("records"):
        values = {
            "name": rec["name"],
            "level": rec["level"],
            "geometry_wkb": rec.get("geometry_wkb"),
            "batch_id": batch_id,
        }
        if rec["code"] in existing:
            conn.execute(update(Area).where(Area.id == existing[rec["code"]]).values(**values))
        else:
            new_rows.append({"code": rec["code"], **values})
        touched += 1
    if new_rows:
        conn.execute(insert(Area), new_rows)
    return touched


def area_ids(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(select(Area.code, Area.id)).all())


def replace_memberships(
    conn: Connection, membership: pd.DataFrame, vintage: int, batch_id: int | None
) -> int:
    """Set the members of the given aggregates for one vintage (``aggregate_code, member_code``)."""
    ids = area_ids(conn)
    unknown = sorted(set(membership["aggregate_code"]).union(membership["member_code"]) - set(ids))
    if unknown:
        raise KeyError(f"unknown area codes in membership: {unknown[:10]}")
    aggregates = [ids[c] for c in membership["aggregate_code"].unique()]
    conn.execute(
        AreaMembership.__table__.delete().where(
            and_(AreaMembership.vintage == vintage, AreaMembership.aggregate_id.in_(aggregates))
        )
    )
    rows = [
        {
            "aggregate_id": ids[a],
            "member_id": ids[m],
            "vintage": vintage,
            "batch_id": batch_id,
        }
        for a, m in membership[["aggregate_code", "member_code"]]
        .drop_duplicates()
        .itertuples(index=False)
    ]
    if rows:
        conn.execute(insert(AreaMembership), rows)
    return len(rows)


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    revised: int


def write_observations(conn: Connection, frame: pd.DataFrame, batch_id: int) -> WriteResult:
    """Append observations; unchanged values are skipped, changed values get a new revision.

    ``frame`` has ``area_code, indicator, year, numerator, denominator`` and optionally
    ``synthetic`` and ``source``. Runs inside the caller's transaction.
    """
    if frame.empty:
        return WriteResult(0, 0, 0)
    ids = area_ids(conn)
    df = frame.copy()
    df["area_id"] = df["area_code"].map(ids)
    if df["area_id"].isna().any():
        missing = sorted(df.loc[df["area_id"].isna(), "area_code"].unique())[:10]
        raise KeyError(f"unknown area codes: {missing}")
    df["area_id"] = df["area_id"].astype(int)
    if "synthetic" not in df:
        df["synthetic"] = False
    if "source" not in df:
        df["source"] = None

    latest = _latest_revisions(conn, df["indicator"].unique().tolist())
    merged = df.merge(latest, on=["area_id", "indicator", "year"], how="left")
    is_new = merged["revision"].isna()
    same = (
        ~is_new
        & (merged["numerator"] == merged["cur_numerator"])
        & (merged["denominator"] == merged["cur_denominator"])
        & (merged["synthetic"].astype(bool) == merged["cur_synthetic"].astype(bool))
    )
    to_write = merged.loc[~same].copy()
    to_write["revision"] = to_write["revision"].fillna(0).astype(int) + 1
    rows = [
        {
            "area_id": int(r.area_id),
            "indicator_code": r.indicator,
            "year": int(r.year),
            "numerator": float(r.numerator),
            "denominator": float(r.denominator),
            "revision": int(r.revision),
            "synthetic": bool(r.synthetic),
            "source": None if pd.isna(r.source) else str(r.source),
            "batch_id": batch_id,
        }
        for r in to_write.itertuples(index=False)
    ]
    bulk_insert_observations(conn, rows)
    revised = int((~is_new & ~same).sum())
    return WriteResult(written=len(rows), unchanged=int(same.sum()), revised=revised)


def bulk_insert_observations(conn: Connection, rows: Sequence[dict]) -> None:
    """Insert observation rows in chunks (executemany; fast on both engines)."""
    chunk = 20_000
    for start in range(0, len(rows), chunk):
        conn.execute(insert(Observation), list(rows[start : start + chunk]))


def _latest_revisions(conn: Connection, indicators: list[str]) -> pd.DataFrame:
    latest = (
        select(
            Observation.area_id,
            Observation.indicator_code,
            Observation.year,
            func.max(Observation.revision).label("revision"),
        )
        .where(Observation.indicator_code.in_(indicators))
        .group_by(Observation.area_id, Observation.indicator_code, Observation.year)
        .subquery()
    )
    stmt = select(
        Observation.area_id,
        Observation.indicator_code.label("indicator"),
        Observation.year,
        Observation.revision,
        Observation.numerator.label("cur_numerator"),
        Observation.denominator.label("cur_denominator"),
        Observation.synthetic.label("cur_synthetic"),
    ).join(
        latest,
        and_(
            Observation.area_id == latest.c.area_id,
            Observation.indicator_code == latest.c.indicator_code,
            Observation.year == latest.c.year,
            Observation.revision == latest.c.revision,
        ),
    )
    cols = [
        "area_id",
        "indicator",
        "year",
        "revision",
        "cur_numerator",
        "cur_denominator",
        "cur_synthetic",
    ]
    return pd.DataFrame(conn.execute(stmt).all(), columns=cols)


# ---------------------------------------------------------------------------------- reading


def read_observations(
    engine: Engine | Connection,
    *,
    indicators: Sequence[str] | None = None,
    area_codes: Sequence[str] | None = None,
    levels: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    as_of: datetime | None = None,
) -> pd.DataFrame:
    """The current (or as-of) revision of each observation as a counts frame.

    ``as_of`` returns what the store held at that moment: only batches loaded at or before
    it are considered, and of those the highest revision wins.
    """
    obs = Observation.__table__
    batch = LoadBatch.__table__
    area = Area.__table__
    conditions = []
    if indicators:
        conditions.append(obs.c.indicator_code.in_(list(indicators)))
    if area_codes:
        conditions.append(area.c.code.in_(list(area_codes)))
    if levels:
        conditions.append(area.c.level.in_(list(levels)))
    if year_from is not None:
        conditions.append(obs.c.year >= year_from)
    if year_to is not None:
        conditions.append(obs.c.year <= year_to)
    if as_of is not None:
        conditions.append(batch.c.loaded_at <= as_of)

    base = obs.join(area, obs.c.area_id == area.c.id).join(batch, obs.c.batch_id == batch.c.id)
    latest = (
        select(
            obs.c.area_id, obs.c.indicator_code, obs.c.year, func.max(obs.c.revision).label("rev")
        )
        .select_from(base)
        .where(*conditions)
        .group_by(obs.c.area_id, obs.c.indicator_code, obs.c.year)
        .subquery()
    )
    stmt = (
        select(
            area.c.code.label("area_code"),
            obs.c.indicator_code.label("indicator"),
            obs.c.year,
            obs.c.numerator,
            obs.c.denominator,
            obs.c.synthetic,
            obs.c.source,
            obs.c.revision,
            obs.c.batch_id,
        )
        .select_from(obs.join(area, obs.c.area_id == area.c.id))
        .join(
            latest,
            and_(
                obs.c.area_id == latest.c.area_id,
                obs.c.indicator_code == latest.c.indicator_code,
                obs.c.year == latest.c.year,
                obs.c.revision == latest.c.rev,
            ),
        )
    )
    columns = [
        "area_code",
        "indicator",
        "year",
        "numerator",
        "denominator",
        "synthetic",
        "source",
        "revision",
        "batch_id",
    ]
    rows = fetch_raw(engine, stmt)
    frame = pd.DataFrame(rows, columns=columns)
    if not frame.empty:
        frame["year"] = frame["year"].astype(int)
        frame["synthetic"] = frame["synthetic"].astype(bool)
        frame["numerator"] = frame["numerator"].astype(float)
        frame["denominator"] = frame["denominator"].astype(float)
    return frame.sort_values(["area_code", "indicator", "year"]).reset_index(drop=True)


def read_areas(
    engine: Engine | Connection,
    *,
    levels: Sequence[str] | None = None,
    with_geometry: bool = False,
) -> pd.DataFrame:
    """Areas as a DataFrame: ``code, name, level`` (+ ``geometry_wkb``)."""
    cols = [Area.code, Area.name, Area.level]
    if with_geometry:
        cols.append(Area.geometry_wkb)
    stmt = select(*cols).order_by(Area.level, Area.code)
    if levels:
        stmt = stmt.where(Area.level.in_(list(levels)))
    names = ["code", "name", "level"] + (["geometry_wkb"] if with_geometry else [])
    return pd.DataFrame(_execute(engine, stmt), columns=names)


def read_membership(engine: Engine | Connection, vintage: int | None = None) -> pd.DataFrame:
    """``aggregate_code, member_code, vintage`` of one vintage (default: the newest)."""
    agg = Area.__table__.alias("agg")
    mem = Area.__table__.alias("mem")
    am = AreaMembership.__table__
    stmt = select(
        agg.c.code.label("aggregate_code"),
        mem.c.code.label("member_code"),
        am.c.vintage,
    ).select_from(am.join(agg, am.c.aggregate_id == agg.c.id).join(mem, am.c.member_id == mem.c.id))
    frame = pd.DataFrame(
        _execute(engine, stmt), columns=["aggregate_code", "member_code", "vintage"]
    )
    if frame.empty:
        return frame
    if vintage is None:
        newest = frame.groupby("aggregate_code")["vintage"].transform("max")
        frame = frame[frame["vintage"] == newest]
    else:
        # The newest vintage at or before the requested one, per aggregate.
        frame = frame[frame["vintage"] <= vintage]
        newest = frame.groupby("aggregate_code")["vintage"].transform("max")
        frame = frame[frame["vintage"] == newest]
    return frame.sort_values(["aggregate_code", "member_code"]).reset_index(drop=True)


def membership_vintages(engine: Engine | Connection) -> list[int]:
    stmt = select(AreaMembership.vintage).distinct().order_by(AreaMembership.vintage)
    return [int(v) for (v,) in _execute(engine, stmt)]


def read_batches(engine: Engine | Connection) -> pd.DataFrame:
    cols = [
        "id",
        "kind",
        "file_name",
        "checksum",
        "loaded_at",
        "loaded_by",
        "rows_in_file",
        "rows_written",
        "rows_unchanged",
        "note",
    ]
    stmt = select(*[getattr(LoadBatch, c) for c in cols]).order_by(LoadBatch.id)
    return pd.DataFrame(_execute(engine, stmt), columns=cols)


def data_version(engine: Engine | Connection, as_of: datetime | None = None) -> str:
    """A string that changes whenever a batch is loaded: keys caches and ETags.

    With ``as_of``, the version the store had at that moment (the batches loaded by then),
    which is how an earlier publication is found again.
    """
    stmt = select(func.count(LoadBatch.id), func.max(LoadBatch.id), func.max(LoadBatch.loaded_at))
    if as_of is not None:
        stmt = stmt.where(LoadBatch.loaded_at <= as_of)
    count, max_id, max_at = _execute(engine, stmt)[0]
    stamp = max_at.isoformat() if max_at is not None else "empty"
    return f"{count}-{max_id}-{stamp}"


def first_load_time(engine: Engine | Connection) -> datetime | None:
    """When the first batch was loaded (UTC), or None for a store with no loads.

    An as-of time before it selects nothing; callers say so instead of returning an
    empty table that looks like "no rows matched".
    """
    first = _execute(engine, select(func.min(LoadBatch.loaded_at)))[0][0]
    if first is None:
        return None
    return first.replace(tzinfo=UTC) if first.tzinfo is None else first.astimezone(UTC)


def is_empty(engine: Engine | Connection) -> bool:
    return _execute(engine, select(func.count(Observation.id)))[0][0] == 0


def _execute(engine: Engine | Connection, stmt) -> list:  # type: ignore[no-untyped-def]
    if isinstance(engine, Connection):
        return list(engine.execute(stmt).all())
    with engine.connect() as conn:
        return list(conn.execute(stmt).all())


def fetch_raw(engine: Engine | Connection, stmt) -> list[tuple]:  # type: ignore[no-untyped-def]
    """Rows as the driver's tuples: for the hot reads (the base observations, the
    publication's rows), where SQLAlchemy's per-row result objects, and pandas probing
    each of them, cost more than the query itself. Parameters are bound by SQLAlchemy
    as usual; the values come back as the driver gives them (SQLite: booleans as 0/1),
    so the caller casts its columns."""
    if isinstance(engine, Connection):
        return _fetch_on(engine, stmt)
    with engine.connect() as conn:
        return _fetch_on(conn, stmt)


def _fetch_on(conn: Connection, stmt) -> list[tuple]:  # type: ignore[no-untyped-def]
    result = conn.execute(stmt)
    try:
        return result.cursor.fetchall()
    finally:
        result.close()


# ------------------------------------------------------------ revisions and designations
# (history of a series, state lists and area versions; as-of everywhere)


def read_revisions(
    engine: Engine | Connection,
    area_codes: Sequence[str],
    indicator: str,
    *,
    as_of: datetime | None = None,
) -> pd.DataFrame:
    """Every stored revision of the series of ``area_codes`` x ``indicator``, with its batch.

    Columns: ``area_code, year, revision, numerator, denominator, synthetic, source,
    source_line, batch_id, loaded_at, loaded_by, file_name, checksum, kind,
    source_format``; ordered by area, year and revision.
    """
    obs = Observation.__table__
    batch = LoadBatch.__table__
    area = Area.__table__
    stmt = (
        select(
            area.c.code,
            obs.c.year,
            obs.c.revision,
            obs.c.numerator,
            obs.c.denominator,
            obs.c.synthetic,
            obs.c.source,
            obs.c.source_line,
            obs.c.batch_id,
            batch.c.loaded_at,
            batch.c.loaded_by,
            batch.c.file_name,
            batch.c.checksum,
            batch.c.kind,
            batch.c.source_format,
        )
        .select_from(
            obs.join(area, obs.c.area_id == area.c.id).join(batch, obs.c.batch_id == batch.c.id)
        )
        .where(area.c.code.in_(list(area_codes)), obs.c.indicator_code == indicator)
        .order_by(area.c.code, obs.c.year, obs.c.revision)
    )
    if as_of is not None:
        stmt = stmt.where(batch.c.loaded_at <= as_of)
    columns = [
        "area_code",
        "year",
        "revision",
        "numerator",
        "denominator",
        "synthetic",
        "source",
        "source_line",
        "batch_id",
        "loaded_at",
        "loaded_by",
        "file_name",
        "checksum",
        "kind",
        "source_format",
    ]
    frame = pd.DataFrame(_execute(engine, stmt), columns=columns)
    if not frame.empty:
        frame["synthetic"] = frame["synthetic"].astype(bool)
    return frame


def read_state_lists(
    engine: Engine | Connection,
    *,
    list_years: Sequence[int] | None = None,
    as_of: datetime | None = None,
) -> pd.DataFrame:
    """State-list memberships (``area_code, area_name, level, list_year, category,
    batch_id``) as they stood now or ``as_of`` a moment."""
    from db.models_designations import StateListMembership

    slm = StateListMembership.__table__
    area = Area.__table__
    added = LoadBatch.__table__.alias("added")
    retired = LoadBatch.__table__.alias("retired")
    stmt = (
        select(
            area.c.code, area.c.name, area.c.level, slm.c.list_year, slm.c.category, slm.c.batch_id
        )
        .select_from(
            slm.join(area, slm.c.area_id == area.c.id)
            .join(added, slm.c.batch_id == added.c.id)
            .outerjoin(retired, slm.c.retired_batch_id == retired.c.id)
        )
        .order_by(slm.c.list_year, slm.c.category, area.c.code)
    )
    if list_years:
        stmt = stmt.where(slm.c.list_year.in_(list(list_years)))
    if as_of is None:
        stmt = stmt.where(slm.c.retired_batch_id.is_(None))
    else:
        stmt = stmt.where(
            added.c.loaded_at <= as_of,
            (slm.c.retired_batch_id.is_(None)) | (retired.c.loaded_at > as_of),
        )
    columns = ["area_code", "area_name", "level", "list_year", "category", "batch_id"]
    return pd.DataFrame(_execute(engine, stmt), columns=columns)


def read_area_versions(
    engine: Engine | Connection, vintage: int | None = None, *, as_of: datetime | None = None
) -> pd.DataFrame:
    """Area names and geometries per designation vintage (``code, level, vintage, name,
    geometry_wkb``); ``vintage`` picks, per area, the newest at or before it; ``as_of``
    leaves out versions loaded later."""
    from db.models_designations import AreaVersion

    av = AreaVersion.__table__
    area = Area.__table__
    batch = LoadBatch.__table__
    stmt = select(
        area.c.code, area.c.level, av.c.vintage, av.c.name, av.c.geometry_wkb
    ).select_from(
        av.join(area, av.c.area_id == area.c.id).outerjoin(batch, av.c.batch_id == batch.c.id)
    )
    if as_of is not None:
        stmt = stmt.where(batch.c.loaded_at <= as_of)
    frame = pd.DataFrame(
        _execute(engine, stmt), columns=["code", "level", "vintage", "name", "geometry_wkb"]
    )
    if frame.empty or vintage is None:
        return frame.sort_values(["code", "vintage"]).reset_index(drop=True)
    frame = frame[frame["vintage"] <= vintage]
    newest = frame.groupby("code")["vintage"].transform("max")
    return frame[frame["vintage"] == newest].sort_values("code").reset_index(drop=True)
