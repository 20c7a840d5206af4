"""Walking distance along a street/path network, as an option to straight lines.

Pure numpy/shapely/geopandas plus the standard library (``heapq``): no networkx, no
Dash/Plotly/Flask/SQLAlchemy. KEOB ships no street network; a user supplies one as a
line layer (e.g. an OpenStreetMap or GeoDanmark extract exported to GeoPackage/GeoJSON)
and ``keob coverage compute --network FILE`` uses it.

Method (docs/coverage.md):

* The graph's nodes are the line vertices (coordinates snapped to ``snap_m``, so lines
  that share an end point connect); edges are the segments between consecutive
  vertices, weighted by their length in EPSG:25832. Lines that cross without a shared
  vertex (bridges, tunnels) stay unconnected, as they should.
* A point facility enters the network at its nearest node; a polygon (a green area)
  at every node inside it or within ``entry_m`` of its edge, plus its nearest node. Each
  source starts with its straight-line distance to that node.
* One multi-source Dijkstra per target with a cutoff gives every node its distance to
  the nearest facility; a resident cell takes its nearest node's distance plus the
  straight line from the cell to that node. Cells farther than ``max_snap_m`` from the
  network, and nodes beyond the cutoff, get ``inf``.
"""

from __future__ import annotations

import heapq
from os import PathLike

import geopandas as gpd
import numpy as np
import shapely

METRIC_CRS = "EPSG:25832"


class WalkNetwork:
    """An undirected street graph in EPSG:25832 with a multi-source Dijkstra."""

    def __init__(
        self,
        nodes_xy: np.ndarray,
        edges: np.ndarray,
        lengths: np.ndarray,
        *,
        entry_m: float = 25.0,
        max_snap_m: float = 500.0,
    ) -> None:
        self.nodes_xy = np.asarray(nodes_xy, dtype=float).reshape(-1, 2)
        self.edges = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
        self.lengths = np.asarray(lengths, dtype=float)
        self.entry_m = entry_m
        self.max_snap_m = max_snap_m
        n = len(self.nodes_xy)
        adjacency: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for (a, b), length in zip(self.edges.tolist(), self.lengths.tolist(), strict=True):
            if a == b:
                continue
            adjacency[a].append((b, length))
            adjacency[b].append((a, length))
        self.adjacency = adjacency
        self._points = shapely.points(self.nodes_xy)
        self._tree = shapely.STRtree(self._points)

    @property
    def n_nodes(self) -> int:
        return len(self.nodes_xy)

    @classmethod
    def from_lines(cls, lines: gpd.GeoDataFrame | gpd.GeoSeries, snap_m: float = 0.5, **kw):  # type: ignore[no-untyped-def]
        """Build the graph from (Multi)LineStrings with a CRS (reprojected to EPSG:25832)."""
        if lines.crs is None:
            raise ValueError("the street network has no CRS")
        series = lines.geometry if isinstance(lines, gpd.GeoDataFrame) else lines
        if series.crs != METRIC_CRS:
            series = series.to_crs(METRIC_CRS)
        geoms = series.to_numpy()
        geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
        parts = shapely.get_parts(geoms)
        parts = parts[shapely.get_type_id(parts) == 1]  # LineStrings
        if parts.size == 0:
            raise ValueError("the street network has no line geometries")
        coords, index = shapely.get_coordinates(parts, return_index=True)
        keys = np.round(coords / snap_m).astype(np.int64)
        unique, inverse = np.unique(keys, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        # Node position: the mean of the snapped vertices (stable, close to the input).
        sums = np.zeros((len(unique), 2))
        np.add.at(sums, inverse, coords)
        counts = np.bincount(inverse, minlength=len(unique))[:, None]
        nodes = sums / counts
        same = index[1:] == index[:-1]
        a, b = inverse[:-1][same], inverse[1:][same]
        lengths = np.hypot(*(coords[1:][same] - coords[:-1][same]).T)
        return cls(nodes, np.stack([a, b], axis=1), lengths, **kw)

    @classmethod
    def read(cls, path: str | PathLike[str], **kw):  # type: ignore[no-untyped-def]
        """Read a line layer (any format GDAL reads) and build the graph."""
        return cls.from_lines(gpd.read_file(path), **kw)

    # ------------------------------------------------------------------ queries
    def nearest_nodes(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Nearest node of each point and the straight-line distance to it."""
        pts = shapely.points(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        (src, node), dist = self._tree.query_nearest(pts, return_distance=True, all_matches=False)
        order = np.argsort(src)
        return node[order], dist[order]

    def sources(self, geoms: np.ndarray) -> dict[int, float]:
        """Entry nodes of a set of facilities with their initial distances."""
        starts: dict[int, float] = {}

        def offer(node: int, d: float) -> None:
            if d < starts.get(node, np.inf):
                starts[node] = d

        geoms = np.asarray(geoms, dtype=object)
        if geoms.size == 0:
            return starts
        polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
        others = geoms[~polygonal]
        if others.size:
            reps = shapely.point_on_surface(others)
            node, dist = self.nearest_nodes(shapely.get_x(reps), shapely.get_y(reps))
            for n, d in zip(node.tolist(), dist.tolist(), strict=True):
                offer(n, d)
        polys = geoms[polygonal]
        if polys.size:
            hit_poly, hit_node = self._tree.query(polys, predicate="dwithin", distance=self.entry_m)
            d = shapely.distance(polys[hit_poly], self._points[hit_node])
            for n, dd in zip(hit_node.tolist(), d.tolist(), strict=True):
                offer(n, dd)
            (_, node), dist = self._tree.query_nearest(
                polys, return_distance=True, all_matches=False
            )
            for n, dd in zip(node.tolist(), dist.tolist(), strict=True):
                offer(n, dd)
        return starts

    def node_distances(self, starts: dict[int, float], cutoff_m: float) -> np.ndarray:
        """Multi-source Dijkstra: each node's network distance to the nearest source."""
        dist = np.full(self.n_nodes, np.inf)
        heap = [(d, n) for n, d in starts.items() if d <= cutoff_m]
        heapq.heapify(heap)
        for d, n in heap:
            dist[n] = min(dist[n], d)
        adjacency = self.adjacency
        while heap:
            d, n = heapq.heappop(heap)
            if d > dist[n]:
                continue
            for m, length in adjacency[n]:
                nd = d + length
                if nd < dist[m] and nd <= cutoff_m:
                    dist[m] = nd
                    heapq.heappush(heap, (nd, m))
        return dist

    def distances(
        self, x: np.ndarray, y: np.ndarray, geoms: np.ndarray, cutoff_m: float = 5_000.0
    ) -> np.ndarray:
        """Walking distance from each point to the nearest of ``geoms`` (``inf`` if none).

        A point inside a polygon target gets 0.
        """
        x = np.asarray(x, dtype=float)
        y = np.asarray(y, dtype=float)
        out = np.full(x.size, np.inf)
        geoms = np.asarray(geoms, dtype=object)
        if geoms.size == 0 or x.size == 0 or self.n_nodes == 0:
            return out
        node_dist = self.node_distances(self.sources(geoms), cutoff_m)
        node, snap = self.nearest_nodes(x, y)
        total = node_dist[node] + snap
        total[snap > self.max_snap_m] = np.inf
        total[total > cutoff_m] = np.inf
        polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
        if polygonal.any():
            hits = shapely.STRtree(shapely.points(x, y)).query(
                geoms[polygonal], predicate="intersects"
            )
            total[np.unique(hits[1])] = 0.0
        return total
