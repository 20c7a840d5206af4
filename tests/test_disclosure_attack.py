"""An attacker on the published figures of the seeded store (``Monitor._published_all``,
the frame every page, export and API route is cut from).

For every indicator and year it writes down every published figure as a linear equation
over the unknown counts of the suppressed base units (numerator ``x`` and, for shares,
complement ``c`` = denominator - numerator, both >= 0), adds the population figures other
indicators publish (residents are ``befolkning``'s numerator and ``ikke_vestlig``'s
denominator), and then repeats until nothing new is learnt:

* single subtraction and every longer linear combination (rank test: a variable is known
  when it lies in the row space of the equations);
* zero differences: an equation whose unknown part adds up to 0 (an aggregate minus its
  published members), or two nested equations with the same unknown sum, pins every
  unknown in it (in the difference) to 0; for ``c`` that is "all of them".

A suppressed cell is disclosed when its numerator or its complement is then known. The
attacker shares no code with ``indicators/disclosure.py``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from indicators import disclosure
from indicators.registry import load_registry

REGISTRY = load_registry()
TOL = 1e-6


@pytest.fixture(scope="module")
def seeded(seeded_store_url: str):
    from db.engine import make_engine
    from indicators.services.monitor import Monitor

    monitor = Monitor(make_engine(seeded_store_url))
    membership = pd.concat(
        [
            monitor.membership(v).assign(
                definition=lambda m: m["aggregate_code"] + "@" + m["vintage"].astype(str)
            )
            for v in monitor.vintages()
        ],
        ignore_index=True,
    )
    return monitor, monitor._published_all(), membership


# ---------------------------------------------------------------------------------- attacker


class Table:
    """One indicator-year of a published frame, as vectors over its base units."""

    def __init__(self, part: pd.DataFrame, members: dict[str, list[str]]) -> None:
        self.part = part.reset_index(drop=True)
        keys = self.part["definition"].astype(str)
        base = sorted(self.part.loc[self.part["level"] == "rode", "area_code"].astype(str))
        self.var = {c: i for i, c in enumerate(base)}
        self.n = len(base)
        self.members = members
        self.vectors = np.array([self.vector(k) for k in keys]).reshape(len(keys), self.n)

    def vector(self, key: str) -> np.ndarray:
        out = np.zeros(self.n)
        if key in self.var:
            out[self.var[key]] = 1
        for m in self.members.get(key, []):
            if m in self.var:
                out[self.var[m]] = 1
        return out


def published_figures(table: Table) -> list[tuple[np.ndarray, float, float]]:
    """(vector over base units, numerator, denominator) of every published figure."""
    p, city = table.part, np.ones(table.n)
    out = []
    for i, row in p.iterrows():
        if not row["suppressed"]:
            out.append((table.vectors[i], row["numerator"], row["denominator"]))
        if not row["rest_suppressed"] and pd.notna(row.get("rest_numerator")):
            out.append((city - table.vectors[i], row["rest_numerator"], row["rest_denominator"]))
    first = p.iloc[0]
    if not first["city_suppressed"]:
        out.append((city, first["city_numerator"], first["city_denominator"]))
    return out


def attack(table: Table, is_count: bool, population: list[tuple[np.ndarray, float]]) -> list[dict]:
    """Every suppressed cell of ``table`` whose numerator or complement is recoverable.

    ``population``: (vector, value) of this table's population (the numerator of a count,
    the denominator of a share) as other indicators publish it.
    """
    n = table.n
    width = n if is_count else 2 * n
    rows, rhs = [], []
    for vec, num, den in published_figures(table):
        rows.append(np.concatenate([vec, np.zeros(width - n)]))
        rhs.append(num)
        if not is_count:
            rows.append(np.concatenate([vec, vec]))
            rhs.append(den)
    for vec, value in population:
        rows.append(np.concatenate([vec, vec]) if not is_count else vec)
        rhs.append(value)
    if not rows:
        return []
    e, b = _distinct(np.array(rows, dtype=float), np.array(rhs, dtype=float))
    known = np.full(width, np.nan)
    # A published base unit is a known value (its numerator and complement).
    singles = (e > 0).sum(axis=1) == 1
    for i in np.flatnonzero(singles):
        known[int(np.flatnonzero(e[i])[0])] = b[i] / e[i].max()
    units = {int(np.flatnonzero(e[i])[0]): b[i] for i in np.flatnonzero(singles)}
    if not is_count:
        for i in np.flatnonzero(((e > 0).sum(axis=1) == 2) & (e[:, :n] > 0).any(axis=1)):
            pair = np.flatnonzero(e[i])
            if pair[1] == pair[0] + n and pair[0] in units:
                known[pair[1]] = b[i] - units[int(pair[0])]
    for _ in range(width + 1):
        before = int(np.isfinite(known).sum())
        unknown = np.isnan(known)
        if not unknown.any():
            break
        sub = e[:, unknown]
        residual = b - e[:, ~unknown] @ known[~unknown]
        keep = np.abs(sub).sum(axis=1) > 0
        sub, residual = sub[keep], residual[keep]
        sub, residual = _distinct(sub, residual)
        idx = np.flatnonzero(unknown)
        # Zero differences (all coefficients are >= 0 and the counts are >= 0).
        zero = np.abs(residual) <= TOL
        for i in np.flatnonzero(zero):
            known[idx[sub[i] > 0]] = 0.0
        s = sub > 0
        nested = (s.astype(np.int32) @ (~s).astype(np.int32).T) == 0
        same = np.abs(residual[:, None] - residual[None, :]) <= TOL
        bigger = s.sum(axis=1)[None, :] > s.sum(axis=1)[:, None]
        for i, j in zip(*np.nonzero(nested & same & bigger), strict=True):
            known[idx[s[j] & ~s[i]]] = 0.0
        if int(np.isfinite(known).sum()) > before:
            continue
        # Linear combinations: a variable in the row space is known.
        basis, x0 = row_space(sub, residual)
        in_span = np.abs(1.0 - (basis**2).sum(axis=0)) <= TOL
        known[idx[in_span]] = x0[in_span]
        if int(np.isfinite(known).sum()) == before:
            break
    return _disclosed(table, is_count, known, e, b)


def row_space(sub: np.ndarray, residual: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """An orthonormal basis of the row space of ``sub`` and the least-norm solution of
    ``sub @ x = residual`` (from the small Gram matrix: the systems are tall)."""
    w, v = np.linalg.eigh(sub.T @ sub)
    keep = w > 1e-9 * max(float(w.max(initial=0.0)), 1.0)
    vk = v[:, keep]
    return vk.T, vk @ ((vk.T @ (sub.T @ residual)) / w[keep])


def _distinct(sub: np.ndarray, residual: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct equations (published figures repeat across vintages and series)."""
    both = np.round(np.column_stack([sub, residual]), 9)
    _, first = np.unique(both, axis=0, return_index=True)
    first = np.sort(first)
    return sub[first], residual[first]


