"""Coverage of facilities and exposure to road noise, per resident cell and per rode.

Pure geopandas/shapely/numpy/pandas: no Dash, Plotly, Flask or SQLAlchemy here.

Pipeline (docs/coverage.md):

1. **Facilities** (:func:`load_facility_layer`, :data:`FACILITY_KINDS` from
   ``data/coverage.yaml``, like the targets and the stored indicators): the shipped KK
   layers (playgrounds, libraries, culture houses, swimming/bathing, sports halls,
   pitches, parks, water) as one frame ``kind, name, category, municipality, source,
   year, geometry`` in EPSG:4326.
2. **Resident cells** (``indicators.residents_grid``): each rode's residents spread over
   its residential land, or user-supplied weighted points.
3. **Distances** (:func:`distance_table`): every cell's distance in metres to the nearest
   facility of each :data:`TARGETS` entry (green areas only if at least 0.5 ha),
   Euclidean in EPSG:25832 by default, along a street network when one is supplied
   (``indicators.walk_network``). Plus each cell's noise band (``indicators.noise``).
4. **Indicators** (:func:`coverage_counts`): per rode, numerator = residents within the
   threshold (or at/above the noise level), denominator = residents, as an ordinary
   counts frame for the store. Any other threshold is a filter on the precomputed
   distances (:func:`covered_by_rode`), so the app never recomputes geometry.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from os import PathLike
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml

from indicators import noise as noise_mod
from indicators.registry import Indicator

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
METRIC_CRS = "EPSG:25832"
WEB_CRS = "EPSG:4326"

FACILITY_COLUMNS = ["kind", "name", "category", "municipality", "source", "year", "geometry"]

COVERAGE_PATH = DATA_DIR / "coverage.yaml"

NOISE = "stoej"


@dataclass(frozen=True)
class FacilityKind:
    """A kind of facility and, when one ships, its default layer (``data/coverage.yaml``)."""

    code: str
    name_da: str
    name_en: str
    plural_da: str
    plural_en: str
    file: str | None = None  # relative to data/
    name_field: str | None = None
    category_field: str | None = None
    municipality_field: str | None = None
    year: int | None = None
    source: str = ""
    licence: str = ""
    polygonal: bool = False
    residential: bool = True
    #: The shipped layer is made-up demo data (its indicators are flagged synthetic).
    synthetic: bool = False

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" else self.name_da

    def plural(self, lang: str = "da") -> str:
        return self.plural_en if lang == "en" else self.plural_da


@dataclass(frozen=True)
class DistanceTarget:
    """What a distance is measured to: a facility kind, optionally with a minimum area."""

    code: str
    kind: str
    name_da: str
    name_en: str
    min_area_m2: float | None = None
    default_threshold_m: float | None = None

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" else self.name_da


@dataclass(frozen=True)
class Pollutant:
    """An air pollutant whose concentration layer can be loaded (``data/coverage.yaml``)."""

    code: str
    name_da: str
    name_en: str
    short: str
    unit: str
    #: A resident cell takes the value of the nearest point within this distance.
    max_distance_m: float
    file: str | None = None  # the shipped layer, relative to data/
    crs: str | None = None
    value_field: str | None = None
    year: int | None = None
    source: str = ""
    licence: str = ""
    synthetic: bool = False

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" else self.name_da


@dataclass(frozen=True)
class CoverageSpec:
    """One stored coverage indicator: target, threshold and where the threshold comes from.

    For distance targets a resident is covered when ``distance <= threshold`` (metres);
    for noise (``target == "stoej"``) a resident is counted when the cell's band lower
    edge is ``>= threshold`` (dB Lden, which must be a band edge); for an air pollutant
    (``air``) when the cell's annual mean concentration is ``> threshold`` (µg/m³), i.e.
    when it exceeds the guideline or limit value.
    """

    indicator: str
    target: str
    threshold: float
    threshold_source: str
    air: bool = False

    @property
    def is_noise(self) -> bool:
        return self.target == NOISE

    @property
    def is_air(self) -> bool:
        return self.air

    @property
    def unit(self) -> str:
        if self.air:
            return "µg/m³"
        return "dB" if self.is_noise else "m"


@dataclass(frozen=True)
class CoverageConfig:
    """The parsed ``data/coverage.yaml``."""

    facility_kinds: Mapping[str, FacilityKind]
    targets: Mapping[str, DistanceTarget]
    specs: tuple[CoverageSpec, ...]
    pollutants: Mapping[str, Pollutant]


class CoverageConfigError(ValueError):
    """``coverage.yaml`` is malformed."""


_KIND_LABELS = ("name_da", "name_en", "plural_da", "plural_en")
_KIND_OPTIONAL = (
    "file",
    "name_field",
    "category_field",
    "municipality_field",
    "year",
    "source",
    "polygonal",
    "residential",
    "synthetic",
)
_SOURCE_FIELDS = ("publisher", "layer", "licence")
_TARGET_FIELDS = ("kind", "name_da", "name_en", "default_threshold_m")
_SPEC_FIELDS = ("code", "target", "threshold", "threshold_source")
_POLLUTANT_FIELDS = ("name_da", "name_en", "short", "unit", "max_distance_m")
_POLLUTANT_OPTIONAL = ("file", "crs", "value_field", "year", "source", "synthetic")


def _fields(
    entry: object, where: str, required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, Any]:
    """``entry`` as a mapping with every required and no unknown field."""
    if not isinstance(entry, dict):
        raise CoverageConfigError(f"{where}: expected a mapping")
    missing = [f for f in required if f not in entry]
    if missing:
        raise CoverageConfigError(f"{where}: missing field(s) {', '.join(missing)}")
    unknown = sorted(set(entry) - set(required) - set(optional))
    if unknown:
        raise CoverageConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
    return entry


def _text(entry: Mapping[str, Any], name: str, where: str) -> str:
    value = entry[name]
    if not isinstance(value, str) or not value.strip():
        raise CoverageConfigError(f"{where}.{name}: expected non-empty text")
    return value.strip()


def _number(entry: Mapping[str, Any], name: str, where: str) -> float:
    value = entry[name]
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise CoverageConfigError(f"{where}.{name}: expected a number > 0")
    return float(value)


def _flag(entry: Mapping[str, Any], name: str, where: str, default: bool) -> bool:
    value = entry.get(name, default)
    if not isinstance(value, bool):
        raise CoverageConfigError(f"{where}.{name}: expected true or false")
    return value


def _section(doc: Mapping[str, Any], name: str, kind: type, source: str) -> Any:
    value = doc.get(name)
    if not isinstance(value, kind) or not value:
        what = "mapping" if kind is dict else "list"
        raise CoverageConfigError(f"{source}: expected a non-empty {what} '{name}'")
    return value


def _facility_kind(code: str, entry: object, where: str) -> FacilityKind:
    entry = _fields(entry, where, _KIND_LABELS, _KIND_OPTIONAL)
    if not code.replace("_", "").isalnum() or code.lower() != code or len(code) > 32:
        raise CoverageConfigError(f"{where}: use a lowercase code of letters/digits/_")
    labels = {f: _text(entry, f, where) for f in _KIND_LABELS}
    optional = {f: _text(entry, f, where) for f in _KIND_OPTIONAL[:4] if f in entry}
    year, source, licence = _year_and_source(entry, where)
    return FacilityKind(
        code,
        **labels,
        **optional,
        year=year,
        source=source,
        licence=licence,
        polygonal=_flag(entry, "polygonal", where, False),
        residential=_flag(entry, "residential", where, True),
        synthetic=_flag(entry, "synthetic", where, False),
    )


def _year_and_source(entry: Mapping[str, Any], where: str) -> tuple[int | None, str, str]:
    """A layer's year, its source text ("publisher, layer (year), licence; note") and licence."""
    year = entry.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise CoverageConfigError(f"{where}.year: expected a year")
    source = licence = ""
    if "source" in entry:
        source_where = f"{where}.source"
        raw = _fields(entry["source"], source_where, _SOURCE_FIELDS, ("note",))
        if year is None:
            raise CoverageConfigError(f"{where}: a source needs the layer's year")
        publisher, layer, licence = (_text(raw, f, source_where) for f in _SOURCE_FIELDS)
        source = f"{publisher}, {layer} ({year}), {licence}"
        if "note" in raw:
            source = f"{source}; {_text(raw, 'note', source_where)}"
    return year, source, licence


