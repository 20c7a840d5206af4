"""Statistical disclosure control: the one place where cells are suppressed.

Everything the app shows, the CLI exports or an API serves passes through :func:`protect`
once, after aggregation: ``Monitor.published_comparison`` applies it to every level and
every designation vintage *jointly*, because suppression is only safe when all the
figures that can be subtracted from each other are protected together.

Rules (``data/disclosure.yaml``; reasoning and sources in ``docs/disclosure.md``)
---------------------------------------------------------------------------------
*Primary suppression* blanks a cell (numerator, denominator and value) when

* ``0 < numerator < min_count`` (3; 5 for sensitive counts such as convictions and child
  poverty),
* ``0 < denominator - numerator < min_count`` for shares (the complement: "all but two
  residents are convicted" discloses as much as "two are"),
* ``denominator < min_denominator`` (20 persons; 10 survey respondents),
* and, where ``publish_zero`` is false, ``numerator == 0``.

A cell with denominator 0 is empty (no population), not confidential.

*Secondary suppression* then makes sure no suppressed numerator or denominator can be
recovered by subtraction. Every published figure of one indicator and year is a linear
combination of the base units' counts (a kvarter is the sum of its roder, the rest of the
city is the city minus the area, an udsat byområde is the sum of its roder, whatever
kvarter they lie in). A suppressed cell can be recovered exactly when its vector lies in
the span of the published vectors. The algorithm (in :func:`_solve_table`) works in that
linear algebra, so it covers every combination at once: area / rest of city / city, the
hierarchy rode → kvarter → bydel → city, lokaludvalg, the udsatte byområder of every
designation vintage and any geography that overlaps them:

1. protected = the primary cells; suppressed = protected.
2. Find every protected cell that the published cells determine (published base units are
   known values; the row space of the published aggregates, restricted to the unknown
   base units, is tested with an SVD).
3. For each such cell take one derivation and suppress its cheapest published ingredient:
   a base unit before an aggregate (``publication_priority``), the smallest denominator
   first (so a kvarter with one suppressed rode loses its next smallest rode).
4. Zero and "all" differences: counts are non-negative, so a published aggregate whose
   hidden part adds up to 0 (or two nested ones with equal hidden sums) pins every hidden
   member to 0; on the complement, to "all". Suppress the cheapest published base unit
   with a positive count in such a relation (:func:`_zero_picks`).
5. Repeat to a fixed point, then publish again every secondary cell that the published
   cells determine anyway (it hides nothing), so in the result *no* suppressed cell can be
   derived from the published ones.

Populations that several indicators publish (``populations:``, e.g. residents as the
numerator of ``befolkning`` and the denominator of ``ikke_vestlig``) are protected jointly
afterwards (:func:`_protect_populations`). :func:`protect_or_withhold` is the fail-closed
entry point for figures computed on request.

With the city published, the rest of the city is suppressed exactly when the area is.
If the city itself fails the primary rules the whole indicator-year is suppressed.

The functions are pure pandas/numpy; the rules come from ``data/disclosure.yaml``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from indicators.registry import Indicator, load_registry

_LOG = logging.getLogger(__name__)

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "disclosure.yaml"

#: Reasons in the ``suppression`` columns.
PRIMARY = "primary"
SECONDARY = "secondary"
#: Rules in the ``suppression_rule`` column.
RULE_NUMERATOR = "numerator"
RULE_COMPLEMENT = "complement"
RULE_DENOMINATOR = "denominator"
RULE_ZERO = "zero"
RULE_DIFFERENCING = "differencing"
RULE_REST = "rest_of_city"
RULE_CITY = "city"
RULE_SHARED = "shared_population"
RULE_WITHHELD = "withheld"

AREA_COLUMNS = ("numerator", "denominator", "value")
REST_COLUMNS = ("rest_numerator", "rest_denominator", "rest_value")
CITY_COLUMNS = ("city_numerator", "city_denominator", "city_value")
DERIVED_COLUMNS = ("gap", "gap_ratio")
TABLE = ["indicator", "year"]

# Numerical tolerances for the rank tests on 0/1 vectors: a residual below _LEAK_TOL
# counts as derivable (unsafe, so more is suppressed); a secondary cell is published again
# only when its residual is below the much stricter 1e-9.
_LEAK_TOL = 1e-6
_COEF_TOL = 1e-9


# ---------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class CellRule:
    """The primary-suppression thresholds of one indicator."""

    min_count: float
    min_denominator: float
    complement: bool
    publish_zero: bool


@dataclass(frozen=True)
class DisclosureRules:
    """The parsed ``data/disclosure.yaml``."""

    register: CellRule
    survey: CellRule
    count: CellRule
    sensitive_min_count: float
    sensitive: frozenset[str]
    overrides: Mapping[str, Mapping[str, object]]
    publication_priority: tuple[str, ...]
    #: population name -> the (indicator, "numerator" | "denominator") series counting it.
    populations: Mapping[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def for_indicator(self, indicator: Indicator) -> CellRule:
        """The rule of one indicator: by unit/basis, then sensitivity, then overrides."""
        if indicator.unit == "count":
            rule = self.count
        elif indicator.basis == "survey":
            rule = self.survey
        else:
            rule = self.register
        if indicator.code in self.sensitive:
            rule = replace(rule, min_count=max(rule.min_count, self.sensitive_min_count))
        override = self.overrides.get(indicator.code)
        if override:
            rule = replace(rule, **override)
        return rule

    def level_rank(self, level: object) -> int:
        """0 for the most important level; unlisted levels rank last."""
        try:
            return self.publication_priority.index(str(level))
        except ValueError:
            return len(self.publication_priority)


class DisclosureRulesError(ValueError):
    """``disclosure.yaml`` is malformed."""


_RULE_FIELDS = {f.name for f in fields(CellRule)}


def _cell_rule(raw: object, where: str) -> CellRule:
    if not isinstance(raw, dict):
        raise DisclosureRulesError(f"{where}: expected a mapping")
    missing = sorted(_RULE_FIELDS - set(raw))
    unknown = sorted(set(raw) - _RULE_FIELDS)
    if missing or unknown:
        raise DisclosureRulesError(f"{where}: missing {missing}, unknown {unknown}")
    return CellRule(**_rule_values(raw, where))


def _rule_values(raw: Mapping[str, object], where: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in raw.items():
        if name not in _RULE_FIELDS:
            raise DisclosureRulesError(f"{where}: unknown field {name!r}")
        if name in ("complement", "publish_zero"):
            if not isinstance(value, bool):
                raise DisclosureRulesError(f"{where}.{name}: expected true or false")
            out[name] = value
        else:
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise DisclosureRulesError(f"{where}.{name}: expected a number >= 0")
            out[name] = float(value)
    return out


def parse_rules(text: str, source: str = "disclosure.yaml") -> DisclosureRules:
    """Parse and validate a rules document; raise :class:`DisclosureRulesError`."""
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("rules"), dict):
        raise DisclosureRulesError(f"{source}: expected a mapping with 'rules'")
    rules = doc["rules"]
    kinds = {}
    for kind in ("register", "survey", "count"):
        if kind not in rules:
            raise DisclosureRulesError(f"{source}: rules.{kind} is missing")
        kinds[kind] = _cell_rule(rules[kind], f"{source}: rules.{kind}")
    sensitive = doc.get("sensitive") or {}
    min_sensitive = sensitive.get("min_count", 0)
    if isinstance(min_sensitive, bool) or not isinstance(min_sensitive, int | float):
        raise DisclosureRulesError(f"{source}: sensitive.min_count must be a number")
    overrides_raw = doc.get("indicators") or {}
    if not isinstance(overrides_raw, dict):
        raise DisclosureRulesError(f"{source}: indicators must be a mapping")
    overrides = {
        str(code): _rule_values(values or {}, f"{source}: indicators.{code}")
        for code, values in overrides_raw.items()
    }
    priority = doc.get("publication_priority") or []
    if not isinstance(priority, list) or not all(isinstance(p, str) for p in priority):
        raise DisclosureRulesError(f"{source}: publication_priority must be a list of levels")
    return DisclosureRules(
        populations=_populations(doc.get("populations") or {}, source),
        register=kinds["register"],
        survey=kinds["survey"],
        count=kinds["count"],
        sensitive_min_count=float(min_sensitive),
        sensitive=frozenset(str(c) for c in sensitive.get("indicators") or []),
        overrides=overrides,
        publication_priority=tuple(priority),
    )


_SERIES_PARTS = ("numerator", "denominator")


def _populations(raw: object, source: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """``populations: {name: [indicator.numerator | indicator.denominator, ...]}``."""
    if not isinstance(raw, dict):
        raise DisclosureRulesError(f"{source}: populations must be a mapping")
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    seen: dict[tuple[str, str], str] = {}
    for name, items in raw.items():
        if not isinstance(items, list) or not items:
            raise DisclosureRulesError(f"{source}: populations.{name} must be a list")
        series = []
        for item in items:
            code, _, part = str(item).rpartition(".")
            if not code or part not in _SERIES_PARTS:
                raise DisclosureRulesError(
                    f"{source}: populations.{name}: {item!r} is not indicator.numerator"
                    " or indicator.denominator"
                )
            if (code, part) in seen:
                raise DisclosureRulesError(
                    f"{source}: {item} is in populations {seen[(code, part)]} and {name}"
                )
            seen[(code, part)] = str(name)
            series.append((code, part))
        out[str(name)] = tuple(series)
    return out


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> DisclosureRules:
    """The shipped rules (``data/disclosure.yaml``) or those in ``path``."""
    rules_path = Path(path) if path else RULES_PATH
    return parse_rules(rules_path.read_text(encoding="utf-8"), rules_path.name)


# ---------------------------------------------------------------------------------- primary


def primary_rule(
    indicators: pd.Series,
    numerator: pd.Series | np.ndarray,
    denominator: pd.Series | np.ndarray,
    rules: DisclosureRules,
    registry: Mapping[str, Indicator],
) -> np.ndarray:
    """The primary rule a cell breaks (``numerator``, ``complement``, ``denominator``,
    ``zero``) or ``""``; NaN counts (no cell) break none."""
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    codes = pd.Series(indicators).to_numpy()
    out = np.full(num.shape, "", dtype=object)
    for code in pd.unique(codes):
        if code not in registry:
            raise KeyError(f"indicator {code!r} is not in the registry")
        rule = rules.for_indicator(registry[code])
        sel = codes == code
        n, d = num[sel], den[sel]
        present = ~np.isnan(n) & ~np.isnan(d) & (d > 0)
        reason = np.full(n.shape, "", dtype=object)
        checks = [
            (present & (d < rule.min_denominator), RULE_DENOMINATOR),
            (present & (n > 0) & (n < rule.min_count), RULE_NUMERATOR),
        ]
        if rule.complement:
            rest = d - n
            checks.append((present & (rest > 0) & (rest < rule.min_count), RULE_COMPLEMENT))
        if not rule.publish_zero:
            checks.append((present & (n == 0), RULE_ZERO))
        for mask, name in reversed(checks):  # the first check's name wins
            reason[mask] = name
        out[sel] = reason
    return out


# ---------------------------------------------------------------------------------- secondary


class _Incidence:
    """The 0/1 cells x variables matrix of one indicator-year, stored by rows.

    Indexed like the dense matrix it stands for (``a[np.ix_(rows, cols)]``, ``a[rows]``,
    ``a[cell]``, ``a[rows, var]``, ``a[cell, cols]``, ``a[cell, var]``), it returns the
    same dense float blocks, so the linear algebra on them is unchanged; only the blocks
    asked for are ever made. A dense matrix has a row per cell and a column per base
    unit: about 80 GB per indicator-year at 100,000 units, against a few MB here.
    """

    def __init__(self, n_cells: int, n_vars: int, cells: np.ndarray, variables: np.ndarray) -> None:
        """The 1s at (``cells[i]``, ``variables[i]``)."""
        order = np.argsort(cells, kind="stable")
        self.shape = (n_cells, n_vars)
        counts = np.bincount(cells, minlength=n_cells).astype(np.int64)
        self.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.indices = np.asarray(variables, dtype=np.int64)[order]

    def _entries(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``rows``, variable) of every 1 in ``rows``."""
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        position = np.repeat(np.arange(rows.size), lengths)
        offsets = np.arange(position.size) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return position, self.indices[np.repeat(starts, lengths) + offsets]

    def block(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64).ravel()
        cols = np.asarray(cols, dtype=np.int64).ravel()
        out = np.zeros((rows.size, cols.size))
        where = np.full(self.shape[1], -1)
        where[cols] = np.arange(cols.size)
        position, var = self._entries(rows)
        column = where[var]
        keep = column >= 0
        out[position[keep], column[keep]] = 1.0
        return out

    def any_rows(self, rows: np.ndarray) -> np.ndarray:
        """``a[rows].any(axis=0)``: the variables any of ``rows`` holds."""
        out = np.zeros(self.shape[1], dtype=bool)
        out[self._entries(np.asarray(rows, dtype=np.int64).ravel())[1]] = True
        return out

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        every = np.arange(self.shape[1])
        if not isinstance(key, tuple):
            if np.ndim(key) == 0:
                return self.block(np.array([int(key)]), every)[0]
            return self.block(np.asarray(key), every)
        rows, cols = key
        if np.ndim(rows) == 0 and np.ndim(cols) == 0:
            return self.block(np.array([int(rows)]), np.array([int(cols)]))[0, 0]
        if np.ndim(rows) == 0:
            return self.block(np.array([int(rows)]), np.asarray(cols))[0]
        if np.ndim(cols) == 0:
            return self.block(np.asarray(rows), np.array([int(cols)]))[:, 0]
        return self.block(np.asarray(rows), np.asarray(cols))


