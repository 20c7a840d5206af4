"""Facilities and precomputed coverage: the tables behind the Dækning page.

``facility``           one row per facility (playground, library, park polygon …) with its
                       kind, name, source and year; geometry as WKB in EPSG:4326 on every
                       engine, plus a PostGIS column generated from it on PostgreSQL.
``coverage_run``       one row per ``keob coverage compute``: population year, how residents
                       were placed and how distances were measured.
``coverage_cell``      the resident cells of the current run: rode, centre (EPSG:25832),
                       residents, noise band.
``coverage_distance``  per run and target, every cell's distance to the nearest facility
                       (a float32 array in cell order), so any threshold is a filter, not a
                       recomputation.
``air_quality_point`` the points of the loaded air-quality layers (pollutant, EPSG:25832
                       position, annual mean concentration, synthetic flag).

The indicators themselves are ordinary ``observation`` rows (db/models.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models import Base


class Facility(Base):
    """A facility or green/blue area from a loaded layer."""

    __tablename__ = "facility"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str | None] = mapped_column(String(100), nullable=True)
    municipality: Mapped[str | None] = mapped_column(String(100), nullable=True)
    source: Mapped[str | None] = mapped_column(String(500), nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # WKB in EPSG:4326; on PostgreSQL a generated PostGIS column ``geom`` mirrors it.
    geometry_wkb: Mapped[bytes] = mapped_column(LargeBinary)
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)


class CoverageRun(Base):
    """How one set of resident cells and distances was produced."""

    __tablename__ = "coverage_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    year: Mapped[int] = mapped_column(Integer)
    cell_method: Mapped[str] = mapped_column(String(64))
    distance_method: Mapped[str] = mapped_column(String(16))
    cells: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)


class CoverageCell(Base):
    """A resident cell (or address point): where some of a rode's residents live."""

    __tablename__ = "coverage_cell"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("coverage_run.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    x: Mapped[float] = mapped_column(Float)  # EPSG:25832 easting (m)
    y: Mapped[float] = mapped_column(Float)  # EPSG:25832 northing (m)
    residents: Mapped[float] = mapped_column(Float)
    # Lower edge of the Lden band at the cell (dB); 0 = no mapped band; NULL = off the map.
    noise_db: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


class CoverageDistance(Base):
    """Every current cell's distance to the nearest facility of one target, as an array.

    ``distances_f32`` holds one little-endian ``float32`` per cell of the run, in the
    order of ``coverage_cell.id`` (metres; ``inf`` = no facility reachable). One row per
    run and target keeps the precomputed distances compact (~0.4 MB per target for the
    whole city) and lets the app load them in milliseconds; per-cell rows would be
    ~700,000 rows for the seven default targets.
    """

    __tablename__ = "coverage_distance"

    run_id: Mapped[int] = mapped_column(ForeignKey("coverage_run.id"), primary_key=True)
    target: Mapped[str] = mapped_column(String(32), primary_key=True)
    cells: Mapped[int] = mapped_column(Integer)
    distances_f32: Mapped[bytes] = mapped_column(LargeBinary)


class AirQualityPoint(Base):
    """One point of a loaded air-quality layer: annual mean concentration of a pollutant.

    A grid layer is stored as its cell centres. Loading a layer replaces every point of
    its pollutant (``keob import air-quality``); the load batch keeps the history.
    """

    __tablename__ = "air_quality_point"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pollutant: Mapped[str] = mapped_column(String(16), index=True)
    x: Mapped[float] = mapped_column(Float)  # EPSG:25832 easting (m)
    y: Mapped[float] = mapped_column(Float)  # EPSG:25832 northing (m)
    concentration: Mapped[float] = mapped_column(Float)  # annual mean, µg/m³
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    source: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Made-up demo data (the shipped layer), so the indicators computed from it are too.
    synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    batch_id: Mapped[int] = mapped_column(ForeignKey("load_batch.id"), index=True)
