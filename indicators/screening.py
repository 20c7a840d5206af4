"""Designation screening: a status and dynamics index over base units (roder or kvarterer).

An explainable index in the manner of Berlin's Monitoring Soziale Stadtentwicklung
(MSS), with the parameters in ``data/screening.yaml`` and the method in
``docs/screening.md``:

1. **Values.** Each of the eight criteria per unit, *polarity-aligned* so that a higher
   value is always more udsat (a share where higher is better, e.g. youth education, is
   negated). Values come from the *published* (disclosure-controlled) comparison, so the
   index never reveals a suppressed figure; a value whose denominator is below
   ``min_denominator`` counts as missing.
2. **Eligibility.** Units with fewer than ``min_population`` residents are not classified
   ("ikke klassificeret"), nor units whose criteria with a value carry less than
   ``min_weight_share`` of the weight.
3. **Status.** Each criterion's z-score over the classified units (mean 0, SD 1, population
   SD); the weighted sum of the z-scores (rescaled to the full weight when a criterion is
   missing); the *status index* is the z-score of that sum. Classes at -1, +1 and +1.5 SD.
4. **Dynamics.** The same for the change of each criterion over ``dynamic_years`` years
   (percentage points, aligned): positive = getting more udsat. Classes at +-1 SD.
5. **Proposed designation.** Classified units with a status index at or above
   ``designation.threshold`` are grouped by polygon adjacency (a precomputed edge list);
   groups with fewer than ``min_group_population`` residents are dropped.
6. **Comparison** with the current designation (the newest ``ub-*`` membership): which
   units would enter or leave, and which criteria drive it (the largest weighted
   z-scores; for a unit that would leave, the smallest).

Pure pandas/numpy/shapely functions on frames; :func:`run` wires them to a ``Monitor``.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
import yaml

from indicators.registry import CRITERIA_CODES, Indicator, load_registry

if TYPE_CHECKING:  # pragma: no cover
    from indicators.services.monitor import Monitor

CONFIG_PATH = Path(__file__).resolve().parent.parent / "data" / "screening.yaml"
METRIC_CRS = "EPSG:25832"
WEB_CRS = "EPSG:4326"
POPULATION = "befolkning"
NOT_CLASSIFIED = "ikke_klassificeret"
LEVELS = ("rode", "kvarter")
CHANGES = ("enter", "leave", "stay", "none")


# ---------------------------------------------------------------------------------- config


@dataclass(frozen=True)
class Band:
    """One class: values below ``upper`` (and at or above the previous band's upper)."""

    code: str
    upper: float | None
    label_da: str
    label_en: str

    def label(self, lang: str = "da") -> str:
        return self.label_en if lang == "en" else self.label_da


@dataclass(frozen=True)
class ScreeningConfig:
    weights: Mapping[str, float]
    min_denominator: Mapping[str, float]
    min_weight_share: float
    min_population: float
    status_classes: tuple[Band, ...]
    dynamic_years: int
    dynamic_classes: tuple[Band, ...]
    threshold: float
    min_group_population: float
    tolerance_m: float
    min_shared_boundary_m: float
    kvarter_designated_share: float
    drivers: int

    def criteria(self) -> list[str]:
        """The criteria with a positive weight, in the registry's order."""
        return [c for c in CRITERIA_CODES if self.weights.get(c, 0) > 0]


class ScreeningConfigError(ValueError):
    """``screening.yaml`` is malformed."""


def _number(doc: Mapping[str, Any], key: str, where: str, minimum: float = 0.0) -> float:
    value = doc.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum:
        raise ScreeningConfigError(f"{where}: {key} must be a number >= {minimum}")
    return float(value)


def _bands(raw: object, where: str) -> tuple[Band, ...]:
    if not isinstance(raw, list) or not raw:
        raise ScreeningConfigError(f"{where}: expected a list of classes")
    bands = []
    for i, entry in enumerate(raw):
        if not isinstance(entry, dict) or not {"code", "upper", "label_da", "label_en"} <= set(
            entry
        ):
            raise ScreeningConfigError(f"{where}[{i}]: needs code, upper, label_da, label_en")
        upper = entry["upper"]
        if upper is not None and (isinstance(upper, bool) or not isinstance(upper, int | float)):
            raise ScreeningConfigError(f"{where}[{i}]: upper must be a number or null")
        bands.append(
            Band(
                str(entry["code"]),
                None if upper is None else float(upper),
                str(entry["label_da"]),
                str(entry["label_en"]),
            )
        )
    uppers = [b.upper for b in bands]
    if uppers[-1] is not None or any(u is None for u in uppers[:-1]):
        raise ScreeningConfigError(f"{where}: only the last class may (and must) be open")
    if any(a >= b for a, b in itertools.pairwise(uppers[:-1])):
        raise ScreeningConfigError(f"{where}: upper bounds must increase")
    return tuple(bands)


def parse_config(text: str, source: str = "screening.yaml") -> ScreeningConfig:
    """Parse and validate a screening configuration; raise :class:`ScreeningConfigError`."""
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict):
        raise ScreeningConfigError(f"{source}: expected a mapping")
    weights = doc.get("weights")
    if not isinstance(weights, dict):
        raise ScreeningConfigError(f"{source}: weights must map criteria to numbers")
    unknown = sorted(set(weights) - set(CRITERIA_CODES))
    if unknown:
        raise ScreeningConfigError(f"{source}: unknown criteria in weights: {unknown}")
    weights = {str(c): _number(weights, c, f"{source}: weights") for c in weights}
    if not any(w > 0 for w in weights.values()):
        raise ScreeningConfigError(f"{source}: at least one weight must be positive")
    min_den = doc.get("min_denominator") or {}
    if not isinstance(min_den, dict) or set(min_den) - {"register", "survey"}:
        raise ScreeningConfigError(f"{source}: min_denominator has register and survey")
    designation = doc.get("designation") or {}
    contiguity = doc.get("contiguity") or {}
    share = _number(doc, "min_weight_share", source)
    kvarter_share = _number(doc, "kvarter_designated_share", source)
    if share > 1 or kvarter_share > 1:
        raise ScreeningConfigError(f"{source}: shares must be between 0 and 1")
    return ScreeningConfig(
        weights=weights,
        min_denominator={k: _number(min_den, k, source) for k in min_den},
        min_weight_share=share,
        min_population=_number(doc, "min_population", source),
        status_classes=_bands(doc.get("status_classes"), f"{source}: status_classes"),
        dynamic_years=int(_number(doc, "dynamic_years", source, minimum=1)),
        dynamic_classes=_bands(doc.get("dynamic_classes"), f"{source}: dynamic_classes"),
        threshold=float(designation.get("threshold", 1.0)),
        min_group_population=_number(designation, "min_group_population", f"{source}"),
        tolerance_m=_number(contiguity, "tolerance_m", source),
        min_shared_boundary_m=_number(contiguity, "min_shared_boundary_m", source),
        kvarter_designated_share=kvarter_share,
        drivers=int(_number(doc, "drivers", source, minimum=1)),
    )


