"""Parsers of an air-quality concentration layer: ``keob import air-quality``.

Two formats, both points with an annual mean concentration (µg/m³) of one pollutant:

* ``csv``: columns ``x``, ``y`` (names configurable) in the CRS given by ``--crs``, and
  the value column (default: the pollutant code, e.g. ``no2``), one point per line;
  grid layers are given by their cell centres.
* ``vector``: a GeoPackage, GeoJSON or Shapefile of points with a declared CRS.

GeoTIFF rasters are not read (rasterio is not a dependency); convert a raster to cell
centres first, e.g. ``gdal2xyz.py -csv in.tif out.csv``.

Every problem is collected before anything is written and names the file, the line
(CSV; the header is line 1) or feature, the column and what was expected: unknown CRS,
missing columns, values that are not numbers, negative concentrations, and points that
do not fall in Denmark once projected (usually a wrong ``--crs``). Returns the rows
:func:`db.air_quality_store.load_air_quality` writes: ``pollutant, x, y,
concentration`` with x, y in EPSG:25832.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from indicators import coverage as cov
from indicators.importers.areas import DENMARK_BOUNDS
from indicators.importers.errors import DEFAULT_MAX_PROBLEMS, InputError, Problem, fail

_NUMBER = "a number"
_CONCENTRATION = "an annual mean concentration in µg/m³ (a number ≥ 0)"


def _pollutant(path: Path, pollutant: str) -> cov.Pollutant:
    if pollutant not in cov.POLLUTANTS:
        known = ", ".join(cov.POLLUTANTS)
        raise fail(
            path.name, None, "--pollutant", pollutant, f"one of {known} (data/coverage.yaml)"
        )
    return cov.POLLUTANTS[pollutant]


def _crs(path: Path, crs: str | None, option: str = "--crs") -> CRS:
    if not crs:
        raise fail(path.name, None, option, None, "the coordinate system, e.g. EPSG:25832")
    try:
        return CRS.from_user_input(crs)
    except CRSError:
        raise fail(
            path.name, None, option, crs, "a known coordinate system, e.g. EPSG:25832"
        ) from None


def _outside_denmark(x: np.ndarray, y: np.ndarray, crs: CRS) -> np.ndarray:
    lon, lat = Transformer.from_crs(crs, cov.WEB_CRS, always_xy=True).transform(x, y)
    west, south, east, north = DENMARK_BOUNDS
    with np.errstate(invalid="ignore"):
        inside = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    return ~inside


def _to_metric(x: np.ndarray, y: np.ndarray, crs: CRS) -> tuple[np.ndarray, np.ndarray]:
    return Transformer.from_crs(crs, cov.METRIC_CRS, always_xy=True).transform(x, y)


def _checked(
    path: Path,
    pollutant: str,
    x: np.ndarray,
    y: np.ndarray,
    values: list[object],
    labels: list[int],
    columns: tuple[str, str, str],
    crs: CRS,
    unit: str,
    max_problems: int,
) -> pd.DataFrame:
    """Numbers, non-negative values and points in Denmark; all problems or the rows."""
    problems: list[Problem] = []
    x_col, y_col, value_col = columns
    conc = np.full(len(values), np.nan)
    for i, raw in enumerate(values):
        try:
            number = float(str(raw).strip().replace(",", ".")) if raw is not None else np.nan
        except ValueError:
            number = np.nan
        if not np.isfinite(number) or number < 0:
            problems.append(
                Problem(path.name, labels[i], value_col, str(raw), _CONCENTRATION, unit)
            )
        conc[i] = number
    for name, coords in ((x_col, x), (y_col, y)):
        for i in np.flatnonzero(~np.isfinite(coords)):
            problems.append(Problem(path.name, labels[i], name, None, _NUMBER, unit))
    good = np.isfinite(x) & np.isfinite(y)
    outside = np.zeros(len(x), dtype=bool)
    if good.any():
        outside[good] = _outside_denmark(x[good], y[good], crs)
    for i in np.flatnonzero(outside):
        problems.append(
            Problem(
                path.name,
                labels[i],
                x_col,
                f"{x[i]:g}, {y[i]:g}",
                f"a point in Denmark in {crs.to_string()} (is --crs right?)",
                unit,
            )
        )
    if problems:
        raise InputError(problems, max_problems=max_problems)
    if not len(values):
        raise fail(path.name, None, None, None, "at least one point")
    mx, my = _to_metric(x, y, crs)
    return pd.DataFrame({"pollutant": pollutant, "x": mx, "y": my, "concentration": conc})


def _parse_coordinate(raw: str | None) -> float:
    try:
        return float(str(raw).strip().replace(",", "."))
    except ValueError:
        return np.nan


def read_concentration_csv(
    path: str | Path,
    pollutant: str,
    *,
    crs: str | None = None,
    x_field: str = "x",
    y_field: str = "y",
    value_field: str | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> pd.DataFrame:
    """Read and check a CSV of concentration points; see the module docstring."""
    path = Path(path)
    _pollutant(path, pollutant)
    value_field = value_field or pollutant
    the_crs = _crs(path, crs)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            sample = handle.read(4096)
            handle.seek(0)
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample else csv.excel
            reader = csv.DictReader(handle, dialect=dialect)
            header = reader.fieldnames or []
            missing = [c for c in (x_field, y_field, value_field) if c not in header]
            if missing:
                raise fail(
                    path.name,
                    1,
                    missing[0],
                    ",".join(header),
                    f"a header with the column(s) {', '.join(missing)}",
                )
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise fail(path.name, None, None, None, f"a readable UTF-8 CSV file ({exc})") from None
    x = np.array([_parse_coordinate(r.get(x_field)) for r in rows])
    y = np.array([_parse_coordinate(r.get(y_field)) for r in rows])
    values: list[object] = [r.get(value_field) for r in rows]
    labels = [reader_line + 2 for reader_line in range(len(rows))]
    return _checked(
        path,
        pollutant,
        x,
        y,
        values,
        labels,
        (x_field, y_field, value_field),
        the_crs,
        "line",
        max_problems,
    )


def read_concentration_vector(
    path: str | Path,
    pollutant: str,
    *,
    value_field: str | None = None,
    crs: str | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    **_ignored: object,
) -> pd.DataFrame:
    """Read and check a point layer (GeoPackage, GeoJSON …) of concentrations.

    The file's declared CRS is used; ``crs`` is accepted only for a file that declares
    none. Features are numbered from 1 in file order.
    """
    import geopandas as gpd

    path = Path(path)
    _pollutant(path, pollutant)
    value_field = value_field or pollutant
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # unreadable files surface as GDAL driver errors
        raise fail(path.name, None, None, None, f"a readable vector file ({exc})") from None
    if frame.crs is None and not crs:
        raise fail(path.name, None, "crs", None, "a declared coordinate system (or --crs)")
    the_crs = CRS.from_user_input(frame.crs) if frame.crs is not None else _crs(path, crs)
    if value_field not in frame.columns:
        raise fail(
            path.name, None, value_field, ", ".join(map(str, frame.columns)), "a value field"
        )
    geoms = frame.geometry
    not_points = [i for i, g in enumerate(geoms) if g is None or g.geom_type != "Point"]
    if not_points:
        problems = [
            Problem(path.name, i + 1, "geometry", None, "a point", "feature") for i in not_points
        ]
        raise InputError(problems, max_problems=max_problems)
    return _checked(
        path,
        pollutant,
        geoms.x.to_numpy(dtype=float),
        geoms.y.to_numpy(dtype=float),
        frame[value_field].tolist(),
        list(range(1, len(frame) + 1)),
        ("x", "y", value_field),
        the_crs,
        "feature",
        max_problems,
    )
