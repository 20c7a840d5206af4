"""Areas with their geometry."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from dashboard import data
from dashboard.api import sources
from dashboard.api.checks import check_areas
from dashboard.api.contract import Column, Dataset
from dashboard.api.query import Query
from indicators import formats
from indicators.services.monitor import AREA_LEVELS


def build_areas(q: Query) -> Dataset:
    monitor = data.monitor()
    if q.areas:
        rows = check_areas(q.areas)
        levels = sorted(set(rows["level"]), key=AREA_LEVELS.index)
    else:
        levels = [q.level] if q.level else list(AREA_LEVELS)
    parts = [monitor.area_geometries(level) for level in levels]
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if q.level:
        table = table[table["level"] == q.level]
    if q.areas:
        table = table[table["code"].isin(q.areas)]
    table = table.sort_values(
        ["level", "code"], key=lambda s: s.map(AREA_LEVELS.index) if s.name == "level" else s
    ).reset_index(drop=True)
    geometry = [None if b is None else shapely.from_wkb(b) for b in table["geometry_wkb"]]
    frame = gpd.GeoDataFrame(
        {
            "area_code": table["code"].astype(str).to_numpy(),
            "area_name": table["name"].astype(str).to_numpy(),
            "level": table["level"].astype(str).to_numpy(),
        },
        geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    if not q.route.formats or formats.FORMATS[q.format].geo or q.format == "parquet":
        out: pd.DataFrame = frame
    else:
        out = pd.DataFrame(frame.drop(columns="geometry"))
    stem = "keob-areas" + (f"-{q.level}" if q.level else "")
    return Dataset(
        frame=out,
        stem=stem,
        sources=(sources.geography_source(),),
        notes=(
            "Geometri i EPSG:4326 (WGS 84), fuld opløsning fra lageret. Aggregerede områder er "
            "opløst fra deres roder. Geometry in EPSG:4326, full resolution; aggregate areas are "
            "dissolved from their roder.",
        ),
    )


AREA_COLUMNS = (
    Column("area_code", "string", "KEOB area code.", "KEOB-områdekode."),
    Column("area_name", "string", "Area name.", "Områdets navn."),
    Column("level", "string", "Area level.", "Områdeniveau."),
)