def _pollutant(code: str, entry: object, where: str) -> Pollutant:
    entry = _fields(entry, where, _POLLUTANT_FIELDS, _POLLUTANT_OPTIONAL)
    if not code.replace("_", "").isalnum() or code.lower() != code or len(code) > 16:
        raise CoverageConfigError(f"{where}: use a lowercase code of letters/digits/_")
    if code == NOISE:
        raise CoverageConfigError(f"{where}: {NOISE!r} is the noise target")
    labels = {f: _text(entry, f, where) for f in _POLLUTANT_FIELDS[:4]}
    optional = {f: _text(entry, f, where) for f in _POLLUTANT_OPTIONAL[:3] if f in entry}
    if "file" in optional and "value_field" not in optional:
        raise CoverageConfigError(f"{where}: a shipped file needs its value_field")
    year, source, licence = _year_and_source(entry, where)
    return Pollutant(
        code,
        **labels,
        max_distance_m=_number(entry, "max_distance_m", where),
        **optional,
        year=year,
        source=source,
        licence=licence,
        synthetic=_flag(entry, "synthetic", where, False),
    )


def _target(
    code: str, entry: object, where: str, kinds: Mapping[str, FacilityKind]
) -> DistanceTarget:
    entry = _fields(entry, where, _TARGET_FIELDS, ("min_area_m2",))
    kind = _text(entry, "kind", where)
    if kind not in kinds:
        raise CoverageConfigError(f"{where}.kind: {kind!r} is not a facility kind")
    return DistanceTarget(
        code,
        kind,
        _text(entry, "name_da", where),
        _text(entry, "name_en", where),
        min_area_m2=_number(entry, "min_area_m2", where) if "min_area_m2" in entry else None,
        default_threshold_m=_number(entry, "default_threshold_m", where),
    )


