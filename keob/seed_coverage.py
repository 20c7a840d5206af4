"""Facilities into the store and coverage indicators out of it.

``seed_coverage`` is what ``keob seed`` runs: load the shipped facility layers, then
``compute_coverage``. ``keob import facilities`` and ``keob coverage compute`` call the
two halves separately, so a newly imported layer is picked up by the next compute.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Engine

from db import air_quality_store, facility_store, store
from indicators import air_quality as air_mod
from indicators import coverage as cov
from indicators import noise as noise_mod
from indicators import residents_grid as rg
from indicators.importers.facilities import facility_rows
from indicators.registry import load_registry

log = logging.getLogger(__name__)

Progress = Callable[[str], None]

POPULATION_INDICATOR = "befolkning"
BASE_LEVEL = "rode"


@dataclass
class CoverageSummary:
    """What one compute did, with the city-wide shares for the log and the report."""

    year: int
    synthetic_population: bool
    cells: int
    cell_method: str
    distance_method: str
    observations_written: int
    observations_unchanged: int
    facilities_loaded: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    shares: pd.DataFrame | None = None


def _step(progress: Progress | None) -> Progress:
    return progress or (lambda message: log.info(message))


def import_facilities(
    engine: Engine,
    frame: gpd.GeoDataFrame,
    *,
    file_name: str,
    checksum: str,
    note: str | None = None,
) -> int:
    """Replace the facilities of the frame's kinds with its rows, in one batch."""
    return facility_store.load_facilities(
        engine, facility_rows(frame), file_name=file_name, checksum=checksum, note=note
    )


def load_shipped_facilities(engine: Engine, progress: Progress | None = None) -> int:
    """Load every shipped facility layer (:data:`indicators.coverage.SHIPPED_KINDS`)."""
    step = _step(progress)
    step("Læser faciliteter (legepladser, biblioteker, kulturhuse, idræt, parker, vand, service)")
    frame = cov.load_shipped_facilities()
    files = [cov.FACILITY_KINDS[k].file for k in cov.SHIPPED_KINDS]
    digest = store.frame_checksum(
        pd.DataFrame({"f": [store.file_checksum(cov.DATA_DIR / f) for f in files if f]})
    )
    return import_facilities(
        engine,
        frame,
        file_name=" + ".join(Path(f).name for f in files if f),
        checksum=digest,
        note=(
            "Faciliteter fra Københavns Kommunes åbne data (CC BY 4.0; parker fra 2014), "
            "OpenStreetMap (© OpenStreetMap contributors, ODbL) og syntetiske lægepraksisser"
        ),
    )


def load_shipped_air_quality(engine: Engine, progress: Progress | None = None) -> int:
    """Load the shipped (synthetic demo) air-quality layers of ``data/coverage.yaml``."""
    from indicators.services.imports import import_air_quality_file

    written = 0
    for code, pollutant in cov.POLLUTANTS.items():
        if not pollutant.file:
            continue
        demo = " (SYNTETISKE demodata)" if pollutant.synthetic else ""
        _step(progress)(f"Læser luftkvalitet {pollutant.short}{demo}")
        report = import_air_quality_file(
            engine,
            cov.DATA_DIR / pollutant.file,
            pollutant=code,
            crs=pollutant.crs,
            value_field=pollutant.value_field,
            year=pollutant.year,
            source=pollutant.source,
            synthetic=pollutant.synthetic,
        )
        written += report.written
    return written


def air_exposure(
    engine: Engine, cells: pd.DataFrame, progress: Progress | None = None
) -> tuple[dict[str, np.ndarray], dict[str, str], set[str]]:
    """Each cell's concentration per stored pollutant, the layers' sources and the
    pollutants whose stored layer is synthetic."""
    points = air_quality_store.read_air_quality(engine)
    values: dict[str, np.ndarray] = {}
    sources: dict[str, str] = {}
    synthetic: set[str] = set()
    for code, layer in points.groupby("pollutant", sort=True):
        pollutant = cov.POLLUTANTS.get(str(code))
        if pollutant is None:
            continue
        values[str(code)] = air_mod.concentration_at(cells, layer, pollutant.max_distance_m)
        sources[str(code)] = (
            str(layer["source"].dropna().iloc[0]) if layer["source"].notna().any() else ""
        )
        if layer["synthetic"].any():
            synthetic.add(str(code))
        outside = np.isnan(values[str(code)])
        if outside.any():
            _step(progress)(
                f"Bemærk: {cells.loc[outside, 'residents'].sum():,.0f} beboere har ingen "
                f"{pollutant.short}-værdi inden for {pollutant.max_distance_m:g} m og tælles "
                "som ikke udsatte"
            )
    return values, sources, synthetic