@lru_cache(maxsize=4)
def load_config(path: str | None = None) -> ScreeningConfig:
    """The shipped configuration (``data/screening.yaml``) or the one in ``path``."""
    config_path = Path(path) if path else CONFIG_PATH
    return parse_config(config_path.read_text(encoding="utf-8"), config_path.name)


# ---------------------------------------------------------------------------------- index


def aligned_values(
    comparison: pd.DataFrame,
    year: int,
    config: ScreeningConfig,
    registry: Mapping[str, Indicator],
) -> pd.DataFrame:
    """Criterion values of ``year`` per unit (rows) and criterion (columns), higher = more
    udsat; NaN where missing, suppressed or on too small a denominator."""
    criteria = config.criteria()
    rows = comparison[(comparison["year"] == year) & comparison["indicator"].isin(criteria)]
    rows = rows.dropna(subset=["value"])
    floors = np.array(
        [config.min_denominator.get(registry[c].basis, 0.0) for c in rows["indicator"]],
        dtype=float,
    )
    rows = rows[rows["denominator"].to_numpy(dtype=float) >= floors]
    sign = np.array([-float(registry[c].polarity) for c in rows["indicator"]], dtype=float)
    if rows.empty:
        return pd.DataFrame(columns=criteria, dtype=float)
    wide = (
        rows.assign(aligned=rows["value"] * sign)
        .pivot_table(index="area_code", columns="indicator", values="aligned", aggfunc="first")
        .reindex(columns=criteria)
    )
    wide.columns.name = None
    return wide


def population(comparison: pd.DataFrame, year: int) -> pd.Series:
    """Residents per unit in ``year`` (the ``befolkning`` count; NaN if suppressed)."""
    rows = comparison[(comparison["indicator"] == POPULATION) & (comparison["year"] == year)]
    return rows.set_index("area_code")["numerator"].astype(float)