class _Span:
    """What the published cells of one indicator-year determine.

    Published base units are known values, so only the unknown variables matter. Unknown
    variables whose columns agree in every published aggregate form an *atom*: a vector
    that is not constant on an atom can never be derived (moving one unit between two
    members of the atom changes it and no published figure). Vectors constant on every
    atom are tested against a Gauss-Jordan reduction of the published aggregates over the
    atoms (small, and elementwise numpy only: threaded BLAS is slow on busy servers).
    """

    def __init__(self, a: _Incidence, unit_var: np.ndarray, suppressed: np.ndarray) -> None:
        is_unit = unit_var >= 0
        self.a = a
        self.cell_of_var = np.full(a.shape[1], -1)
        self.cell_of_var[unit_var[is_unit]] = np.flatnonzero(is_unit)
        self.known = np.zeros(a.shape[1], dtype=bool)
        self.known[unit_var[is_unit & ~suppressed]] = True
        self.unknown = np.flatnonzero(~self.known)
        rows = np.flatnonzero(~is_unit & ~suppressed)
        sub = a[np.ix_(rows, self.unknown)]
        touches = sub.any(axis=1)
        self.rows, sub = rows[touches], sub[touches]
        # A published aggregate made of known units only pins each of its units: making
        # one of them unknown again cannot hide anything while the aggregate is shown.
        self.pinned = a.any_rows(rows[~touches])
        # Atoms: identical columns (exact, on the packed 0/1 pattern).
        packed = np.packbits(sub.T.astype(bool), axis=1)
        if packed.shape[1] == 0:  # no published aggregate touches an unknown: one atom
            packed = np.zeros((self.unknown.size, 1), dtype=np.uint8)
        packed = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1])))
        _, first, atom = np.unique(packed.reshape(-1), return_index=True, return_inverse=True)
        self.atom = atom.reshape(-1)
        self.representative_pos = first
        self.basis, self.pivots, transform = _gauss_jordan(sub[:, first])
        rank = self.pivots.size
        self.transform, self.left_null = transform[:rank], transform[rank:]

    def derivations(self, cells: np.ndarray, tol: float) -> list[np.ndarray | None]:
        """For each cell, coefficients over ``self.rows`` that give it on the unknown
        variables (published base units make up the rest), or None when the published
        cells do not determine it."""
        out: list[np.ndarray | None] = [None] * cells.size
        if cells.size == 0:
            return out
        vectors = self.a[np.ix_(cells, self.unknown)]
        on_atoms = vectors[:, self.representative_pos]
        constant = (vectors == on_atoms[:, self.atom]).all(axis=1)
        for i in np.flatnonzero(constant):
            weights = on_atoms[i, self.pivots]
            residual = on_atoms[i] - _vecmat(weights, self.basis)
            if np.abs(residual).max(initial=0.0) <= tol:
                out[i] = _vecmat(weights, self.transform)
        return out

    def derivable(self, cells: np.ndarray, tol: float) -> np.ndarray:
        """Which of ``cells`` the published cells determine."""
        return np.array([d is not None for d in self.derivations(cells, tol)], dtype=bool)

    def unit_breaks(self, cell: int, var: int) -> bool:
        """Would making the known unit ``var`` unknown stop ``cell`` being derivable?

        It adds one column ``m`` (the unit in the published aggregates). New ways to
        change the unknowns without changing a published figure exist only when ``m`` is
        in the column space, ``M y = m``; they change the cell by ``v_var - v . y``, the
        same for every solution ``y`` because the cell's vector lies in the row space.
        """
        if self.pinned[var]:
            return False
        m = self.a[self.rows, var]
        if self.left_null.size and np.abs(_matvec(self.left_null, m)).max() > _COEF_TOL:
            return False
        y_pivots = _matvec(self.transform, m)
        on_atoms = self.a[cell, self.unknown][self.representative_pos]
        change = self.a[cell, var] - float((on_atoms[self.pivots] * y_pivots).sum())
        return abs(change) > _COEF_TOL

    def aggregate_breaks(self, alpha: np.ndarray, position: int) -> bool:
        """Would suppressing the published aggregate ``self.rows[position]`` stop the
        derivation? Only if no other published aggregates add up to it (no left-null
        vector uses it) and every derivation uses it (then its coefficient is unique)."""
        if self.left_null.size and np.abs(self.left_null[:, position]).max() > _COEF_TOL:
            return False
        return abs(alpha[position]) > _COEF_TOL


