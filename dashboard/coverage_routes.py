"""``/daekning/stoej.geojson`` and ``/daekning/groent.geojson``: the Dækning map's overlays.

Like ``/geo/<level>.geojson`` (``dashboard.geo_routes``) the overlays travel as cacheable
URLs, never inside a figure, so a threshold change resends no geometry.

* Noise: the shipped Lden grid polygonised per band (≥ 58 dB), clipped to the
  municipality, thinned to about 50 m for display (the indicators use the 10 m grid).
* Green areas: the contiguous green areas of at least 0.5 ha that the green-area
  distances are measured to, simplified for the web.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import geopandas as gpd
import orjson
import shapely
from flask import Blueprint, Response, request

from dashboard import data
from indicators import coverage as cov
from indicators import geography
from indicators import noise as noise_mod

blueprint = Blueprint("coverage", __name__)

NOISE_MIN_DB = noise_mod.GUIDELINE_DB
NOISE_BLOCK = 5  # 10 m cells → about 50 m for display
NOISE_SIMPLIFY_M = 15.0
GREEN_SIMPLIFY_M = 5.0


def _city_polygon():  # type: ignore[no-untyped-def]
    frame = data.monitor().area_geometries("city")
    frame = frame[frame["geometry_wkb"].notna()]
    if frame.empty:
        frame = data.monitor().area_geometries("rode")
        frame = frame[frame["geometry_wkb"].notna()]
    return shapely.union_all(shapely.from_wkb(frame["geometry_wkb"].to_numpy()))


@lru_cache(maxsize=2)
def _noise(version: str) -> tuple[bytes, tuple[int, ...]]:
    del version  # cache key only: the city outline comes from the store
    city = _city_polygon()
    west, south, east, north = shapely.bounds(city)
    grid = noise_mod.load_noise_grid().clip(
        west - 0.005, south - 0.005, east + 0.005, north + 0.005
    )
    bands = noise_mod.band_polygons(
        grid, NOISE_MIN_DB, block=NOISE_BLOCK, simplify_m=NOISE_SIMPLIFY_M, within=city
    )
    frame = gpd.GeoDataFrame(
        {
            "code": [str(edge) for edge, _ in bands],
            "name": [noise_mod.band_label(edge) for edge, _ in bands],
            "level": "stoej",
        },
        geometry=[shapely.set_precision(g, 1e-5) for _, g in bands],
        crs=noise_mod.GRID_CRS,
    )
    body = (
        orjson.dumps(geography.to_plotly_geojson(frame))
        if len(frame)
        else b'{"type":"FeatureCollection","features":[]}'
    )
    return body, tuple(edge for edge, _ in bands)


@lru_cache(maxsize=2)
def _green(version: str) -> tuple[bytes, tuple[str, ...]]:
    del version  # cache key only
    table = data.monitor().facilities()
    table = table[table["kind"] == cov.TARGETS["groent"].kind]
    if table.empty:
        return b'{"type":"FeatureCollection","features":[]}', ()
    parks = cov.facilities_from_wkb(table)
    areas = cov.green_areas(parks, cov.TARGETS["groent"].min_area_m2 or 0.0)
    metric = gpd.GeoSeries(areas, crs=cov.METRIC_CRS).simplify(GREEN_SIMPLIFY_M)
    codes = [f"g{i}" for i in range(len(metric))]
    frame = gpd.GeoDataFrame(
        {"code": codes, "name": codes, "level": "groent"},
        geometry=metric.to_crs(cov.WEB_CRS).set_precision(1e-5).to_numpy(),
        crs=cov.WEB_CRS,
    )
    frame = frame[~frame.geometry.is_empty]
    return orjson.dumps(geography.to_plotly_geojson(frame)), tuple(frame["code"])


def noise_edges() -> tuple[int, ...]:
    return _noise(data.data_version())[1]


def green_ids() -> tuple[str, ...]:
    return _green(data.data_version())[1]


def reset() -> None:
    _noise.cache_clear()
    _green.cache_clear()


def _respond(body: bytes, tag: str) -> Response:
    response = Response(body, mimetype="application/geo+json")
    response.set_etag(hashlib.sha256(tag.encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)


@blueprint.get("/daekning/stoej.geojson")
def noise_geojson() -> Response:
    version = data.data_version()
    return _respond(_noise(version)[0], f"{version}|stoej")


@blueprint.get("/daekning/groent.geojson")
def green_geojson() -> Response:
    version = data.data_version()
    return _respond(_green(version)[0], f"{version}|groent")
