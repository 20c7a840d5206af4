"""Sampling uncertainty of the survey criteria (tryghed, sundhed): Wilson and Newcombe.

Survey criteria (``basis: survey`` in the registry) store the number of respondents as
the denominator and the respondents with the property as the numerator. Per-area
samples are small, so every level, gap and change carries a confidence interval, and
``within_noise`` marks a gap or change whose interval contains 0: the app says
"ingen sikker forskel/ændring" there, never "bedre" or "værre".

* :func:`wilson_interval`: the Wilson score interval for a proportion (good coverage for
  small n and proportions near 0 or 1, unlike the Wald interval).
* :func:`newcombe_difference`: Newcombe's hybrid score interval (method 10 of Newcombe
  1998) for the difference of two independent proportions, from their Wilson intervals.
  Area vs the rest of the city and one year vs another are independent samples.

Register criteria are full counts with no sampling error: their intervals are NaN and
``within_noise`` is true only for a difference of exactly 0.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from indicators.calculations import direction, value_in_unit
from indicators.intervals import z_value
from indicators.numbers import format_number
from indicators.registry import Indicator

CHANGE_LABELS_DA = {1: "bedre", -1: "værre", 0: "ingen sikker ændring"}
GAP_LABELS_DA = {1: "bedre end resten af byen", -1: "dårligere end resten af byen",
                 0: "ingen sikker forskel"}  # fmt: skip


def _arrays(successes, n) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    x = np.asarray(successes, dtype=float)
    m = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore"):
        bad = (x < 0) | (x > m * (1 + 1e-12))
    if np.any(bad):
        raise ValueError("successes must lie between 0 and n")
    return x, m


def wilson_interval(successes, n, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Wilson score interval ``(low, high)`` for ``successes`` out of ``n`` (proportions).

    Vectorised; NaN where ``n`` is 0 or missing. ``wilson_interval(8, 10)`` is about
    ``(0.490, 0.943)`` at 95 %.
    """
    x, m = _arrays(successes, n)
    z = z_value(confidence)
    z2 = z * z
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(m > 0, x / m, np.nan)
        denom = 1.0 + z2 / m
        centre = (p + z2 / (2.0 * m)) / denom
        half = z * np.sqrt(p * (1.0 - p) / m + z2 / (4.0 * m * m)) / denom
    # Exactly 0 (or n) successes: the bound is exactly 0 (or 1), not a rounding residue.
    low = np.where(m > 0, np.where(x <= 0, 0.0, np.clip(centre - half, 0.0, 1.0)), np.nan)
    high = np.where(m > 0, np.where(x >= m, 1.0, np.clip(centre + half, 0.0, 1.0)), np.nan)
    return low, high