def _disclosed(
    table: Table, is_count: bool, known: np.ndarray, e: np.ndarray, b: np.ndarray
) -> list[dict]:
    unknown = np.isnan(known)
    sub = e[:, unknown]
    residual = b - e[:, ~unknown] @ known[~unknown]
    if sub.size:
        basis, x0 = row_space(sub, residual)
    n, found = table.n, []
    city = np.ones(n)
    p = table.part
    for i, row in p.iterrows():
        cells = []
        if row["suppressed"]:
            cells.append(("area", table.vectors[i]))
        if row["rest_suppressed"]:
            cells.append(("rest", city - table.vectors[i]))
        for part, vec in cells:
            quantities = [("numerator", np.concatenate([vec, np.zeros(len(known) - n)]))]
            if not is_count:
                quantities.append(("complement", np.concatenate([np.zeros(n), vec])))
            for what, w in quantities:
                value = w[~unknown] @ known[~unknown]
                rest = w[unknown]
                if rest.any():
                    if not sub.size or np.abs(rest - basis.T @ (basis @ rest)).max() > TOL:
                        continue
                    value += rest @ x0
                found.append(
                    {
                        "indicator": row["indicator"],
                        "year": int(row["year"]),
                        "key": row["definition"],
                        "part": part,
                        "what": what,
                        "recovered": round(float(value), 6),
                    }
                )
    return found