def synthetic_facility_kinds(facilities: pd.DataFrame) -> set[str]:
    """Kinds whose stored layer is the shipped synthetic demo layer (same source text)."""
    out = set()
    for code, kind in cov.FACILITY_KINDS.items():
        if not kind.synthetic:
            continue
        stored = facilities.loc[facilities["kind"] == code, "source"]
        if len(stored) and (stored == kind.source).all():
            out.add(code)
    return out


def _roder(engine: Engine) -> gpd.GeoDataFrame:
    areas = store.read_areas(engine, levels=[BASE_LEVEL], with_geometry=True)
    areas = areas[areas["geometry_wkb"].notna()]
    if areas.empty:
        raise RuntimeError("the store has no roder with geometry; run `keob seed` first")
    return gpd.GeoDataFrame(
        areas[["code", "name"]],
        geometry=gpd.GeoSeries(shapely.from_wkb(areas["geometry_wkb"].to_numpy()), crs=4326),
    )


def population(engine: Engine, year: int | None = None) -> tuple[int, pd.DataFrame]:
    """The year used and ``area_code, residents, synthetic`` of each rode for that year.

    Default: the latest year with a ``befolkning`` observation.
    """
    obs = store.read_observations(engine, indicators=[POPULATION_INDICATOR], levels=[BASE_LEVEL])
    if obs.empty:
        raise RuntimeError("the store has no befolkning observations; run `keob seed` first")
    chosen = int(obs["year"].max()) if year is None else int(year)
    rows = obs[obs["year"] == chosen]
    if rows.empty:
        years = sorted(obs["year"].unique().tolist())
        raise ValueError(f"no befolkning observations for {chosen}; years with data: {years}")
    frame = rows.rename(columns={"numerator": "residents"})[
        ["area_code", "residents", "synthetic"]
    ].reset_index(drop=True)
    return chosen, frame


