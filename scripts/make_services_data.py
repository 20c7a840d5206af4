"""Build the shipped service layers and the synthetic demo layers (run once; output committed).

* ``data/facilities/osm_{supermarkeder,skoler,daginstitutioner}_2026.geojson``: the
  OpenStreetMap extract ``../shared/data/facilities/osm_poi_storkbh_2026.json`` (ODbL;
  data/SOURCES.md) clipped to the roder buffered by 2 km, so shops, schools and daycare
  just across the border (Frederiksberg, Gentofte …) count for the residents next to them.
* ``data/facilities/demo_laegepraksis_syntetisk.geojson``: SYNTHETIC GP clinics, random
  points on the roder (seeded), for the demo only.
* ``data/air/demo_luft_syntetisk_250m.csv``: a SYNTHETIC 250 m grid of annual NO2 and
  PM2.5 concentrations (EPSG:25832), a smooth function of the distance to the city centre
  and to a few made-up arterial lines; for the demo only.

Usage: ``python scripts/make_services_data.py [OSM_JSON]``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
OSM_DEFAULT = ROOT.parent / "shared" / "data" / "facilities" / "osm_poi_storkbh_2026.json"
METRIC = "EPSG:25832"
OSM_KINDS = {
    "supermarkeder": ("supermarket",),
    "skoler": ("school",),
    "daginstitutioner": ("kindergarten", "childcare"),
}
CLIP_BUFFER_M = 2000.0
AIR_CELL_M = 250.0


def _roder() -> gpd.GeoDataFrame:
    return gpd.read_file(DATA / "boundaries" / "kk_rode_2023.geojson").to_crs(METRIC)


def osm_layers(osm_path: Path, roder: gpd.GeoDataFrame) -> None:
    doc = json.loads(osm_path.read_text(encoding="utf-8"))
    items = pd.DataFrame(doc["items"])
    points = gpd.GeoDataFrame(
        items, geometry=gpd.points_from_xy(items["lon"], items["lat"]), crs=4326
    )
    area = shapely.buffer(roder.union_all(), CLIP_BUFFER_M)
    inside = points.to_crs(METRIC).within(area).to_numpy()
    for name, tags in OSM_KINDS.items():
        part = points[inside & points["k"].isin(tags).to_numpy()]
        out = gpd.GeoDataFrame(
            {
                "navn": part["n"].fillna("").astype(str).str.strip().replace("", "(uden navn)"),
                "osm_type": part["k"],
            },
            geometry=part.geometry.values,
            crs=4326,
        )
        target = DATA / "facilities" / f"osm_{name}_2026.geojson"
        out.to_file(target, driver="GeoJSON", COORDINATE_PRECISION=6)
        print(f"{target.name}: {len(out)}")


def synthetic_gp(roder: gpd.GeoDataFrame, count: int = 60) -> None:
    rng = np.random.default_rng(20261205)
    city = roder.union_all()
    minx, miny, maxx, maxy = city.bounds
    xs: list[float] = []
    ys: list[float] = []
    while len(xs) < count:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if city.contains(shapely.Point(x, y)):
            xs.append(round(x, 1))
            ys.append(round(y, 1))
    frame = gpd.GeoDataFrame(
        {
            "navn": [f"Demo-lægepraksis {i:02d} (syntetisk)" for i in range(1, count + 1)],
            "praksistype": rng.choice(["enkeltmandspraksis", "kompagniskab"], count),
            "syntetisk": True,
        },
        geometry=gpd.points_from_xy(xs, ys),
        crs=METRIC,
    ).to_crs(4326)
    target = DATA / "facilities" / "demo_laegepraksis_syntetisk.geojson"
    frame.to_file(target, driver="GeoJSON", COORDINATE_PRECISION=6)
    print(f"{target.name}: {len(frame)}")


def synthetic_air(roder: gpd.GeoDataFrame) -> None:
    minx, miny, maxx, maxy = (np.floor(b / AIR_CELL_M) * AIR_CELL_M for b in roder.total_bounds)
    xs = np.arange(minx - AIR_CELL_M, maxx + 2 * AIR_CELL_M, AIR_CELL_M)
    ys = np.arange(miny - AIR_CELL_M, maxy + 2 * AIR_CELL_M, AIR_CELL_M)
    gx, gy = np.meshgrid(xs, ys)
    centre = (725_000.0, 6_175_500.0)  # about Rådhuspladsen
    d_centre = np.hypot(gx - centre[0], gy - centre[1])
    # Made-up "arterials" through the centre: a north-south and an east-west line.
    d_road = np.minimum(np.abs(gx - centre[0]), np.abs(gy - centre[1]))
    no2 = 8.0 + 14.0 * np.exp(-d_centre / 3500.0) + 9.0 * np.exp(-d_road / 300.0)
    pm25 = 6.0 + 3.5 * np.exp(-d_centre / 6000.0) + 1.0 * np.exp(-d_road / 300.0)
    frame = pd.DataFrame(
        {
            "x": gx.ravel(),
            "y": gy.ravel(),
            "no2": np.round(no2.ravel(), 1),
            "pm25": np.round(pm25.ravel(), 1),
        }
    )
    target = DATA / "air" / "demo_luft_syntetisk_250m.csv"
    target.parent.mkdir(exist_ok=True)
    # Synthetic: the file name says so, and data/coverage.yaml and data/SOURCES.md too.
    target.write_text(frame.to_csv(index=False, float_format="%.1f"), encoding="utf-8")
    print(f"{target.name}: {len(frame)}")


def main() -> None:
    osm = Path(sys.argv[1]) if len(sys.argv) > 1 else OSM_DEFAULT
    roder = _roder()
    osm_layers(osm, roder)
    synthetic_gp(roder)
    synthetic_air(roder)


if __name__ == "__main__":
    main()
