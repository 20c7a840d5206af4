"""Progress toward 2035: the gap to the rest of the city against a target path.

Politik for udsatte byområder 2025-2035 measures progress as the gap between the areas
and the rest of the city. No published formula defines the target, so it is a
parameter: by default the gap at the baseline is **halved by 2030 and closed by 2035**,
linearly in between (:data:`DEFAULT_TARGET`), per criterion overridable.

Terms (all in the criterion's unit, percentage points for shares)

``gap``
    area value minus rest-of-city value (``calculations.compare_with_rest``).
``disadvantage``
    the gap turned so that positive means *the area is worse*: ``-polarity * gap``.
    The target path and the projection are on this scale, so "down is good" for every
    criterion whatever its polarity.
``baseline``
    the disadvantage in the baseline year: 2025 by default (the newest designation), or
    the latest year before it with data.
``projection``
    an ordinary least-squares line through the disadvantage of the latest
    ``fit_years`` years with data, extended to the next milestone, with a prediction
    interval (Student t, ``confidence``) for a single future year.
``status``
    ``on_track`` when the projected disadvantage at the next milestone is at or below the
    target there, ``off_track`` when above, ``no_gap`` when the area was not worse than
    the rest at the baseline and is projected to stay so, ``insufficient_data`` with
    fewer than ``min_points`` years. ``certain`` says whether the whole prediction band
    lies on the same side of the target.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from indicators.intervals import t_value
from indicators.registry import CRITERIA_CODES

DEFAULT_BASELINE_YEAR = 2025
STATUSES = ("on_track", "off_track", "no_gap", "insufficient_data")
STATUS_LABELS_DA = {
    "on_track": "På sporet",
    "off_track": "Ikke på sporet",
    "no_gap": "Ingen forskel at lukke",
    "insufficient_data": "For få tal",
}
EPS = 1e-9


@dataclass(frozen=True)
class Target:
    """The share of the baseline disadvantage allowed at each milestone year.

    The path is linear from the baseline (1.0) through the milestones; after the last
    milestone it stays there.
    """

    milestones: tuple[tuple[int, float], ...] = ((2030, 0.5), (2035, 0.0))

    def __post_init__(self) -> None:
        years = [y for y, _ in self.milestones]
        if not years or years != sorted(years) or len(set(years)) != len(years):
            raise ValueError("milestones need strictly increasing years")
        if any(not 0.0 <= f <= 1.0 for _, f in self.milestones):
            raise ValueError("milestone fractions must lie in [0, 1]")

    def fraction(self, baseline_year: int | np.ndarray, year: int | np.ndarray) -> np.ndarray:
        """Share of the baseline disadvantage the path allows in ``year`` (vectorised)."""
        base, yr = np.broadcast_arrays(
            np.asarray(baseline_year, dtype=float), np.asarray(year, dtype=float)
        )
        out = np.ones(base.shape)
        for b in np.unique(base[np.isfinite(base)]):
            mask = base == b
            xs = [b] + [float(y) for y, _ in self.milestones if y > b]
            fs = [1.0] + [f for y, f in self.milestones if y > b]
            out[mask] = np.where(yr[mask] >= b, np.interp(yr[mask], xs, fs), 1.0)
        out[~np.isfinite(base)] = np.nan
        return out

    def next_milestone(self, year: int | np.ndarray) -> int | np.ndarray:
        """The first milestone after ``year`` (the last milestone when none is left)."""
        years = np.array([y for y, _ in self.milestones])
        pos = np.searchsorted(years, np.asarray(year), side="right")
        out = years[np.minimum(pos, len(years) - 1)]
        return int(out) if out.ndim == 0 else out


DEFAULT_TARGET = Target()


@dataclass(frozen=True)
class ProgressSettings:
    baseline_year: int = DEFAULT_BASELINE_YEAR
    targets: Mapping[str, Target] = field(default_factory=dict)
    default_target: Target = DEFAULT_TARGET
    fit_years: int = 8
    min_points: int = 3
    confidence: float = 0.9

    def target(self, indicator: str) -> Target:
        return self.targets.get(indicator, self.default_target)


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


def _ols(df: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Per series: n, x mean, Sxx, slope, intercept (at x mean), residual SD."""
    x = df["year"].to_numpy(dtype=float)
    y = df["disadvantage"].to_numpy(dtype=float)
    work = df[keys].copy()
    work["n"] = 1.0
    work["x"], work["y"] = x, y
    work["xx"], work["xy"], work["yy"] = x * x, x * y, y * y
    s = work.groupby(keys, sort=True).sum()
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
        {"n": n.astype(int), "x_mean": xm, "y_mean": ym, "sxx": sxx, "slope": slope,
         "resid_sd": resid_sd},
        index=s.index,
    )  # fmt: skip