def compute_coverage(
    engine: Engine,
    *,
    year: int | None = None,
    thresholds: Mapping[str, float] | None = None,
    cell_m: float = rg.DEFAULT_CELL_M,
    noise_file: str | PathLike[str] | None = noise_mod.NOISE_FILE,
    network_file: str | PathLike[str] | None = None,
    points: gpd.GeoDataFrame | None = None,
    points_weight: str = "weight",
    progress: Progress | None = None,
) -> CoverageSummary:
    """Compute every coverage indicator for every rode and store cells and observations.

    Parameters
    ----------
    year
        Population year (default: the latest ``befolkning`` year in the store). The
        observations are stored under it and flagged synthetic where the population
        they are weighted with is synthetic.
    thresholds
        Overrides, e.g. ``{"legeplads": 400}`` (see
        :func:`indicators.coverage.specs_with_thresholds`).
    cell_m
        Resident grid spacing in metres (ignored with ``points``).
    noise_file
        The Lden grid; ``None`` skips the noise indicators.
    network_file
        A street/path line layer: distances along it instead of straight lines.
    points
        User-supplied weighted resident points (address points, DST 100 m grid) instead
        of the even spread; rescaled per rode to the registered residents.
    """
    step = _step(progress)
    timer: dict[str, float] = {}
    t0 = time.perf_counter()
    specs = cov.specs_with_thresholds(thresholds)
    registry = load_registry()
    missing = [s.indicator for s in specs if s.indicator not in registry]
    if missing:
        raise RuntimeError(f"coverage indicators missing from data/criteria.yaml: {missing}")

    year, pop = population(engine, year)
    synthetic_pop = bool(pop["synthetic"].any())
    residents = pop.set_index("area_code")["residents"]
    roder = _roder(engine)
    facilities = cov.facilities_from_wkb(facility_store.read_facilities(engine))
    if facilities.empty:
        raise RuntimeError(
            "the store has no facilities; run `keob seed` or `keob import facilities`"
        )
    timer["read"] = time.perf_counter() - t0

    t = time.perf_counter()
    if points is None:
        step(f"Fordeler beboerne ({year}) på boligarealet i hver rode (gitter {cell_m:g} m)")
        exclude = rg.exclusion_tree(facilities[facilities["kind"].isin(cov.NON_RESIDENTIAL_KINDS)])
        cells = rg.grid_cells(roder, residents, exclude, cell_m)
    else:
        step(f"Placerer beboerne ({year}) på {len(points):,} brugerleverede punkter")
        cells = rg.cells_from_points(points, roder, points_weight, residents)
    timer["cells"] = time.perf_counter() - t

    t = time.perf_counter()
    network = None
    if network_file is not None:
        from indicators.walk_network import WalkNetwork

        step(f"Læser stinet fra {Path(network_file).name}")
        network = WalkNetwork.read(network_file)
    step(f"Beregner afstande for {len(cells):,} beboerceller til {len(cov.TARGETS)} slags mål")
    geometries = cov.target_geometries(facilities, cov.TARGETS)
    distances = cov.distance_table(cells, geometries, network=network)
    timer["distances"] = time.perf_counter() - t

    t = time.perf_counter()
    noise_db = None
    if noise_file is not None:
        grid = noise_mod.load_noise_grid(noise_file)
        west, south, east, north = roder.total_bounds
        grid = grid.clip(west - 0.01, south - 0.01, east + 0.01, north + 0.01)
        noise_db = cov.noise_bands(cells, grid)
        outside = np.isnan(noise_db)
        if outside.any():
            step(
                f"Bemærk: {cells.loc[outside, 'residents'].sum():,.0f} beboere ligger uden for "
                "støjkortet og tælles som ikke støjbelastede"
            )
    cells = cells.assign(noise_db=noise_db if noise_db is not None else np.nan)
    air, air_sources, air_synthetic = air_exposure(engine, cells, step)
    timer["noise"] = time.perf_counter() - t

    t = time.perf_counter()
    counts = cov.coverage_counts(cells, distances, noise_db, year, specs, residents, air)
    flags = pop.set_index("area_code")["synthetic"]
    counts["synthetic"] = counts["area_code"].map(flags).fillna(False).astype(bool)
    # Demo layers make their indicators demo data, whatever the population.
    demo_targets = air_synthetic | {
        code for code, t in cov.TARGETS.items() if t.kind in synthetic_facility_kinds(facilities)
    }
    demo_specs = {s.indicator for s in specs if s.target in demo_targets}
    counts.loc[counts["indicator"].isin(demo_specs), "synthetic"] = True
    sources = {k: v.source for k, v in cov.FACILITY_KINDS.items()}
    sources.update(facilities.groupby("kind")["source"].first().dropna().astype(str).to_dict())
    sources.update({k: v for k, v in air_sources.items() if v})
    pop_note = f"befolkning {year}" + (" (demodata)" if synthetic_pop else "")
    by_spec = {
        s.indicator: cov.source_text(
            s, sources, cells.attrs.get("method", "grid"), distances.attrs["method"], pop_note
        )
        for s in specs
    }
    counts["source"] = counts["indicator"].map(by_spec)
    timer["indicators"] = time.perf_counter() - t

    t = time.perf_counter()
    step(f"Skriver {len(counts):,} dækningsobservationer og {len(cells):,} beboerceller")
    note = (
        f"Dækning og støj: {len(specs)} indikatorer, tærskler "
        + ", ".join(f"{s.indicator}={s.threshold:g}{s.unit}" for s in specs)
        + f"; beboere {cells.attrs.get('method')}; afstand {distances.attrs['method']}"
        + ("; befolkningen er demodata" if synthetic_pop else "")
    )
    with engine.begin() as conn:
        store.sync_indicators(conn, [vars(i) for i in registry.values()])
        batch = store.create_batch(
            conn,
            kind="coverage",
            file_name="indicators/coverage.py (keob coverage compute)",
            checksum=store.frame_checksum(counts[["area_code", "indicator", "numerator"]]),
            rows_in_file=len(counts),
            note=note[:2000],
        )
        result = store.write_observations(conn, counts, batch)
        facility_store.replace_coverage_cells(
            conn,
            cells,
            distances,
            batch_id=batch,
            year=year,
            cell_method=str(cells.attrs.get("method", "grid")),
            distance_method=str(distances.attrs["method"]),
            note=note[:2000],
        )
        store.finish_batch(conn, batch, written=result.written, unchanged=result.unchanged)
    timer["write"] = time.perf_counter() - t
    timer["total"] = time.perf_counter() - t0

    shares = counts.groupby("indicator")[["numerator", "denominator"]].sum()
    shares["share_pct"] = 100 * shares["numerator"] / shares["denominator"]
    return CoverageSummary(
        year=year,
        synthetic_population=synthetic_pop,
        cells=len(cells),
        cell_method=str(cells.attrs.get("method")),
        distance_method=str(distances.attrs["method"]),
        observations_written=result.written,
        observations_unchanged=result.unchanged,
        seconds=timer,
        shares=shares.reset_index(),
    )


def seed_coverage(engine: Engine, progress: Progress | None = None) -> CoverageSummary:
    """Load the shipped facility layers and compute the coverage indicators.

    Needs the areas and the ``befolkning`` observations (``keob seed`` loads them first).
    """
    loaded = load_shipped_facilities(engine, progress)
    load_shipped_air_quality(engine, progress)
    summary = compute_coverage(engine, progress=progress)
    summary.facilities_loaded = loaded
    return summary
