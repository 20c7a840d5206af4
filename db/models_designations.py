"""Designations over time: state-list memberships per list year and area geometry per vintage.

Copenhagen re-designates its udsatte byområder every four years (2017, 2021, 2025 ...)
and the state publishes its lists every 1 December. Both are kept per year so that a
series can be shown for an area as designated *then* or as designated *now*:

* ``area_membership.vintage`` (db/models.py) says which roder made up an aggregate in a
  designation vintage;
* :class:`AreaVersion` keeps the geometry (and name) each vintage gave an area, so
  importing the 2025 designation does not lose the 2021 outline;
* :class:`StateListMembership` records that an area was on a state list (udsat,
  parallelsamfund, ...) in a list year. A re-import of a list year retires the rows it
  replaces instead of deleting them (``retired_batch_id``), so "as of" reads reproduce
  what the store held then.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base

#: State-list categories. ``ghetto`` and ``haard_ghetto`` are the pre-2021 names of
#: ``parallelsamfund`` and ``omdannelse`` (L 23, 2021) and are kept for historical lists.
STATE_LIST_CATEGORIES = (
    "udsat",
    "parallelsamfund",
    "omdannelse",
    "forebyggelse",
    "ghetto",
    "haard_ghetto",
)


class StateListMembership(Base):
    """An area on a state list (almenboligloven § 61 a/b) published 1 December ``list_year``."""

    __tablename__ = "state_list_membership"
    __table_args__ = (
        CheckConstraint(
            "category IN ('" + "', '".join(STATE_LIST_CATEGORIES) + "')",
            name="category_known",
        ),
        CheckConstraint("list_year BETWEEN 1990 AND 2100", name="list_year_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    list_year: Mapped[int] = mapped_column(Integer, index=True)
    category: Mapped[str] = mapped_column(String(32))
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)
    # The batch that replaced this row (a later import of the same list year); NULL while
    # the row is current. Rows are never deleted.
    retired_batch_id: Mapped[int | None] = mapped_column(ForeignKey("load_batch.id"), nullable=True)


class AreaVersion(Base):
    """The name and geometry (WKB, EPSG:4326) an area had in one designation vintage."""

    __tablename__ = "area_version"
    __table_args__ = (UniqueConstraint("area_id", "vintage"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    vintage: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    geometry_wkb: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("load_batch.id"), nullable=True)