def _spec(
    entry: object,
    where: str,
    targets: Mapping[str, DistanceTarget],
    pollutants: Mapping[str, Pollutant],
) -> CoverageSpec:
    entry = _fields(entry, where, _SPEC_FIELDS)
    code, target = _text(entry, "code", where), _text(entry, "target", where)
    if target in pollutants:
        threshold = _number(entry, "threshold", where)
        return CoverageSpec(
            code, target, threshold, _text(entry, "threshold_source", where), air=True
        )
    if target != NOISE and target not in targets:
        raise CoverageConfigError(
            f"{where}.target: {target!r} is neither a target, a pollutant nor {NOISE}"
        )
    threshold = _number(entry, "threshold", where)
    if target == NOISE:
        try:
            noise_mod.check_threshold(threshold)
        except ValueError as exc:
            raise CoverageConfigError(f"{where}.threshold: {exc}") from None
    return CoverageSpec(code, target, threshold, _text(entry, "threshold_source", where))


def parse_config(text: str, source: str = "coverage.yaml") -> CoverageConfig:
    """Parse and validate a coverage document; raise :class:`CoverageConfigError` naming
    the file and the key of the first bad entry."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise CoverageConfigError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict):
        raise CoverageConfigError(f"{source}: expected a mapping")
    kinds = {
        str(code): _facility_kind(str(code), entry, f"{source}: facility_kinds.{code}")
        for code, entry in _section(doc, "facility_kinds", dict, source).items()
    }
    targets = {
        str(code): _target(str(code), entry, f"{source}: targets.{code}", kinds)
        for code, entry in _section(doc, "targets", dict, source).items()
    }
    raw_pollutants = doc.get("pollutants") or {}
    if not isinstance(raw_pollutants, dict):
        raise CoverageConfigError(f"{source}: expected a mapping 'pollutants'")
    pollutants = {
        str(code): _pollutant(str(code), entry, f"{source}: pollutants.{code}")
        for code, entry in raw_pollutants.items()
    }
    clash = sorted(set(pollutants) & set(targets))
    if clash:
        raise CoverageConfigError(f"{source}: pollutants.{clash[0]}: also a distance target")
    specs: list[CoverageSpec] = []
    for position, entry in enumerate(_section(doc, "indicators", list, source), start=1):
        spec = _spec(entry, f"{source}: indicators #{position}", targets, pollutants)
        if any(s.indicator == spec.indicator for s in specs):
            raise CoverageConfigError(
                f"{source}: indicators #{position}: duplicate code {spec.indicator!r}"
            )
        specs.append(spec)
    return CoverageConfig(kinds, targets, tuple(specs), pollutants)


def load_config(path: str | PathLike[str] | None = None) -> CoverageConfig:
    """The shipped configuration (``data/coverage.yaml``) or the one in ``path``."""
    config_path = Path(path) if path else COVERAGE_PATH
    return parse_config(config_path.read_text(encoding="utf-8"), config_path.name)


_CONFIG = load_config()

#: Every facility kind KEOB knows, keyed by code (the ``--kind`` of ``keob import
#: facilities``). Files are the shipped layers (data/SOURCES.md).
FACILITY_KINDS: dict[str, FacilityKind] = dict(_CONFIG.facility_kinds)

#: Kinds shipped with KEOB and loaded by ``keob seed``.
SHIPPED_KINDS: tuple[str, ...] = tuple(code for code, k in FACILITY_KINDS.items() if k.file)

#: Kinds whose polygons are not residential land (residents are not placed on them).
NON_RESIDENTIAL_KINDS: tuple[str, ...] = tuple(
    code for code, k in FACILITY_KINDS.items() if not k.residential
)

#: Distance targets precomputed for every resident cell (one column each).
TARGETS: dict[str, DistanceTarget] = dict(_CONFIG.targets)

#: The stored coverage indicators (codes as in data/criteria.yaml) with their defaults.
DEFAULT_SPECS: tuple[CoverageSpec, ...] = _CONFIG.specs

#: Air pollutants whose concentration layers can be loaded (``keob import air-quality``).
POLLUTANTS: dict[str, Pollutant] = dict(_CONFIG.pollutants)


def specs_with_thresholds(
    overrides: Mapping[str, float] | None = None,
    specs: Sequence[CoverageSpec] = DEFAULT_SPECS,
) -> tuple[CoverageSpec, ...]:
    """The specs with some thresholds replaced (keys: indicator code or target code).

    Raises ``ValueError`` on an unknown key, a non-positive distance or a noise level that
    is not a band edge.
    """
    overrides = dict(overrides or {})
    # A pollutant has several stored thresholds (WHO, EU), so only its indicator codes are keys.
    known = {s.indicator for s in specs} | {
        s.target for s in specs if not s.is_noise and not s.is_air
    }
    unknown = sorted(set(overrides) - known)
    if unknown:
        raise ValueError(f"unknown threshold key(s) {unknown}; known: {sorted(known)}")
    out = []
    for spec in specs:
        value = overrides.get(spec.indicator)
        if value is None and not spec.is_noise and not spec.is_air:
            value = overrides.get(spec.target)
        if value is None:
            out.append(spec)
            continue
        value = float(value)
        if spec.is_noise:
            noise_mod.check_threshold(value)
        elif not value > 0:
            raise ValueError(f"{spec.indicator}: the threshold must be positive")
        if value != spec.threshold:
            spec = replace(spec, threshold=value, threshold_source="valgt af brugeren")
        out.append(spec)
    return tuple(out)


def parse_thresholds(items: Iterable[str]) -> dict[str, float]:
    """``["legeplads=400", "stoej_58=63"]`` → ``{"legeplads": 400.0, "stoej_58": 63.0}``."""
    out: dict[str, float] = {}
    for item in items:
        for part in str(item).split(","):
            part = part.strip()
            if not part:
                continue
            key, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"threshold {part!r} is not KEY=VALUE")
            try:
                out[key.strip()] = float(value.strip().removesuffix("m").removesuffix("dB"))
            except ValueError as exc:
                raise ValueError(f"threshold {part!r}: {value!r} is not a number") from exc
    return out


# --------------------------------------------------------------------------- facilities


def _require_crs(gdf: gpd.GeoDataFrame | gpd.GeoSeries, what: str) -> None:
    if gdf.crs is None:
        raise ValueError(f"{what} has no CRS; set one explicitly (the shipped layers are 4326)")


def _clean(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = " ".join(str(value).split())
    return text or None


def load_facility_layer(
    path: str | PathLike[str],
    kind: str,
    *,
    name_field: str | None = None,
    category_field: str | None = None,
    municipality_field: str | None = None,
    year: int | None = None,
    source: str | None = None,
) -> gpd.GeoDataFrame:
    """Read one facility layer as the facility frame (:data:`FACILITY_COLUMNS`, EPSG:4326).

    Parameters
    ----------
    path
        Any vector file GDAL reads (GeoJSON, GeoPackage …) with a CRS.
    kind
        A facility kind; for the kinds in :data:`FACILITY_KINDS` the field names, year and
        source default to the shipped layer's. Other kinds are accepted as new kinds (a
        lowercase code of letters, digits and ``_``).
    name_field
        The attribute holding the facility's name; default the kind's, else the first of
        ``navn``, ``name``, ``parknavn`` present. Rows without a name are called
        "{kind name} {n}".

    Returns
    -------
    geopandas.GeoDataFrame
        Rows with a non-empty geometry only; polygons repaired with ``make_valid``;
        multi-points with one member become points.

    Raises
    ------
    ValueError
        If the file has no CRS, the kind code is malformed, a named field is missing, or
        no row has a geometry.
    """
    if not kind or not kind.replace("_", "").isalnum() or kind.lower() != kind or len(kind) > 32:
        raise ValueError(f"facility kind {kind!r}: use a lowercase code of letters/digits/_")
    spec = FACILITY_KINDS.get(kind)
    raw = gpd.read_file(path)
    _require_crs(raw, f"facility layer {path}")
    if raw.crs != WEB_CRS:
        raw = raw.to_crs(WEB_CRS)
    raw = raw[raw.geometry.notna() & ~raw.geometry.is_empty].reset_index(drop=True)
    if raw.empty:
        raise ValueError(f"facility layer {path} has no features with a geometry")

    def field(explicit: str | None, default: str | None, what: str) -> str | None:
        name = explicit or default
        if explicit and explicit not in raw.columns:
            raise ValueError(f"facility layer {path} has no {what} field {explicit!r}")
        return name if name in raw.columns else None

    name_col = field(name_field, spec.name_field if spec else None, "name")
    if name_col is None and not name_field:
        name_col = next((c for c in ("navn", "name", "parknavn") if c in raw.columns), None)
    category_col = field(category_field, spec.category_field if spec else None, "category")
    muni_col = field(municipality_field, spec.municipality_field if spec else None, "municipality")
    label = spec.name_da if spec else kind
    names = [_clean(v) for v in raw[name_col]] if name_col else [None] * len(raw)
    names = [n or f"{label} {i + 1}" for i, n in enumerate(names)]

    geoms = raw.geometry.to_numpy()
    polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
    if polygonal.any():
        fixed = shapely.make_valid(geoms[polygonal])
        geoms[polygonal] = [_polygonal(g) for g in fixed]
    single = (shapely.get_type_id(geoms) == 4) & (shapely.get_num_geometries(geoms) == 1)
    if single.any():
        geoms[single] = shapely.get_geometry(geoms[single], 0)
    out = gpd.GeoDataFrame(
        {
            "kind": kind,
            "name": names,
            "category": [_clean(v) for v in raw[category_col]] if category_col else None,
            "municipality": [_clean(v) for v in raw[muni_col]] if muni_col else None,
            "source": source or (spec.source if spec else f"{Path(path).name}"),
            "year": year if year is not None else (spec.year if spec else None),
        },
        geometry=gpd.GeoSeries(geoms, crs=WEB_CRS),
    )
    out = out[~out.geometry.is_empty].reset_index(drop=True)
    out["year"] = out["year"].astype("Int64")
    return out[FACILITY_COLUMNS]


def _polygonal(geom: Any) -> Any:
    if geom is None or geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def load_shipped_facilities(
    data_dir: str | PathLike[str] = DATA_DIR, kinds: Iterable[str] = SHIPPED_KINDS
) -> gpd.GeoDataFrame:
    """Every shipped facility layer in one frame (EPSG:4326)."""
    frames = []
    for code in kinds:
        spec = FACILITY_KINDS[code]
        if spec.file is None:
            continue
        frames.append(load_facility_layer(Path(data_dir) / spec.file, code))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=WEB_CRS)


def facilities_from_wkb(frame: pd.DataFrame) -> gpd.GeoDataFrame:
    """The store's facility rows (``geometry_wkb`` in EPSG:4326) as a facility frame."""
    geoms = shapely.from_wkb(frame["geometry_wkb"].to_numpy()) if len(frame) else []
    out = gpd.GeoDataFrame(
        frame.drop(columns=["geometry_wkb"]), geometry=gpd.GeoSeries(geoms, crs=WEB_CRS)
    )
    return out


