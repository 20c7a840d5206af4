"""SQLAlchemy models of the indicator store.

The store is deliberately narrow and long: one row per area x indicator x year x revision,
with the counts (numerator and denominator) rather than rates, so every level and every
"rest of the city" can be recomputed exactly by summing counts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints from day one: batch migrations on SQLite and drop_constraint need names.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

AREA_LEVELS = (
    "rode",
    "kvarter",
    "bydel",
    "lokaludvalg",
    "udsat_byomraade",
    "boligomraade",
    "city",
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class LoadBatch(Base):
    """One import: a file (or the shipped seed), when, by whom, and what it did."""

    __tablename__ = "load_batch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(500))
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    loaded_by: Mapped[str] = mapped_column(String(200))
    rows_in_file: Mapped[int] = mapped_column(Integer, default=0)
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Provenance added by migration 0002: the importer's format ("long", "statbank",
    # "geo", "state-lists") and, for statbank files, the checksum of the mapping used.
    source_format: Mapped[str | None] = mapped_column(String(32), nullable=True)
    mapping_checksum: Mapped[str | None] = mapped_column(String(64), nullable=True)


class Area(Base):
    """Any geography: a rode (the base unit) or an aggregate of roder, or a boligområde."""

    __tablename__ = "area"
    __table_args__ = (
        CheckConstraint(
            "level IN ('" + "', '".join(AREA_LEVELS) + "')",
            name="level_known",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(32), index=True)
    # Portable geometry: WKB in EPSG:4326 on every engine. On PostgreSQL a PostGIS column
    # generated from it (added by the migrations) serves spatial queries.
    geometry_wkb: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("load_batch.id"), nullable=True)


class AreaMembership(Base):
    """Which base units (roder) make up an aggregate area, per vintage.

    A vintage is the year a geography or designation took effect (e.g. 2021 for the
    designation of the udsatte byområder in force until 2025).
    """

    __tablename__ = "area_membership"
    __table_args__ = (UniqueConstraint("aggregate_id", "member_id", "vintage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aggregate_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    vintage: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("load_batch.id"), nullable=True)


class Indicator(Base):
    """Mirror of the registry (data/criteria.yaml) so observations have a foreign key."""

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint("polarity IN (-1, 0, 1)", name="polarity_known"),
        CheckConstraint("basis IN ('register', 'survey')", name="basis_known"),
    )

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(16))
    decimals: Mapped[int] = mapped_column(SmallInteger)
    polarity: Mapped[int] = mapped_column(SmallInteger)
    basis: Mapped[str] = mapped_column(String(16))


class Observation(Base):
    """A yearly value as counts; revisions are appended, never overwritten."""

    __tablename__ = "observation"
    __table_args__ = (
        UniqueConstraint("area_id", "indicator_code", "year", "revision"),
        CheckConstraint("denominator >= 0", name="denominator_non_negative"),
        CheckConstraint("numerator >= 0", name="numerator_non_negative"),
        CheckConstraint("revision >= 1", name="revision_positive"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No index of its own: the unique key above starts with area_id and serves lookups
    # by area (migration 0008 dropped the redundant one, which slowed every import).
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicator.code"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    numerator: Mapped[float] = mapped_column(Float)
    denominator: Mapped[float] = mapped_column(Float)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(500), nullable=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)
    # The line of the batch's file the value came from (migration 0002; NULL for seeds).
    source_line: Mapped[int | None] = mapped_column(Integer, nullable=True)
