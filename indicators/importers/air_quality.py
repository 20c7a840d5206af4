"""Parsers of an air-quality concentration layer: ``keob import air-quality``.

Three formats, all giving points with an annual mean concentration (µg/m³) of one
pollutant:

* ``csv``: columns ``x``, ``y`` (names configurable) in the CRS given by ``--crs``, and
  the value column (default: the pollutant code, e.g. ``no2``), one point per line;
  grid layers are given by their cell centres.
* ``vector``: a GeoPackage, GeoJSON or Shapefile of points with a declared CRS.
* ``geotiff``: a GeoTIFF grid (rasterio): every cell of the band that is not nodata and
  is finite becomes a point at the cell's centre, in the raster's own CRS (``--crs``
  only for a raster that declares none; ``--band`` for a raster with several bands).

All three go through the same checks (:func:`_checked`). Every problem is collected
before anything is written and names the file, the line (CSV; the header is line 1),
feature or cell (raster: band, row and column), the column and what was expected:
unknown CRS, missing columns, values that are not numbers, negative concentrations, and
points that do not fall in Denmark once projected (usually a wrong CRS). A raster is
also refused when it is not a readable GeoTIFF, has several bands and no ``--band``, or
has no cell with a value. Returns the rows
:func:`db.air_quality_store.load_air_quality` writes: ``pollutant, x, y,
concentration`` with x, y in EPSG:25832.
"""

from __future__ import annotations

import csv
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from indicators import coverage as cov
from indicators.importers.areas import DENMARK_BOUNDS
from indicators.importers.errors import DEFAULT_MAX_PROBLEMS, InputError, Problem, fail

if TYPE_CHECKING:
    from affine import Affine

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


@dataclass(frozen=True)
class _Places:
    """How a layer names the place of a point in its problems: ``line 3, column no2``,
    ``feature 2`` or ``cell 5 (band 1, row 2, column 2)``."""

    unit: str
    #: The 1-based line, feature or cell number of the i-th point.
    number: Callable[[int], int]
    #: Columns named by problems with the x, y and value (None: a raster has none).
    columns: tuple[str | None, str | None, str | None]
    #: Extra words on where the i-th point is (a raster's band, row and column).
    place: Callable[[int], str | None] = lambda i: None
    #: What to check when points fall outside Denmark.
    crs_hint: str = "is --crs right?"
    concentration: str = _CONCENTRATION


def _numbers(values: Sequence[object]) -> np.ndarray:
    """Text or numbers as floats (a decimal comma is accepted); NaN where not a number."""
    numbers = np.full(len(values), np.nan)
    for i, raw in enumerate(values):
        try:
            numbers[i] = float(str(raw).strip().replace(",", ".")) if raw is not None else np.nan
        except ValueError:
            numbers[i] = np.nan
    return numbers


