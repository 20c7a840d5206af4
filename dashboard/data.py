"""The app's access to the store: one lazily created ``Monitor`` per process.

Nothing here runs at import time, so gunicorn can fork before any connection exists and
tests can point DATABASE_URL elsewhere before the first request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

import geopandas as gpd
import orjson
import pandas as pd
import shapely

from db.engine import database_url, make_engine
from indicators import attributions, geography
from indicators.registry import Indicator, criteria, load_registry
from indicators.services.monitor import ALL_UDSATTE_CODE, Monitor

MAP_LEVELS = ("rode", "kvarter", "bydel", "lokaludvalg")
DATA_LEVELS = ("udsat_byomraade", "bydel", "lokaludvalg", "kvarter", "rode")
PROFILE_LEVELS = ("udsat_byomraade", "bydel", "lokaludvalg", "kvarter", "rode")
GEO_LEVELS = (*MAP_LEVELS, "udsat_byomraade")
DEFAULT_BASELINE_YEAR = 2015

# Simplification tolerance per level in metres: small areas need finer outlines.
WEB_TOLERANCE_M = {
    "rode": 4.0,
    "kvarter": 8.0,
    "bydel": 12.0,
    "lokaludvalg": 12.0,
    "udsat_byomraade": 6.0,
}


@lru_cache(maxsize=4)
def _monitor_for(url: str) -> Monitor:
    return Monitor(make_engine(url))


def monitor() -> Monitor:
    """The process's ``Monitor`` for DATABASE_URL, refreshed to the store's data version."""
    current = _monitor_for(database_url())
    current.refresh()
    return current


def data_version() -> str:
    return monitor().refresh()


def version_loaded_at(version: str) -> datetime | None:
    """When the newest batch of a ``data_version()`` was loaded (UTC), None if unknown.

    The version is ``<batches>-<newest batch id>-<its ISO load time>`` (db.store).
    """
    stamp = version.split("-", 2)[-1]
    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


_memoized: list = []


def memoize_per_version(maxsize: int = 64) -> Callable:
    """Memoise a pure builder per store and data version (arguments must be hashable).

    For view pieces that are costly to build (figures) and identical for every visitor
    until the next import.
    """

    def decorate(func: Callable) -> Callable:
        cached = lru_cache(maxsize=maxsize)(lambda _key, *args: func(*args))
        _memoized.append(cached)

        @functools.wraps(func)
        def wrapper(*args):  # type: ignore[no-untyped-def]
            return cached((database_url(), data_version()), *args)

        return wrapper

    return decorate


def warm_caches() -> None:
    """Load the protected comparison of every shown level from the current publication
    (computed in-process, one joint disclosure pass, only when none is usable)."""
    for level in (*MAP_LEVELS, "udsat_byomraade", "city"):
        comparison(level)


def reset() -> None:
    """Forget the cached monitors, geometry and views (tests that swap DATABASE_URL)."""
    for cached in _memoized:
        cached.cache_clear()
    _monitor_for.cache_clear()
    _web_geojson.cache_clear()
    _level_bounds.cache_clear()


# ----------------------------------------------------------------------------- registry


def criteria_by_code() -> dict[str, Indicator]:
    return {c.code: c for c in criteria()}


def indicator(code: str) -> Indicator:
    return load_registry()[code]


def criterion_or_default(code: object) -> str:
    known = criteria_by_code()
    return code if isinstance(code, str) and code in known else next(iter(known))


# ----------------------------------------------------------------------------- reads


def years() -> list[int]:
    return monitor().years()


def year_or_latest(year: object) -> int:
    available = years()
    try:
        value = int(str(year))
    except (TypeError, ValueError):
        return available[-1]
    return value if value in available else available[-1]


def baseline_or_default(year: object) -> int:
    available = years()
    try:
        value = int(str(year))
    except (TypeError, ValueError):
        value = DEFAULT_BASELINE_YEAR
    if value in available:
        return value
    return DEFAULT_BASELINE_YEAR if DEFAULT_BASELINE_YEAR in available else available[0]


def comparison(level: str) -> pd.DataFrame:
    """Every area of ``level`` against the rest of the city, criteria only."""
    # Only disclosure-protected figures are ever shown or downloaded.
    frame = monitor().published_comparison(level)
    return frame[frame["indicator"].isin(criteria_by_code())]


def area_comparison(area_code: str) -> pd.DataFrame:
    level = monitor().area_level(area_code)
    if level is None:
        raise KeyError(area_code)
    frame = monitor().published_comparison(level)
    frame = frame[frame["area_code"] == area_code].reset_index(drop=True)
    return frame[frame["indicator"].isin(criteria_by_code())]


def udsatte_comparison() -> pd.DataFrame:
    return area_comparison(ALL_UDSATTE_CODE)


def areas(levels: tuple[str, ...]) -> pd.DataFrame:
    return monitor().areas(list(levels))


def area_row(code: str) -> dict | None:
    table = monitor().areas()
    match = table[table["code"] == code]
    return None if match.empty else match.iloc[0].to_dict()


def udsatte_codes() -> list[str]:
    """The udsatte byområder one by one (not the combined ``ub-alle``), in display order."""
    present = set(areas(("udsat_byomraade",))["code"])
    return [c for c in geography.UDSAT_CODES.values() if c in present]


def synthetic_years(frame: pd.DataFrame) -> list[int]:
    if frame.empty or "synthetic" not in frame:
        return []
    return sorted(int(y) for y in frame.loc[frame["synthetic"].astype(bool), "year"].unique())


def provenance_by_indicator() -> pd.DataFrame:
    """Per criterion the years with real and the years with synthetic base values.

    A year can be in both: real figures for some roder, demo values for the others.
    """
    base = monitor().base_observations()
    base = base[base["indicator"].isin(criteria_by_code())]
    rows = []
    for code in criteria_by_code():
        part = base[base["indicator"] == code]
        rows.append(
            {
                "indicator": code,
                "real_years": sorted(int(y) for y in part.loc[~part["synthetic"], "year"].unique()),
                "synthetic_years": sorted(
                    int(y) for y in part.loc[part["synthetic"], "year"].unique()
                ),
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- geometry


def web_geojson_bytes(level: str) -> bytes:
    """Simplified GeoJSON of one level, built once per process and data version."""
    m = monitor()
    return _web_geojson(database_url(), m.refresh(), level)


def level_bounds(level: str) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a level's areas in degrees, for the map's frame."""
    return _level_bounds(database_url(), monitor().refresh(), level)


def _level_frame(level: str) -> gpd.GeoDataFrame:
    frame = monitor().area_geometries(level)
    frame = frame[frame["geometry_wkb"].notna()]
    return gpd.GeoDataFrame(
        frame[["code", "name", "level"]].reset_index(drop=True),
        geometry=shapely.from_wkb(frame["geometry_wkb"].to_numpy()),
        crs=geography.WEB_CRS,
    )


@lru_cache(maxsize=32)
def _web_geojson(url: str, version: str, level: str) -> bytes:
    del url, version  # cache key only
    simple = geography.simplify_for_web(_level_frame(level), WEB_TOLERANCE_M.get(level, 10.0))
    return orjson.dumps(geography.to_plotly_geojson(simple))


@lru_cache(maxsize=32)
def _level_bounds(url: str, version: str, level: str) -> tuple[float, float, float, float]:
    del url, version  # cache key only
    west, south, east, north = _level_frame(level).total_bounds
    return float(west), float(south), float(east), float(north)


# ----------------------------------------------------------------------------- sources


def attribution() -> str | None:
    """The attribution line from data/SOURCES.md, or None when the file has none."""
    return attributions.app_line()
