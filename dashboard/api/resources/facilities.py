"""The facility layers behind the coverage indicators."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from dashboard import data
from dashboard.api import sources
from dashboard.api.checks import check_areas
from dashboard.api.contract import Dataset, columns_from, nullable_text
from dashboard.api.problems import Problem
from dashboard.api.query import Query
from indicators import attributions, formats

FACILITY_FIELDS = (
    ("facility_id", "integer", "Facility id in the store.", "Facilitetens id i lageret.", False),
    ("kind", "string", "Kind of facility.", "Facilitetstype.", False),
    ("name", "string", "Name.", "Navn.", True),
    ("category", "string", "Category.", "Kategori.", True),
    ("municipality", "string", "Municipality.", "Kommune.", True),
    ("source", "string", "Source and licence.", "Kilde og licens.", True),
    ("year", "integer", "Year of the layer.", "Lagets år.", True),
    ("lon", "number", "Longitude (WGS 84) of a point on it.", "Længdegrad (WGS 84).", True),
    ("lat", "number", "Latitude (WGS 84) of a point on it.", "Breddegrad (WGS 84).", True),
)
FACILITY_COLUMNS = columns_from(FACILITY_FIELDS)


def facility_kinds() -> list[str]:
    from indicators import coverage

    return list(coverage.FACILITY_KINDS)


def _layer_dataset(source: str) -> str:
    """The data/attributions.yaml entry of a stored layer: OpenStreetMap layers carry the
    ODbL attribution, the synthetic demo layers say they are the project's own."""
    if "OpenStreetMap" in source:
        return "osm_layer"
    if "SYNTETISK" in source:
        return "synthetic_layer"
    return "facility_layer"


def build_facilities(q: Query) -> Dataset:
    known = facility_kinds()
    unknown = [k for k in q.kinds if k not in known]
    if unknown:
        raise Problem(
            "not-found",
            f"Unknown facility kind(s): {', '.join(unknown)}. Known: {', '.join(known)}.",
            invalid_params=[{"name": "kind", "reason": f"{k!r} is not a kind"} for k in unknown],
        )
    table = data.monitor().facilities(q.kinds)
    geoms = shapely.from_wkb(table["geometry_wkb"].to_numpy()) if len(table) else []
    frame = gpd.GeoDataFrame(
        {
            "facility_id": table["id"].astype(int).to_numpy(),
            "kind": table["kind"].astype(str).to_numpy(),
            "name": nullable_text(table["name"]),
            "category": nullable_text(table["category"]),
            "municipality": nullable_text(table["municipality"]),
            "source": nullable_text(table["source"]),
            "year": table["year"].astype("Int64").to_numpy(),
        },
        geometry=gpd.GeoSeries(list(geoms), crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    if q.areas:
        rows = check_areas(q.areas)
        shapes = []
        for level in sorted(set(rows["level"])):
            geo = data.monitor().area_geometries(level)
            geo = geo[geo["code"].isin(q.areas) & geo["geometry_wkb"].notna()]
            shapes.extend(shapely.from_wkb(geo["geometry_wkb"].to_numpy()))
        if shapes:
            union = shapely.union_all(shapes)
            frame = frame[frame.geometry.intersects(union)]
        else:
            frame = frame.iloc[0:0]
    points = frame.geometry.representative_point()
    frame = frame.assign(
        lon=points.x.round(7).to_numpy(), lat=points.y.round(7).to_numpy()
    ).reset_index(drop=True)
    frame = frame[[*(c.name for c in FACILITY_COLUMNS), "geometry"]]
    if not (formats.FORMATS[q.format].geo or q.format == "parquet"):
        frame = pd.DataFrame(frame.drop(columns="geometry"))
    layers = sorted(table["source"].dropna().unique())
    provenance = sources.merged(
        *(attributions.source(_layer_dataset(str(src)), source=str(src)) for src in layers)
    ) or (sources.geography_source(),)
    stem = "keob-facilities" + (f"-{'-'.join(q.kinds)}" if q.kinds else "")
    return Dataset(
        frame=frame,
        stem=stem,
        sources=provenance,
        notes=(
            "Faciliteter fra Københavns Kommunes åbne data; parker og vand er flader, resten "
            "punkter. lon/lat er et punkt på geometrien. Facilities from the City of "
            "Copenhagen's open data; lon/lat is a point on the geometry.",
        ),
    )