def _vecmat(x: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """``x @ matrix`` without BLAS."""
    nonzero = np.flatnonzero(x)
    if nonzero.size == 0:
        return np.zeros(matrix.shape[1])
    return (x[nonzero, None] * matrix[nonzero]).sum(axis=0)


def _matvec(matrix: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``matrix @ x`` without BLAS."""
    nonzero = np.flatnonzero(x)
    if nonzero.size == 0:
        return np.zeros(matrix.shape[0])
    return (matrix[:, nonzero] * x[nonzero]).sum(axis=1)


def _gauss_jordan(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reduced row echelon form of ``matrix`` by Gauss-Jordan with partial pivoting.

    Returns ``(B, pivots, T)`` with ``T @ matrix = [B; 0]``: the non-zero rows of the
    reduced form, their pivot columns, and the full invertible row transform, whose rows
    after the rank span the left null space (the ways published figures add up to 0).
    """
    k, u = matrix.shape
    work = np.hstack([matrix.astype(float), np.eye(k)])
    pivots = []
    row = 0
    for col in range(u):
        if row == k:
            break
        below = np.abs(work[row:, col])
        best = row + int(below.argmax())
        if below[best - row] <= 1e-9:
            continue
        if best != row:
            work[[row, best]] = work[[best, row]]
        work[row] /= work[row, col]
        factors = work[:, col].copy()
        factors[row] = 0.0
        nonzero = np.flatnonzero(np.abs(factors) > 1e-15)
        if nonzero.size:
            work[nonzero] -= factors[nonzero, None] * work[row][None, :]
        # Flush round-off to 0: the whole matrix after the first step, then only the rows
        # a step changed (the pivot row and the eliminated ones), since every other row
        # was flushed when it last changed. The same result as flushing the whole matrix
        # every step, without touching k * (u + k) cells per pivot.
        if not pivots:
            work[np.abs(work) < 1e-12] = 0.0
        else:
            changed = np.append(nonzero, row)
            block = work[changed]
            block[np.abs(block) < 1e-12] = 0.0
            work[changed] = block
        pivots.append(col)
        row += 1
    return work[:row, :u], np.asarray(pivots, dtype=int), work[:, u:]


def _choose(
    span: _Span,
    cell: int,
    alpha: np.ndarray,
    unit_vars: np.ndarray,
    positions: np.ndarray,
    usable: np.ndarray,
    cheapness: np.ndarray,
) -> int:
    """The cell to suppress against one derivation of ``cell``.

    In order: the cheapest base unit whose suppression alone stops the derivation; else
    the cheapest base unit pinned by a published aggregate of known units (suppressing
    it brings that aggregate into play, so its siblings can hide it next round: base
    units before aggregates, as ``publication_priority`` asks); else the cheapest
    aggregate that stops it; else the cheapest ingredient.
    """
    unit_cells = span.cell_of_var[unit_vars]
    agg_cells = span.rows[positions]
    n_units = unit_vars.size
    order = np.argsort(-cheapness[np.concatenate([unit_cells, agg_cells])], kind="stable")
    units = [i for i in order if i < n_units and usable[i]]
    aggs = [i for i in order if i >= n_units and usable[i]]
    for i in units:
        if span.unit_breaks(cell, int(unit_vars[i])):
            return int(unit_cells[i])
    for i in units:
        if span.pinned[unit_vars[i]]:
            return int(unit_cells[i])
    for i in aggs:
        if span.aggregate_breaks(alpha, int(positions[i - n_units])):
            return int(agg_cells[i - n_units])
    first = next(i for i in order if usable[i])
    return int(unit_cells[first] if first < n_units else agg_cells[first - n_units])


def _solve_table(
    a: _Incidence,
    unit_var: np.ndarray,
    protected: np.ndarray,
    can_suppress: np.ndarray,
    cheapness: np.ndarray,
    *,
    forced: np.ndarray | None = None,
    counts: tuple[np.ndarray, ...] = (),
) -> np.ndarray | None:
    """Secondary suppression for one indicator-year.

    Parameters
    ----------
    a
        Cells × variables: each cell's vector over the base units (and direct areas).
    unit_var
        For a cell that *is* one variable (a base unit), its column; -1 for aggregates.
    protected
        Cells that must not be derivable (the primary ones).
    can_suppress
        Cells that may be suppressed as secondary (not the city).
    cheapness
        Larger = suppress first.
    forced
        Cells that stay suppressed whatever (hidden elsewhere); never published again.
    counts
        Non-negative quantities per cell (the numerator; for shares also the complement,
        denominator - numerator). No hidden cell may be pinned to 0 by them (see
        :func:`_zero_picks`).

    Each round finds the protected cells the published ones determine and, for each one,
    suppresses an ingredient of one derivation (see :func:`_choose`), until none is
    determined and no published difference is 0.

    Returns the suppressed mask, or ``None`` when no safe pattern keeps the city.
    """
    forced = np.zeros_like(protected) if forced is None else forced
    suppressed = protected | forced
    # A cell hidden to break a zero difference must not be derivable either.
    protected = protected.copy()
    prot_idx = np.flatnonzero(protected)
    if prot_idx.size == 0 and not forced.any():
        return suppressed
    for _ in range(a.shape[0] + 1):
        if not _exact_fixpoint(a, unit_var, prot_idx, suppressed, can_suppress, cheapness):
            return None
        # A suppressed cell the published ones determine is known all the same, so a zero
        # difference through it pins hidden cells as well as a published one would.
        picks = _zero_picks(
            a,
            unit_var,
            _effectively_hidden(a, unit_var, suppressed),
            can_suppress,
            cheapness,
            counts,
        )
        if picks is None:
            return None
        if not picks:
            break
        suppressed[list(picks)] = True
        protected[list(picks)] = True
        prot_idx = np.flatnonzero(protected)
    else:  # pragma: no cover - each round suppresses at least one more cell
        return None

    # Publish again the secondary cells the published ones determine anyway: publishing
    # them adds nothing to what can be derived, and the zero differences were checked
    # with them counted as known.
    trial = _effectively_hidden(a, unit_var, suppressed) | protected | forced
    if (trial != suppressed).any():
        if _Span(a, unit_var, trial).derivable(prot_idx, _LEAK_TOL).any() or _zero_picks(
            a, unit_var, trial, can_suppress, cheapness, counts
        ):  # pragma: no cover - the loop above leaves neither
            return suppressed
        suppressed = trial
    return suppressed


def _effectively_hidden(a: _Incidence, unit_var: np.ndarray, suppressed: np.ndarray) -> np.ndarray:
    """The suppressed cells the published ones do not determine."""
    hidden = suppressed.copy()
    cells = np.flatnonzero(suppressed)
    if cells.size:
        hidden[cells[_Span(a, unit_var, suppressed).derivable(cells, 1e-9)]] = False
    return hidden


def _exact_fixpoint(
    a: _Incidence,
    unit_var: np.ndarray,
    prot_idx: np.ndarray,
    suppressed: np.ndarray,
    can_suppress: np.ndarray,
    cheapness: np.ndarray,
) -> bool:
    """Suppress (in place) until no protected cell is a linear combination of published
    ones; False when that would take the city."""
    for _ in range(a.shape[0] + 1):
        span = _Span(a, unit_var, suppressed)
        found = span.derivations(prot_idx, _LEAK_TOL)
        leaks = [(c, alpha) for c, alpha in zip(prot_idx, found, strict=True) if alpha is not None]
        if not leaks:
            return True
        chosen: set[int] = set()
        for cell, alpha in leaks:
            used = np.flatnonzero(alpha)  # only the rows of the derivation are made dense
            beta = a[cell] - _vecmat(alpha[used], a[span.rows[used]])
            unit_vars = np.flatnonzero(span.known & (np.abs(beta) > _COEF_TOL))
            positions = np.flatnonzero(np.abs(alpha) > _COEF_TOL)
            candidates = np.concatenate([span.cell_of_var[unit_vars], span.rows[positions]])
            usable = can_suppress[candidates] & ~suppressed[candidates]
            if chosen.intersection(candidates[usable].tolist()):
                continue  # a choice of this round may already stop this derivation
            if not usable.any():
                return False
            pick = _choose(span, int(cell), alpha, unit_vars, positions, usable, cheapness)
            suppressed[pick] = True
            chosen.add(pick)
    return False  # pragma: no cover - each round suppresses at least one more cell


def _zero_picks(
    a: _Incidence,
    unit_var: np.ndarray,
    suppressed: np.ndarray,
    can_suppress: np.ndarray,
    cheapness: np.ndarray,
    counts: tuple[np.ndarray, ...],
) -> set[int] | None:
    """Cells to suppress so that no published difference pins hidden cells to 0.

    Counts are non-negative, so a published aggregate whose hidden part adds up to 0
    (the aggregate minus its published members), or two nested published aggregates whose
    hidden parts add up to the same, tell that every hidden unit in it (in the difference)
    is 0; for the complement that is "all of them". For each such relation this suppresses
    the cheapest published base unit in it with a positive count, else the smaller
    aggregate itself. Empty = nothing pinned; None = only the city could be suppressed.
    """
    if not counts:
        return set()
    is_unit = unit_var >= 0
    unknown = np.ones(a.shape[1], dtype=bool)
    unknown[unit_var[is_unit & ~suppressed]] = False
    if not unknown.any():
        return set()
    rows = np.flatnonzero(~is_unit & ~suppressed)
    sub = a[np.ix_(rows, np.flatnonzero(unknown))] > 0
    touches = sub.any(axis=1)
    rows, sub = rows[touches], sub[touches]
    if rows.size == 0:
        return set()
    unit_cell = np.full(a.shape[1], -1)
    unit_cell[unit_var[is_unit]] = np.flatnonzero(is_unit)
    as_int = sub.astype(np.int32)
    # nested[i, j]: the hidden part of row i lies inside that of row j (or is equal).
    nested = (as_int @ (~sub).astype(np.int32).T) == 0
    np.fill_diagonal(nested, False)
    picks: set[int] = set()
    for count in counts:
        var_count = np.zeros(a.shape[1])
        var_count[unit_var[is_unit]] = np.nan_to_num(count[is_unit])
        hidden_sum = _matvec(a[np.ix_(rows, np.flatnonzero(unknown))], var_count[unknown])
        relations = [(i, None) for i in np.flatnonzero(np.abs(hidden_sum) <= _LEAK_TOL)]
        inner, outer = np.nonzero(nested & (np.abs(hidden_sum[:, None] - hidden_sum) <= _LEAK_TOL))
        relations += [(j, i) for i, j in zip(inner, outer, strict=True) if (sub[j] & ~sub[i]).any()]
        for outer_pos, inner_pos in relations:
            cells = _cells_of(a, rows, outer_pos, inner_pos, unit_cell)
            if picks.intersection(cells):
                continue  # a choice of this round already breaks this relation
            pick = _zero_pick(
                cells,
                rows,
                (outer_pos, inner_pos),
                var_count,
                unit_var,
                suppressed,
                can_suppress,
                cheapness,
            )
            if pick is None:
                return None
            picks.add(pick)
    return picks


def _cells_of(
    a: _Incidence, rows: np.ndarray, outer: int, inner: int | None, unit_cell: np.ndarray
) -> set[int]:
    """The base-unit cells of published aggregate ``rows[outer]`` (minus ``rows[inner]``)."""
    members = a[rows[outer]] > 0
    if inner is not None:
        members &= ~(a[rows[inner]] > 0)
    cells = unit_cell[np.flatnonzero(members)]
    return set(cells[cells >= 0].tolist()) | {int(rows[outer])}


def _zero_pick(
    cells: set[int],
    rows: np.ndarray,
    relation: tuple[int, int | None],
    var_count: np.ndarray,
    unit_var: np.ndarray,
    suppressed: np.ndarray,
    can_suppress: np.ndarray,
    cheapness: np.ndarray,
) -> int | None:
    """The cheapest published base unit with a positive count in the relation, else the
    aggregate that makes the difference (the inner one, or the outer one alone)."""
    units = [
        c
        for c in cells
        if unit_var[c] >= 0
        and not suppressed[c]
        and can_suppress[c]
        and var_count[unit_var[c]] > _LEAK_TOL
    ]
    if units:
        return max(units, key=lambda c: (cheapness[c], -c))
    outer, inner = relation
    for candidate in (inner, outer):
        if candidate is not None and can_suppress[rows[candidate]]:
            return int(rows[candidate])
    return None


# ---------------------------------------------------------------------------------- protect


@dataclass(frozen=True)
class _Structure:
    """Which rows are base units, aggregates (with members) or direct areas."""

    keys: np.ndarray  # the cell key of each frame row
    kind: np.ndarray  # "base" | "aggregate" | "direct" per frame row
    base_index: np.ndarray  # per row: the base unit's global index, else -1
    members: dict[str, np.ndarray]  # aggregate key -> global indices of its base units
    n_base: int  # number of base units known globally


def _structure(
    frame: pd.DataFrame, membership: pd.DataFrame, key: str, base_level: str
) -> _Structure:
    mkey = key if key in membership.columns else "aggregate_code"
    pairs = membership[[mkey, "member_code"]].astype(str).drop_duplicates()
    keys = frame[key].astype(str).to_numpy(dtype=object)
    codes = frame["area_code"].astype(str).to_numpy(dtype=object)
    is_agg = np.isin(keys, pairs[mkey].unique())
    if "level" in frame.columns:
        is_base = (frame["level"].astype(str) == base_level).to_numpy() & ~is_agg
    else:
        is_base = np.isin(codes, pairs["member_code"].unique()) & ~is_agg
    kind = np.where(is_agg, "aggregate", np.where(is_base, "base", "direct"))
    base_codes = pd.Index(np.union1d(pairs["member_code"].unique(), codes[is_base]))
    base_index = np.where(is_base, base_codes.get_indexer(codes), -1)
    member_index = base_codes.get_indexer(pairs["member_code"])
    members = {
        str(k): member_index[idx] for k, idx in pairs.groupby(mkey, sort=False).indices.items()
    }
    return _Structure(keys, kind, base_index, members, len(base_codes))


def protect(
    comparison: pd.DataFrame,
    membership: pd.DataFrame,
    rules: DisclosureRules | None = None,
    registry: Mapping[str, Indicator] | None = None,
    *,
    base_level: str = "rode",
    key: str | None = None,
    hidden: np.ndarray | pd.Series | None = None,
) -> pd.DataFrame:
    """Suppress the cells of a comparison frame that must not be published.

    Parameters
    ----------
    comparison
        Rows of ``Monitor.comparison`` for every area that will be published, of all
        levels together (base units included): ``area_code, indicator, year, numerator,
        denominator`` and, where present, ``rest_*``, ``city_*``, ``value``, ``gap``,
        ``gap_ratio``, ``direction``, ``level``. The city must be the sum of the base
        units (as ``compare_with_rest`` computes it).
    membership
        ``aggregate_code, member_code`` (base units) of every aggregate in the frame. When
        the same area is published in several versions (designation vintages), give each
        version its own ``key`` value in both frames (e.g. ``definition``).
    rules, registry
        Default: ``data/disclosure.yaml`` and ``data/criteria.yaml``.
    base_level
        The level whose areas are the variables (rows of that ``level``; without a
        ``level`` column, the areas named as members).
    key
        The column naming a cell's area version; default ``definition`` when present,
        else ``area_code``. Rows that are neither base units nor aggregates (e.g. areas
        with directly stored observations) are independent unknowns.
    hidden
        Per row, cells that must be suppressed because the same figure is hidden in
        another publication (rule ``shared_population``); the pattern is built around
        them and never publishes them.

    Returns
    -------
    pandas.DataFrame
        The same rows and columns with suppressed values set to NaN (``direction`` to 0)
        and ``suppressed``, ``suppression`` (``primary`` / ``secondary`` / ``""``),
        ``suppression_rule`` (``numerator``, ``complement``, ``denominator``, ``zero``,
        ``differencing``, ``rest_of_city``, ``city``), ``rest_suppressed``,
        ``rest_suppression`` and ``city_suppressed``.
    """
    rules = rules or load_rules()
    registry = registry or load_registry()
    frame = comparison.reset_index(drop=True).copy()
    key = key or ("definition" if "definition" in frame.columns else "area_code")
    n = len(frame)
    forced = np.zeros(n, dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    if forced.shape != (n,):
        raise ValueError(f"hidden has {forced.size} values for {n} rows")
    state = _State(n)
    if n:
        structure = _structure(frame, membership, key, base_level)
        area_rule = _primary(frame, "", rules, registry)
        rest_rule = _primary(frame, "rest_", rules, registry)
        city_rule = _primary(frame, "city_", rules, registry)
        levels = frame["level"].to_numpy() if "level" in frame.columns else np.full(n, "")
        level_codes, level_names = pd.factorize(levels, use_na_sentinel=False)
        level_rank = np.array([rules.level_rank(v) for v in level_names], dtype=int)[level_codes]
        denominators = frame["denominator"].to_numpy(dtype=float)
        rest_den = (
            frame["rest_denominator"].to_numpy(dtype=float)
            if "rest_denominator" in frame.columns
            else np.full(n, np.nan)
        )
        state.rest_empty = ~(np.nan_to_num(rest_den) > 0)
        counts = _counts(frame, registry)
        tables = frame.groupby(TABLE, sort=False).indices
        for rows in tables.values():
            primary = (area_rule[rows] != "") | (rest_rule[rows] != "")
            if (city_rule[rows] != "").any():
                result = None
            else:
                result = _protect_table(
                    rows,
                    structure,
                    primary,
                    forced[rows],
                    _table_counts(counts, rows),
                    level_rank,
                    denominators,
                )
            state.record(rows, result, area_rule, rest_rule, forced)
        _protect_populations(
            frame, tables, structure, rules, area_rule, state, level_rank, denominators
        )
    suppressed, reason, rule = state.suppressed, state.reason, state.rule
    rest_suppressed, rest_reason, city_suppressed = (
        state.rest_suppressed,
        state.rest_reason,
        state.city_suppressed,
    )
    return _blank(frame, suppressed, reason, rule, rest_suppressed, rest_reason, city_suppressed)


@dataclass(frozen=True)
class _System:
    """The linear system of one indicator-year: ``rows`` of the frame plus the city."""

    a: _Incidence
    unit_var: np.ndarray
    cheapness: np.ndarray


def _table_system(
    rows: np.ndarray,
    structure: _Structure,
    level_rank: np.ndarray,
    denominators: np.ndarray,
) -> _System:
    kind = structure.kind[rows]
    keys = structure.keys[rows]
    base_rows = kind == "base"
    if base_rows.any():
        present = np.unique(structure.base_index[rows][base_rows])
    else:  # no base rows in this table: every member is taken as present
        present = np.arange(structure.n_base)
    column = np.full(structure.n_base, -1)
    column[present] = np.arange(present.size)
    n_base = present.size
    direct = np.flatnonzero(kind == "direct")
    n_cells = len(rows) + 1  # + the city, which every row publishes in city_*
    unit_var = np.full(n_cells, -1)
    base_pos = np.flatnonzero(base_rows)
    unit_var[base_pos] = column[structure.base_index[rows][base_pos]]
    unit_var[direct] = n_base + np.arange(direct.size)
    units = np.flatnonzero(unit_var >= 0)
    cells, variables = [units], [unit_var[units]]
    for i in np.flatnonzero(kind == "aggregate"):
        cols = column[structure.members[keys[i]]]
        cols = np.unique(cols[cols >= 0])
        cells.append(np.full(cols.size, i))
        variables.append(cols)
    cells.append(np.full(n_base, n_cells - 1))  # the city: the sum of the base units
    variables.append(np.arange(n_base))
    a = _Incidence(n_cells, n_base + direct.size, np.concatenate(cells), np.concatenate(variables))
    # Cheapest first: the least important level, then the smallest denominator.
    order = np.lexsort((-np.nan_to_num(denominators[rows], nan=0.0), level_rank[rows]))
    cheapness = np.zeros(n_cells)
    cheapness[order] = np.arange(1, len(rows) + 1)
    return _System(a, unit_var, cheapness)


def _protect_table(
    rows: np.ndarray,
    structure: _Structure,
    protected: np.ndarray,
    forced: np.ndarray,
    counts: tuple[np.ndarray, ...],
    level_rank: np.ndarray,
    denominators: np.ndarray,
) -> np.ndarray | None:
    """The suppressed mask of one indicator-year (``rows`` of the frame), None = all.

    ``protected``, ``forced`` and ``counts`` are per row of ``rows``; the city is added."""
    system = _table_system(rows, structure, level_rank, denominators)
    result = _solve_table(
        system.a,
        system.unit_var,
        np.append(protected, False),
        np.append(np.ones(len(rows), dtype=bool), False),
        system.cheapness,
        forced=np.append(forced, False),
        counts=tuple(np.append(c, np.nan) for c in counts),
    )
    return None if result is None else result[:-1]


class _State:
    """The suppression columns of a frame being protected."""

    def __init__(self, n: int) -> None:
        self.suppressed = np.zeros(n, dtype=bool)
        self.reason = np.full(n, "", dtype=object)
        self.rule = np.full(n, "", dtype=object)
        self.rest_suppressed = np.zeros(n, dtype=bool)
        self.rest_reason = np.full(n, "", dtype=object)
        self.city_suppressed = np.zeros(n, dtype=bool)
        self.rest_empty = np.ones(n, dtype=bool)
        self.rest_primary = np.zeros(n, dtype=bool)

    def record(
        self,
        rows: np.ndarray,
        result: np.ndarray | None,
        area_rule: np.ndarray,
        rest_rule: np.ndarray,
        forced: np.ndarray,
    ) -> None:
        primary = area_rule[rows] != ""
        rest_primary = rest_rule[rows] != ""
        self.rest_primary[rows] = rest_primary
        empty = self.rest_empty[rows]
        if result is None:  # the city breaks a rule, or no pattern keeps it: all go
            self.suppressed[rows] = True
            self.reason[rows] = np.where(primary, PRIMARY, SECONDARY)
            self.rule[rows] = np.where(primary, area_rule[rows], RULE_CITY)
            self.city_suppressed[rows] = True
            self.rest_suppressed[rows] = ~empty
            self.rest_reason[rows] = np.where(empty, "", SECONDARY)
            return
        self.suppressed[rows] = result
        self.reason[rows] = np.where(primary, PRIMARY, np.where(result, SECONDARY, ""))
        secondary_rule = np.where(
            rest_primary, RULE_REST, np.where(forced[rows], RULE_SHARED, RULE_DIFFERENCING)
        )
        self.rule[rows] = np.where(primary, area_rule[rows], np.where(result, secondary_rule, ""))
        # With the city published, rest = city - area: the two go together.
        self.rest_suppressed[rows] = result & ~empty
        self.rest_reason[rows] = np.where(
            self.rest_suppressed[rows], np.where(rest_primary, PRIMARY, SECONDARY), ""
        )

    def share(self, rows: np.ndarray) -> None:
        """Suppress ``rows`` (published so far) because another table hides the figure."""
        rows = rows[~self.suppressed[rows]]
        self.suppressed[rows] = True
        self.reason[rows] = SECONDARY
        self.rule[rows] = RULE_SHARED
        self.rest_suppressed[rows] = ~self.rest_empty[rows]
        self.rest_reason[rows] = np.where(self.rest_empty[rows], "", SECONDARY)


def _primary(
    frame: pd.DataFrame, prefix: str, rules: DisclosureRules, registry: Mapping[str, Indicator]
) -> np.ndarray:
    """The primary rule of the area (``""``), rest (``rest_``) or city (``city_``) cells."""
    num, den = f"{prefix}numerator", f"{prefix}denominator"
    if not {num, den} <= set(frame.columns):
        return np.full(len(frame), "", dtype=object)
    return primary_rule(frame["indicator"], frame[num], frame[den], rules, registry)


def _counts(frame: pd.DataFrame, registry: Mapping[str, Indicator]) -> tuple[np.ndarray, ...]:
    """Per row the numerator and, for shares, the complement (NaN for counts)."""
    num = frame["numerator"].to_numpy(dtype=float)
    den = frame["denominator"].to_numpy(dtype=float)
    codes, uniques = pd.factorize(frame["indicator"], use_na_sentinel=False)
    is_count = np.array([registry[c].unit == "count" for c in uniques], dtype=bool)[codes]
    return num, np.where(is_count, np.nan, den - num), is_count


def _table_counts(counts: tuple[np.ndarray, ...], rows: np.ndarray) -> tuple[np.ndarray, ...]:
    num, complement, is_count = counts
    if is_count[rows].all():  # a count's denominator counts base units: no complement
        return (num[rows],)
    return num[rows], complement[rows]


def _protect_populations(
    frame: pd.DataFrame,
    tables: Mapping[tuple, np.ndarray],
    structure: _Structure,
    rules: DisclosureRules,
    area_rule: np.ndarray,
    state: _State,
    level_rank: np.ndarray,
    denominators: np.ndarray,
) -> None:
    """Protect populations that several indicators publish (``populations:``).

    Residents are the numerator of ``befolkning`` and the denominator of
    ``ikke_vestlig`` and the coverage shares: a population figure is hidden only where
    every one of them hides it. Where the population itself is confidential (a primary
    cell of an indicator that counts it as its numerator), its cell is suppressed in all
    of them, and the population is protected as one more table over the cells that all
    of them hide; what that adds is suppressed in all of them (rule
    ``shared_population``). This only adds suppressions, so each table stays safe.
    """
    keys = structure.keys
    by_year: dict[object, dict[str, np.ndarray]] = {}
    for (indicator, year), rows in tables.items():
        by_year.setdefault(year, {})[str(indicator)] = rows
    for present in by_year.values():
        for series in rules.populations.values():
            members = [(code, part) for code, part in series if code in present]
            owners = [code for code, part in members if part == "numerator"]
            if len(members) < 2 or not owners:
                continue
            for owner in owners:
                rows = present[owner]
                if state.city_suppressed[rows].any():
                    continue
                confidential = area_rule[rows] != ""
                others = [present[code] for code, _ in members if code != owner]
                position = [pd.Index(keys[r]) for r in others]
                shared_keys = keys[rows]
                for other, index in zip(others, position, strict=True):
                    where = index.get_indexer(shared_keys[confidential])
                    state.share(other[where[where >= 0]])
                # Hidden for the population: hidden in every table (absent counts as hidden).
                hidden = state.suppressed[rows].copy()
                for other, index in zip(others, position, strict=True):
                    where = index.get_indexer(shared_keys)
                    shown = np.zeros(len(rows), dtype=bool)
                    shown[where >= 0] = ~state.suppressed[other[where[where >= 0]]]
                    hidden &= ~shown
                system = _table_system(rows, structure, level_rank, denominators)
                result = _solve_table(
                    system.a,
                    system.unit_var,
                    np.append(confidential, False),
                    np.append(np.ones(len(rows), dtype=bool), False),
                    system.cheapness,
                    forced=np.append(hidden, False),
                )
                if result is None:
                    result = np.ones(len(rows) + 1, dtype=bool)
                added = np.flatnonzero(result[:-1] & ~hidden)
                state.share(rows[added])
                for other, index in zip(others, position, strict=True):
                    where = index.get_indexer(shared_keys[added])
                    state.share(other[where[where >= 0]])


def _blank(
    frame: pd.DataFrame,
    suppressed: np.ndarray,
    reason: np.ndarray,
    rule: np.ndarray,
    rest_suppressed: np.ndarray,
    rest_reason: np.ndarray,
    city_suppressed: np.ndarray,
) -> pd.DataFrame:
    out = frame
    columns = set(out.columns)
    for name in (*AREA_COLUMNS, *DERIVED_COLUMNS):
        if name in columns:
            out[name] = out[name].astype(float).mask(suppressed)
    for name in (*REST_COLUMNS, *DERIVED_COLUMNS):
        if name in columns:
            out[name] = out[name].astype(float).mask(rest_suppressed | city_suppressed)
    for name in CITY_COLUMNS:
        if name in columns:
            out[name] = out[name].astype(float).mask(city_suppressed)
    if "direction" in columns:
        hidden = suppressed | rest_suppressed | city_suppressed
        out["direction"] = np.where(hidden, 0, out["direction"]).astype(int)
    out["suppressed"] = suppressed
    out["suppression"] = reason.astype(str)
    out["suppression_rule"] = rule.astype(str)
    out["rest_suppressed"] = rest_suppressed
    out["rest_suppression"] = rest_reason.astype(str)
    out["city_suppressed"] = city_suppressed
    return out


def protect_or_withhold(
    comparison: pd.DataFrame,
    membership: pd.DataFrame,
    registry: Mapping[str, Indicator] | None = None,
    **options: object,
) -> pd.DataFrame:
    """:func:`protect`, failing closed: any error withholds every cell.

    For figures computed on request (the Dækning page's thresholds). Missing or broken
    rules, an indicator the rules cannot place or a bad frame never publish unprotected
    figures: every cell comes back suppressed (rule ``withheld``) and the error is logged.
    """
    try:
        return protect(comparison, membership, registry=registry, **options)  # type: ignore[arg-type]
    except Exception:  # fail closed whatever broke
        _LOG.exception("disclosure control failed: every cell is withheld")
        return withhold_all(comparison)


def withhold_all(comparison: pd.DataFrame) -> pd.DataFrame:
    """Every cell of ``comparison`` suppressed (rule ``withheld``), the city included."""
    frame = comparison.reset_index(drop=True).copy()
    n = len(frame)
    every = np.ones(n, dtype=bool)
    return _blank(
        frame,
        every,
        np.full(n, SECONDARY, dtype=object),
        np.full(n, RULE_WITHHELD, dtype=object),
        every,
        np.full(n, SECONDARY, dtype=object),
        every,
    )


def hidden_in_published(
    frame: pd.DataFrame,
    published: Mapping[str, pd.DataFrame],
    codes: Iterable[str],
    year: int,
) -> np.ndarray:
    """Per row of ``frame``: the area's cell of one of ``codes`` in ``year`` is suppressed
    in the published figures of its level (``published``: level → protected comparison)."""
    wanted = set(codes)
    hidden = np.zeros(len(frame), dtype=bool)
    for level, table in published.items():
        rows = table[
            table["indicator"].isin(wanted)
            & (table["year"] == year)
            & table["suppressed"].astype(bool)
        ]
        at_level = (frame["level"] == level).to_numpy()
        hidden |= at_level & frame["area_code"].isin(set(rows["area_code"])).to_numpy()
    return hidden


def protect_against_published(
    comparison: pd.DataFrame,
    membership: pd.DataFrame,
    registry: Mapping[str, Indicator],
    *,
    published: Callable[[str], pd.DataFrame],
    codes: Iterable[str],
    year: int,
) -> pd.DataFrame:
    """Protect figures computed on request (the Dækning page's thresholds) jointly over
    their levels and within the already published pattern, failing closed.

    ``comparison`` holds every level's areas (``level``, keyed by ``area_code``);
    ``published(level)`` is that level's published comparison. A cell of one of
    ``codes`` (the same residents published as ``befolkning`` or the stored indicator)
    hidden there stays hidden here, so the page reveals nothing those publications do
    not. Any error (reading the published figures, the rules, a bad frame) withholds
    every cell: nothing unprotected is ever returned.
    """
    try:
        levels = list(dict.fromkeys(comparison["level"]))
        pattern = {level: published(level) for level in levels}
        hidden = hidden_in_published(comparison, pattern, codes, year)
    except Exception:  # fail closed whatever broke
        _LOG.exception("the published pattern could not be read: every cell is withheld")
        return withhold_all(comparison)
    return protect_or_withhold(comparison, membership, registry, key="area_code", hidden=hidden)


# ---------------------------------------------------------------------------------- audit


def find_disclosures(
    original: pd.DataFrame,
    protected: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    base_level: str = "rode",
    key: str | None = None,
) -> pd.DataFrame:
    """Suppressed numerators and denominators that the published figures still determine.

    An independent check of :func:`protect` (it shares no code with it): for
    every indicator-year, every published figure (area, rest of city, city) is a vector
    over the base units; a suppressed area or rest of city is *disclosed* when its vector
    lies in their span. For each disclosed cell the value is recovered from the published
    numbers, so the caller can see it equal the original.

    Returns one row per disclosure: ``indicator, year, key, part`` (``area`` / ``rest``),
    ``recovered_numerator, recovered_denominator, numerator, denominator``; empty when
    protection holds.
    """
    key = key or ("definition" if "definition" in original.columns else "area_code")
    orig = original.reset_index(drop=True)
    prot = protected.reset_index(drop=True)
    mkey = key if key in membership.columns else "aggregate_code"
    members: dict[str, set[str]] = {}
    for aggregate, member in zip(membership[mkey], membership["member_code"], strict=True):
        members.setdefault(str(aggregate), set()).add(str(member))
    every_member = set().union(*members.values()) if members else set()
    found = []
    for (indicator, year), rows in orig.groupby(TABLE, sort=False).indices.items():
        part = orig.iloc[rows]
        keys = [str(k) for k in part[key]]
        codes = [str(c) for c in part["area_code"]]
        levels = list(part["level"]) if "level" in part.columns else [None] * len(rows)
        kinds = []
        for k, c, lv in zip(keys, codes, levels, strict=True):
            if k in members:
                kinds.append("aggregate")
            elif lv == base_level or (lv is None and c in every_member):
                kinds.append("base")
            else:
                kinds.append("direct")
        base_codes = sorted({c for c, kd in zip(codes, kinds, strict=True) if kd == "base"})
        base_codes = base_codes or sorted(every_member)
        var = {c: i for i, c in enumerate(base_codes)}
        for k, kd in zip(keys, kinds, strict=True):
            if kd == "direct":
                var[f"direct:{k}"] = len(var)
        vec = np.zeros((len(rows), len(var)))
        for i, (k, c, kd) in enumerate(zip(keys, codes, kinds, strict=True)):
            if kd == "base":
                vec[i, var[c]] = 1
            elif kd == "direct":
                vec[i, var[f"direct:{k}"]] = 1
            else:
                vec[i, [var[m] for m in members[k] if m in var]] = 1
        city = np.zeros(len(var))
        city[: len(base_codes)] = 1
        vectors = np.vstack([vec, city - vec, city[None, :]])
        o, p = orig.iloc[rows], prot.iloc[rows]
        nums = _stack(o, "numerator")
        dens = _stack(o, "denominator")
        published_num = _stack(p, "numerator")
        published_den = _stack(p, "denominator")
        hidden = np.isnan(published_num) & ~np.isnan(nums)
        shown = ~np.isnan(published_num)
        if not hidden.any():
            continue
        # Published single base units are known values: eliminate them, then solve the
        # rest by least squares (x solves agg.T x = v on the unknown units; v is disclosed
        # when the residual vanishes).
        shown_idx = np.flatnonzero(shown)
        single = (vectors[shown_idx] != 0).sum(axis=1) == 1
        unit_idx = shown_idx[single]
        unit_var = np.abs(vectors[unit_idx]).argmax(axis=1)
        unit_sign = vectors[unit_idx, unit_var]
        known = np.zeros(len(var), dtype=bool)
        known[unit_var] = True
        agg_idx = shown_idx[~single]
        target = vectors[hidden]
        if agg_idx.size and (~known).any():
            coef, *_ = np.linalg.lstsq(
                vectors[np.ix_(agg_idx, ~known)].T, target[:, ~known].T, rcond=None
            )
        else:
            coef = np.zeros((agg_idx.size, target.shape[0]))
        rest_part = target - coef.T @ vectors[agg_idx]  # to be made up by known units
        resid = np.linalg.norm(rest_part[:, ~known], axis=1)
        unit_value = {}
        for i, v, sign in zip(unit_idx, unit_var, unit_sign, strict=True):
            unit_value.setdefault(v, (published_num[i] / sign, published_den[i] / sign))
        for j, idx in enumerate(np.flatnonzero(hidden)):
            if resid[j] >= _LEAK_TOL:
                continue
            rec_num = float(coef[:, j] @ published_num[agg_idx])
            rec_den = float(coef[:, j] @ published_den[agg_idx])
            for v in np.flatnonzero(known & (np.abs(rest_part[j]) > 1e-9)):
                rec_num += rest_part[j, v] * unit_value[v][0]
                rec_den += rest_part[j, v] * unit_value[v][1]
            which = "area" if idx < len(rows) else "rest" if idx < 2 * len(rows) else "city"
            found.append(
                {
                    "indicator": indicator,
                    "year": year,
                    "key": keys[idx % len(rows)] if which != "city" else "",
                    "part": which,
                    "recovered_numerator": rec_num,
                    "recovered_denominator": rec_den,
                    "numerator": nums[idx],
                    "denominator": dens[idx],
                }
            )
    columns = [
        "indicator",
        "year",
        "key",
        "part",
        "recovered_numerator",
        "recovered_denominator",
        "numerator",
        "denominator",
    ]
    return pd.DataFrame(found, columns=columns)


def _stack(rows: pd.DataFrame, field: str) -> np.ndarray:
    """Area, rest-of-city and (once) city values of one field, as one vector."""
    area = rows[field].to_numpy(dtype=float)
    rest_name = f"rest_{field}"
    rest = (
        rows[rest_name].to_numpy(dtype=float) if rest_name in rows else np.full(len(rows), np.nan)
    )
    city = rows[f"city_{field}"].to_numpy(dtype=float)[:1]
    return np.concatenate([area, rest, city])


def summary(protected: pd.DataFrame) -> pd.DataFrame:
    """Cells per level and reason: ``level, cells, primary, secondary, share_suppressed``."""
    level = protected["level"] if "level" in protected.columns else pd.Series("", protected.index)
    grouped = pd.DataFrame(
        {
            "level": level,
            "primary": protected["suppression"] == PRIMARY,
            "secondary": protected["suppression"] == SECONDARY,
        }
    ).groupby("level")
    out = grouped.agg(
        cells=("primary", "size"), primary=("primary", "sum"), secondary=("secondary", "sum")
    )
    out["share_suppressed"] = (out["primary"] + out["secondary"]) / out["cells"]
    return out.reset_index()
