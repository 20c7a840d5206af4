"""Writing and reading the initiatives register (one vintage at a time).

The rows come from :func:`indicators.initiatives.register_to_rows` (plain dicts; the store
does not know the register's dataclasses). :func:`load_vintage` writes a whole vintage in
one transaction: either every row is written or none. A re-import of a vintage retires the
current load (``retired_batch_id``) and adds the new one; nothing is deleted. Loading the
same file content again changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select, update

from db import store
from db.models import Area, Indicator
from db.models_initiatives import (
    InitiativeAdministration,
    InitiativeCriterion,
    InitiativeEntry,
    InitiativeFurther,
    InitiativePlace,
    InitiativeVintage,
)

BATCH_KIND = "initiatives"


class UnknownReferenceError(ValueError):
    """The rows name area codes or criteria the store does not have; nothing was written."""

    def __init__(self, what: str, codes: list[str]) -> None:
        self.what = what
        self.codes = codes
        super().__init__(f"unknown {what}: {', '.join(codes)}")


@dataclass(frozen=True)
class LoadResult:
    vintage: str
    vintage_id: int | None
    batch_id: int | None
    initiatives: int
    further: int
    replaced: bool
    unchanged: bool


def current_vintage_id(conn: Connection, vintage: str) -> int | None:
    stmt = select(InitiativeVintage.id).where(
        InitiativeVintage.vintage == vintage, InitiativeVintage.retired_batch_id.is_(None)
    )
    return conn.execute(stmt).scalar()


def load_vintage(
    engine: Engine | Connection,
    rows: Mapping[str, Any],
    *,
    file_name: str,
    checksum: str,
    note: str | None = None,
) -> LoadResult:
    """Load one vintage all-or-nothing.

    Parameters
    ----------
    engine
        An engine (a transaction is opened) or a connection inside the caller's
        transaction (the caller commits or rolls back; e.g. the seed).
    rows
        ``register_to_rows`` output.
    file_name, checksum
        Provenance recorded in ``load_batch``. A load whose checksum equals the current
        load of the vintage is skipped (``unchanged=True``).

    Raises
    ------
    UnknownReferenceError
        If an area code is not in ``area`` or a criterion not in ``indicator``; nothing
        is written.
    """
    if isinstance(engine, Connection):
        return _load(engine, rows, file_name=file_name, checksum=checksum, note=note)
    with engine.begin() as conn:
        return _load(conn, rows, file_name=file_name, checksum=checksum, note=note)


def load_register(
    engine: Engine | Connection,
    rows: Mapping[str, Any],
    *,
    indicators: list[dict],
    file_name: str,
    checksum: str,
    note: str | None = None,
) -> LoadResult:
    """Sync the indicator registry (criteria are referenced) and load one vintage, one
    transaction (or inside the caller's, given a connection)."""

    def load(conn: Connection) -> LoadResult:
        store.sync_indicators(conn, indicators)
        return _load(conn, rows, file_name=file_name, checksum=checksum, note=note)

    if isinstance(engine, Connection):
        return load(engine)
    with engine.begin() as conn:
        return load(conn)


def _load(
    conn: Connection,
    rows: Mapping[str, Any],
    *,
    file_name: str,
    checksum: str,
    note: str | None,
) -> LoadResult:
    head = dict(rows["vintage"])
    vintage = str(head["vintage"])
    initiatives = list(rows["initiatives"])
    further = list(rows.get("further", []))

    current = current_vintage_id(conn, vintage)
    if current is not None:
        same = conn.execute(
            select(InitiativeVintage.checksum).where(InitiativeVintage.id == current)
        ).scalar()
        if same == checksum:
            return LoadResult(vintage, current, None, len(initiatives), len(further), False, True)

    _check_references(conn, rows)

    batch_id = store.create_batch(
        conn,
        kind=BATCH_KIND,
        file_name=file_name,
        checksum=checksum,
        rows_in_file=len(initiatives) + len(further),
        note=note or f"Handleplanens indsatser, årgang {vintage}",
    )
    if current is not None:
        conn.execute(
            update(InitiativeVintage)
            .where(InitiativeVintage.id == current)
            .values(retired_batch_id=batch_id)
        )
    vintage_id = int(
        conn.execute(
            insert(InitiativeVintage).values(
                **{k: head.get(k) for k in _VINTAGE_FIELDS},
                checksum=checksum,
                batch_id=batch_id,
                retired_batch_id=None,
            )
        ).inserted_primary_key[0]
    )
    ids: dict[str, int] = {}
    for row in initiatives:
        values = {k: row.get(k) for k in _INITIATIVE_FIELDS}
        result = conn.execute(insert(InitiativeEntry).values(vintage_id=vintage_id, **values))
        ids[row["code"]] = int(result.inserted_primary_key[0])

    def child_rows(key: str, fields: tuple[str, ...]) -> list[dict]:
        return [
            {"initiative_id": ids[r["initiative"]], **{f: r.get(f) for f in fields}}
            for r in rows.get(key, [])
        ]

    for model, key, fields in (
        (InitiativeAdministration, "administrations", ("position", "administration")),
        (InitiativePlace, "places", _PLACE_FIELDS),
        (InitiativeCriterion, "criteria", ("criterion",)),
    ):
        batch = child_rows(key, fields)
        if batch:
            conn.execute(insert(model), batch)
    if further:
        conn.execute(
            insert(InitiativeFurther),
            [{"vintage_id": vintage_id, **{f: r.get(f) for f in _FURTHER_FIELDS}} for r in further],
        )
    written = len(initiatives) + len(further)
    store.finish_batch(conn, batch_id, written=written, unchanged=0)
    return LoadResult(
        vintage, vintage_id, batch_id, len(initiatives), len(further), current is not None, False
    )


_VINTAGE_FIELDS = (
    "vintage",
    "title",
    "status",
    "source",
    "source_file",
    "start_year",
    "end_year",
    "criteria_judgement",
    "note",
)
_INITIATIVE_FIELDS = (
    "code",
    "position",
    "goal",
    "focus_area",
    "funded",
    "title",
    "text",
    "administrations_text",
    "explanation",
    "criteria_reason",
    "period_start",
    "period_end",
    "period_text",
    "note",
)
_PLACE_FIELDS = (
    "place_position",
    "name",
    "source",
    "area_code",
    "start_year",
    "end_year",
    "period_text",
    "note",
)
_FURTHER_FIELDS = ("goal", "position", "name", "area_codes", "note")


def _check_references(conn: Connection, rows: Mapping[str, Any]) -> None:
    codes = {r["area_code"] for r in rows.get("places", [])}
    for r in rows.get("further", []):
        codes.update(c for c in (r.get("area_codes") or "").split(",") if c)
    if codes:
        known = set(conn.execute(select(Area.code).where(Area.code.in_(sorted(codes)))).scalars())
        missing = sorted(codes - known)
        if missing:
            raise UnknownReferenceError("area codes (load the geography first)", missing)
    criteria = {r["criterion"] for r in rows.get("criteria", [])}
    if criteria:
        known = set(conn.execute(select(Indicator.code)).scalars())
        missing = sorted(criteria - known)
        if missing:
            raise UnknownReferenceError("criteria (sync the indicator registry first)", missing)


# ---------------------------------------------------------------------------------- reading


def read_vintages(engine: Engine | Connection, *, include_retired: bool = False) -> pd.DataFrame:
    """Loads of every vintage: ``vintage, vintage_id, title, status, start_year, end_year,
    batch_id, retired_batch_id, loaded_at, file_name, initiatives``, newest vintage first."""
    from db.models import LoadBatch

    stmt = (
        select(
            InitiativeVintage.vintage,
            InitiativeVintage.id.label("vintage_id"),
            InitiativeVintage.title,
            InitiativeVintage.status,
            InitiativeVintage.start_year,
            InitiativeVintage.end_year,
            InitiativeVintage.batch_id,
            InitiativeVintage.retired_batch_id,
            LoadBatch.loaded_at,
            LoadBatch.file_name,
        )
        .join(LoadBatch, LoadBatch.id == InitiativeVintage.batch_id)
        .order_by(InitiativeVintage.start_year.desc(), InitiativeVintage.id.desc())
    )
    if not include_retired:
        stmt = stmt.where(InitiativeVintage.retired_batch_id.is_(None))
    cols = [
        "vintage",
        "vintage_id",
        "title",
        "status",
        "start_year",
        "end_year",
        "batch_id",
        "retired_batch_id",
        "loaded_at",
        "file_name",
    ]
    frame = pd.DataFrame(_execute(engine, stmt), columns=cols)
    counts = dict(
        _execute(
            engine,
            select(InitiativeEntry.vintage_id, _count(InitiativeEntry.id)).group_by(
                InitiativeEntry.vintage_id
            ),
        )
    )
    frame["initiatives"] = frame["vintage_id"].map(lambda i: int(counts.get(i, 0)))
    return frame


def read_vintage_rows(
    engine: Engine | Connection, vintage: str | None = None, *, vintage_id: int | None = None
) -> dict[str, Any] | None:
    """The current load of ``vintage`` (default: the newest vintage) as plain rows.

    The shape is that of ``register_to_rows`` (lists of dicts), or ``None`` when the store
    holds no such vintage. ``vintage_id`` reads a specific (possibly retired) load.
    """
    if vintage_id is None:
        loads = read_vintages(engine)
        if vintage is not None:
            loads = loads[loads["vintage"] == vintage]
        if loads.empty:
            return None
        vintage_id = int(loads["vintage_id"].iloc[0])
    head_cols = [getattr(InitiativeVintage, f) for f in _VINTAGE_FIELDS]
    head = _execute(engine, select(*head_cols).where(InitiativeVintage.id == vintage_id))
    if not head:
        return None
    ini_cols = [InitiativeEntry.id, *[getattr(InitiativeEntry, f) for f in _INITIATIVE_FIELDS]]
    ini_rows = _execute(
        engine,
        select(*ini_cols)
        .where(InitiativeEntry.vintage_id == vintage_id)
        .order_by(InitiativeEntry.position),
    )
    initiatives = [dict(zip(["id", *_INITIATIVE_FIELDS], r, strict=True)) for r in ini_rows]
    code_of = {r["id"]: r["code"] for r in initiatives}

    def children(model: Any, fields: tuple[str, ...], order: tuple[str, ...]) -> list[dict]:
        if not code_of:
            return []
        stmt = (
            select(model.initiative_id, *[getattr(model, f) for f in fields])
            .where(model.initiative_id.in_(list(code_of)))
            .order_by(model.initiative_id, *[getattr(model, f) for f in order])
        )
        out = []
        for r in _execute(engine, stmt):
            rec = dict(zip(fields, r[1:], strict=True))
            rec["initiative"] = code_of[r[0]]
            out.append(rec)
        return out

    further_rows = _execute(
        engine,
        select(*[getattr(InitiativeFurther, f) for f in _FURTHER_FIELDS])
        .where(InitiativeFurther.vintage_id == vintage_id)
        .order_by(InitiativeFurther.goal, InitiativeFurther.position),
    )
    for r in initiatives:
        r.pop("id")
    return {
        "vintage": dict(zip(_VINTAGE_FIELDS, head[0], strict=True)),
        "initiatives": initiatives,
        "administrations": children(
            InitiativeAdministration, ("position", "administration"), ("position",)
        ),
        "places": children(InitiativePlace, _PLACE_FIELDS, ("place_position", "id")),
        "criteria": children(InitiativeCriterion, ("criterion",), ("id",)),
        "further": [dict(zip(_FURTHER_FIELDS, r, strict=True)) for r in further_rows],
    }


def _count(column: Any) -> Any:
    from sqlalchemy import func

    return func.count(column)


def _execute(engine: Engine | Connection, stmt: Any) -> list:
    if isinstance(engine, Connection):
        return list(engine.execute(stmt).all())
    with engine.connect() as conn:
        return list(conn.execute(stmt).all())
