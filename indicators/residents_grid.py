"""Where residents live: resident points ("cells") with weights, per rode.

Pure geopandas/shapely/numpy: no Dash, Plotly, Flask or SQLAlchemy here.

No address-level population ships with KEOB, so the default is the most honest spread
available: each rode's residents (its latest ``befolkning`` count) are spread evenly
over the rode's *residential land*, i.e. the rode minus parks and water, sampled on a
regular grid (25 m cells in EPSG:25832 by default). Every cell centre inside the rode
and outside every park and water polygon gets an equal share of the rode's residents.

This is an assumption, and it has known biases (docs/coverage.md): streets, railway
land, industry and harbour land count as "residential"; dense blocks and villa areas in
the same rode get the same density. It is replaceable: :func:`cells_from_points` takes
any weighted points (address points with dwelling counts, Statistics Denmark's 100 m
grid "kvadratnet" with resident counts) and returns the same cell frame, optionally
rescaled so each rode's cells add up to its registered residents.

The cell frame
--------------
``area_code`` (the rode code, ``R{rode_nr}``), ``x``, ``y`` (EPSG:25832 metres),
``residents`` (float; the cells of a rode add up to its residents). ``frame.attrs``
carries ``method`` (e.g. ``"grid-25m"`` or ``"points"``), ``crs`` and ``fallback`` (the
rode codes whose residents had to be placed without residential land; see below).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

logger = logging.getLogger(__name__)

METRIC_CRS = "EPSG:25832"
DEFAULT_CELL_M = 25.0
CELL_COLUMNS = ["area_code", "x", "y", "residents"]


def _require_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> None:
    if gdf.crs is None:
        raise ValueError(f"{what} has no CRS; set one explicitly (metric work is EPSG:25832)")


def _metric(gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str):  # type: ignore[no-untyped-def]
    _require_crs(gdf, what)
    return gdf if gdf.crs == METRIC_CRS else gdf.to_crs(METRIC_CRS)


def _empty_cells(method: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "area_code": pd.Series(dtype=object),
            "x": pd.Series(dtype=float),
            "y": pd.Series(dtype=float),
            "residents": pd.Series(dtype=float),
        }
    )
    frame.attrs.update(method=method, crs=METRIC_CRS, fallback=[])
    return frame


def exclusion_tree(*layers: gpd.GeoDataFrame | gpd.GeoSeries | None) -> shapely.STRtree:
    """An STRtree over the non-residential polygons (parks, water …) in EPSG:25832."""
    geoms: list[np.ndarray] = []
    for i, layer in enumerate(layers):
        if layer is None or len(layer) == 0:
            continue
        series = layer.geometry if isinstance(layer, gpd.GeoDataFrame) else layer
        series = _metric(series, f"exclusion layer #{i + 1}")
        values = series.to_numpy()
        values = values[~(pd.isna(values) | shapely.is_empty(values))]
        values = shapely.make_valid(values)
        geoms.append(values[shapely.area(values) > 0])
    return shapely.STRtree(np.concatenate(geoms) if geoms else np.array([], dtype=object))


def grid_points(geom: object, cell_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Centres of the global ``cell_m`` grid (origin 0, 0) that fall inside ``geom``."""
    minx, miny, maxx, maxy = shapely.bounds(geom)
    xs = np.arange(np.floor(minx / cell_m), np.ceil(maxx / cell_m)) * cell_m + cell_m / 2
    ys = np.arange(np.floor(miny / cell_m), np.ceil(maxy / cell_m)) * cell_m + cell_m / 2
    if xs.size == 0 or ys.size == 0:
        return np.empty(0), np.empty(0)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    shapely.prepare(geom)
    inside = shapely.contains_xy(geom, gx, gy)
    return gx[inside], gy[inside]


