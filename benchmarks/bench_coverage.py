"""Coverage and noise indicators for every rode of Copenhagen from the shipped layers.

Inputs: the 399 roder (kk_rode_2023), their real 2014 populations, the shipped facility
layers (136 playgrounds, 20 libraries, 29 culture houses, 37 swimming/bathing sites,
32 sports halls, 18 pitches, 1,404 park and 366 water polygons) and the 2022 Lden grid,
all read once before timing. The residents are spread on a 25 m grid (quick mode: 50 m).

The floor is one ``shapely.STRtree.query_nearest`` of every resident cell against the 136
playgrounds: the least any nearest-facility computation over the same points can cost.
Measured:

* the whole computation of every stored indicator (resident grid, distances to all seven
  targets, noise bands, per-rode counts): what ``keob coverage compute`` does between
  reading and writing the store;
* its parts: the resident grid, the distances, the noise sampling;
* the app's threshold filter: residents within a new threshold per rode, from the
  precomputed distances (what moving the Dækning slider costs before plotting);
* the noise map layer (the grid polygonised per band at 50 m, once per process).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from benchmarks.harness import Result, compare
from indicators import coverage as cov
from indicators import geography, noise
from indicators import residents_grid as rg
from indicators.importers import real_series


def _inputs(cell_m: float):  # type: ignore[no-untyped-def]
    roder = geography.load_roder(cov.DATA_DIR / "boundaries" / "kk_rode_2023.geojson")
    real = real_series.load_socio_roder(
        cov.DATA_DIR / "statistics" / "kk_socio_roder_2008_2014.csv",
        pd.DataFrame(roder.drop(columns="geometry")),
    )
    pop = real[(real["indicator"] == "befolkning") & (real["year"] == 2014)]
    residents = pop.set_index("area_code")["numerator"]
    facilities = cov.load_shipped_facilities()
    grid = noise.load_noise_grid().clip(*roder.total_bounds)
    return roder, residents, facilities, grid


def run(quick: bool) -> list[Result]:
    cell_m = 50.0 if quick else 25.0
    repeat = 3
    roder, residents, facilities, grid = _inputs(cell_m)
    non_residential = facilities[facilities["kind"].isin(cov.NON_RESIDENTIAL_KINDS)]

    def cells_only() -> pd.DataFrame:
        return rg.grid_cells(roder, residents, rg.exclusion_tree(non_residential), cell_m)

    cells = cells_only()
    geometries = cov.target_geometries(facilities)
    points = shapely.points(cells["x"].to_numpy(), cells["y"].to_numpy())
    playgrounds = geometries["legeplads"]

    def floor() -> object:
        return shapely.STRtree(playgrounds).query_nearest(points, return_distance=True)

    def everything() -> pd.DataFrame:
        c = cells_only()
        d = cov.distance_table(c, cov.target_geometries(facilities))
        n = cov.noise_bands(c, grid)
        return cov.coverage_counts(c, d, n, 2014, residents=residents)

    distances = cov.distance_table(cells, geometries)
    n_cells = f"{len(cells):,} cells of {cell_m:g} m"
    floor_name = f"one STRtree nearest query, {len(cells):,} cells x 136 playgrounds"
    counts = everything()
    shares = counts.groupby("indicator")[["numerator", "denominator"]].sum()
    share = (100 * shares["numerator"] / shares["denominator"]).round(1).to_dict()
    results = [
        compare(
            "every coverage indicator, all roder (grid + 7 distances + noise + counts)",
            everything,
            floor_name,
            floor,
            repeat=repeat,
            data=f"{n_cells}; {len(counts):,} observations",
            city=", ".join(f"{k} {v} %" for k, v in share.items()),
        ),
        compare(
            "resident grid (roder minus parks and water)",
            cells_only,
            floor_name,
            floor,
            repeat=repeat,
            data=n_cells,
        ),
        compare(
            "distances to the 7 targets",
            lambda: cov.distance_table(cells, geometries),
            floor_name,
            floor,
            repeat=repeat,
            data=f"{n_cells}; {len(geometries['groent'])} green areas >= 0.5 ha",
        ),
        compare(
            "noise band at every cell",
            lambda: cov.noise_bands(cells, grid),
            floor_name,
            floor,
            repeat=repeat,
            data=n_cells,
        ),
        compare(
            "threshold filter: residents within 450 m of a playground, per rode",
            lambda: cov.covered_by_rode(cells, distances["legeplads"].to_numpy(), 450.0),
            floor_name,
            floor,
            repeat=repeat,
            data=f"{n_cells}; {cells['area_code'].nunique()} roder",
        ),
        compare(
            "noise map layer (bands >= 58 dB polygonised at 50 m)",
            lambda: noise.band_polygons(grid, 58, block=5, simplify_m=15.0),
            floor_name,
            floor,
            repeat=1,
            data=f"grid {grid.shape[0]:,} x {grid.shape[1]:,}",
        ),
    ]
    assert np.isfinite(distances["bibliotek"]).all()
    return results
