"""Tvillingeområder: the areas of one level most like a given area on the criteria.

Pure pandas; the method is documented in docs/twins.md.

1. **Profile** (:func:`criterion_matrix`): one value per area and criterion for the chosen
   year. A criterion without any published value that year (the survey criteria are
   measured every few years) takes its latest earlier year with values, the same year for
   every area, so the areas stay comparable; the year used is reported per criterion.
   Suppressed cells are missing (NaN), never estimated.
2. **Standardise** (:func:`standardise`): each criterion becomes a z-score over the areas of
   the level that have a value, ``(x - mean) / sd`` with the population standard
   deviation (ddof 0). A criterion on which every area has the same value carries no
   information and becomes 0 for every area that has a value.
3. **Distance** (:func:`distance`): Euclidean over the criteria both areas have, scaled up
   to the full number of criteria: ``sqrt(K / k * sum((z_a - z_b)^2))`` with ``K``
   criteria in the profile and ``k`` shared. So a pair missing a criterion is neither
   favoured nor penalised for it. Fewer than ``min_shared`` shared criteria: no distance
   (NaN), the pair is never called twins.
4. **Twins** (:func:`twins`): the other areas ordered by distance (ties by code).
5. **Better or worse** (:func:`better_or_worse`): per criterion, whether a twin's value is
   better than the area's own, by the criterion's polarity (+1 higher is better, -1 lower).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: Fewest criteria two areas must both have for a distance (of eight).
DEFAULT_MIN_SHARED = 4
DEFAULT_COUNT = 5
BETTER, WORSE, SAME = 1, -1, 0


def criterion_matrix(
    frame: pd.DataFrame, year: int, criteria: Sequence[str]
) -> tuple[pd.DataFrame, dict[str, int | None]]:
    """Areas × criteria values for ``year`` and the year each criterion was taken from.

    ``frame`` is a published comparison (``area_code, indicator, year, value``; suppressed
    values are NaN). For a criterion without any value in ``year``, the latest earlier year
    with a value is used for every area; without any, the column is all NaN and its year
    None.
    """
    codes = sorted(frame["area_code"].unique())
    columns: dict[str, pd.Series] = {}
    years_used: dict[str, int | None] = {}
    for code in criteria:
        part = frame[(frame["indicator"] == code) & frame["value"].notna()]
        available = part.loc[part["year"] <= year, "year"]
        if available.empty:
            columns[code] = pd.Series(np.nan, index=codes, dtype=float)
            years_used[code] = None
            continue
        used = int(available.max())
        values = part[part["year"] == used].set_index("area_code")["value"]
        columns[code] = values.reindex(codes).astype(float)
        years_used[code] = used
    matrix = pd.DataFrame(columns, index=pd.Index(codes, name="area_code"))
    return matrix, years_used


def standardise(matrix: pd.DataFrame) -> pd.DataFrame:
    """Each column as z-scores over its non-missing values (population sd; sd 0 → 0)."""
    mean = matrix.mean(skipna=True)
    sd = matrix.std(ddof=0, skipna=True)
    z = (matrix - mean) / sd.where(sd > 0)
    # A constant column: every area with a value is at the mean.
    constant = sd.index[(sd == 0).to_numpy()]
    for column in constant:
        z[column] = matrix[column].where(matrix[column].isna(), 0.0)
    return z


def distance(
    z_a: pd.Series | Sequence[float],
    z_b: pd.Series | Sequence[float],
    min_shared: int = DEFAULT_MIN_SHARED,
) -> tuple[float, int]:
    """(distance, shared criteria) between two standardised profiles of equal length."""
    a = np.asarray(z_a, dtype=float)
    b = np.asarray(z_b, dtype=float)
    if a.shape != b.shape:
        raise ValueError("profiles of different length")
    both = ~(np.isnan(a) | np.isnan(b))
    shared = int(both.sum())
    if shared == 0 or shared < min_shared:
        return math.nan, shared
    squared = float(np.sum((a[both] - b[both]) ** 2))
    return math.sqrt(squared * a.size / shared), shared


def distances_from(
    z: pd.DataFrame, area: str, min_shared: int = DEFAULT_MIN_SHARED
) -> pd.DataFrame:
    """Every other area's ``distance`` and ``shared`` criteria to ``area``."""
    if area not in z.index:
        raise KeyError(area)
    own = z.loc[area].to_numpy(dtype=float)
    rows = []
    for code, values in z.drop(index=area).iterrows():
        d, shared = distance(own, values.to_numpy(dtype=float), min_shared)
        rows.append({"area_code": code, "distance": d, "shared": shared})
    return pd.DataFrame(rows, columns=["area_code", "distance", "shared"])


def twins(
    matrix: pd.DataFrame,
    area: str,
    count: int = DEFAULT_COUNT,
    min_shared: int = DEFAULT_MIN_SHARED,
) -> pd.DataFrame:
    """The ``count`` areas nearest to ``area`` (``area_code, distance, shared, rank``).

    Areas without a distance (too few shared criteria) are left out.
    """
    found = distances_from(standardise(matrix), area, min_shared).dropna(subset=["distance"])
    found = found.sort_values(["distance", "area_code"], kind="mergesort").head(count)
    found = found.reset_index(drop=True)
    found["rank"] = np.arange(1, len(found) + 1)
    return found


def better_or_worse(own: float, other: float, polarity: int) -> int | None:
    """+1 when ``other`` is better than ``own`` by ``polarity``, -1 worse, 0 equal or no
    polarity; None when either value is missing."""
    if own is None or other is None or pd.isna(own) or pd.isna(other):
        return None
    difference = (float(other) - float(own)) * polarity
    return BETTER if difference > 0 else WORSE if difference < 0 else SAME


def comparison_table(
    matrix: pd.DataFrame, area: str, found: pd.DataFrame, polarity: Mapping[str, int]
) -> pd.DataFrame:
    """Per twin and criterion: the area's value, the twin's, and better/worse (long)."""
    rows = []
    for twin in found.itertuples(index=False):
        for code in matrix.columns:
            own = matrix.at[area, code]
            other = matrix.at[twin.area_code, code]
            rows.append(
                {
                    "area_code": twin.area_code,
                    "indicator": code,
                    "own_value": own,
                    "twin_value": other,
                    "twin_is": better_or_worse(own, other, int(polarity.get(code, 0))),
                }
            )
    return pd.DataFrame(
        rows, columns=["area_code", "indicator", "own_value", "twin_value", "twin_is"]
    )