def _checked(
    path: Path,
    pollutant: str,
    x: np.ndarray,
    y: np.ndarray,
    conc: np.ndarray,
    shown: Callable[[int], str],
    places: _Places,
    crs: CRS,
    max_problems: int,
) -> pd.DataFrame:
    """Numbers, non-negative values and points in Denmark; all problems or the rows.

    ``conc`` holds the concentrations as numbers (NaN where the input was not one) and
    ``shown(i)`` the i-th value as the input had it, for the problem report.
    """
    x_col, y_col, value_col = places.columns

    def problem(i: int, column: str | None, value: str | None, expected: str) -> Problem:
        return Problem(
            path.name, places.number(i), column, value, expected, places.unit, places.place(i)
        )

    with np.errstate(invalid="ignore"):
        bad_values = ~np.isfinite(conc) | (conc < 0)
    problems = [
        problem(i, value_col, shown(i), places.concentration) for i in np.flatnonzero(bad_values)
    ]
    for name, coords in ((x_col, x), (y_col, y)):
        problems += [problem(i, name, None, _NUMBER) for i in np.flatnonzero(~np.isfinite(coords))]
    good = np.isfinite(x) & np.isfinite(y)
    outside = np.zeros(len(x), dtype=bool)
    if good.any():
        outside[good] = _outside_denmark(x[good], y[good], crs)
    problems += [
        problem(
            i,
            x_col,
            f"{x[i]:g}, {y[i]:g}",
            f"a point in Denmark in {crs.to_string()} ({places.crs_hint})",
        )
        for i in np.flatnonzero(outside)
    ]
    if problems:
        raise InputError(problems, max_problems=max_problems)
    if not len(conc):
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
    return _checked(
        path,
        pollutant,
        x,
        y,
        _numbers(values),
        lambda i: str(values[i]),
        # The header is line 1, so the i-th row is on line i + 2.
        _Places("line", lambda i: i + 2, (x_field, y_field, value_field)),
        the_crs,
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
    values = frame[value_field].tolist()
    return _checked(
        path,
        pollutant,
        geoms.x.to_numpy(dtype=float),
        geoms.y.to_numpy(dtype=float),
        _numbers(values),
        lambda i: str(values[i]),
        _Places("feature", lambda i: i + 1, ("x", "y", value_field)),
        the_crs,
        max_problems,
    )


def _raster_crs(path: Path, declared: object, crs: str | None) -> CRS:
    """The raster's own CRS; ``--crs`` only for a raster that declares none."""
    if declared is None:
        if not crs:
            raise fail(path.name, None, "crs", None, "a raster with a coordinate system (or --crs)")
        return _crs(path, crs)
    own = CRS.from_user_input(declared)
    if crs and not own.equals(_crs(path, crs), ignore_axis_order=True):
        raise fail(
            path.name,
            None,
            "--crs",
            crs,
            f"no --crs: the raster declares its own coordinate system {own.to_string()}",
        )
    return own


def _read_band(
    path: Path, band: int | None, crs: str | None
) -> tuple[np.ma.MaskedArray, Affine, CRS, int]:
    """Band ``band`` of a GeoTIFF as a masked array (nodata masked), its transform, its
    CRS and the band's number; unreadable files, a missing band or CRS are refused."""
    import rasterio
    from rasterio.errors import NotGeoreferencedWarning, RasterioError

    try:
        # Only the GeoTIFF driver: GDAL would otherwise read e.g. a CSV as an XYZ grid.
        with warnings.catch_warnings():  # a raster without geotransform is refused below
            warnings.simplefilter("ignore", NotGeoreferencedWarning)
            raster = rasterio.open(path, driver="GTiff")
        with raster:
            if band is None and raster.count > 1:
                raise fail(
                    path.name,
                    None,
                    "--band",
                    None,
                    f"--band 1-{raster.count}: the raster has {raster.count} bands",
                )
            band = band or 1
            if not 1 <= band <= raster.count:
                raise fail(path.name, None, "--band", str(band), f"a band 1-{raster.count}")
            if raster.transform.is_identity:
                raise fail(
                    path.name, None, None, None, "a georeferenced raster (it has no geotransform)"
                )
            the_crs = _raster_crs(path, raster.crs, crs)
            cells = raster.read(band, masked=True)
            return cells, raster.transform, the_crs, band
    except RasterioError as exc:
        # A failed read says "see previous exception"; GDAL's own message is the cause.
        detail = exc.__cause__ or exc
        raise fail(path.name, None, None, None, f"a readable GeoTIFF raster ({detail})") from None


def read_concentration_geotiff(
    path: str | Path,
    pollutant: str,
    *,
    band: int | None = None,
    crs: str | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> pd.DataFrame:
    """Read and check a concentration raster (GeoTIFF): one point per cell with a value.

    Band ``band`` (needed when the raster has several) is read; cells that are nodata
    (the raster's nodata value or mask) or not finite are skipped, every other cell
    becomes a point at its centre. The raster's own CRS is used; ``crs`` only for a
    raster that declares none. Problems name the cell as ``cell N (band B, row R,
    column C)``: rows and columns count from 1 at the top left, N = (R - 1) x width + C.
    """
    path = Path(path)
    _pollutant(path, pollutant)
    cells, transform, the_crs, band = _read_band(path, band, crs)
    width = cells.shape[1]
    values = np.ma.getdata(cells).astype(float)
    with np.errstate(invalid="ignore"):
        has_value = ~np.ma.getmaskarray(cells) & np.isfinite(values)
    rows, cols = np.nonzero(has_value)
    if not len(rows):
        raise fail(
            path.name, None, None, None, f"a cell with a value in band {band} (all are nodata)"
        )
    # The affine transform maps (column, row) of a cell's corner to x, y; + 0.5 is the
    # cell's centre (written out: affine's * operator on arrays is being deprecated).
    col, row = cols + 0.5, rows + 0.5
    x = transform.a * col + transform.b * row + transform.c
    y = transform.d * col + transform.e * row + transform.f
    places = _Places(
        "cell",
        lambda i: int(rows[i]) * width + int(cols[i]) + 1,
        (None, None, None),
        place=lambda i: f"band {band}, row {rows[i] + 1}, column {cols[i] + 1}",
        crs_hint="is the raster's coordinate system right?",
        concentration=_CONCENTRATION + "; cells without data need the raster's nodata value",
    )
    concentration = values[rows, cols]
    return _checked(
        path,
        pollutant,
        x,
        y,
        concentration,
        lambda i: f"{concentration[i]:g}",
        places,
        the_crs,
        max_problems,
    )