def green_areas(
    parks: gpd.GeoDataFrame | gpd.GeoSeries,
    min_area_m2: float = 5_000.0,
    merge_gap_m: float = 0.0,
) -> np.ndarray:
    """Contiguous green areas of at least ``min_area_m2`` (EPSG:25832 polygons).

    Park polygons that touch or overlap (or lie within ``merge_gap_m`` of each other) are
    merged first, so a park drawn as several adjoining polygons counts with its whole
    area. Parks split by a street stay separate unless ``merge_gap_m`` bridges it.
    """
    _require_crs(parks, "parks")
    series = parks.geometry if isinstance(parks, gpd.GeoDataFrame) else parks
    metric = series.to_crs(METRIC_CRS).to_numpy()
    metric = metric[~(pd.isna(metric) | shapely.is_empty(metric))]
    if metric.size == 0:
        return np.array([], dtype=object)
    metric = shapely.make_valid(metric)
    if merge_gap_m > 0:
        merged = shapely.union_all(shapely.buffer(metric, merge_gap_m / 2))
        parts = shapely.get_parts(merged)
        parts = shapely.buffer(parts, -merge_gap_m / 2)
        parts = shapely.get_parts(parts)
    else:
        parts = shapely.get_parts(shapely.union_all(metric))
    parts = parts[np.isin(shapely.get_type_id(parts), [3, 6])]
    return parts[shapely.area(parts) >= min_area_m2]


