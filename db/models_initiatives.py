"""The action plan's initiatives: one register per plan vintage.

A vintage ("2027-2028", "2029-2030", ...) is loaded all-or-nothing by
:func:`db.initiatives_store.load_vintage`. Re-importing a vintage never deletes: the new
load gets its own :class:`InitiativeVintage` row and the one it replaces is retired
(``retired_batch_id``), so earlier loads stay readable.

Area codes are kept as text, not as foreign keys to ``area``: a register is a historical
document and must stay loadable after the geography changes. The importer checks every
code against ``area`` at load time.

The allowed administration and focus-area codes are repeated here (the store cannot
import ``indicators``); ``tests/test_initiatives_store.py`` checks that they agree with
``indicators.initiatives``.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base

ADMINISTRATION_CODES = ("BIF", "BUF", "KFF", "KTF", "SOF", "SUF", "ØKF")
FOCUS_AREA_CODES = ("tvaers", "arbejde", "trivsel", "boern", "rammer", "rekreativ", "tryg")
PLACE_SOURCES = ("tekst", "forklaring", "afledt")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ('" + "', '".join(values) + "')"


class InitiativeVintage(Base):
    """One load of one plan vintage (the current one has ``retired_batch_id`` NULL)."""

    __tablename__ = "initiative_vintage"
    __table_args__ = (CheckConstraint("start_year <= end_year", name="years_ordered"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vintage: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(Text)
    source_file: Mapped[str | None] = mapped_column(String(300), nullable=True)
    start_year: Mapped[int] = mapped_column(Integer)
    end_year: Mapped[int] = mapped_column(Integer)
    criteria_judgement: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    checksum: Mapped[str] = mapped_column(String(64))
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)
    retired_batch_id: Mapped[int | None] = mapped_column(ForeignKey("load_batch.id"), nullable=True)


class InitiativeEntry(Base):
    """An initiative of a vintage, as the plan states it (plus the project's title)."""

    __tablename__ = "initiative"
    __table_args__ = (
        UniqueConstraint("vintage_id", "code"),
        CheckConstraint("goal IN (1, 2)", name="goal_known"),
        CheckConstraint(_in("focus_area", FOCUS_AREA_CODES), name="focus_area_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vintage_id: Mapped[int] = mapped_column(ForeignKey("initiative_vintage.id"), index=True)
    code: Mapped[str] = mapped_column(String(16))
    position: Mapped[int] = mapped_column(Integer)
    goal: Mapped[int] = mapped_column(SmallInteger)
    focus_area: Mapped[str] = mapped_column(String(16))
    funded: Mapped[bool] = mapped_column(Boolean)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    administrations_text: Mapped[str | None] = mapped_column(String(100), nullable=True)
    explanation: Mapped[str] = mapped_column(Text)
    criteria_reason: Mapped[str] = mapped_column(Text)
    period_start: Mapped[int | None] = mapped_column(Integer, nullable=True)
    period_end: Mapped[int | None] = mapped_column(Integer, nullable=True)
    period_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class InitiativeAdministration(Base):
    """A responsible administration of an initiative, in the plan's order."""

    __tablename__ = "initiative_administration"
    __table_args__ = (
        UniqueConstraint("initiative_id", "administration"),
        CheckConstraint(_in("administration", ADMINISTRATION_CODES), name="administration_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    position: Mapped[int] = mapped_column(SmallInteger)
    administration: Mapped[str] = mapped_column(String(8))


class InitiativePlace(Base):
    """A place an initiative names, one row per area code the place is mapped to."""

    __tablename__ = "initiative_place"
    __table_args__ = (
        UniqueConstraint("initiative_id", "place_position", "area_code"),
        CheckConstraint(_in("source", PLACE_SOURCES), name="source_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    place_position: Mapped[int] = mapped_column(SmallInteger)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(16))
    area_code: Mapped[str] = mapped_column(String(64), index=True)
    start_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    end_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    period_text: Mapped[str | None] = mapped_column(String(200), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class InitiativeCriterion(Base):
    """A criterion the project judges the initiative to influence (not the plan's claim)."""

    __tablename__ = "initiative_criterion"
    __table_args__ = (UniqueConstraint("initiative_id", "criterion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id"), index=True)
    criterion: Mapped[str] = mapped_column(ForeignKey("indicator.code"))


class InitiativeFurther(Base):
    """An entry of the plan's lists of "further initiatives" (named only)."""

    __tablename__ = "initiative_further"
    __table_args__ = (
        UniqueConstraint("vintage_id", "goal", "position"),
        CheckConstraint("goal IN (1, 2)", name="goal_known"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vintage_id: Mapped[int] = mapped_column(ForeignKey("initiative_vintage.id"), index=True)
    goal: Mapped[int] = mapped_column(SmallInteger)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    area_codes: Mapped[str | None] = mapped_column(String(500), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