def newcombe_difference(  # type: ignore[no-untyped-def]
    x1, n1, x2, n2, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(p1 - p2, low, high)`` by Newcombe's hybrid score method (independent samples).

    ``newcombe_difference(56, 70, 48, 80)`` is about ``(0.200, 0.052, 0.334)``.
    """
    a1, m1 = _arrays(x1, n1)
    a2, m2 = _arrays(x2, n2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1 = np.where(m1 > 0, a1 / m1, np.nan)
        p2 = np.where(m2 > 0, a2 / m2, np.nan)
    l1, u1 = wilson_interval(a1, m1, confidence)
    l2, u2 = wilson_interval(a2, m2, confidence)
    d = p1 - p2
    low = d - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return d, low, high


def within_noise(low, high) -> np.ndarray:  # type: ignore[no-untyped-def]
    """True where the interval contains 0, or is unknown (never call the unknown a change)."""
    lo = np.asarray(low, dtype=float)
    hi = np.asarray(high, dtype=float)
    with np.errstate(invalid="ignore"):
        return ~((lo > 0) | (hi < 0))


def noise_aware_direction(difference, noise, polarity) -> np.ndarray:  # type: ignore[no-untyped-def]
    """+1 better, -1 worse, 0 where the difference is within noise (or 0 or unknown)."""
    out = direction(difference, polarity)
    return np.where(np.asarray(noise, dtype=bool), 0, out).astype(int)


def _is_survey(indicators: pd.Series, registry: Mapping[str, Indicator]) -> np.ndarray:
    return indicators.map(lambda c: registry[c].is_survey).to_numpy(dtype=bool)


def _scale(indicators: pd.Series, registry: Mapping[str, Indicator]) -> np.ndarray:
    return indicators.map(lambda c: registry[c].scale).to_numpy(dtype=float)


def _polarity(indicators: pd.Series, registry: Mapping[str, Indicator]) -> np.ndarray:
    return indicators.map(lambda c: registry[c].polarity).to_numpy(dtype=float)


def add_intervals(
    counts: pd.DataFrame, registry: Mapping[str, Indicator], confidence: float = 0.95
) -> pd.DataFrame:
    """Add ``respondents``, ``ci_low``, ``ci_high`` (indicator unit) to a counts frame.

    Only survey criteria get intervals (and ``respondents`` = the denominator); register
    rows get NaN.
    """
    out = counts.copy()
    survey = _is_survey(out["indicator"], registry)
    scale = _scale(out["indicator"], registry)
    num = np.where(survey, out["numerator"].to_numpy(dtype=float), np.nan)
    den = np.where(survey, out["denominator"].to_numpy(dtype=float), np.nan)
    low, high = wilson_interval(np.nan_to_num(num), np.where(survey, den, 0.0), confidence)
    out["respondents"] = den
    out["ci_low"] = np.where(survey, low * scale, np.nan)
    out["ci_high"] = np.where(survey, high * scale, np.nan)
    out["confidence"] = confidence
    return out


def add_gap_noise(
    comparison: pd.DataFrame, registry: Mapping[str, Indicator], confidence: float = 0.95
) -> pd.DataFrame:
    """Add the gap's interval and noise flag to ``calculations.compare_with_rest`` output.

    New columns: ``gap_ci_low``, ``gap_ci_high`` (indicator unit, area minus rest),
    ``gap_within_noise`` and ``gap_direction_noise_aware`` (+1 better, -1 worse, 0 not
    distinguishable from the rest of the city).
    """
    out = comparison.copy()
    survey = _is_survey(out["indicator"], registry)
    scale = _scale(out["indicator"], registry)
    x1 = np.where(survey, out["numerator"].to_numpy(dtype=float), 0.0)
    n1 = np.where(survey, out["denominator"].to_numpy(dtype=float), 0.0)
    x2 = np.where(survey, out["rest_numerator"].to_numpy(dtype=float), 0.0)
    n2 = np.where(survey, out["rest_denominator"].to_numpy(dtype=float), 0.0)
    _, low, high = newcombe_difference(x1, n1, x2, n2, confidence)
    out["gap_ci_low"] = np.where(survey, low * scale, np.nan)
    out["gap_ci_high"] = np.where(survey, high * scale, np.nan)
    gap = out["gap"].to_numpy(dtype=float)
    noise = np.where(survey, within_noise(low, high), ~(np.abs(np.nan_to_num(gap)) > 0))
    out["gap_within_noise"] = noise
    out["gap_direction_noise_aware"] = noise_aware_direction(
        gap, noise, _polarity(out["indicator"], registry)
    )
    return out


def change_with_noise(
    counts: pd.DataFrame,
    registry: Mapping[str, Indicator],
    from_year: int,
    to_year: int,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Change of each area's value from ``from_year`` to ``to_year``, noise-aware.

    ``counts`` has ``area_code, indicator, year, numerator, denominator``. Returns one row
    per area and indicator with both years: ``value_from``, ``value_to``, ``change``,
    ``change_ci_low``, ``change_ci_high`` (NaN for register criteria),
    ``within_noise``, ``direction`` (+1 better, -1 worse, 0 none or within noise) and
    ``label_da``.
    """
    keys = ["area_code", "indicator"]
    cols = [*keys, "numerator", "denominator"]
    a = counts.loc[counts["year"] == from_year, cols]
    b = counts.loc[counts["year"] == to_year, cols]
    out = a.merge(b, on=keys, suffixes=("_from", "_to"), how="inner")
    survey = _is_survey(out["indicator"], registry)
    scale = _scale(out["indicator"], registry)
    x_to = out["numerator_to"].to_numpy(dtype=float)
    n_to = out["denominator_to"].to_numpy(dtype=float)
    x_from = out["numerator_from"].to_numpy(dtype=float)
    n_from = out["denominator_from"].to_numpy(dtype=float)
    # Counts (e.g. residents) are the numerator, not numerator / number of base units.
    v_to = value_in_unit(out["indicator"], x_to, n_to, registry)
    v_from = value_in_unit(out["indicator"], x_from, n_from, registry)
    _, low, high = newcombe_difference(
        np.where(survey, x_to, 0.0),
        np.where(survey, n_to, 0.0),
        np.where(survey, x_from, 0.0),
        np.where(survey, n_from, 0.0),
        confidence,
    )
    change = v_to - v_from
    out["from_year"], out["to_year"] = from_year, to_year
    out["value_from"], out["value_to"], out["change"] = v_from, v_to, change
    out["change_ci_low"] = np.where(survey, low * scale, np.nan)
    out["change_ci_high"] = np.where(survey, high * scale, np.nan)
    noise = np.where(survey, within_noise(low, high), ~(np.abs(np.nan_to_num(change)) > 0))
    out["within_noise"] = noise
    out["direction"] = noise_aware_direction(change, noise, _polarity(out["indicator"], registry))
    out["label_da"] = out["direction"].map(CHANGE_LABELS_DA)
    keep = [
        *keys, "from_year", "to_year", "value_from", "value_to", "change", "change_ci_low",
        "change_ci_high", "within_noise", "direction", "label_da",
    ]  # fmt: skip
    return out[keep].sort_values(keys).reset_index(drop=True)


def describe_change_da(
    change: float, low: float, high: float, polarity: int, unit: str = "pct"
) -> str:
    """One Danish sentence for a change, never calling noise a change.

    >>> describe_change_da(-3.0, -6.5, 0.4, 1)
    'Ingen sikker ændring (−3,0 procentpoint; usikkerhed fra −6,5 til 0,4)'
    """
    unit_text = "procentpoint" if unit == "pct" else ""

    def f(v: float) -> str:
        return format_number(v, 1)

    noise = bool(within_noise(low, high)) if np.isfinite(low) and np.isfinite(high) else change == 0
    if noise:
        head = "Ingen sikker ændring"
    else:
        head = "Bedre" if np.sign(change) * polarity > 0 else "Værre"
    detail = f"{f(change)} {unit_text}".strip()
    if np.isfinite(low) and np.isfinite(high):
        detail += f"; usikkerhed fra {f(low)} til {f(high)}"
    return f"{head} ({detail})"


def gap_change_with_noise(
    comparison: pd.DataFrame,
    registry: Mapping[str, Indicator],
    from_year: int,
    to_year: int,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Change of each area's gap to the rest of the city between two years, noise-aware.

    For survey criteria the two gaps' Newcombe intervals are combined by the same
    square-and-add rule (the four samples are independent): with ``d = g1 - g0``,
    ``low = d - sqrt((g1 - l1)^2 + (u0 - g0)^2)`` and
    ``high = d + sqrt((u1 - g1)^2 + (g0 - l0)^2)``. Returns one row per area and
    indicator: ``gap_from``, ``gap_to``, ``gap_change``, ``gap_change_ci_low``,
    ``gap_change_ci_high`` (NaN for register criteria), ``within_noise`` and
    ``direction`` (+1 the area moved better relative to the rest, -1 worse, 0 neither or
    within noise).
    """
    keys = ["area_code", "indicator"]
    noisy = add_gap_noise(
        comparison[comparison["year"].isin([from_year, to_year])], registry, confidence
    )
    cols = [*keys, "gap", "gap_ci_low", "gap_ci_high"]
    a = noisy.loc[noisy["year"] == from_year, cols]
    b = noisy.loc[noisy["year"] == to_year, cols]
    out = a.merge(b, on=keys, suffixes=("_from", "_to"), how="inner")
    g0, l0, u0 = (
        out[f"{c}_from"].to_numpy(dtype=float) for c in ("gap", "gap_ci_low", "gap_ci_high")
    )
    g1, l1, u1 = (
        out[f"{c}_to"].to_numpy(dtype=float) for c in ("gap", "gap_ci_low", "gap_ci_high")
    )
    d = g1 - g0
    low = d - np.sqrt((g1 - l1) ** 2 + (u0 - g0) ** 2)
    high = d + np.sqrt((u1 - g1) ** 2 + (g0 - l0) ** 2)
    survey = _is_survey(out["indicator"], registry)
    result = pd.DataFrame(
        {
            "area_code": out["area_code"].to_numpy(),
            "indicator": out["indicator"].to_numpy(),
            "from_year": from_year,
            "to_year": to_year,
            "gap_from": g0,
            "gap_to": g1,
            "gap_change": d,
            "gap_change_ci_low": np.where(survey, low, np.nan),
            "gap_change_ci_high": np.where(survey, high, np.nan),
        }
    )
    noise = np.where(survey, within_noise(low, high), ~(np.abs(np.nan_to_num(d)) > 0))
    result["within_noise"] = noise
    # The gap moving against the area's polarity is the area catching up: a gap change
    # of -2 for a higher-is-worse criterion is an improvement (+1).
    result["direction"] = noise_aware_direction(d, noise, _polarity(result["indicator"], registry))
    return result.sort_values(keys).reset_index(drop=True)
