"""Writes the hand-made coverage fixtures in this folder (run once; the outputs are committed).

    .venv/bin/python tests/data/geo_coverage/make_fixtures.py

Geometry is defined in EPSG:25832 metres so the expected answers can be worked out by hand
(tests/test_coverage.py states them). The GeoJSON files carry a ``crs`` member
(EPSG:25832), except ``legeplads_4326.geojson``, which is the same playground in EPSG:4326
for the CRS tests.

Layout (x east, y north, metres):

* R1 = square 700000-701000 x 6170000-6171000; R2 = the square north of it
  (6171000-6172000). R2 is the "udsat" rode.
* Water covers the west half of R1 (x < 700500), so R1's residents live on its east half.
* A small park (60 x 60 m = 0.36 ha, below the 0.5 ha minimum) at 700620-700680 x
  6170020-6170080 removes one 100 m cell centre (700650, 6170050) from R1.
* A green strip 701000-701100 x 6169900-6172100 (22 ha) lies east of both roder.
* One playground at (700050, 6171350): exactly 300 m north of the cell centre
  (700050, 6171050) of R2.
* Noise grid (EPSG:4326, 2 x 2 cells): the south row (R1) is 55 (band 53-58 dB) west of
  the longitude of x = 700800 and 70 (68-73 dB) east of it; the north row (R2) is 0 (no
  band). Row 0 is the north edge, as in the shipped grid.
* A street network: an L-shaped street from (700050, 6172100) east to (700350, 6172100)
  and south to (700350, 6171400), with a spur to the library at (700350, 6171400).
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from indicators.noise import encode_grid

HERE = Path(__file__).resolve().parent
CRS = "EPSG:25832"


def main() -> None:
    roder = gpd.GeoDataFrame(
        {"code": ["R1", "R2"], "name": ["Sydroden", "Nordroden"], "rode_nr": [1, 2]},
        geometry=[
            shapely.box(700000, 6170000, 701000, 6171000),
            shapely.box(700000, 6171000, 701000, 6172000),
        ],
        crs=CRS,
    )
    roder.to_file(HERE / "roder.geojson", driver="GeoJSON")
    gpd.GeoDataFrame(
        {"objekt_type": ["Sø"], "kommune": ["København"]},
        geometry=[shapely.box(699800, 6169900, 700500, 6171000)],
        crs=CRS,
    ).to_file(HERE / "vand.geojson", driver="GeoJSON")
    gpd.GeoDataFrame(
        {"objekt_type": ["Park", "Park"], "kommune": ["København", "Frederiksberg"]},
        geometry=[
            shapely.box(700620, 6170020, 700680, 6170080),
            shapely.box(701000, 6169900, 701100, 6172100),
        ],
        crs=CRS,
    ).to_file(HERE / "parker.geojson", driver="GeoJSON")
    playground = gpd.GeoDataFrame(
        {"navn": ["Legepladsen i Nordroden"], "legeplads_type": ["Legeplads"]},
        geometry=[shapely.Point(700050, 6171350)],
        crs=CRS,
    )
    playground.to_file(HERE / "legeplads.geojson", driver="GeoJSON")
    playground.to_crs(4326).to_file(HERE / "legeplads_4326.geojson", driver="GeoJSON")
    gpd.GeoDataFrame(
        {"navn": ["Stibiblioteket"]}, geometry=[shapely.Point(700350, 6171400)], crs=CRS
    ).to_file(HERE / "bibliotek.geojson", driver="GeoJSON")
    gpd.GeoDataFrame(
        {"navn": ["Nordgade", "Østgade"]},
        geometry=[
            shapely.LineString([(700050, 6172100), (700350, 6172100)]),
            shapely.LineString([(700350, 6172100), (700350, 6171400)]),
        ],
        crs=CRS,
    ).to_file(HERE / "stinet.geojson", driver="GeoJSON")

    to_lonlat = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    split_lon, _ = to_lonlat.transform(700800, 6170500)
    _, split_lat = to_lonlat.transform(700500, 6171000)
    half_w, half_h = 0.05, 0.03
    bbox = (split_lon - half_w, split_lat - half_h, split_lon + half_w, split_lat + half_h)
    values = np.array([[0, 0], [55, 70]], dtype=np.uint8)
    doc = encode_grid(values, bbox, source="KEOB test fixture", resM=0)
    (HERE / "stoej.json").write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")

    # The cell centres next to the noise split must stay on their side after the
    # reprojection (meridian convergence skews constant-x lines by ~2.5 degrees here).
    from_lonlat = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    for y in (6170050, 6170950):
        x_split, _ = from_lonlat.transform(split_lon, to_lonlat.transform(700800, y)[1])
        assert 700750 < x_split < 700850, (y, x_split)


if __name__ == "__main__":
    main()