def _excluded(tree: shapely.STRtree, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Points inside (or on the edge of) any polygon of ``tree``."""
    mask = np.zeros(xs.size, dtype=bool)
    if len(tree) == 0 or xs.size == 0:
        return mask
    # Query the polygons against a tree of the points: the polygons are then the prepared
    # side of the predicate, about 40 times faster than points against polygons.
    polygons = tree.geometries
    hits = shapely.STRtree(shapely.points(xs, ys)).query(polygons, predicate="intersects")
    mask[hits[1]] = True
    return mask


def grid_cells(
    roder: gpd.GeoDataFrame,
    residents: Mapping[str, float] | pd.Series,
    exclude: shapely.STRtree | None = None,
    cell_m: float = DEFAULT_CELL_M,
) -> pd.DataFrame:
    """Spread each rode's residents evenly over its residential land on a regular grid.

    Parameters
    ----------
    roder
        Base areas with ``code`` and a polygonal geometry (any CRS, reprojected to
        EPSG:25832).
    residents
        Residents per rode code. Roder missing here get no cells.
    exclude
        Non-residential polygons (:func:`exclusion_tree` of parks and water); ``None``
        spreads over the whole rode.
    cell_m
        Grid spacing in metres. The grid is global (cell centres at odd multiples of
        ``cell_m / 2``), so neighbouring roder share one lattice.

    Returns
    -------
    pandas.DataFrame
        The cell frame (module docstring), ``attrs["method"] = "grid-{cell_m}m"``.

    Notes
    -----
    A cell belongs to the rode containing its centre; where roder overlap (the 2023
    layer has slivers of at most 15 m²) the first rode in code order keeps it. A rode
    whose residential land holds no cell centre keeps all its cell centres (its
    residents must live somewhere in it); a rode smaller than one cell gets one cell at
    its representative point. Both cases are listed in ``attrs["fallback"]``.
    """
    if cell_m <= 0:
        raise ValueError(f"cell_m must be positive, got {cell_m}")
    _require_columns(roder, ("code",), "roder")
    metric = _metric(roder, "roder")
    pops = pd.Series(residents, dtype=float)
    method = f"grid-{cell_m:g}m"
    tree = exclude if exclude is not None else shapely.STRtree(np.array([], dtype=object))

    codes: list[str] = []
    geoms: list[object] = []
    parts_x, parts_y, parts_rode = [], [], []
    order = np.argsort(metric["code"].to_numpy().astype(str), kind="stable")
    for pos in order:
        code = str(metric["code"].iat[pos])
        geom = metric.geometry.iat[pos]
        if code not in pops.index or pd.isna(pops[code]) or geom is None or geom.is_empty:
            continue
        xs, ys = grid_points(geom, cell_m)
        parts_x.append(xs)
        parts_y.append(ys)
        parts_rode.append(np.full(xs.size, len(codes)))
        codes.append(code)
        geoms.append(geom)
    if not codes:
        return _empty_cells(method)
    xs, ys, rode = np.concatenate(parts_x), np.concatenate(parts_y), np.concatenate(parts_rode)
    # A centre inside two overlapping roder stays with the first rode in code order.
    ix = np.round(xs / cell_m * 2).astype(np.int64)
    iy = np.round(ys / cell_m * 2).astype(np.int64)
    key = ix * 100_000_000 + iy
    _, first = np.unique(key, return_index=True)
    first = np.sort(first)
    xs, ys, rode = xs[first], ys[first], rode[first]
    excluded = _excluded(tree, xs, ys)
    land = ~excluded
    has_land = np.bincount(rode[land], minlength=len(codes)) > 0
    keep = land | ~has_land[rode]  # roder without residential land keep all their cells
    xs, ys, rode = xs[keep], ys[keep], rode[keep]
    fallback = [codes[i] for i in np.flatnonzero(~has_land)]
    present = np.bincount(rode, minlength=len(codes)) > 0
    extra_x, extra_y, extra_r = [], [], []
    for i in np.flatnonzero(~present):  # smaller than one cell: its representative point
        point = geoms[i].representative_point()
        extra_x.append(point.x)
        extra_y.append(point.y)
        extra_r.append(i)
    if extra_r:
        xs = np.concatenate([xs, extra_x])
        ys = np.concatenate([ys, extra_y])
        rode = np.concatenate([rode, np.asarray(extra_r, dtype=rode.dtype)])
    n_cells = np.bincount(rode, minlength=len(codes))
    totals = pops.reindex(codes).to_numpy(dtype=float)
    code_arr = np.asarray(codes, dtype=object)
    frame = pd.DataFrame(
        {
            "area_code": code_arr[rode],
            "x": xs,
            "y": ys,
            "residents": totals[rode] / n_cells[rode],
        }
    )
    frame = frame.sort_values(["area_code", "y", "x"], kind="stable", ignore_index=True)
    if fallback:
        logger.info("roder without residential land (residents spread over the rode): %s", fallback)
    frame.attrs.update(method=method, crs=METRIC_CRS, fallback=fallback, cell_m=cell_m)
    return frame


def cells_from_points(
    points: gpd.GeoDataFrame,
    roder: gpd.GeoDataFrame,
    weight: str = "weight",
    residents: Mapping[str, float] | pd.Series | None = None,
) -> pd.DataFrame:
    """Resident cells from user-supplied weighted points (address points, DST 100 m grid).

    Parameters
    ----------
    points
        Points (or polygons, e.g. the 100 m "kvadratnet" squares, which are replaced by
        their centroids) with a CRS and a numeric ``weight`` column: residents, dwellings
        or any count proportional to residents.
    roder
        Base areas with ``code``; each point is assigned to the rode containing it.
        Points outside every rode are dropped (and counted in ``attrs["dropped"]``).
    weight
        Name of the weight column.
    residents
        If given, the weights are rescaled within each rode so the rode's cells add up
        to its registered residents (use this when the weights are dwellings or come
        from another year). A rode with residents but no points gets one cell at its
        representative point and is listed in ``attrs["fallback"]``.

    Returns
    -------
    pandas.DataFrame
        The cell frame, ``attrs["method"] = "points"``.
    """
    _require_columns(points, (weight,), "points")
    _require_columns(roder, ("code",), "roder")
    pts = _metric(points, "points")
    metric = _metric(roder, "roder")
    geoms = pts.geometry.to_numpy()
    non_point = ~np.isin(shapely.get_type_id(geoms), [0])
    if non_point.any():
        geoms = geoms.copy()
        geoms[non_point] = shapely.centroid(geoms[non_point])
    w = pd.to_numeric(pts[weight], errors="coerce").to_numpy(dtype=float)
    valid = ~np.isnan(w) & (w >= 0) & ~pd.isna(geoms)
    if (w[~np.isnan(w)] < 0).any():
        raise ValueError(f"negative values in {weight!r}")
    geoms, w = geoms[valid], w[valid]
    tree = shapely.STRtree(metric.geometry.to_numpy())
    pt_idx, rode_idx = tree.query(geoms, predicate="within")
    first = pd.Series(rode_idx).groupby(pt_idx).min()  # a point on a shared border: one rode
    assigned = np.full(geoms.size, -1)
    assigned[first.index.to_numpy()] = first.to_numpy()
    inside = assigned >= 0
    frame = pd.DataFrame(
        {
            "area_code": metric["code"].to_numpy()[assigned[inside]].astype(object),
            "x": shapely.get_x(geoms[inside]),
            "y": shapely.get_y(geoms[inside]),
            "residents": w[inside],
        }
    )
    fallback: list[str] = []
    if residents is not None:
        pops = pd.Series(residents, dtype=float).dropna()
        frame = frame[frame["area_code"].isin(pops.index)].copy()
        totals = frame.groupby("area_code")["residents"].transform("sum")
        share = np.where(totals > 0, frame["residents"] / totals.where(totals > 0, 1), 0.0)
        # Roder whose points all weigh 0 share the residents equally among their points.
        counts = frame.groupby("area_code")["residents"].transform("size")
        share = np.where(totals > 0, share, 1.0 / counts)
        frame["residents"] = share * frame["area_code"].map(pops).to_numpy()
        missing = sorted(set(pops.index[pops > 0]) - set(frame["area_code"]))
        extra = []
        by_code = metric.set_index("code").geometry
        for code in missing:
            if code not in by_code.index:
                continue
            point = by_code[code].representative_point()
            extra.append({"area_code": code, "x": point.x, "y": point.y, "residents": pops[code]})
            fallback.append(code)
        if extra:
            frame = pd.concat([frame, pd.DataFrame(extra)], ignore_index=True)
    frame = frame.reset_index(drop=True)
    frame.attrs.update(
        method="points", crs=METRIC_CRS, fallback=fallback, dropped=int((~inside).sum())
    )
    return frame


def residential_share(cells: pd.DataFrame, roder: gpd.GeoDataFrame) -> pd.Series:
    """Residential land per rode as a share of the rode's area (grid cells only)."""
    cell_m = float(cells.attrs.get("cell_m", DEFAULT_CELL_M))
    land = cells.groupby("area_code").size() * cell_m * cell_m
    area = _metric(roder, "roder").set_index("code").geometry.area
    return (land / area).reindex(area.index).fillna(0.0).clip(upper=1.0)


def _require_columns(df: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}")
