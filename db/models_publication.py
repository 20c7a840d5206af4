"""Published, disclosure-controlled tables: computed once per data version, read by all.

``keob publish`` (and every successful import, and ``keob seed``) computes what the app,
the API and the exports show (``indicators.services.publish``) and writes it here under a
new :class:`Publication` in one transaction, which also makes it the current one. Readers
take the current publication (or, for ``as_of``, the one made from the data held at that
moment) and read its rows by publication id: they never see a half-written publication,
and never compute disclosure control themselves.

Publications are kept (a few hundred thousand short rows each at Copenhagen scale), so an
earlier one can be reproduced exactly.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base

PUBLICATION_STATUSES = ("current", "superseded")
#: ``published_comparison.vintage`` of a store without designation vintages.
NO_VINTAGE = 0


class Publication(Base):
    """One publication: which data it was made from, under which rules, and when."""

    __tablename__ = "publication"
    __table_args__ = (
        CheckConstraint(
            "status IN ('" + "', '".join(PUBLICATION_STATUSES) + "')", name="status_known"
        ),
        # At most one current publication; the flip happens in the publishing transaction.
        Index(
            "uq_publication_one_current",
            "status",
            unique=True,
            sqlite_where=text("status = 'current'"),
            postgresql_where=text("status = 'current'"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    #: ``db.store.data_version`` of the store the tables were computed from.
    data_version: Mapped[str] = mapped_column(String(200), index=True)
    #: The newest load time among the batches it covers (None for an empty store).
    loaded_through: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    batch_count: Mapped[int] = mapped_column(Integer)
    #: Checksum of the rules the tables were computed under (disclosure, registry).
    rules_checksum: Mapped[str] = mapped_column(String(64))
    #: The designation vintages published, comma-separated ("" for none).
    vintages: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(200))
    rows_written: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class PublishedComparison(Base):
    """One row of ``Monitor.published_comparison(level, vintage)`` of a publication."""

    __tablename__ = "published_comparison"
    __table_args__ = (
        Index("ix_published_comparison_lookup", "publication_id", "level", "indicator", "year"),
    )

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(32), primary_key=True)
    vintage: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The row's place in the computed frame, so a read gives the same order.
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_code: Mapped[str] = mapped_column(String(64))
    area_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    indicator: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    numerator: Mapped[float | None] = mapped_column(Float, nullable=True)
    denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    synthetic: Mapped[bool] = mapped_column(Boolean)
    members_reporting: Mapped[int] = mapped_column(Integer)
    members_total: Mapped[int] = mapped_column(Integer)
    city_numerator: Mapped[float | None] = mapped_column(Float, nullable=True)
    city_denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    rest_numerator: Mapped[float | None] = mapped_column(Float, nullable=True)
    rest_denominator: Mapped[float | None] = mapped_column(Float, nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    rest_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    city_value: Mapped[float | None] = mapped_column(Float, nullable=True)
    gap: Mapped[float | None] = mapped_column(Float, nullable=True)
    gap_ratio: Mapped[float | None] = mapped_column(Float, nullable=True)
    polarity: Mapped[int] = mapped_column(SmallInteger)
    direction: Mapped[int] = mapped_column(SmallInteger)
    suppressed: Mapped[bool] = mapped_column(Boolean)
    suppression: Mapped[str] = mapped_column(String(16))
    suppression_rule: Mapped[str] = mapped_column(String(32))
    rest_suppressed: Mapped[bool] = mapped_column(Boolean)
    rest_suppression: Mapped[str] = mapped_column(String(16))
    city_suppressed: Mapped[bool] = mapped_column(Boolean)


class PublishedFrame(Base):
    """A small derived table of a publication kept whole (e.g. the classified state lists).

    Stored as Parquet: the frame is read whole, has dozens of rule-dependent columns, and
    Parquet keeps every dtype, so the read equals what was computed.
    """

    __tablename__ = "published_frame"

    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publication.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    rows: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)