def population_series(rules: disclosure.DisclosureRules) -> dict[tuple[str, str], str]:
    return {s: name for name, series in rules.populations.items() for s in series}


def attack_frame(protected: pd.DataFrame, membership: pd.DataFrame) -> pd.DataFrame:
    """Every disclosure in a jointly protected frame, all indicators and years."""
    members: dict[str, list[str]] = {}
    for k, m in zip(membership["definition"], membership["member_code"], strict=True):
        members.setdefault(str(k), []).append(str(m))
    series_of = population_series(disclosure.load_rules())
    tables = {key: Table(part, members) for key, part in protected.groupby(["indicator", "year"])}
    found = []
    for (indicator, year), table in tables.items():
        is_count = REGISTRY[indicator].unit == "count"
        own = (indicator, "numerator" if is_count else "denominator")
        population = []
        for (other, other_year), other_table in tables.items():
            theirs = [(other, part) for part in ("numerator", "denominator")]
            shared = [s for s in theirs if s in series_of and series_of.get(own) == series_of[s]]
            if other_year != year or other == indicator or not shared:
                continue
            column = shared[0][1]
            shown = ~other_table.part["suppressed"].to_numpy(dtype=bool)
            values = other_table.part[column].to_numpy(dtype=float)
            same_units = other_table.var == table.var
            for i in np.flatnonzero(shown):
                key = str(other_table.part["definition"].iloc[i])
                vec = other_table.vectors[i] if same_units else table.vector(key)
                population.append((vec, values[i]))
        found += attack(table, is_count, population)
    return pd.DataFrame(found, columns=["indicator", "year", "key", "part", "what", "recovered"])


# ---------------------------------------------------------------------------------- tests


def test_no_suppressed_cell_is_recoverable_from_the_published_figures(seeded) -> None:
    _, protected, membership = seeded
    leaks = attack_frame(protected, membership)
    assert leaks.empty, f"{len(leaks)} recoverable suppressed cells:\n{leaks.head(30)}"


def test_the_attacker_breaks_primary_only_suppression(seeded) -> None:
    """The attack is strong enough to fail: against primary suppression alone (one year,
    to keep it quick) it recovers cells, by subtraction and across indicators."""
    _, protected, membership = seeded
    naive = protected[protected["year"] == 2008].copy()
    primary = (naive["suppression"] == disclosure.PRIMARY).to_numpy()
    naive["suppressed"] = primary
    naive["rest_suppressed"] = primary & naive["rest_denominator"].notna().to_numpy()
    leaks = attack_frame(naive, membership)
    assert not leaks.empty
    assert {"befolkning", "doemte"} <= set(leaks["indicator"])


def test_every_shared_population_is_declared(seeded) -> None:
    """Series with the same count on every base unit must share a population in
    ``data/disclosure.yaml``, or the cross-indicator protection misses them."""
    monitor, _, _ = seeded
    base = monitor.base_observations()
    series_of = population_series(disclosure.load_rules())
    undeclared = []
    for year, part in base.groupby("year"):
        series = {}
        for indicator, rows in part.groupby("indicator"):
            rows = rows.set_index("area_code")
            for column in ("numerator", "denominator"):
                if REGISTRY[indicator].unit == "count" and column == "denominator":
                    continue  # a count's denominator is 1 per base unit
                series[(str(indicator), column)] = rows[column]
        for (a, sa), (c, sc) in itertools.combinations(series.items(), 2):
            if a[0] == c[0]:
                continue
            joined = sa.to_frame("a").join(sc.to_frame("c"), how="inner")
            declared = series_of.get(a) is not None and series_of.get(a) == series_of.get(c)
            # Two all-zero series (e.g. nobody above an EU limit value) share no population.
            nonzero = bool(joined["a"].abs().sum() > 0)
            equal = len(joined) > 10 and nonzero and np.allclose(joined["a"], joined["c"])
            if equal and not declared:
                undeclared.append((int(year), a, c))
    assert not undeclared, undeclared[:10]
