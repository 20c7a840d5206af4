"""Area files (GeoJSON, GeoPackage, Shapefile) read through pyogrio and checked.

The file must declare its coordinate reference system (any CRS: it is transformed).
Each feature needs a code and a name (``--code-field`` / ``--name-field``) and a valid,
non-empty polygonal geometry inside Denmark; codes must be unique. Geometry is returned
in EPSG:4326 (what the store keeps as WKB); metric checks run in EPSG:25832.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from indicators.importers.errors import Problem, fail

STORE_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25832"
#: Denmark with Bornholm and a margin (EPSG:4326). Only a plausibility check: it also
#: contains southern Sweden and a strip of Germany, but it catches swapped coordinates,
#: a wrong declared CRS and data from elsewhere.
DENMARK_BOUNDS = (7.8, 54.4, 15.4, 57.9)
#: Smallest polygon accepted (square metres in EPSG:25832).
MIN_AREA_M2 = 1.0


@dataclass
class AreaFile:
    """Features that passed every check, and the problems of the others."""

    file: str
    areas: pd.DataFrame  # feature, code, name, geometry (shapely, EPSG:4326), attributes
    problems: list[Problem]
    features: int
    crs: str
    fields: list[str] = field(default_factory=list)


def read_area_file(
    path: str | Path,
    *,
    code_field: str = "code",
    name_field: str = "name",
    layer: str | None = None,
    label: str | None = None,
    extra_fields: tuple[str, ...] = (),
) -> AreaFile:
    """Read and check an area file; file-level problems raise InputError."""
    path = Path(path)
    file = label or path.name
    gdf = _read(path, file, layer)
    if gdf.crs is None:
        raise fail(
            file,
            None,
            None,
            None,
            "a declared coordinate reference system (CRS); "
            + (
                "the Shapefile has no .prj file"
                if path.suffix.lower() == ".shp"
                else "set one in QGIS (Layer > Set CRS) and save again"
            ),
        )
    if len(gdf) == 0:
        raise fail(file, None, None, None, "at least one feature (the layer is empty)")
    fields = [c for c in gdf.columns if c != "geometry"]
    wanted = [code_field, name_field, *extra_fields]
    missing = [f for f in dict.fromkeys(wanted) if f not in gdf.columns]
    if missing:
        raise fail(
            file,
            None,
            None,
            None,
            f"the field(s) {', '.join(missing)} (the file has: {', '.join(fields) or 'no fields'}; "
            "choose others with --code-field and --name-field)",
        )

    frame = pd.DataFrame({"feature": np.arange(1, len(gdf) + 1), "file": file})
    frame["line"] = frame["feature"]
    frame["code"] = [_text(v) for v in gdf[code_field]]
    frame["name"] = [_text(v) for v in gdf[name_field]]
    for extra in extra_fields:
        frame[extra] = [_text(v) for v in gdf[extra]]
    problems: list[Problem] = []

    def add(mask: np.ndarray, column: str, values, expected) -> None:  # type: ignore[no-untyped-def]
        for i in np.flatnonzero(mask):
            exp = expected[i] if isinstance(expected, list | np.ndarray) else expected
            val = values[i] if values is not None else None
            problems.append(Problem(file, int(i + 1), column, val, exp, unit="feature"))

    codes = frame["code"].to_numpy(dtype=object)
    names = frame["name"].to_numpy(dtype=object)
    add(
        np.array([c == "" for c in codes]), code_field, codes, "an area code (the value is missing)"
    )
    add(
        np.array([len(c) > 64 for c in codes]),
        code_field,
        codes,
        "an area code of at most 64 characters",
    )
    add(
        np.array([n == "" for n in names]), name_field, names, "an area name (the value is missing)"
    )
    add(
        np.array([len(n) > 200 for n in names]),
        name_field,
        names,
        "a name of at most 200 characters",
    )
    dup = frame["code"].duplicated(keep=False).to_numpy() & (codes != "")
    if dup.any():
        lines = frame[dup].groupby("code")["feature"].apply(lambda s: ", ".join(map(str, s)))
        expected = [f"a code used once (features {lines.get(c, '')})" for c in codes]
        add(dup, code_field, codes, expected)

    geoms = gdf.geometry.to_numpy()
    missing_geom = np.array([g is None for g in geoms])
    add(missing_geom, "geometry", None, "a geometry (the feature has none)")
    present = ~missing_geom
    empty = present & shapely.is_empty(np.where(present, geoms, None)).astype(bool)
    add(empty, "geometry", None, "a non-empty geometry")
    kinds = np.array([g.geom_type if g is not None else "" for g in geoms])
    usable = present & ~empty
    not_polygon = usable & ~np.isin(kinds, ["Polygon", "MultiPolygon"])
    add(not_polygon, "geometry", kinds, "a Polygon or MultiPolygon")
    usable &= ~not_polygon
    valid = np.ones(len(geoms), dtype=bool)
    valid[usable] = shapely.is_valid(geoms[usable])
    invalid = usable & ~valid
    if invalid.any():
        reasons = np.array([""] * len(geoms), dtype=object)
        reasons[invalid] = shapely.is_valid_reason(geoms[invalid])
        add(
            invalid,
            "geometry",
            reasons,
            "a valid geometry (repair it, e.g. QGIS Vector > Geometry Tools > Fix Geometries)",
        )
    usable &= valid

    in_store = gpd.GeoSeries(np.where(usable, geoms, None), crs=gdf.crs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wgs = in_store.to_crs(STORE_CRS)
        metric = in_store.to_crs(METRIC_CRS)
    bounds = wgs.bounds.to_numpy()
    minx, miny, maxx, maxy = DENMARK_BOUNDS
    with np.errstate(invalid="ignore"):
        inside = (
            (bounds[:, 0] >= minx)
            & (bounds[:, 1] >= miny)
            & (bounds[:, 2] <= maxx)
            & (bounds[:, 3] <= maxy)
        )
    outside = usable & ~inside
    if outside.any():
        where = [
            f"{b[0]:.4f},{b[1]:.4f} .. {b[2]:.4f},{b[3]:.4f}" if np.isfinite(b).all() else "?"
            for b in bounds
        ]
        swapped = [
            " (longitude and latitude look swapped)"
            if np.isfinite(b).all() and miny <= b[0] <= maxy and minx <= b[1] <= maxx
            else ""
            for b in bounds
        ]
        add(
            outside,
            "geometry",
            np.array(where, dtype=object),
            [
                f"a geometry inside Denmark (lon {minx}..{maxx}, lat {miny}..{maxy}); "
                f"is the declared CRS ({gdf.crs.to_string()}) right?{s}"
                for s in swapped
            ],
        )
    usable &= inside
    areas_m2 = metric.area.to_numpy()
    tiny = usable & ~(areas_m2 >= MIN_AREA_M2)
    add(tiny, "geometry", None, f"a polygon of at least {MIN_AREA_M2:g} m² (EPSG:25832)")
    usable &= ~tiny

    bad = {p.line for p in problems}
    ok = ~frame["feature"].isin(list(bad)).to_numpy()
    out = frame[ok].copy()
    out["geometry"] = wgs.to_numpy()[ok]
    out["area_m2"] = areas_m2[ok]
    return AreaFile(
        file=file,
        areas=out.reset_index(drop=True),
        problems=problems,
        features=len(gdf),
        crs=gdf.crs.to_string(),
        fields=fields,
    )


def _read(path: Path, file: str, layer: str | None) -> gpd.GeoDataFrame:
    if not path.exists():
        raise fail(file, None, None, None, "an existing file")
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio raises several GDAL error types
        raise fail(
            file, None, None, None, f"a GeoJSON, GeoPackage or Shapefile ({_gdal_message(exc)})"
        ) from None
    if layer is None and len(layers) > 1:
        raise fail(
            file,
            None,
            None,
            None,
            f"one layer, or --layer NAME (layers: {', '.join(str(n) for n in layers[:, 0])})",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:
        raise fail(
            file, None, None, None, f"a readable geometry layer ({_gdal_message(exc)})"
        ) from None


def _gdal_message(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if np.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()
