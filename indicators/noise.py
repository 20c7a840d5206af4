"""Road-traffic noise (Lden) from the shipped 10 m grid: decoding, band edges, sampling.

Pure numpy/shapely/pyproj: no Dash, Plotly, Flask or SQLAlchemy here.

The grid (``data/noise/mst_vejstoej_lden_2022_grid10m.json``) is a third-party
rasterisation of Miljøstyrelsen's 2022 noise-mapping contours (Danish road layers, Lden at
1.5 m). One ``uint8`` per cell, gzip + base64, row 0 on the north edge, column 0 on the
west edge, in EPSG:4326 degrees (``bbox = [west, south, east, north]``).

The band decision
-----------------
The stored values are 0, 55, 60, 65, 70 and 75. The script that made the grid writes
"a band's lower bound + 2 dB" (the midpoint of a 5 dB band) for every mapped band, so the
stored 55 is the band whose lower bound is 53 dB. The bands are therefore the Danish
classes::

    stored   band (dB Lden)    lower edge
      0      below 53 / none   (0)
     55      53–58             53
     60      58–63             58
     65      63–68             63
     70      68–73             68
     75      ≥ 73              73

With these edges the Danish guideline for dwellings (58 dB) and "heavily exposed"
(68 dB) are band edges, so "≥ 58 dB" is exactly "stored value ≥ 60" and "≥ 68 dB" is
exactly "stored value ≥ 70"; no interpolation inside a band is needed. The alternative
reading, the EU reporting bands 55–59, 60–64 … labelled by their lower bound, would put
58 and 68 *inside* a band, so neither threshold could be read off the grid. The note
embedded in the file ("quieter than the 55 dB Lden floor") is the script author's label
and contradicts the script's own "+2" rule; we follow the rule. ``band_offset_db`` makes
the decision a parameter (set it to 0 for the EU reading). See docs/coverage.md.
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
from pyproj import Transformer

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
NOISE_FILE = DATA_DIR / "noise" / "mst_vejstoej_lden_2022_grid10m.json"

GRID_CRS = "EPSG:4326"
METRIC_CRS = "EPSG:25832"

#: Stored value minus this = the band's lower edge (see the module docstring).
BAND_OFFSET_DB = 2
BAND_WIDTH_DB = 5
#: Lower band edges under the default decision (Danish classes).
BAND_EDGES_DB: tuple[int, ...] = (53, 58, 63, 68, 73)
#: Danish guideline for road noise at dwellings, and "heavily exposed" (domain.md §4).
GUIDELINE_DB = 58
HEAVY_DB = 68

ATTRIBUTION_DA = (
    "Vejstøj Lden 2022 (1,5 m): Miljøstyrelsen, støjkortlægning 2022, rasteriseret til "
    "10 m-gitter af tredjepart (afledt produkt)"
)
ATTRIBUTION_EN = (
    "Road noise Lden 2022 (1.5 m): Danish Environmental Protection Agency, noise mapping "
    "2022, rasterised to a 10 m grid by a third party (derived product)"
)


@dataclass(frozen=True)
class NoiseGrid:
    """A decoded noise grid: ``values[row, col]`` = stored value, row 0 on the north edge.

    ``lower_db`` gives each cell's band lower edge in dB (0 where no band is mapped).
    """

    values: np.ndarray
    west: float
    south: float
    east: float
    north: float
    band_offset_db: int = BAND_OFFSET_DB
    meta: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    @property
    def dx(self) -> float:
        """Cell width in degrees of longitude."""
        return (self.east - self.west) / self.values.shape[1]

    @property
    def dy(self) -> float:
        """Cell height in degrees of latitude."""
        return (self.north - self.south) / self.values.shape[0]

    @property
    def lower_db(self) -> np.ndarray:
        """Band lower edge per cell (dB), 0 where no band is mapped."""
        return to_lower_edge(self.values, self.band_offset_db)

    @property
    def band_edges(self) -> tuple[int, ...]:
        stored = sorted(int(v) for v in np.unique(self.values) if v > 0)
        return tuple(v - self.band_offset_db for v in stored)

    def index_of(
        self, lon: np.ndarray, lat: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row and column of each lon/lat point, and a mask of points inside the grid."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        col = np.floor((lon - self.west) / self.dx).astype(np.int64)
        row = np.floor((self.north - lat) / self.dy).astype(np.int64)
        rows, cols = self.values.shape
        inside = (row >= 0) & (row < rows) & (col >= 0) & (col < cols)
        return row, col, inside

    def sample_lonlat(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        """Band lower edge (dB) at each lon/lat point: 0 = no band, NaN = outside the grid."""
        row, col, inside = self.index_of(lon, lat)
        out = np.full(row.shape, np.nan)
        out[inside] = to_lower_edge(self.values[row[inside], col[inside]], self.band_offset_db)
        return out

    def sample(self, x: np.ndarray, y: np.ndarray, crs: str = METRIC_CRS) -> np.ndarray:
        """Band lower edge (dB) at points given in ``crs`` (default EPSG:25832)."""
        if crs is None:
            raise ValueError("sample() needs the CRS of the points")
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        if str(crs).upper() in (GRID_CRS, "OGC:CRS84", "CRS84"):
            lon, lat = x, y
        else:
            lon, lat = _to_lonlat(str(crs)).transform(x, y)
        return self.sample_lonlat(np.asarray(lon), np.asarray(lat))

    def clip(self, west: float, south: float, east: float, north: float) -> NoiseGrid:
        """The sub-grid covering a lon/lat box (whole cells, snapped outwards)."""
        c0 = max(int(np.floor((west - self.west) / self.dx)), 0)
        c1 = min(int(np.ceil((east - self.west) / self.dx)), self.values.shape[1])
        r0 = max(int(np.floor((self.north - north) / self.dy)), 0)
        r1 = min(int(np.ceil((self.north - south) / self.dy)), self.values.shape[0])
        if c0 >= c1 or r0 >= r1:
            raise ValueError("the box does not overlap the noise grid")
        return NoiseGrid(
            values=self.values[r0:r1, c0:c1].copy(),
            west=self.west + c0 * self.dx,
            east=self.west + c1 * self.dx,
            north=self.north - r0 * self.dy,
            south=self.north - r1 * self.dy,
            band_offset_db=self.band_offset_db,
            meta=dict(self.meta),
        )


def to_lower_edge(values: np.ndarray, band_offset_db: int = BAND_OFFSET_DB) -> np.ndarray:
    """Stored grid values → band lower edges in dB (0 stays 0)."""
    values = np.asarray(values)
    out = values.astype(np.int16) - band_offset_db
    return np.where(values > 0, out, 0).astype(np.int16)


def _to_lonlat(crs: str) -> Transformer:
    return Transformer.from_crs(crs, GRID_CRS, always_xy=True)


def decode_grid(doc: dict[str, Any], band_offset_db: int = BAND_OFFSET_DB) -> NoiseGrid:
    """Decode the JSON document of a noise grid (``enc = "gzip+base64"``)."""
    for key in ("bbox", "rows", "cols", "data"):
        if key not in doc:
            raise ValueError(f"noise grid lacks {key!r}")
    enc = doc.get("enc", "gzip+base64")
    if enc != "gzip+base64":
        raise ValueError(f"unsupported noise grid encoding {enc!r}")
    rows, cols = int(doc["rows"]), int(doc["cols"])
    raw = gzip.decompress(base64.b64decode(doc["data"]))
    if len(raw) != rows * cols:
        raise ValueError(f"noise grid has {len(raw)} bytes, expected rows x cols = {rows * cols}")
    values = np.frombuffer(raw, dtype=np.uint8).reshape(rows, cols)
    west, south, east, north = (float(v) for v in doc["bbox"])
    if not (west < east and south < north):
        raise ValueError(f"noise grid bbox {doc['bbox']} is not [west, south, east, north]")
    stored = sorted(int(v) for v in np.unique(values) if v > 0)
    edges = [v - band_offset_db for v in stored]
    if any(e <= 0 for e in edges):
        raise ValueError(f"band offset {band_offset_db} dB gives non-positive edges {edges}")
    meta = {k: v for k, v in doc.items() if k != "data"}
    return NoiseGrid(values, west, south, east, north, band_offset_db, meta)


def load_noise_grid(
    path: str | PathLike[str] = NOISE_FILE, band_offset_db: int = BAND_OFFSET_DB
) -> NoiseGrid:
    """Read and decode a noise grid file (see the module docstring for the format)."""
    with open(path, encoding="utf-8") as fh:
        doc = json.load(fh)
    return decode_grid(doc, band_offset_db)


def encode_grid(
    values: np.ndarray, bbox: tuple[float, float, float, float], **meta: Any
) -> dict[str, Any]:
    """The JSON document for a ``uint8`` grid (inverse of :func:`decode_grid`; for tests)."""
    values = np.ascontiguousarray(values, dtype=np.uint8)
    rows, cols = values.shape
    data = base64.b64encode(gzip.compress(values.tobytes())).decode("ascii")
    return {
        **meta,
        "bbox": list(bbox),
        "rows": rows,
        "cols": cols,
        "enc": "gzip+base64",
        "data": data,
    }


def check_threshold(threshold_db: float, edges: tuple[int, ...] = BAND_EDGES_DB) -> int:
    """Return ``threshold_db`` as an int if it is a band edge, else raise ``ValueError``.

    A threshold inside a band cannot be read off a banded map without an assumption about
    the distribution inside the band, so it is refused rather than guessed.
    """
    value = float(threshold_db)
    if not value.is_integer() or int(value) not in edges:
        raise ValueError(
            f"noise threshold {threshold_db} dB is not a band edge; choose one of {list(edges)}"
        )
    return int(value)


def band_label(lower_db: float, lang: str = "da") -> str:
    """``58`` → ``"58–63 dB"``; the top band is open (``"≥ 73 dB"``); 0 → below the lowest."""
    if lower_db is None or np.isnan(lower_db):
        return "ukendt" if lang == "da" else "unknown"
    lower = int(lower_db)
    if lower <= 0:
        first = BAND_EDGES_DB[0]
        return f"under {first} dB" if lang == "da" else f"below {first} dB"
    if lower >= BAND_EDGES_DB[-1]:
        return f"≥ {lower} dB"
    return f"{lower}–{lower + BAND_WIDTH_DB} dB"


def band_polygons(
    grid: NoiseGrid,
    min_db: int = BAND_EDGES_DB[0],
    block: int = 5,
    simplify_m: float = 15.0,
    within: Any = None,
) -> list[tuple[int, Any]]:
    """One polygon per noise band (each cell in exactly one band), for a map layer.

    The grid is thinned by nearest-neighbour sampling of every ``block``-th cell (5 gives
    about 50 m; the indicators always use the full 10 m grid). Each band at or above
    ``min_db`` becomes the union of its cells (``coverage_union_all``: the cells share
    their edges exactly, which makes the union fast); the bands are then simplified
    together in EPSG:25832 (``coverage_simplify``, ``simplify_m`` metres) so neighbouring
    bands keep shared borders, and returned in EPSG:4326. ``within`` (an EPSG:4326
    polygon, e.g. the municipality) keeps only the cells whose centre lies inside it.

    Returns
    -------
    list of (lower_edge_db, shapely geometry), quietest band first.
    """
    import shapely

    if block < 1:
        raise ValueError("block must be >= 1")
    lower = grid.lower_db[block // 2 :: block, block // 2 :: block]
    dx, dy = grid.dx * block, grid.dy * block
    rows, cols = np.nonzero(lower >= min_db)
    if within is not None and rows.size:
        shapely.prepare(within)
        cx = grid.west + (cols + 0.5) * dx
        cy = grid.north - (rows + 0.5) * dy
        keep = shapely.contains_xy(within, cx, cy)
        rows, cols = rows[keep], cols[keep]
    bands = lower[rows, cols]
    to_metric = Transformer.from_crs(GRID_CRS, METRIC_CRS, always_xy=True)
    to_web = Transformer.from_crs(METRIC_CRS, GRID_CRS, always_xy=True)

    def reproject(geom: Any, transformer: Transformer) -> Any:
        return shapely.transform(
            geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1]))
        )

    edges, geoms = [], []
    for edge in sorted(int(e) for e in np.unique(bands)):
        sel = bands == edge
        r, c = rows[sel], cols[sel]
        boxes = shapely.box(
            grid.west + c * dx,
            grid.north - (r + 1) * dy,
            grid.west + (c + 1) * dx,
            grid.north - r * dy,
        )
        edges.append(edge)
        geoms.append(reproject(shapely.coverage_union_all(boxes), to_metric))
    if not geoms:
        return []
    metric = np.asarray(geoms, dtype=object)
    if simplify_m > 0:
        metric = shapely.simplify(metric, simplify_m, preserve_topology=True)
    out: list[tuple[int, Any]] = []
    for edge, geom in zip(edges, metric, strict=True):
        web = shapely.make_valid(reproject(geom, to_web))
        if not web.is_empty:
            out.append((edge, web))
    return out