def zscores(values: pd.DataFrame) -> pd.DataFrame:
    """Column-wise z-scores over the rows with a value (population SD); a constant
    column scores 0."""
    mean = values.mean()
    sd = values.std(ddof=0)
    z = (values - mean) / sd.where(sd > 0, np.nan)
    for column in sd.index[~(sd > 0)]:
        z[column] = values[column].where(values[column].isna(), 0.0)
    return z


def weighted_index(
    z: pd.DataFrame, weights: Mapping[str, float], min_weight_share: float
) -> tuple[pd.Series, pd.Series]:
    """``(weighted sum, index)``: the sum of weighted z-scores, rescaled to the full weight
    when some are missing (NaN below ``min_weight_share``), and its z-score."""
    w = pd.Series({c: float(weights.get(c, 0.0)) for c in z.columns})
    present = z.notna()
    carried = present.mul(w, axis=1).sum(axis=1)
    total = float(w.sum())
    weighted = z.mul(w, axis=1).sum(axis=1, min_count=1)
    rescaled = weighted * total / carried.replace(0.0, np.nan)
    rescaled[carried < min_weight_share * total - 1e-12] = np.nan
    sd = rescaled.std(ddof=0)
    index = (rescaled - rescaled.mean()) / sd if sd and sd > 0 else rescaled * 0.0
    return rescaled, index


def classify(index: pd.Series, bands: Sequence[Band]) -> pd.Series:
    """Class code of each index value (``upper`` exclusive); NaN → ``ikke_klassificeret``."""
    out = pd.Series(NOT_CLASSIFIED, index=index.index, dtype=object)
    lower = -np.inf
    for band in bands:
        upper = np.inf if band.upper is None else band.upper
        out[(index >= lower) & (index < upper)] = band.code
        lower = upper
    return out


def screen(
    comparison: pd.DataFrame,
    year: int,
    config: ScreeningConfig | None = None,
    registry: Mapping[str, Indicator] | None = None,
) -> pd.DataFrame:
    """The status and dynamics index of every unit in ``comparison`` for ``year``.

    ``comparison`` has one level's rows (``area_code, indicator, year, value,
    denominator, numerator``), ideally ``Monitor.published_comparison``.

    Returns one row per unit: ``area_code, year, population, classified, reason``
    (``population``, ``criteria`` or ``""``), ``n_criteria, status_sum, status_index,
    status_class, dynamic_index, dynamic_class``, the status z-score ``z_<criterion>``
    and weighted contribution ``c_<criterion>`` of each criterion, and the dynamic
    z-score ``dz_<criterion>``.
    """
    config = config or load_config()
    registry = registry or load_registry()
    criteria = config.criteria()
    units = pd.Index(sorted(comparison["area_code"].unique()), name="area_code")
    now = aligned_values(comparison, year, config, registry).reindex(units)
    people = population(comparison, year).reindex(units)
    big_enough = people >= config.min_population
    weights = {c: config.weights[c] for c in criteria}
    total = sum(weights.values())
    carried = now.notna().mul(pd.Series(weights), axis=1).sum(axis=1)
    enough_criteria = carried >= config.min_weight_share * total - 1e-12
    eligible = big_enough & enough_criteria

    z = zscores(now[eligible]).reindex(units)
    status_sum, status_index = weighted_index(z[eligible], weights, config.min_weight_share)
    status_sum, status_index = status_sum.reindex(units), status_index.reindex(units)

    before = aligned_values(comparison, year - config.dynamic_years, config, registry)
    change = (now - before.reindex(units)).where(eligible, axis=0)
    dz = zscores(change[eligible]).reindex(units)
    _, dynamic_index = weighted_index(dz[eligible], weights, config.min_weight_share)
    dynamic_index = dynamic_index.reindex(units)

    out = pd.DataFrame(index=units)
    out["year"] = year
    out["population"] = people
    out["classified"] = eligible & status_index.notna()
    out["reason"] = np.where(~big_enough, "population", np.where(~enough_criteria, "criteria", ""))
    out["n_criteria"] = now.notna().sum(axis=1)
    out["status_sum"] = status_sum
    out["status_index"] = status_index
    out["status_class"] = classify(status_index, config.status_classes)
    out["dynamic_index"] = dynamic_index
    out["dynamic_class"] = classify(dynamic_index, config.dynamic_classes)
    for c in criteria:
        out[f"z_{c}"] = z[c]
        out[f"c_{c}"] = z[c] * weights[c]
        out[f"dz_{c}"] = dz[c]
    return out.reset_index()