def target_geometries(
    facilities: gpd.GeoDataFrame,
    targets: Iterable[str] = tuple(TARGETS),
) -> dict[str, np.ndarray]:
    """Metric geometries (EPSG:25832) per distance target, from a facility frame."""
    _require_crs(facilities, "facilities")
    metric = facilities.to_crs(METRIC_CRS) if facilities.crs != METRIC_CRS else facilities
    out: dict[str, np.ndarray] = {}
    for code in targets:
        target = TARGETS.get(code) or DistanceTarget(code, code, code, code)
        rows = metric[metric["kind"] == target.kind]
        if target.min_area_m2 is not None:
            out[code] = green_areas(rows, target.min_area_m2)
        else:
            geoms = rows.geometry.to_numpy()
            out[code] = geoms[~(pd.isna(geoms) | shapely.is_empty(geoms))]
    return out


# --------------------------------------------------------------------------- distances


def nearest_distance(x: np.ndarray, y: np.ndarray, geoms: np.ndarray) -> np.ndarray:
    """Euclidean distance (same units as the coordinates) from each point to the nearest
    geometry (0 inside a polygon); ``inf`` when there is no geometry at all.

    Polygons are measured to their boundary, split into two-point segments, plus a
    containment test: nearest-neighbour search over many small segments is several times
    faster than over a few large park polygons with thousands of vertices.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    out = np.full(x.size, np.inf)
    geoms = np.asarray(geoms, dtype=object)
    if geoms.size == 0 or x.size == 0:
        return out
    type_ids = shapely.get_type_id(geoms)
    if np.isin(type_ids, [0, 4]).all() and geoms.size <= _BRUTE_FORCE_MAX:
        return _nearest_point_distance(x, y, shapely.get_coordinates(geoms))
    points = shapely.points(x, y)
    polygonal = np.isin(type_ids, [3, 6])
    search = geoms[~polygonal]
    if polygonal.any():
        search = np.concatenate([search, _boundary_segments(geoms[polygonal])])
    if search.size:
        tree = shapely.STRtree(search)
        (src, _), dist = tree.query_nearest(points, return_distance=True, all_matches=False)
        out[src] = dist
    if polygonal.any():
        hits = shapely.STRtree(points).query(geoms[polygonal], predicate="intersects")
        out[np.unique(hits[1])] = 0.0
    return out


#: Up to this many point facilities, distances are computed exhaustively with numpy
#: (cells x facilities in chunks), which beats a spatial index for a few hundred points.
_BRUTE_FORCE_MAX = 2_000


def _nearest_point_distance(x: np.ndarray, y: np.ndarray, xy: np.ndarray) -> np.ndarray:
    out = np.empty(x.size)
    fx, fy = xy[:, 0], xy[:, 1]
    chunk = max(1, 4_000_000 // max(len(xy), 1))
    for start in range(0, x.size, chunk):
        dx = x[start : start + chunk, None] - fx[None, :]
        dy = y[start : start + chunk, None] - fy[None, :]
        out[start : start + chunk] = np.sqrt((dx * dx + dy * dy).min(axis=1))
    return out


def _boundary_segments(polygons: np.ndarray) -> np.ndarray:
    """The rings of ``polygons`` as two-point line segments."""
    rings = shapely.get_parts(shapely.boundary(polygons))
    coords, index = shapely.get_coordinates(rings, return_index=True)
    same = index[1:] == index[:-1]
    pairs = np.stack([coords[:-1][same], coords[1:][same]], axis=1)
    return shapely.linestrings(pairs)


def distance_table(
    cells: pd.DataFrame,
    geometries: Mapping[str, np.ndarray],
    network: Any = None,
    cutoff_m: float = 5_000.0,
) -> pd.DataFrame:
    """Distance in metres from every cell to the nearest geometry of each target.

    ``cells`` has ``x, y`` in EPSG:25832. With ``network`` (an
    ``indicators.walk_network.WalkNetwork``) distances are along the network (capped at
    ``cutoff_m``; farther is ``inf``), otherwise straight lines. Returns one ``float32``
    column per target, index aligned with ``cells``; ``attrs["method"]`` says which.
    """
    _check_metric_cells(cells)
    x = cells["x"].to_numpy(dtype=float)
    y = cells["y"].to_numpy(dtype=float)
    columns: dict[str, np.ndarray] = {}
    for code, geoms in geometries.items():
        if network is None:
            dist = nearest_distance(x, y, geoms)
        else:
            dist = network.distances(x, y, geoms, cutoff_m=cutoff_m)
        columns[code] = dist.astype(np.float32)
    table = pd.DataFrame(columns, index=cells.index)
    table.attrs["method"] = "euclidean" if network is None else "network"
    return table


def noise_bands(cells: pd.DataFrame, grid: noise_mod.NoiseGrid) -> np.ndarray:
    """Noise band lower edge (dB) at each cell centre: 0 = no band, NaN = outside grid."""
    _check_metric_cells(cells)
    return grid.sample(cells["x"].to_numpy(), cells["y"].to_numpy(), METRIC_CRS)


def _check_metric_cells(cells: pd.DataFrame) -> None:
    crs = cells.attrs.get("crs", METRIC_CRS)
    if crs != METRIC_CRS:
        raise ValueError(f"cells must be in {METRIC_CRS}, got {crs}")
    missing = [c for c in ("area_code", "x", "y", "residents") if c not in cells.columns]
    if missing:
        raise ValueError(f"cells lack column(s) {missing}")


# --------------------------------------------------------------------------- indicators


def covered_mask(
    values: np.ndarray, spec_or_threshold: CoverageSpec | float, is_noise: bool | None = None
) -> np.ndarray:
    """Boolean mask of covered (or exposed) cells for a spec or a bare threshold.

    Distances: ``<= threshold``; noise bands: ``>= threshold``; air concentrations (a
    spec with ``is_air``): ``> threshold``. NaN (off the map or layer) is never counted.
    """
    values = np.asarray(values, dtype=float)
    if isinstance(spec_or_threshold, CoverageSpec):
        threshold, noisy = spec_or_threshold.threshold, spec_or_threshold.is_noise
        if spec_or_threshold.is_air:
            with np.errstate(invalid="ignore"):
                return values > threshold
    else:
        threshold, noisy = float(spec_or_threshold), bool(is_noise)
    with np.errstate(invalid="ignore"):
        return values >= threshold if noisy else values <= threshold


def covered_by_rode(
    cells: pd.DataFrame,
    values: np.ndarray | pd.Series,
    threshold: float,
    is_noise: bool = False,
) -> pd.DataFrame:
    """Residents covered per rode for one threshold: the app's fast filter.

    ``values`` are the cells' distances (metres) or noise bands (dB). Returns
    ``area_code, numerator, denominator`` (residents within ``threshold``, or at or above
    it for noise; all residents).
    """
    return counts_by_rode(cells, covered_mask(np.asarray(values), threshold, is_noise))


def counts_by_rode(cells: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """``area_code, numerator, denominator``: residents of the ``mask`` cells, all residents."""
    residents = cells["residents"].to_numpy(dtype=float)
    frame = pd.DataFrame(
        {
            "area_code": cells["area_code"].to_numpy(),
            "numerator": np.where(mask, residents, 0.0),
            "denominator": residents,
        }
    )
    return frame.groupby("area_code", sort=True, as_index=False)[["numerator", "denominator"]].sum()


def coverage_counts(
    cells: pd.DataFrame,
    distances: pd.DataFrame,
    noise_db: np.ndarray | None,
    year: int,
    specs: Sequence[CoverageSpec] = DEFAULT_SPECS,
    residents: Mapping[str, float] | pd.Series | None = None,
    air: Mapping[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    """The stored coverage indicators per rode as a counts frame.

    Parameters
    ----------
    cells, distances, noise_db
        Resident cells, :func:`distance_table` and :func:`noise_bands` (row-aligned).
    year
        The year the observations are stored under (the population year).
    specs
        Indicators to compute; a spec whose target has no distance column (or noise
        without ``noise_db``) is skipped with a warning.
    residents
        Registered residents per rode. When given, each rode's denominator is exactly
        this number and the numerator is ``share × residents``, so the coverage
        indicators share their denominator with ``befolkning``; otherwise the sums of
        the cell weights are used.
    air
        Per pollutant, each cell's annual mean concentration (µg/m³, NaN = no value;
        :func:`indicators.air_quality.concentration_at`). An air spec whose pollutant
        has no layer is skipped with a warning.

    Returns
    -------
    pandas.DataFrame
        ``area_code, indicator, year, numerator, denominator`` (numerators rounded to
        0.001 resident; they are fractional because cells carry fractional residents).
    """
    frames = []
    for spec in specs:
        if spec.is_air:
            if not air or spec.target not in air:
                logger.warning("%s skipped: no %s layer", spec.indicator, spec.target)
                continue
            values = np.asarray(air[spec.target], dtype=float)
        elif spec.is_noise:
            if noise_db is None:
                logger.warning("%s skipped: no noise grid", spec.indicator)
                continue
            values = np.asarray(noise_db, dtype=float)
        else:
            if spec.target not in distances.columns:
                logger.warning("%s skipped: no distances to %s", spec.indicator, spec.target)
                continue
            values = distances[spec.target].to_numpy(dtype=float)
        counts = counts_by_rode(cells, covered_mask(values, spec))
        counts.insert(1, "indicator", spec.indicator)
        frames.append(counts)
    if not frames:
        return pd.DataFrame(columns=["area_code", "indicator", "year", "numerator", "denominator"])
    out = pd.concat(frames, ignore_index=True)
    if residents is not None:
        pops = pd.Series(residents, dtype=float)
        target = out["area_code"].map(pops)
        share = np.where(out["denominator"] > 0, out["numerator"] / out["denominator"], 0.0)
        known = target.notna().to_numpy()
        out.loc[known, "numerator"] = share[known] * target[known].to_numpy()
        out.loc[known, "denominator"] = target[known].to_numpy()
    out["numerator"] = out["numerator"].round(3)
    out["denominator"] = out["denominator"].round(3)
    out["year"] = int(year)
    return out[["area_code", "indicator", "year", "numerator", "denominator"]]


def source_text(
    spec: CoverageSpec,
    facility_sources: Mapping[str, str],
    cell_method: str,
    distance_method: str,
    population_note: str,
) -> str:
    """The ``source`` stored with each observation: data, threshold, method (≤ 500 chars).

    ``facility_sources`` maps facility kinds (and pollutant codes) to the stored layer's
    source text."""
    if spec.is_air:
        pollutant = POLLUTANTS.get(spec.target)
        data = facility_sources.get(spec.target, pollutant.source if pollutant else spec.target)
        short = pollutant.short if pollutant else spec.target
        rule = f"årsmiddel {short} > {spec.threshold:g} µg/m³ i nærmeste gitterpunkt"
    elif spec.is_noise:
        data = noise_mod.ATTRIBUTION_DA
        rule = f"båndets nedre grænse ≥ {spec.threshold:g} dB Lden"
    else:
        target = TARGETS.get(spec.target)
        data = facility_sources.get(target.kind if target else spec.target, spec.target)
        how = "ad stinettet" if distance_method == "network" else "i luftlinje (EPSG:25832)"
        rule = f"afstand {how} ≤ {spec.threshold:g} m"
    text = (
        f"{data}. {rule} ({spec.threshold_source}). Beboere: {population_note}, "
        f"fordelt {_cell_method_da(cell_method)}."
    )
    return text[:500]


def _cell_method_da(method: str) -> str:
    if method.startswith("grid-"):
        return f"jævnt på boligarealet i roden (gitter {method.removeprefix('grid-')})"
    return "på brugerleverede adressepunkter/gitterceller"


def summary_table(
    cells: pd.DataFrame,
    distances: pd.DataFrame,
    noise_db: np.ndarray | None,
    groups: Mapping[str, Iterable[str]],
    specs: Sequence[CoverageSpec] = DEFAULT_SPECS,
) -> pd.DataFrame:
    """Share of residents covered per named group of roder (e.g. udsatte vs the rest).

    Returns one row per group and indicator: ``group, indicator, covered, residents,
    share`` (share in percent).
    """
    rows = []
    counts = coverage_counts(cells, distances, noise_db, 0, specs)
    for name, codes in groups.items():
        part = counts[counts["area_code"].isin(set(codes))]
        for indicator, grp in part.groupby("indicator", sort=False):
            num, den = grp["numerator"].sum(), grp["denominator"].sum()
            rows.append(
                {
                    "group": name,
                    "indicator": indicator,
                    "covered": num,
                    "residents": den,
                    "share": 100.0 * num / den if den > 0 else np.nan,
                }
            )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- any threshold

#: Where the Dækning page's threshold starts, per target (noise: the Danish guideline).
TARGET_DEFAULT_THRESHOLDS: dict[str, float] = {
    **{code: t.default_threshold_m or 1000.0 for code, t in TARGETS.items()},
    NOISE: float(noise_mod.GUIDELINE_DB),
}


def stored_indicator_for(target: str, threshold: float) -> str | None:
    """The stored indicator that a target and threshold reproduce, if any (defaults)."""
    for spec in DEFAULT_SPECS:
        if spec.target == target and spec.threshold == float(threshold):
            return spec.indicator
    return None


def adhoc_indicator(target: str, threshold: float) -> Indicator:
    """A registry-style indicator for any target and threshold (the app's threshold filter).

    Its code is ``{target}_{threshold}`` (e.g. ``legeplads_400``); polarity is +1 for
    access and -1 for noise.
    """
    value = f"{threshold:g}"
    if target == NOISE:
        name_da = f"Vejstøj på {value} dB eller mere"
        name_en = f"Road noise of {value} dB or more"
        short_da, short_en = f"Vejstøj ≥ {value} dB", f"Road noise ≥ {value} dB"
        num_da = f"Beboere med vejstøj på mindst {value} dB"
        num_en = f"Residents with road noise of at least {value} dB"
        polarity = -1
        source = noise_mod.ATTRIBUTION_DA
    else:
        spec = TARGETS.get(target) or DistanceTarget(target, target, target, target)
        name_da = f"{spec.name_da} inden for {value} m"
        name_en = f"{spec.name_en} within {value} m"
        short_da = f"{spec.name_da} ≤ {value} m"
        short_en = f"{spec.name_en} ≤ {value} m"
        num_da = f"Beboere højst {value} m fra: {spec.name_da.lower()}"
        num_en = f"Residents at most {value} m from: {spec.name_en.lower()}"
        polarity = 1
        kind = FACILITY_KINDS.get(spec.kind)
        source = kind.source if kind else target
    return Indicator(
        code=f"{target}_{value}",
        kind="coverage",
        order=99,
        name_da=name_da,
        name_en=name_en,
        short_da=short_da,
        short_en=short_en,
        definition_da=f"Andel af beboerne: {name_da.lower()}.",
        definition_en=f"Share of residents: {name_en.lower()}.",
        numerator_da=num_da,
        numerator_en=num_en,
        denominator_da="Beboere",
        denominator_en="Residents",
        age_band="alle",
        unit="pct",
        decimals=1,
        polarity=polarity,
        basis="register",
        source=source,
    )


def area_comparison(
    cells: pd.DataFrame,
    values: np.ndarray | pd.Series,
    threshold: float,
    *,
    is_noise: bool,
    indicator: Indicator,
    year: int,
    membership: pd.DataFrame,
    area_codes: Iterable[str] | None,
    city_code: str = "kbh",
    synthetic: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """Areas against the rest of the city for one threshold, from the precomputed cells.

    Parameters
    ----------
    cells, values
        The resident cells and their distances (or noise bands), row-aligned.
    membership
        ``aggregate_code, member_code`` (roder per aggregate); ``area_codes`` picks the
        areas to return. ``None`` returns the roder themselves.
    synthetic
        Per rode: is its population synthetic (the flag travels to the aggregates).

    Returns
    -------
    pandas.DataFrame
        ``indicators.calculations.compare_with_rest`` columns for ``indicator.code`` and
        ``year``: value, rest_value, city_value, gap (percentage points), direction …
    """
    rode = covered_by_rode(cells, values, threshold, is_noise)
    return compare_rode_counts(
        rode,
        indicator=indicator,
        year=year,
        membership=membership,
        area_codes=area_codes,
        city_code=city_code,
        synthetic=synthetic,
    )


def compare_rode_counts(
    rode: pd.DataFrame,
    *,
    indicator: Indicator,
    year: int,
    membership: pd.DataFrame,
    area_codes: Iterable[str] | None,
    city_code: str = "kbh",
    synthetic: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """:func:`area_comparison` from per-rode counts (the output of :func:`covered_by_rode`)."""
    from indicators import calculations as calc

    rode = rode[["area_code", "numerator", "denominator"]].copy()
    rode.insert(1, "indicator", indicator.code)
    rode.insert(2, "year", int(year))
    rode["synthetic"] = rode["area_code"].map(dict(synthetic or {})).fillna(False).astype(bool)
    members = membership[["aggregate_code", "member_code"]]
    city_members = members[members["aggregate_code"] == city_code]
    if city_members.empty:
        city_members = pd.DataFrame({"aggregate_code": city_code, "member_code": rode["area_code"]})
    city = calc.aggregate_counts(rode, city_members)
    if area_codes is None:
        counts = rode.assign(members_reporting=1, members_total=1)
    else:
        wanted = set(area_codes)
        counts = calc.aggregate_counts(rode, members[members["aggregate_code"].isin(wanted)])
    registry = {indicator.code: indicator}
    return calc.compare_with_rest(counts, city, registry)


def compare_levels(
    rode: pd.DataFrame,
    *,
    indicator: Indicator,
    year: int,
    membership: pd.DataFrame,
    areas_by_level: Mapping[str, pd.DataFrame],
    city_code: str = "kbh",
    synthetic: Mapping[str, bool] | None = None,
) -> pd.DataFrame:
    """Every area of every level against the rest of the city, as one frame.

    ``rode`` is :func:`covered_by_rode` at one threshold; ``areas_by_level`` maps each
    level to its areas (``code, name``), ``rode`` first. The frame (``level``,
    ``area_name``, ``indicator``, ``year`` added) is what the Dækning page protects in
    one pass (``indicators.disclosure.protect_against_published``): a kvarter minus its
    roder on another view is as much a subtraction as on one.
    """
    frames = []
    for level, areas in areas_by_level.items():
        frame = compare_rode_counts(
            rode,
            indicator=indicator,
            year=year,
            membership=membership,
            area_codes=None if level == "rode" else list(areas["code"]),
            city_code=city_code,
            synthetic=synthetic,
        )
        names = areas[["code", "name"]].rename(columns={"code": "area_code", "name": "area_name"})
        frame = frame.merge(names, on="area_code", how="right")
        frame["level"] = level
        frames.append(frame)
    joint = pd.concat(frames, ignore_index=True)
    joint["indicator"] = indicator.code
    joint["year"] = int(year)
    joint["synthetic"] = joint["synthetic"].fillna(False).astype(bool)
    return joint
