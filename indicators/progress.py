"""Progress toward 2035: the gap to the rest of the city, its trend and projection.

'Politik for udsatte byområder 2025-2035' states its ambition as fewer udsatte byområder
in 2035 and no boligområde at risk of the state lists; it follows progress on the eight
criteria but sets **no target for the gap** of any criterion (see
``data/gap_targets.yaml``). So by default there is no target path: each criterion's
status is the direction of its gap. A target path exists only when somebody configures
one in ``data/gap_targets.yaml`` (with its source and who set it); it is then an
*assumption*, and only then is there an "on track" / "off track".

Terms (all in the criterion's unit, percentage points for shares)

``gap``
    area value minus rest-of-city value (``calculations.compare_with_rest``).
``disadvantage``
    the gap turned so that positive means *the area is worse*: ``-polarity * gap``.
    Trends, projections and target paths are on this scale, so "down is good" for every
    criterion whatever its polarity.
``baseline``
    the disadvantage in the baseline year: 2025 by default (the newest designation), or
    the latest year before it with data.
``measurements``
    the years with a value. Survey criteria are measured on their own cadence (the
    Sundhedsprofil every 4 years), so a series may have 2-3 measurements; missing years
    are never filled in.
``projection``
    an ordinary least-squares line through the measurements of the latest year and the
    ``fit_years`` years before it, extended to the policy horizon (2035), with a
    prediction interval (Student t, ``confidence``) for a single future year. It needs
    ``min_points`` (3) measurements: two points give a line but no way to judge it.
``status``
    ``insufficient_data`` with fewer than ``min_points`` measurements ("for få
    målinger"); else, without a configured target, ``no_gap`` when the area is not worse
    than the rest now and is not projected to be in 2035, or the direction of the gap:
    ``narrowing`` / ``widening`` when the slope's ``confidence`` interval lies wholly
    below / above 0, ``within_noise`` when it contains 0. With a configured target:
    ``on_track`` when the projection at the next target year is at or below the assumed
    target, ``off_track`` when above; ``certain`` says whether the whole prediction band
    lies on the same side.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from indicators.intervals import t_value
from indicators.registry import CRITERIA_CODES

DEFAULT_BASELINE_YEAR = 2025
POLICY_HORIZON = 2035
#: The designations of udsatte byområder the policies made (every 4 years; domain.md §2).
POLICY_DESIGNATION_VINTAGES = (2017, 2021, 2025)
ALL_AREAS = "ub-alle"
GAP_TARGETS_PATH = Path(__file__).resolve().parent.parent / "data" / "gap_targets.yaml"

TREND_STATUSES = ("narrowing", "widening", "within_noise", "no_gap", "insufficient_data")
TARGET_STATUSES = ("on_track", "off_track")
STATUSES = (*TREND_STATUSES, *TARGET_STATUSES)
STATUS_LABELS_DA = {
    "narrowing": "Forskellen mindskes",
    "widening": "Forskellen øges",
    "within_noise": "Ingen sikker retning",
    "no_gap": "Ikke dårligere end resten af byen",
    "insufficient_data": "For få målinger",
    "on_track": "På sporet mod antaget mål",
    "off_track": "Ikke på sporet mod antaget mål",
}
STATUS_LABELS_EN = {
    "narrowing": "Gap narrowing",
    "widening": "Gap widening",
    "within_noise": "No certain direction",
    "no_gap": "Not worse than the rest of the city",
    "insufficient_data": "Too few measurements",
    "on_track": "On track for assumed target",
    "off_track": "Off track for assumed target",
}
ASSUMPTION_DA = "antagelse, ikke et mål i Politik for udsatte byområder 2025-2035"
EPS = 1e-9


# ------------------------------------------------------------------ configured target paths


class GapTargetError(ValueError):
    """``gap_targets.yaml`` is malformed."""


@dataclass(frozen=True)
class TargetPoint:
    """One point of an assumed path: a year and either a share of the baseline or a gap."""

    year: int
    share_of_baseline: float | None = None
    gap: float | None = None

    def value(self, start: float) -> float:
        if self.share_of_baseline is not None:
            return self.share_of_baseline * start
        return float(self.gap)  # type: ignore[arg-type]


@dataclass(frozen=True)
class GapTarget:
    """An assumed target path for one criterion and area, with who set it and where.

    The path runs linearly from the baseline disadvantage (clipped at 0: an area that is
    not worse is not allowed to get worse by a share of nothing) through the points after
    the baseline year, and stays at the last point after it.
    """

    criterion: str
    points: tuple[TargetPoint, ...]
    source: str
    set_by: str
    area: str = ALL_AREAS
    note: str = ""

    def path(self, baseline_year: int, baseline: float, years: np.ndarray) -> np.ndarray:
        """The assumed largest disadvantage allowed in ``years``; NaN before the baseline."""
        yr = np.asarray(years, dtype=float)
        start = max(float(baseline), 0.0)
        ahead = [p for p in self.points if p.year > baseline_year]
        if not ahead:  # every point is at or before the baseline: the last one holds
            values = np.full(yr.shape, self.points[-1].value(start))
        else:
            xs = [float(baseline_year)] + [float(p.year) for p in ahead]
            ys = [start] + [p.value(start) for p in ahead]
            values = np.interp(yr, xs, ys)
        return np.where(yr >= baseline_year, values, np.nan)

    def next_year(self, year: int) -> int:
        """The first target year after ``year`` (the last one when none is left)."""
        later = [p.year for p in self.points if p.year > year]
        return later[0] if later else self.points[-1].year

    def describe(self) -> str:
        """The assumption label carried into the table and every download."""
        return f"{ASSUMPTION_DA}; sat af {self.set_by}; kilde: {self.source}"


_ENTRY_KEYS = {"criterion", "area", "points", "source", "set_by", "note"}


def _text(entry: Mapping[str, Any], key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GapTargetError(f"{where}: {key} must be a non-empty text")
    return value.strip()


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _point(raw: object, where: str) -> TargetPoint:
    if not isinstance(raw, dict) or set(raw) - {"year", "share_of_baseline", "gap"}:
        raise GapTargetError(f"{where}: a point has year and share_of_baseline or gap")
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise GapTargetError(f"{where}: year must be a whole year")
    share, gap = raw.get("share_of_baseline"), raw.get("gap")
    if (share is None) == (gap is None):
        raise GapTargetError(f"{where}: give exactly one of share_of_baseline and gap")
    if share is not None and not (_number(share) and 0.0 <= float(share) <= 1.0):
        raise GapTargetError(f"{where}: share_of_baseline must lie in [0, 1]")
    if gap is not None and not _number(gap):
        raise GapTargetError(f"{where}: gap must be a number")
    return TargetPoint(
        year,
        None if share is None else float(share),
        None if gap is None else float(gap),
    )


def parse_gap_targets(text: str, source: str = "gap_targets.yaml") -> tuple[GapTarget, ...]:
    """Parse and validate the target configuration; raise :class:`GapTargetError`."""
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("targets"), list):
        raise GapTargetError(f"{source}: expected a mapping with a list 'targets'")
    out: list[GapTarget] = []
    seen: set[tuple[str, str]] = set()
    for i, entry in enumerate(doc["targets"]):
        where = f"{source}: targets[{i}]"
        if not isinstance(entry, dict):
            raise GapTargetError(f"{where}: expected a mapping")
        unknown = sorted(set(entry) - _ENTRY_KEYS)
        if unknown:
            raise GapTargetError(f"{where}: unknown keys {unknown}")
        criterion = entry.get("criterion")
        if criterion not in CRITERIA_CODES:
            raise GapTargetError(f"{where}: criterion must be one of {list(CRITERIA_CODES)}")
        area = entry.get("area", ALL_AREAS)
        if not isinstance(area, str) or not area:
            raise GapTargetError(f"{where}: area must be an area code")
        raw_points = entry.get("points")
        if not isinstance(raw_points, list) or not raw_points:
            raise GapTargetError(f"{where}: points must be a non-empty list")
        points = tuple(_point(p, f"{where}.points[{j}]") for j, p in enumerate(raw_points))
        years = [p.year for p in points]
        if years != sorted(set(years)):
            raise GapTargetError(f"{where}: point years must strictly increase")
        if (criterion, area) in seen:
            raise GapTargetError(f"{where}: a second target for {criterion} in {area}")
        seen.add((criterion, area))
        note = entry.get("note", "")
        out.append(
            GapTarget(
                criterion=criterion,
                points=points,
                source=_text(entry, "source", where),
                set_by=_text(entry, "set_by", where),
                area=area,
                note=str(note or ""),
            )
        )
    return tuple(out)


@lru_cache(maxsize=4)
def load_gap_targets(path: str | None = None) -> tuple[GapTarget, ...]:
    """The shipped configuration (``data/gap_targets.yaml``; empty) or the one in ``path``."""
    target_path = Path(path) if path else GAP_TARGETS_PATH
    return parse_gap_targets(target_path.read_text(encoding="utf-8"), target_path.name)


@dataclass(frozen=True)
class ProgressSettings:
    baseline_year: int = DEFAULT_BASELINE_YEAR
    targets: tuple[GapTarget, ...] = ()
    fit_years: int = 8
    min_points: int = 3
    confidence: float = 0.9
    horizon: int = POLICY_HORIZON

    def target(self, area: str, indicator: str) -> GapTarget | None:
        """The configured (assumed) target of ``indicator`` in ``area``, if any."""
        for t in self.targets:
            if t.criterion == indicator and t.area == area:
                return t
        return None


# ------------------------------------------------------------------ calculation


def disadvantage(gap: np.ndarray | pd.Series, polarity: np.ndarray | pd.Series) -> np.ndarray:
    """``-polarity * gap``: positive where the area is worse than the rest of the city."""
    return -np.asarray(polarity, dtype=float) * np.asarray(gap, dtype=float)


def _series_frame(comparison: pd.DataFrame) -> pd.DataFrame:
    need = ["area_code", "indicator", "year", "gap", "polarity"]
    missing = [c for c in need if c not in comparison.columns]
    if missing:
        raise ValueError(f"comparison frame lacks {missing}")
    df = comparison[[c for c in comparison.columns if c in (*need, "area_name")]].copy()
    df = df[np.isfinite(df["gap"].to_numpy(dtype=float))]
    df["disadvantage"] = disadvantage(df["gap"], df["polarity"])
    return df.reset_index(drop=True)


def _fit_window(df: pd.DataFrame, keys: list[str], fit_years: int) -> pd.DataFrame:
    """The measurements of each series' latest year and the ``fit_years`` years before it.

    Inclusive, so a survey every 4th year has 3 measurements in the window (2017, 2021,
    2025), not 2.
    """
    latest = df.groupby(keys)["year"].transform("max")
    return df[df["year"] >= latest - fit_years]


def _ols(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per series: n, x mean, Sxx, slope, intercept (at x mean), residual SD."""
    x = df["year"].to_numpy(dtype=float)
    y = df["disadvantage"].to_numpy(dtype=float)
    work = df[keys].copy()
    work["n"] = 1.0
    work["x"], work["y"] = x, y
    work["xx"], work["xy"], work["yy"] = x * x, x * y, y * y
    s = work.groupby(keys, sort=True).sum()
    first = df.groupby(keys, sort=True)["year"].min()
    n = s["n"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        xm, ym = s["x"].to_numpy() / n, s["y"].to_numpy() / n
        sxx = s["xx"].to_numpy() - n * xm * xm
        sxy = s["xy"].to_numpy() - n * xm * ym
        syy = s["yy"].to_numpy() - n * ym * ym
        slope = np.where(sxx > EPS, sxy / sxx, np.nan)
        sse = np.clip(syy - slope * sxy, 0.0, None)
        resid_sd = np.where(n > 2, np.sqrt(sse / (n - 2)), np.nan)
    return pd.DataFrame(
        {"n": n.astype(int), "first_year": first.to_numpy(dtype=int), "x_mean": xm,
         "y_mean": ym, "sxx": sxx, "slope": slope, "resid_sd": resid_sd},
        index=s.index,
    )  # fmt: skip


def _t(n: np.ndarray, confidence: float) -> np.ndarray:
    df = n - 2
    tq = np.full(len(n), np.nan)
    for d in np.unique(df[df > 0]):
        tq[df == d] = t_value(float(d), confidence)
    return tq


def _predict(fit: pd.DataFrame, x0: np.ndarray, confidence: float) -> tuple[np.ndarray, ...]:
    n = fit["n"].to_numpy()
    point = fit["y_mean"].to_numpy() + fit["slope"].to_numpy() * (x0 - fit["x_mean"].to_numpy())
    tq = _t(n, confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = fit["resid_sd"].to_numpy() * np.sqrt(
            1.0 + 1.0 / n + (x0 - fit["x_mean"].to_numpy()) ** 2 / fit["sxx"].to_numpy()
        )
    return point, point - tq * se, point + tq * se


def _slope_interval(fit: pd.DataFrame, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    tq = _t(fit["n"].to_numpy(), confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = fit["resid_sd"].to_numpy() / np.sqrt(fit["sxx"].to_numpy())
    slope = fit["slope"].to_numpy()
    return slope - tq * se, slope + tq * se


def _trend(enough: np.ndarray, low: np.ndarray, high: np.ndarray, no_gap: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        down, up = high < -EPS, low > EPS
    return np.select(
        [~enough, no_gap, down, up],
        ["insufficient_data", "no_gap", "narrowing", "widening"],
        default="within_noise",
    )


def _fit_columns(out: pd.DataFrame) -> pd.DataFrame:
    """The OLS columns of a progress frame, named as :func:`_predict` expects."""
    return out[["n", "x_mean", "y_mean", "sxx", "slope", "resid_sd"]]


def _apply_targets(out: pd.DataFrame, settings: ProgressSettings) -> pd.DataFrame:
    """Assumed-target columns and on/off-track status for the rows with a configured target."""
    nan = np.nan
    cols = {
        "assumed_target": "", "assumed_target_year": nan, "assumed_target_value": nan,
        "assumed_target_now": nan, "assumed_target_2035": nan, "projected_at_target": nan,
        "projected_at_target_low": nan, "projected_at_target_high": nan,
    }  # fmt: skip
    for col, default in cols.items():
        out[col] = default
    out["certain"] = False
    for i in out.index:
        row = out.loc[i]
        target = settings.target(str(row["area_code"]), str(row["indicator"]))
        if target is None or not np.isfinite(row["baseline_year"]):
            continue
        base_year, base = int(row["baseline_year"]), float(row["baseline_disadvantage"])
        year = target.next_year(int(row["latest_year"]))
        values = target.path(base_year, base, np.array([year, row["latest_year"], 2035]))
        out.loc[i, "assumed_target"] = target.describe()
        out.loc[i, "assumed_target_year"] = year
        out.loc[i, "assumed_target_value"] = values[0]
        out.loc[i, "assumed_target_now"] = values[1]
        out.loc[i, "assumed_target_2035"] = values[2]
        if row["status"] == "insufficient_data":
            continue
        point, low, high = _predict(
            _fit_columns(out.loc[[i]]), np.array([float(year)]), settings.confidence
        )
        out.loc[i, ["projected_at_target", "projected_at_target_low"]] = [point[0], low[0]]
        out.loc[i, "projected_at_target_high"] = high[0]
        on = point[0] <= values[0] + EPS
        out.loc[i, "status"] = "on_track" if on else "off_track"
        out.loc[i, "certain"] = bool(high[0] <= values[0] + EPS or low[0] > values[0] + EPS)
    return out


def progress_table(
    comparison: pd.DataFrame,
    settings: ProgressSettings | None = None,
    areas: Sequence[str] | None = None,
    indicators: Sequence[str] | None = CRITERIA_CODES,
) -> pd.DataFrame:
    """One row per area and criterion: baseline, now, change, trend, projection, status.

    ``comparison`` is ``calculations.compare_with_rest`` output (``area_code, indicator,
    year, gap, polarity``; ``area_name`` optional). ``areas`` limits the areas (e.g.
    ``ub-alle`` and the byområder); ``indicators`` defaults to the eight criteria
    (``None`` keeps every indicator). The ``assumed_target*`` columns are empty unless
    ``settings.targets`` configures a target for the row.
    """
    settings = settings or ProgressSettings()
    df = _series_frame(comparison)
    if areas is not None:
        df = df[df["area_code"].isin(list(areas))]
    if indicators is not None:
        df = df[df["indicator"].isin(list(indicators))]
    keys = ["area_code", "indicator"]
    if df.empty:
        return pd.DataFrame(columns=[*keys, "status"])
    df = df.sort_values([*keys, "year"]).reset_index(drop=True)
    # Baseline: the requested year, else the latest year before it with data.
    before = df[df["year"] <= settings.baseline_year]
    base_idx = before.groupby(keys)["year"].idxmax()
    base = before.loc[base_idx, [*keys, "year", "gap", "disadvantage"]].rename(
        columns={"year": "baseline_year", "gap": "baseline_gap",
                 "disadvantage": "baseline_disadvantage"}
    )  # fmt: skip
    last_idx = df.groupby(keys)["year"].idxmax()
    last = df.loc[last_idx, [*keys, "year", "gap", "disadvantage", "polarity"]].rename(
        columns={"year": "latest_year", "gap": "latest_gap", "disadvantage": "latest_disadvantage"}
    )
    counted = df.groupby(keys).size().rename("measurements").reset_index()
    fit = _ols(_fit_window(df, keys, settings.fit_years), keys).reset_index()
    out = (
        last.merge(base, on=keys, how="left")
        .merge(counted, on=keys, how="left")
        .merge(fit, on=keys, how="left")
    )
    if "area_name" in df.columns:
        names = df.drop_duplicates(keys)[[*keys, "area_name"]]
        out = out.merge(names, on=keys, how="left")
    out["change"] = out["latest_disadvantage"] - out["baseline_disadvantage"]
    out["gap_change"] = out["latest_gap"] - out["baseline_gap"]

    enough = (out["n"].to_numpy() >= settings.min_points) & np.isfinite(
        out["baseline_year"].to_numpy(dtype=float)
    )
    horizon = np.maximum(out["latest_year"].to_numpy(dtype=float), float(settings.horizon))
    point, low, high = _predict(_fit_columns(out), horizon, settings.confidence)
    slope_low, slope_high = _slope_interval(_fit_columns(out), settings.confidence)
    out["projection_year"] = horizon.astype(int)
    for col, values in (("projected", point), ("projected_low", low), ("projected_high", high),
                        ("slope_low", slope_low), ("slope_high", slope_high)):  # fmt: skip
        out[col] = np.where(enough, values, np.nan)
    out["slope"] = np.where(enough, out["slope"], np.nan)
    with np.errstate(invalid="ignore"):
        no_gap = (out["latest_disadvantage"].to_numpy() <= EPS) & (point <= EPS)
    out["trend"] = _trend(enough, slope_low, slope_high, no_gap)
    out["status"] = out["trend"]
    out = _apply_targets(out, settings)
    out["status_da"] = out["status"].map(STATUS_LABELS_DA)
    out["confidence"] = settings.confidence
    out = out.rename(columns={"n": "fit_points", "first_year": "fit_first_year"})
    lead = [
        *keys, *(["area_name"] if "area_name" in out else []), "polarity", "baseline_year",
        "baseline_gap", "baseline_disadvantage", "latest_year", "latest_gap",
        "latest_disadvantage", "change", "gap_change", "measurements", "fit_points",
        "fit_first_year", "slope", "slope_low", "slope_high", "projection_year", "projected",
        "projected_low", "projected_high", "trend", "assumed_target", "assumed_target_year",
        "assumed_target_value", "assumed_target_now", "assumed_target_2035",
        "projected_at_target", "projected_at_target_low", "projected_at_target_high",
        "status", "certain", "status_da", "confidence",
    ]  # fmt: skip
    return out[lead].sort_values(keys).reset_index(drop=True)


def projection_series(
    comparison: pd.DataFrame,
    area_code: str,
    indicator: str,
    settings: ProgressSettings | None = None,
    until: int | None = None,
) -> pd.DataFrame:
    """Year-by-year series for a chart: observed, fitted line with band, assumed target.

    Columns: ``year``, ``observed`` (disadvantage in the measurement years only; NaN in
    years without a measurement, never interpolated), ``fitted``, ``low``, ``high`` (the
    prediction band, from the latest measurement to ``until``, default the horizon;
    only with ``min_points`` measurements in the window), ``target`` (the configured,
    assumed path from the baseline year on; NaN throughout when none is configured).
    """
    settings = settings or ProgressSettings()
    until = settings.horizon if until is None else until
    df = _series_frame(comparison)
    df = df[(df["area_code"] == area_code) & (df["indicator"] == indicator)].sort_values("year")
    if df.empty:
        return pd.DataFrame(columns=["year", "observed", "fitted", "low", "high", "target"])
    first, latest = int(df["year"].min()), int(df["year"].max())
    years = np.arange(first, max(until, latest) + 1)
    out = pd.DataFrame({"year": years})
    out = out.merge(df[["year", "disadvantage"]].rename(columns={"disadvantage": "observed"}),
                    on="year", how="left")  # fmt: skip
    window = _fit_window(df, ["indicator"], settings.fit_years)
    out["fitted"] = out["low"] = out["high"] = np.nan
    if len(window) >= settings.min_points:
        fit = _ols(window.assign(_k=0), ["_k"])
        reps = pd.concat([fit] * len(years), ignore_index=True)
        point, low, high = _predict(reps, years.astype(float), settings.confidence)
        shown = years >= int(window["year"].min())
        out.loc[shown, "fitted"] = point[shown]
        future = years >= latest
        out.loc[future, "low"] = low[future]
        out.loc[future, "high"] = high[future]
    out["target"] = np.nan
    target = settings.target(area_code, indicator)
    before = df[df["year"] <= settings.baseline_year]
    if target is not None and not before.empty:
        base_row = before.iloc[-1]
        out["target"] = target.path(
            int(base_row["year"]), float(base_row["disadvantage"]), years.astype(float)
        )
    return out


# ------------------------------------------------------------------ designations over time


def designation_over_time(
    population: pd.DataFrame,
    city_population: pd.DataFrame,
    exclude: Sequence[str] = ("ub-alle",),
) -> pd.DataFrame:
    """Designated areas and their residents per year and designation vintage.

    ``population``: ``vintage, area_code, year, residents`` (the residents inside each
    designated area as that vintage drew it). ``city_population``: ``year, residents``.
    Returns ``vintage, year, areas, residents, city_residents, share`` (percent of the
    city) and ``in_force`` (the vintage is the newest at or before the year; years before
    the first vintage are shown for it too, marked not in force).
    """
    pop = population[~population["area_code"].isin(list(exclude))]
    agg = (
        pop.groupby(["vintage", "year"], sort=True)
        .agg(areas=("area_code", "nunique"), residents=("residents", "sum"))
        .reset_index()
    )
    city = city_population.rename(columns={"residents": "city_residents"})[
        ["year", "city_residents"]
    ]
    agg = agg.merge(city, on="year", how="left")
    agg["share"] = 100.0 * agg["residents"] / agg["city_residents"]
    vintages = np.array(sorted(agg["vintage"].unique()))
    in_force = []
    for v, y in zip(agg["vintage"], agg["year"], strict=True):
        eligible = vintages[vintages <= y]
        in_force.append(bool(len(eligible) and eligible.max() == v))
    agg["in_force"] = in_force
    agg["residents"] = agg["residents"].round().astype(int)
    return agg


def designation_from_monitor(monitor) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    """:func:`designation_over_time` for a ``indicators.services.monitor.Monitor``'s store."""
    frames = []
    for vintage in monitor.vintages() or [None]:
        counts = monitor.counts("udsat_byomraade", vintage)
        pop = counts[counts["indicator"] == "befolkning"]
        frames.append(
            pd.DataFrame(
                {
                    "vintage": vintage if vintage is not None else 0,
                    "area_code": pop["area_code"].to_numpy(),
                    "year": pop["year"].to_numpy(dtype=int),
                    "residents": pop["numerator"].to_numpy(dtype=float),
                }
            )
        )
    population = pd.concat(frames, ignore_index=True)
    city = monitor.city_counts()
    city = city[city["indicator"] == "befolkning"]
    city_pop = pd.DataFrame({"year": city["year"].to_numpy(dtype=int),
                             "residents": city["numerator"].to_numpy(dtype=float)})  # fmt: skip
    return designation_over_time(population, city_pop)
