"""Parser of a facility layer (GeoJSON, GeoPackage ... with a CRS): ``keob import facilities``.

Reads the layer with :func:`indicators.coverage.load_facility_layer` (which knows the
shipped kinds' fields) and returns the rows :func:`db.facility_store.load_facilities`
writes, geometry as WKB in EPSG:4326. A file that cannot be used raises
:class:`~indicators.importers.errors.InputError` naming the file, the option or field and
what was expected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from indicators import coverage as cov
from indicators.importers.errors import fail

_KIND_EXPECTED = "a lowercase code of letters, digits and _ (at most 32 characters)"


def facility_rows(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """A facility frame as store rows: EPSG:4326, ``geometry_wkb`` instead of the geometry."""
    if frame.crs is None:
        raise ValueError("facility frame has no CRS")
    if frame.crs != cov.WEB_CRS:
        frame = frame.to_crs(cov.WEB_CRS)
    out = pd.DataFrame(frame.drop(columns="geometry"))
    out["geometry_wkb"] = [shapely.to_wkb(g) for g in frame.geometry]
    return out


def read_facility_file(path: str | Path, kind: str, **layer_options: Any) -> pd.DataFrame:
    """Read and check one facility layer of ``kind``; return its store rows.

    ``layer_options`` are those of :func:`indicators.coverage.load_facility_layer`
    (``name_field``, ``category_field``, ``municipality_field``, ``year``, ``source``).
    """
    path = Path(path)
    if not kind or not kind.replace("_", "").isalnum() or kind.lower() != kind or len(kind) > 32:
        raise fail(path.name, None, "--kind", kind, _KIND_EXPECTED)
    try:
        frame = cov.load_facility_layer(path, kind, **layer_options)
    except (ValueError, OSError) as exc:
        raise fail(path.name, None, None, None, f"a usable facility layer ({exc})") from None
    except Exception as exc:  # unreadable files surface as GDAL driver errors
        raise fail(path.name, None, None, None, f"a readable vector file ({exc})") from None
    return facility_rows(frame)
