"""Air pollution per resident cell: the nearest concentration point's annual mean.

Pure numpy/shapely/pandas: no Dash, Plotly, Flask or SQLAlchemy here.

A concentration layer (``keob import air-quality``) is a set of points in EPSG:25832 with
an annual mean concentration in µg/m³: the centres of a model grid (e.g. 250 m cells) or
receptor points. Each resident cell (``indicators.residents_grid``) takes the value of
the nearest point within the pollutant's ``max_distance_m`` (``data/coverage.yaml``);
for a regular grid that is the value of the grid cell the resident lives in. Cells with
no point that near get NaN and count as not exposed (the compute reports how many
residents that is). The share above a threshold per rode is then
:func:`indicators.coverage.coverage_counts` with the pollutant's specs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

#: Columns of a concentration layer as the store holds it.
POINT_COLUMNS = ["pollutant", "x", "y", "concentration"]


def concentration_at(
    cells: pd.DataFrame, points: pd.DataFrame, max_distance_m: float
) -> np.ndarray:
    """Each cell's concentration: the value of the nearest point within ``max_distance_m``.

    ``cells`` and ``points`` have ``x, y`` in EPSG:25832 (``points`` also
    ``concentration``). Returns a float array aligned with ``cells``; NaN where no point
    lies within ``max_distance_m``. Ties (a cell exactly between points) take the higher
    concentration, so an exposure is never understated by the order of the points.
    """
    out = np.full(len(cells), np.nan)
    if points.empty or cells.empty:
        return out
    tree = shapely.STRtree(
        shapely.points(points["x"].to_numpy(dtype=float), points["y"].to_numpy(dtype=float))
    )
    centres = shapely.points(cells["x"].to_numpy(dtype=float), cells["y"].to_numpy(dtype=float))
    cell_idx, point_idx = tree.query_nearest(
        centres, max_distance=float(max_distance_m), all_matches=True
    )
    values = points["concentration"].to_numpy(dtype=float)
    best = pd.Series(values[point_idx]).groupby(cell_idx).max()
    out[best.index.to_numpy()] = best.to_numpy()
    return out