def status_dynamic_matrix(screened: pd.DataFrame, config: ScreeningConfig) -> pd.DataFrame:
    """Units and residents per status class × dynamic class (classified units only).

    Rows in ``status_classes`` order, columns in ``dynamic_classes`` order plus
    ``ikke_klassificeret`` for units without a dynamic (no value two years earlier).
    """
    classified = screened[screened["classified"]]
    rows = [b.code for b in config.status_classes]
    cols = [b.code for b in config.dynamic_classes] + [NOT_CLASSIFIED]
    index = pd.MultiIndex.from_product([rows, cols], names=["status_class", "dynamic_class"])
    grouped = classified.groupby(["status_class", "dynamic_class"]).agg(
        units=("area_code", "size"), population=("population", "sum")
    )
    out = grouped.reindex(index, fill_value=0).reset_index()
    out["units"] = out["units"].astype(int)
    return out


# ---------------------------------------------------------------------------------- adjacency


def adjacency(
    codes: Sequence[str],
    geometries: Sequence[Any],
    *,
    crs: str = WEB_CRS,
    tolerance_m: float = 2.0,
    min_shared_boundary_m: float = 0.0,
) -> pd.DataFrame:
    """The neighbour pairs of a set of polygons as an edge list ``a, b`` (``a < b``).

    Geometries are reprojected to EPSG:25832; two units are neighbours when they lie
    within ``tolerance_m`` of each other (digitising gaps and slivers are common between
    roder) and, if ``min_shared_boundary_m`` > 0, share at least that much border (so
    corner contact does not count).
    """
    import geopandas as gpd

    codes = list(codes)
    series = gpd.GeoSeries(list(geometries), crs=crs).to_crs(METRIC_CRS)
    geoms = series.to_numpy()
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=tolerance_m)
    keep = left < right
    left, right = left[keep], right[keep]
    if min_shared_boundary_m > 0 and left.size:
        grown = shapely.buffer(geoms[left], tolerance_m)
        shared = shapely.length(shapely.intersection(grown, shapely.boundary(geoms[right])))
        keep = shared >= min_shared_boundary_m
        left, right = left[keep], right[keep]
    a = np.array(codes, dtype=object)[left]
    b = np.array(codes, dtype=object)[right]
    edges = pd.DataFrame({"a": np.minimum(a, b), "b": np.maximum(a, b)})
    return edges.drop_duplicates().sort_values(["a", "b"]).reset_index(drop=True)


def components(nodes: Sequence[str], edges: pd.DataFrame) -> dict[str, int]:
    """Connected components of ``nodes`` using only edges between them: node → group
    number (1, 2, … in order of each group's first node)."""
    parent = {n: n for n in nodes}

    def find(n: str) -> str:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for a, b in edges[["a", "b"]].itertuples(index=False):
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    numbers: dict[str, int] = {}
    out = {}
    for n in nodes:
        root = find(n)
        out[n] = numbers.setdefault(root, len(numbers) + 1)
    return out


def propose(screened: pd.DataFrame, edges: pd.DataFrame, config: ScreeningConfig) -> pd.DataFrame:
    """The proposed designation: contiguous groups of classified units at or above the
    threshold, with at least ``min_group_population`` residents.

    Returns ``area_code, selected, group, group_population, proposed``; ``group`` is 0
    for units not selected; groups are numbered by decreasing population.
    """
    out = screened[["area_code", "population", "classified", "status_index"]].copy()
    out["selected"] = out["classified"] & (out["status_index"] >= config.threshold)
    chosen = out.loc[out["selected"], "area_code"].tolist()
    raw = components(chosen, edges)
    out["group"] = out["area_code"].map(raw).fillna(0).astype(int)
    pops = out[out["group"] > 0].groupby("group")["population"].sum()
    ranked = {
        g: i + 1 for i, g in enumerate(pops.sort_values(ascending=False, kind="stable").index)
    }
    out["group"] = out["group"].map(lambda g: ranked.get(g, 0))
    out["group_population"] = out["group"].map(
        out[out["group"] > 0].groupby("group")["population"].sum()
    )
    out["proposed"] = out["selected"] & (out["group_population"] >= config.min_group_population)
    return out[["area_code", "selected", "group", "group_population", "proposed"]]