def _predict(fit: pd.DataFrame, x0: np.ndarray, confidence: float) -> tuple[np.ndarray, ...]:
    n = fit["n"].to_numpy()
    point = fit["y_mean"].to_numpy() + fit["slope"].to_numpy() * (x0 - fit["x_mean"].to_numpy())
    df = n - 2
    tq = np.full(len(n), np.nan)
    for d in np.unique(df[df > 0]):
        tq[df == d] = t_value(float(d), confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        se = fit["resid_sd"].to_numpy() * np.sqrt(
            1.0 + 1.0 / n + (x0 - fit["x_mean"].to_numpy()) ** 2 / fit["sxx"].to_numpy()
        )
    return point, point - tq * se, point + tq * se


def progress_table(
    comparison: pd.DataFrame,
    settings: ProgressSettings | None = None,
    areas: Sequence[str] | None = None,
    indicators: Sequence[str] | None = CRITERIA_CODES,
) -> pd.DataFrame:
    """One row per area and criterion: baseline, now, change, target, projection, status.

    ``comparison`` is ``calculations.compare_with_rest`` output (``area_code, indicator,
    year, gap, polarity``; ``area_name`` optional). ``areas`` limits the areas (e.g.
    ``ub-alle`` and the byområder); ``indicators`` defaults to the eight criteria
    (``None`` keeps every indicator).
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
    latest_year = df.groupby(keys)["year"].transform("max")
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
    window = df[df["year"] > latest_year - settings.fit_years]
    fit = _ols(window, keys).reset_index()
    out = last.merge(base, on=keys, how="left").merge(fit, on=keys, how="left")
    if "area_name" in df.columns:
        names = df.drop_duplicates(keys)[[*keys, "area_name"]]
        out = out.merge(names, on=keys, how="left")
    out["change"] = out["latest_disadvantage"] - out["baseline_disadvantage"]
    out["gap_change"] = out["latest_gap"] - out["baseline_gap"]

    base_year = out["baseline_year"].to_numpy(dtype=float)
    latest = out["latest_year"].to_numpy(dtype=int)
    start = np.clip(out["baseline_disadvantage"].to_numpy(dtype=float), 0.0, None)
    milestone = np.zeros(len(out), dtype=int)
    frac_next = np.full(len(out), np.nan)
    frac_now = np.full(len(out), np.nan)
    frac_2035 = np.full(len(out), np.nan)
    indicator = out["indicator"].to_numpy()
    for ind in pd.unique(indicator):
        m = indicator == ind
        t = settings.target(ind)
        milestone[m] = t.next_milestone(latest[m])
        frac_next[m] = t.fraction(base_year[m], milestone[m])
        frac_now[m] = t.fraction(base_year[m], latest[m])
        frac_2035[m] = t.fraction(base_year[m], 2035)
    out["milestone_year"] = milestone
    out["target_milestone"] = start * frac_next
    out["target_now"] = start * frac_now
    out["target_2035"] = start * frac_2035
    point, low, high = _predict(_fit_columns(out), milestone.astype(float), settings.confidence)
    enough = (out["n"].fillna(0).to_numpy() >= settings.min_points) & np.isfinite(base_year)
    out["projected"] = np.where(enough, point, np.nan)
    out["projected_low"] = np.where(enough, low, np.nan)
    out["projected_high"] = np.where(enough, high, np.nan)
    out["ahead_of_path_now"] = out["latest_disadvantage"] <= out["target_now"] + EPS

    target = out["target_milestone"].to_numpy(dtype=float)
    proj = out["projected"].to_numpy(dtype=float)
    no_gap_at_base = out["baseline_disadvantage"].to_numpy(dtype=float) <= EPS
    on = proj <= target + EPS
    status = np.where(
        ~enough,
        "insufficient_data",
        np.where(on & no_gap_at_base, "no_gap", np.where(on, "on_track", "off_track")),
    )
    out["status"] = status
    lo, hi = out["projected_low"].to_numpy(), out["projected_high"].to_numpy()
    with np.errstate(invalid="ignore"):
        out["certain"] = enough & ((hi <= target + EPS) | (lo > target + EPS))
    out["status_da"] = out["status"].map(STATUS_LABELS_DA)
    out["confidence"] = settings.confidence
    out = out.rename(columns={"n": "fit_points"})
    lead = [
        *keys, *(["area_name"] if "area_name" in out else []), "polarity", "baseline_year",
        "baseline_gap", "baseline_disadvantage", "latest_year", "latest_gap",
        "latest_disadvantage", "change", "gap_change", "target_now", "ahead_of_path_now",
        "milestone_year", "target_milestone", "target_2035", "slope", "fit_points",
        "projected", "projected_low", "projected_high", "status", "certain", "status_da",
        "confidence",
    ]  # fmt: skip
    return out[lead].sort_values(keys).reset_index(drop=True)


def _fit_columns(out: pd.DataFrame) -> pd.DataFrame:
    """The OLS columns of a progress frame, named as :func:`_predict` expects."""
    return out[["n", "x_mean", "y_mean", "sxx", "slope", "resid_sd"]]


def projection_series(
    comparison: pd.DataFrame,
    area_code: str,
    indicator: str,
    settings: ProgressSettings | None = None,
    until: int = 2035,
) -> pd.DataFrame:
    """Year-by-year series for a chart: observed, fitted line with band, target path.

    Columns: ``year``, ``observed`` (disadvantage; NaN in future years), ``fitted``,
    ``low``, ``high`` (the prediction band, from the first fitted year to ``until``),
    ``target`` (the path from the baseline year on).
    """
    settings = settings or ProgressSettings()
    df = _series_frame(comparison)
    df = df[(df["area_code"] == area_code) & (df["indicator"] == indicator)].sort_values("year")
    if df.empty:
        return pd.DataFrame(columns=["year", "observed", "fitted", "low", "high", "target"])
    first, latest = int(df["year"].min()), int(df["year"].max())
    years = np.arange(first, max(until, latest) + 1)
    out = pd.DataFrame({"year": years})
    out = out.merge(df[["year", "disadvantage"]].rename(columns={"disadvantage": "observed"}),
                    on="year", how="left")  # fmt: skip
    window = df[df["year"] > latest - settings.fit_years]
    out["fitted"] = out["low"] = out["high"] = np.nan
    if len(window) >= settings.min_points:
        window = window.assign(_k=0)
        fit = _ols(window, ["_k"])
        reps = pd.concat([fit] * len(years), ignore_index=True)
        point, low, high = _predict(reps, years.astype(float), settings.confidence)
        shown = years >= int(window["year"].min())
        out.loc[shown, "fitted"] = point[shown]
        future = years >= latest
        out.loc[future, "low"] = low[future]
        out.loc[future, "high"] = high[future]
    before = df[df["year"] <= settings.baseline_year]
    out["target"] = np.nan
    if not before.empty:
        base_row = before.iloc[-1]
        base_year = int(base_row["year"])
        start = max(float(base_row["disadvantage"]), 0.0)
        on_path = years >= base_year
        frac = settings.target(indicator).fraction(base_year, years[on_path])
        out.loc[on_path, "target"] = start * frac
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
    """:func:`designation_over_time` for a ``indicators.monitor.Monitor``'s store."""
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