# ---------------------------------------------------------------------------------- current


def current_designation(
    membership: pd.DataFrame,
    level: str,
    rode_population: pd.Series | None = None,
    config: ScreeningConfig | None = None,
) -> pd.DataFrame:
    """Which units belong to the current designation (the newest ``ub-*`` membership).

    ``membership`` has ``aggregate_code, member_code`` (roder) of every aggregate. At
    rode level a rode is designated when it is a member of an udsat byområde; at kvarter
    level when at least ``kvarter_designated_share`` of its residents
    (``rode_population``) live in designated roder.

    Returns ``area_code, current, current_area`` (the ``ub-*`` code, or "").
    """
    config = config or load_config()
    ub = membership[
        membership["aggregate_code"].str.startswith("ub-")
        & (membership["aggregate_code"] != "ub-alle")
    ]
    rode_area = ub.drop_duplicates("member_code").set_index("member_code")["aggregate_code"]
    if level == "rode":
        out = pd.DataFrame({"area_code": rode_area.index, "current_area": rode_area.to_numpy()})
        out["current"] = True
        return out[["area_code", "current", "current_area"]]
    if level != "kvarter":
        raise ValueError(f"screening runs on roder or kvarterer, not {level!r}")
    kv = membership[membership["aggregate_code"].str.match(r"^K\d")][
        ["aggregate_code", "member_code"]
    ].copy()
    pop = rode_population if rode_population is not None else pd.Series(dtype=float)
    kv["population"] = kv["member_code"].map(pop).fillna(0.0)
    kv["ub"] = kv["member_code"].map(rode_area).fillna("")
    rows = []
    for code, group in kv.groupby("aggregate_code"):
        total = group["population"].sum()
        inside = group[group["ub"] != ""]
        share = inside["population"].sum() / total if total > 0 else 0.0
        main = inside.groupby("ub")["population"].sum().idxmax() if not inside.empty else ""
        current = share >= config.kvarter_designated_share and share > 0
        rows.append((code, bool(current), main if current else ""))
    return pd.DataFrame(rows, columns=["area_code", "current", "current_area"])


def compare(
    screened: pd.DataFrame,
    proposal: pd.DataFrame,
    current: pd.DataFrame,
    config: ScreeningConfig | None = None,
) -> pd.DataFrame:
    """Screening + proposal + current designation per unit, with the change and drivers.

    ``change`` is ``enter`` (proposed, not designated now), ``leave`` (designated now, not
    proposed), ``stay`` or ``none``. ``driver_1 … driver_n`` name the criteria with the
    largest weighted z-scores (for ``leave``: the smallest, i.e. what pulls the unit
    below the threshold), with their z-scores in ``driver_i_z``.
    """
    config = config or load_config()
    out = screened.merge(proposal, on="area_code", how="left").merge(
        current[["area_code", "current", "current_area"]], on="area_code", how="left"
    )
    out["current"] = out["current"].fillna(False).astype(bool)
    out["current_area"] = out["current_area"].fillna("")
    out["proposed"] = out["proposed"].fillna(False).astype(bool)
    out["change"] = np.select(
        [
            out["proposed"] & ~out["current"],
            ~out["proposed"] & out["current"],
            out["proposed"] & out["current"],
        ],
        ["enter", "leave", "stay"],
        default="none",
    )
    criteria = config.criteria()
    contributions = out[[f"c_{c}" for c in criteria]].to_numpy(dtype=float)
    zs = out[[f"z_{c}" for c in criteria]].to_numpy(dtype=float)
    leaving = (out["change"] == "leave").to_numpy()
    for i in range(config.drivers):
        out[f"driver_{i + 1}"] = ""
        out[f"driver_{i + 1}_z"] = np.nan
    for row in range(len(out)):
        values = contributions[row]
        present = np.flatnonzero(~np.isnan(values))
        if present.size == 0:
            continue
        ordered = present[np.argsort(values[present], kind="stable")]
        if not leaving[row]:
            ordered = ordered[::-1]
        for i, col in enumerate(ordered[: config.drivers]):
            out.loc[row, f"driver_{i + 1}"] = criteria[col]
            out.loc[row, f"driver_{i + 1}_z"] = zs[row, col]
    return out


# ---------------------------------------------------------------------------------- wiring


@dataclass(frozen=True)
class ScreeningResult:
    """Everything one screening run produces."""

    level: str
    year: int
    units: pd.DataFrame  # one row per unit: screen + proposal + current + change + drivers
    edges: pd.DataFrame  # the adjacency edge list (a, b)
    matrix: pd.DataFrame  # status × dynamic counts
    config: ScreeningConfig

    def summary(self) -> dict[str, Any]:
        u = self.units
        classes = u["status_class"].value_counts().to_dict()
        return {
            "level": self.level,
            "year": self.year,
            "units": len(u),
            "classified": int(u["classified"].sum()),
            "status_classes": {
                b.code: int(classes.get(b.code, 0)) for b in self.config.status_classes
            }
            | {NOT_CLASSIFIED: int(classes.get(NOT_CLASSIFIED, 0))},
            "proposed": int(u["proposed"].sum()),
            "proposed_groups": int(u.loc[u["proposed"], "group"].nunique()),
            "current": int(u["current"].sum()),
            "enter": int((u["change"] == "enter").sum()),
            "leave": int((u["change"] == "leave").sum()),
            "stay": int((u["change"] == "stay").sum()),
        }


def latest_year(comparison: pd.DataFrame, config: ScreeningConfig) -> int:
    """The newest year with criterion values."""
    rows = comparison[comparison["indicator"].isin(config.criteria()) & comparison["value"].notna()]
    if rows.empty:
        raise ValueError("no criterion values to screen")
    return int(rows["year"].max())


def run(
    monitor: Monitor,
    year: int | None = None,
    level: str = "rode",
    config: ScreeningConfig | None = None,
) -> ScreeningResult:
    """Screen ``level`` (``rode`` or ``kvarter``) in ``year`` (default: the newest) on the
    published figures of ``monitor``'s store."""
    if level not in LEVELS:
        raise ValueError(f"screening runs on {' or '.join(LEVELS)}, not {level!r}")
    config = config or load_config()
    comparison = monitor.published_comparison(level)
    newest = latest_year(comparison, config)
    year = newest if year is None else int(year)
    if not ((comparison["year"] == year) & comparison["value"].notna()).any():
        raise ValueError(f"no criterion values for {level} in {year} (newest: {newest})")
    screened = screen(comparison, year, config, monitor.registry)
    geoms = monitor.area_geometries(level)
    geoms = geoms[geoms["geometry_wkb"].notna()]
    edges = adjacency(
        geoms["code"].tolist(),
        shapely.from_wkb(geoms["geometry_wkb"].to_numpy()),
        tolerance_m=config.tolerance_m,
        min_shared_boundary_m=config.min_shared_boundary_m,
    )
    proposal = propose(screened, edges, config)
    membership = monitor.membership()
    rode_pop = population(monitor.published_comparison("rode"), year)
    current = current_designation(membership, level, rode_pop, config)
    units = compare(screened, proposal, current, config)
    names = monitor.areas([level])[["code", "name"]].rename(
        columns={"code": "area_code", "name": "area_name"}
    )
    units = units.merge(names, on="area_code", how="left")
    units.insert(1, "area_name", units.pop("area_name"))
    units.insert(2, "level", level)
    matrix = status_dynamic_matrix(units, config)
    return ScreeningResult(level, year, units, edges, matrix, config)


#: Columns of the CSV export, in order (criterion columns follow).
EXPORT_COLUMNS = (
    "area_code",
    "area_name",
    "level",
    "year",
    "population",
    "classified",
    "reason",
    "n_criteria",
    "status_index",
    "status_class",
    "dynamic_index",
    "dynamic_class",
    "current",
    "current_area",
    "selected",
    "group",
    "group_population",
    "proposed",
    "change",
)


def export_frame(result: ScreeningResult) -> pd.DataFrame:
    """The units as the CSV of ``keob screening run`` (booleans as ``true``/``false``)."""
    criteria = result.config.criteria()
    drivers = [
        col
        for i in range(result.config.drivers)
        for col in (f"driver_{i + 1}", f"driver_{i + 1}_z")
    ]
    columns = [
        *EXPORT_COLUMNS,
        *drivers,
        *(f"z_{c}" for c in criteria),
        *(f"dz_{c}" for c in criteria),
    ]
    out = result.units[columns].copy()
    for col in ("classified", "current", "selected", "proposed"):
        out[col] = np.where(out[col].fillna(False).astype(bool), "true", "false")
    out["group"] = out["group"].fillna(0).astype(int)
    return out
