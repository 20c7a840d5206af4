"""The Danish state lists (almenboligloven § 61 a and § 61 b): classification and early warning.

Pure pandas/numpy. The rules are data (``data/state_list_rules.yaml``): four rule sets
chosen by list year (2010-2013, 2014-2017, 2018-2020, 2021-), each with its thresholds,
comparison operators exactly as the law words them (``>`` "overstiger", ``>=`` "mindst",
``<`` "mindre end"), criteria counts and category definitions.

:func:`classify` turns a frame of state-list inputs (one row per boligområde and list
year) into one row per input with

* ``rules`` (the rule set used), ``eligible`` (at least 1,000 residents; "not eligible"
  is a separate outcome from "criteria not met"), ``criteria_met``;
* the categories ``udsat``, ``parallelsamfund``, ``omdannelse``, ``forebyggelse``,
  ``ghetto`` (booleans), ``meets_61b`` (§ 61 b as worded, without the published list's
  exclusion of udsatte boligområder), ``category`` (the highest one, or ``ingen`` /
  ``ikke_omfattet``) and ``list_streak`` (consecutive years on the ghetto/parallelsamfund
  list, this one included);
* per criterion and threshold set (``udsat``, ``forebyggelse``): ``threshold_*`` (in the
  criterion's unit, e.g. 3 x the national conviction rate in percent), ``margin_*`` and
  ``met_*``. A margin is the headroom: how far the value may worsen before the
  criterion is met (positive = not met; for ``>``/``<`` a margin of exactly 0 is not
  met, for ``>=`` it is);
* early warning: ``close_*`` (within a configurable distance of the udsat threshold),
  ``projected_*`` (a least-squares trend over the latest years would meet it within N
  years), ``risk_score`` 0-3, ``risk_level`` (``none``, ``watch``, ``high``, ``listed``),
  ``at_risk`` (``high`` or ``listed``) and ``risk_reasons`` in Danish.

Risk levels
    listed  on a state list this year (udsat, ghetto, parallelsamfund, omdannelse).
    high    not listed, but on the forebyggelse list; or it would be listed if the
            criteria that are close to their thresholds were met; or if the trends held
            for ``horizon_years``; or it meets a list's criteria but has under 1,000
            residents this year.
    watch   a criterion of the list is met, close or heading over its threshold.
    none    none of these.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from indicators.numbers import format_number

RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "state_list_rules.yaml"

#: Input columns, in the CLI's and the store's order.
INPUT_COLUMNS = (
    "area_id",
    "year",
    "residents",
    "non_western_pct",
    "outside_labour_pct",
    "convicted_pct",
    "national_convicted_pct",
    "basic_education_pct",
    "income_pct_of_region",
)
#: Criterion key -> input column.
CRITERION_COLUMNS: dict[str, str] = {
    "outside_labour": "outside_labour_pct",
    "convicted": "convicted_pct",
    "basic_education": "basic_education_pct",
    "income": "income_pct_of_region",
    "non_western": "non_western_pct",
}
CRITERIA = tuple(CRITERION_COLUMNS)
THRESHOLD_SETS = ("udsat", "forebyggelse")
CATEGORIES = ("udsat", "parallelsamfund", "omdannelse", "forebyggelse", "ghetto")
#: Categories that put an area *on* a state list (the 2035 goal: none at risk of these).
LISTED_CATEGORIES = ("udsat", "ghetto", "parallelsamfund", "omdannelse")
#: ``category`` column: the highest category held, in this order.
CATEGORY_RANK = ("omdannelse", "parallelsamfund", "ghetto", "udsat", "forebyggelse")
RISK_LEVELS = ("none", "watch", "high", "listed")
OPERATORS = (">", ">=", "<")
RELATIVE_INPUTS = ("national_convicted_pct",)

#: Values equal to a threshold within this tolerance count as equal to it.
EPS = 1e-9
#: Rows per batch when building the Danish reasons text (bounds the memory it takes).
REASONS_CHUNK = 20_000

CATEGORY_LABELS_DA = {
    "omdannelse": "Omdannelsesområde",
    "parallelsamfund": "Parallelsamfund",
    "ghetto": "Ghettoområde",
    "udsat": "Udsat boligområde",
    "forebyggelse": "Forebyggelsesområde",
    "ingen": "Ingen liste",
    "ikke_omfattet": "Ikke omfattet (under 1.000 beboere)",
}
#: The names the categories had before L 23 (2021); kept for historical data.
CATEGORY_ALIASES_DA = {"omdannelse": "Hårdt ghettoområde", "ghetto": "Ghettoområde"}
CRITERION_LABELS_DA = {
    "outside_labour": "Uden for arbejde og uddannelse",
    "convicted": "Dømte",
    "basic_education": "Kun grundskole",
    "income": "Indkomst i forhold til regionen",
    "non_western": "Ikke-vestlig oprindelse",
}
RISK_LABELS_DA = {
    "none": "Ingen risiko",
    "watch": "Opmærksomhed",
    "high": "I risiko",
    "listed": "På en statsliste",
}
_OP_WORDS_DA = {">": "over", ">=": "mindst", "<": "under"}


class StateListRulesError(ValueError):
    """The rules file is malformed."""


# ------------------------------------------------------------------------------ the rules


@dataclass(frozen=True)
class Threshold:
    op: str
    value: float
    relative_to: str | None = None

    @property
    def strict(self) -> bool:
        return self.op in (">", "<")

    @property
    def higher_is_worse(self) -> bool:
        return self.op in (">", ">=")

    def describe_da(self) -> str:
        word = _OP_WORDS_DA[self.op]
        if self.relative_to:
            return f"{word} {format_number(self.value, 0)} gange landsgennemsnittet"
        return f"{word} {format_number(self.value, 2 if self.value % 1 else 0)} %"


@dataclass(frozen=True)
class CountRule:
    thresholds: str
    criteria: tuple[str, ...]
    at_least: int


@dataclass(frozen=True)
class CategoryRule:
    name: str
    count: CountRule | None = None
    conditions: tuple[tuple[str, str], ...] = ()
    requires: tuple[str, ...] = ()
    exclude_if: tuple[str, ...] = ()
    consecutive_years: int | None = None
    history: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    id: str
    first_year: int
    last_year: int | None
    name_da: str
    name_en: str
    summary_da: str
    min_residents: int
    sources: tuple[str, ...]
    thresholds: Mapping[str, Mapping[str, Threshold]]
    criteria_met: tuple[str, ...]
    categories: tuple[CategoryRule, ...]

    def covers(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)

    def threshold(self, tset: str, criterion: str) -> Threshold | None:
        return self.thresholds.get(tset, {}).get(criterion)

    @property
    def category_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    @property
    def needs(self) -> tuple[str, ...]:
        """Input columns this rule set reads."""
        cols = {"residents"}
        for per_set in self.thresholds.values():
            for crit, t in per_set.items():
                cols.add(CRITERION_COLUMNS[crit])
                if t.relative_to:
                    cols.add(t.relative_to)
        return tuple(c for c in INPUT_COLUMNS if c in cols)


@dataclass(frozen=True)
class EarlyWarning:
    distance: Mapping[str, float]
    trend_window: int = 4
    trend_min_points: int = 3
    horizon_years: int = 3


@dataclass(frozen=True)
class DevelopmentPlan:
    """Almenboligloven § 168 a: the category whose areas stay under a development plan."""

    category: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rules:
    rule_sets: Mapping[str, RuleSet]
    early_warning: EarlyWarning
    version: int = 1
    _order: tuple[str, ...] = field(default=(), repr=False)
    development_plan: DevelopmentPlan | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return self._order or tuple(self.rule_sets)

    def for_year(self, year: int) -> RuleSet:
        for rs in self.rule_sets.values():
            if rs.covers(int(year)):
                return rs
        first = min(rs.first_year for rs in self.rule_sets.values())
        raise KeyError(f"no state-list rule set covers the year {year} (the lists start {first})")

    def ids_for_years(self, years: Iterable[int]) -> np.ndarray:
        years = np.asarray(list(years) if not isinstance(years, np.ndarray) else years)
        out = np.full(years.shape, None, dtype=object)
        for rs in self.rule_sets.values():
            mask = years >= rs.first_year
            if rs.last_year is not None:
                mask &= years <= rs.last_year
            out[mask] = rs.id
        return out


def _need(mapping: Mapping, key: str, where: str):  # type: ignore[no-untyped-def]
    if key not in mapping:
        raise StateListRulesError(f"{where}: missing {key!r}")
    return mapping[key]


def parse_rules(text: str, source: str = "state_list_rules.yaml") -> Rules:
    """Parse and validate the rules document; raise StateListRulesError naming the problem."""
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("rule_sets"), list):
        raise StateListRulesError(f"{source}: expected a mapping with a list 'rule_sets'")
    sets: dict[str, RuleSet] = {}
    for pos, entry in enumerate(doc["rule_sets"], start=1):
        where = f"{source}: rule set #{pos}"
        if not isinstance(entry, dict):
            raise StateListRulesError(f"{where}: expected a mapping")
        rid = str(_need(entry, "id", where))
        where = f"{source}: rule set {rid}"
        if rid in sets:
            raise StateListRulesError(f"{where}: duplicate id")
        thresholds: dict[str, dict[str, Threshold]] = {}
        for tset, per in (_need(entry, "thresholds", where) or {}).items():
            if tset not in THRESHOLD_SETS:
                raise StateListRulesError(f"{where}: unknown threshold set {tset!r}")
            thresholds[tset] = {}
            for crit, spec in per.items():
                if crit not in CRITERIA:
                    raise StateListRulesError(f"{where}: unknown criterion {crit!r}")
                op = str(_need(spec, "op", f"{where} {tset}.{crit}"))
                if op not in OPERATORS:
                    raise StateListRulesError(
                        f"{where} {tset}.{crit}: op must be one of {OPERATORS}"
                    )
                rel = spec.get("relative_to")
                if rel is not None and rel not in RELATIVE_INPUTS:
                    raise StateListRulesError(f"{where} {tset}.{crit}: unknown relative_to {rel!r}")
                thresholds[tset][crit] = Threshold(op, float(spec["value"]), rel)
        if "udsat" not in thresholds:
            raise StateListRulesError(f"{where}: needs an 'udsat' threshold set")
        criteria_met = tuple(_need(entry, "criteria_met", where))
        for crit in criteria_met:
            if crit not in thresholds["udsat"]:
                raise StateListRulesError(f"{where}: criteria_met names {crit!r} without threshold")
        cats: list[CategoryRule] = []
        for name, spec in (_need(entry, "categories", where) or {}).items():
            cw = f"{where} category {name}"
            if name not in CATEGORIES:
                raise StateListRulesError(f"{cw}: unknown category (expected one of {CATEGORIES})")
            count = None
            if "count" in spec:
                c = spec["count"]
                count = CountRule(str(c["thresholds"]), tuple(c["criteria"]), int(c["at_least"]))
                for crit in count.criteria:
                    if crit not in thresholds.get(count.thresholds, {}):
                        raise StateListRulesError(
                            f"{cw}: no {count.thresholds} threshold for {crit}"
                        )
                if not 1 <= count.at_least <= len(count.criteria):
                    raise StateListRulesError(f"{cw}: at_least out of range")
            conditions = tuple(
                (str(c["thresholds"]), str(c["criterion"])) for c in spec.get("conditions", [])
            )
            for tset, crit in conditions:
                if crit not in thresholds.get(tset, {}):
                    raise StateListRulesError(f"{cw}: no {tset} threshold for {crit}")
            earlier = {c.name for c in cats}
            requires = tuple(spec.get("requires", []))
            exclude_if = tuple(spec.get("exclude_if", []))
            for other in (*requires, *exclude_if):
                if other not in earlier:
                    raise StateListRulesError(f"{cw}: refers to {other!r} before it is defined")
            years = spec.get("consecutive_years")
            history = tuple(spec.get("history", []))
            if years is not None and (int(years) < 1 or not history):
                raise StateListRulesError(f"{cw}: consecutive_years needs years >= 1 and a history")
            if not (count or conditions or requires or years):
                raise StateListRulesError(f"{cw}: has no rule")
            cats.append(
                CategoryRule(
                    name,
                    count,
                    conditions,
                    requires,
                    exclude_if,
                    None if years is None else int(years),
                    history,
                )
            )
        last = entry.get("last_year")
        sets[rid] = RuleSet(
            id=rid,
            first_year=int(_need(entry, "first_year", where)),
            last_year=None if last is None else int(last),
            name_da=str(entry.get("name_da", rid)),
            name_en=str(entry.get("name_en", rid)),
            summary_da=" ".join(str(entry.get("summary_da", "")).split()),
            min_residents=int(_need(entry, "min_residents", where)),
            sources=tuple(entry.get("sources", [])),
            thresholds=thresholds,
            criteria_met=criteria_met,
            categories=tuple(cats),
        )
    ordered = sorted(sets.values(), key=lambda r: r.first_year)
    for a, b in itertools.pairwise(ordered):
        if a.last_year is None or a.last_year + 1 != b.first_year:
            raise StateListRulesError(
                f"{source}: rule sets {a.id} and {b.id} leave a gap or overlap"
            )
    ew = doc.get("early_warning") or {}
    early = EarlyWarning(
        distance={str(k): float(v) for k, v in (ew.get("distance") or {}).items()},
        trend_window=int(ew.get("trend_window", 4)),
        trend_min_points=int(ew.get("trend_min_points", 3)),
        horizon_years=int(ew.get("horizon_years", 3)),
    )
    if early.trend_min_points < 2 or early.trend_window < early.trend_min_points:
        raise StateListRulesError(f"{source}: early_warning needs 2 <= trend_min_points <= window")
    plan = None
    if doc.get("development_plan") is not None:
        spec = doc["development_plan"]
        if not isinstance(spec, dict) or spec.get("category") not in CATEGORIES:
            raise StateListRulesError(
                f"{source}: development_plan needs a category (one of {CATEGORIES})"
            )
        plan = DevelopmentPlan(str(spec["category"]), tuple(spec.get("sources", [])))
    return Rules(
        {r.id: r for r in ordered},
        early,
        int(doc.get("version", 1)),
        tuple(r.id for r in ordered),
        plan,
    )


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> Rules:
    """The rules file (default: ``data/state_list_rules.yaml``)."""
    p = Path(path) if path else RULES_PATH
    return parse_rules(p.read_text(encoding="utf-8"), p.name)


def rules_table(rules: Rules | None = None) -> pd.DataFrame:
    """One row per rule set, threshold set and criterion: the rules as a table (docs, app)."""
    rules = rules or load_rules()
    rows = []
    for rs in rules.rule_sets.values():
        for tset, per in rs.thresholds.items():
            for crit, t in per.items():
                rows.append(
                    {
                        "rules": rs.id,
                        "years": f"{rs.first_year}-{rs.last_year or ''}",
                        "thresholds": tset,
                        "criterion": crit,
                        "op": t.op,
                        "value": t.value,
                        "relative_to": t.relative_to,
                        "text_da": t.describe_da(),
                    }
                )
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ validation


def validate_inputs(
    frame: pd.DataFrame, rules: Rules | None = None, rule_set: str | None = None
) -> list[str]:
    """Problems with an input frame (empty list = fine). Positions are 0-based row numbers."""
    rules = rules or load_rules()
    problems: list[str] = []
    missing = [c for c in INPUT_COLUMNS if c not in frame.columns]
    if missing:
        return [f"missing column(s): {', '.join(missing)}"]
    if rule_set is not None and rule_set not in rules.rule_sets:
        return [f"unknown rule set {rule_set!r} (expected one of {', '.join(rules.ids)})"]
    years = pd.to_numeric(frame["year"], errors="coerce")
    if years.isna().any():
        problems.append(f"rows {_rows(years.isna())}: year is not a number")
        return problems
    ids = (
        np.full(len(frame), rule_set, dtype=object)
        if rule_set
        else rules.ids_for_years(years.to_numpy(dtype=int))
    )
    no_rules = pd.isna(ids)
    if no_rules.any():
        problems.append(f"rows {_rows(no_rules)}: no rule set covers the year")
    for rid in rules.ids:
        mask = ids == rid
        if not mask.any():
            continue
        for col in rules.rule_sets[rid].needs:
            values = pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)
            bad = mask & ~np.isfinite(values)
            if bad.any():
                problems.append(f"rows {_rows(bad)}: {col} is needed by rule set {rid} but missing")
            neg = mask & np.isfinite(values) & (values < 0)
            if neg.any():
                problems.append(f"rows {_rows(neg)}: {col} is negative")
    dup = frame.duplicated(["area_id", "year"], keep=False).to_numpy()
    if dup.any():
        problems.append(f"rows {_rows(dup)}: the same area_id and year occur more than once")
    return problems


def _rows(mask: np.ndarray | pd.Series, limit: int = 5) -> str:
    idx = np.flatnonzero(np.asarray(mask))
    shown = ", ".join(str(i) for i in idx[:limit])
    return shown + (f" (and {len(idx) - limit} more)" if len(idx) > limit else "")


# ------------------------------------------------------------------------------ classification


def _margin(values: np.ndarray, threshold_values: np.ndarray, t: Threshold) -> np.ndarray:
    return threshold_values - values if t.higher_is_worse else values - threshold_values


def _met(margin: np.ndarray, t: Threshold) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return (margin < -EPS) if t.strict else (margin <= EPS)


def _evaluate(
    rs: RuleSet,
    met: Mapping[tuple[str, str], np.ndarray],
    eligible: np.ndarray,
    streak: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """Evaluate a rule set's categories for some rows. ``streak=None`` skips history rules."""
    return _evaluate_rules(rs.categories, met, eligible, streak)


def _evaluate_rules(
    categories: Iterable[CategoryRule],
    met: Mapping[tuple[str, str], np.ndarray],
    eligible: np.ndarray,
    streak: np.ndarray | None,
) -> dict[str, np.ndarray]:
    n = len(eligible)
    out: dict[str, np.ndarray] = {}
    for cat in categories:
        ok = eligible.copy()
        if cat.count is not None:
            hits = np.zeros(n, dtype=np.int8)
            for crit in cat.count.criteria:
                hits += met[(cat.count.thresholds, crit)]
            ok &= hits >= cat.count.at_least
        for tset, crit in cat.conditions:
            ok &= met[(tset, crit)]
        for other in cat.requires:
            ok &= out[other]
        for other in cat.exclude_if:
            ok &= ~out[other]
        if cat.consecutive_years is not None:
            ok &= False if streak is None else streak >= cat.consecutive_years
        out[cat.name] = ok
    for name in CATEGORIES:
        out.setdefault(name, np.zeros(n, dtype=bool))
    return out


def _history_lists(rules: Rules) -> tuple[str, ...]:
    names: list[str] = []
    for rs in rules.rule_sets.values():
        for cat in rs.categories:
            names.extend(h for h in cat.history if h not in names)
    return tuple(names)


def _streak(area_codes: np.ndarray, years: np.ndarray, listed: np.ndarray) -> np.ndarray:
    """Consecutive years on the list up to and including each row (0 when not listed).

    The arrays are sorted by area, then year. A missing year breaks the run.
    """
    n = len(years)
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    same_area = np.zeros(n, dtype=bool)
    same_area[1:] = area_codes[1:] == area_codes[:-1]
    follows = np.zeros(n, dtype=bool)
    follows[1:] = same_area[1:] & (years[1:] == years[:-1] + 1) & listed[:-1]
    start = listed & ~follows
    pos = np.arange(n)
    start_pos = np.zeros(n, dtype=np.int64)
    start_pos[start] = pos[start]
    run_start = np.maximum.accumulate(start_pos)
    streak = np.where(listed, pos - run_start + 1, 0)
    return streak.astype(np.int32)


def _rolling_slope(
    group_start: np.ndarray, x: np.ndarray, y: np.ndarray, window: int
) -> tuple[np.ndarray, np.ndarray]:
    """Least-squares slope of ``y`` on ``x`` over each row's last ``window`` rows of its group.

    ``group_start[i]`` is the position of the first row of row i's group. NaN ``y`` are
    skipped. Returns ``(slope, points)``.
    """
    n = len(x)
    valid = np.isfinite(y)
    w = valid.astype(float)
    xv = np.where(valid, x, 0.0)
    yv = np.where(valid, y, 0.0)

    def csum(a: np.ndarray) -> np.ndarray:
        out = np.zeros(n + 1)
        np.cumsum(a, out=out[1:])
        return out

    c_n, c_x, c_y = csum(w), csum(xv), csum(yv)
    c_xx, c_xy = csum(xv * xv), csum(xv * yv)
    pos = np.arange(n)
    lo = np.maximum(pos - window + 1, group_start)
    hi = pos + 1
    s_n = c_n[hi] - c_n[lo]
    s_x, s_y = c_x[hi] - c_x[lo], c_y[hi] - c_y[lo]
    s_xx, s_xy = c_xx[hi] - c_xx[lo], c_xy[hi] - c_xy[lo]
    den = s_n * s_xx - s_x * s_x
    with np.errstate(invalid="ignore", divide="ignore"):
        slope = np.where(den > 1e-9, (s_n * s_xy - s_x * s_y) / den, np.nan)
    return slope, s_n.astype(np.int32)


def classify(
    frame: pd.DataFrame,
    rules: Rules | None = None,
    rule_set: str | None = None,
    *,
    with_reasons: bool = True,
) -> pd.DataFrame:
    """Classify state-list inputs; one output row per input row, in input order.

    Parameters
    ----------
    frame
        Columns :data:`INPUT_COLUMNS` (percentages as numbers, 42.5 = 42.5 %). Several
        years per area are allowed and are needed for the omdannelse rule and the trends.
        Other columns are passed through at the end.
    rules
        The rules (default: :func:`load_rules`).
    rule_set
        Force one rule set (``"2010"``, ``"2014"``, ``"2018"`` or ``"2021"``) for every row,
        history included; default: each row's list year picks its rule set.
    with_reasons
        Build the Danish ``risk_reasons`` text (skip it for bulk runs).

    Raises
    ------
    ValueError
        When :func:`validate_inputs` finds a problem.
    """
    rules = rules or load_rules()
    problems = validate_inputs(frame, rules, rule_set)
    if problems:
        raise ValueError("state-list inputs: " + "; ".join(problems))
    n = len(frame)
    extra = [c for c in frame.columns if c not in INPUT_COLUMNS]
    # Work sorted by area and year (history and trends); map back at the end.
    area = frame["area_id"].astype(str).to_numpy()
    year = pd.to_numeric(frame["year"]).to_numpy(dtype=np.int64)
    order = np.lexsort((year, area))
    area_s, year_s = area[order], year[order]
    num = {
        col: pd.to_numeric(frame[col], errors="coerce").to_numpy(dtype=float)[order]
        for col in INPUT_COLUMNS[2:]
    }
    ids = np.full(n, rule_set, dtype=object) if rule_set else rules.ids_for_years(year_s)
    eligible = np.zeros(n, dtype=bool)
    met = {(s, c): np.zeros(n, dtype=bool) for s in THRESHOLD_SETS for c in CRITERIA}
    margin = {(s, c): np.full(n, np.nan) for s in THRESHOLD_SETS for c in CRITERIA}
    thr_val = {(s, c): np.full(n, np.nan) for s in THRESHOLD_SETS for c in CRITERIA}
    criteria_met = np.zeros(n, dtype=np.int8)
    # NaN where the rule set has no forebyggelse list (before 2021).
    criteria_met_fb = np.full(n, np.nan)
    masks = {rid: ids == rid for rid in rules.ids}
    for rid, mask in masks.items():
        if not mask.any():
            continue
        rs = rules.rule_sets[rid]
        eligible[mask] = num["residents"][mask] >= rs.min_residents
        for tset, per in rs.thresholds.items():
            for crit, t in per.items():
                values = num[CRITERION_COLUMNS[crit]][mask]
                tv = np.full(values.shape, t.value)
                if t.relative_to:
                    tv = t.value * num[t.relative_to][mask]
                m = _margin(values, tv, t)
                thr_val[(tset, crit)][mask] = tv
                margin[(tset, crit)][mask] = m
                met[(tset, crit)][mask] = _met(m, t)
        for crit in rs.criteria_met:
            criteria_met[mask] += met[("udsat", crit)][mask]
        fb_count = _forebyggelse_count(rs)
        if fb_count is not None:
            criteria_met_fb[mask] = sum(
                met[(fb_count.thresholds, crit)][mask].astype(float) for crit in fb_count.criteria
            )

    # Pass 1: the lists that the history rules look back on, each year by its own rules.
    history_names = _history_lists(rules)
    on_history_list = np.zeros(n, dtype=bool)
    for rid, mask in masks.items():
        if mask.any():
            sub = {k: v[mask] for k, v in met.items()}
            cats = _evaluate(rules.rule_sets[rid], sub, eligible[mask], None)
            for name in history_names:
                on_history_list[mask] |= cats[name]
    streak = _streak(area_s, year_s, on_history_list)

    # Pass 2: every category, plus the early-warning scenarios.
    ew = rules.early_warning
    group_start = _group_starts(area_s)
    x = (year_s - 2000).astype(float)
    slopes: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for crit in CRITERIA:
        slopes[crit] = _rolling_slope(group_start, x, num[CRITERION_COLUMNS[crit]], ew.trend_window)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = num["convicted_pct"] / num["national_convicted_pct"]
    slopes["convicted_ratio"] = _rolling_slope(group_start, x, ratio, ew.trend_window)

    cats_out = {c: np.zeros(n, dtype=bool) for c in CATEGORIES}
    meets_61b = np.zeros(n, dtype=bool)
    close = {c: np.zeros(n, dtype=bool) for c in CRITERIA}
    projected = {c: np.zeros(n, dtype=bool) for c in CRITERIA}
    projected_value = {c: np.full(n, np.nan) for c in CRITERIA}
    # 2 = a state list, 1 = the forebyggelse list, 0 = none; "actual" ignores eligibility.
    level_actual = np.zeros(n, dtype=np.int8)
    level_close = np.zeros(n, dtype=np.int8)
    level_trend = np.zeros(n, dtype=np.int8)
    watch_any = np.zeros(n, dtype=bool)
    h = float(ew.horizon_years)
    for rid, mask in masks.items():
        if not mask.any():
            continue
        rs = rules.rule_sets[rid]
        sub = {k: v[mask] for k, v in met.items()}
        el = eligible[mask]
        cats = _evaluate(rs, sub, el, streak[mask])
        for c in CATEGORIES:
            cats_out[c][mask] = cats[c]
        fb = next((c for c in rs.categories if c.name == "forebyggelse"), None)
        if fb is not None:
            # § 61 b as worded: the same rule without the published list's exclusion.
            plain = CategoryRule(fb.name, fb.count, fb.conditions)
            meets_61b[mask] = _evaluate_rules((plain,), sub, el, None)["forebyggelse"]
        near_met = dict(sub)
        trend_met = dict(sub)
        for crit, t in rs.thresholds["udsat"].items():
            m = margin[("udsat", crit)][mask]
            not_met = ~sub[("udsat", crit)]
            dist = _distance(ew, crit, t, num["national_convicted_pct"][mask])
            with np.errstate(invalid="ignore"):
                is_close = not_met & (m <= dist)
            close[crit][mask] = is_close
            # Projection: the value (or the ratio to the national rate) in `horizon` years.
            if crit == "convicted" and t.relative_to:
                slope, pts = (a[mask] for a in slopes["convicted_ratio"])
                proj_ratio = ratio[mask] + slope * h
                national = num[t.relative_to][mask]
                proj = proj_ratio * national
                pm = _margin(proj_ratio, np.full(proj.shape, t.value), t) * national
            else:
                slope, pts = (a[mask] for a in slopes[crit])
                proj = num[CRITERION_COLUMNS[crit]][mask] + slope * h
                pm = _margin(proj, thr_val[("udsat", crit)][mask], t)
            ok_trend = (pts >= ew.trend_min_points) & np.isfinite(pm)
            is_proj = not_met & ok_trend & _met(np.where(ok_trend, pm, np.inf), t)
            projected[crit][mask] = is_proj
            projected_value[crit][mask] = np.where(ok_trend, proj, np.nan)
            near_met[("udsat", crit)] = sub[("udsat", crit)] | is_close
            trend_met[("udsat", crit)] = sub[("udsat", crit)] | is_proj
            if crit in rs.criteria_met:
                watch_any[mask] |= sub[("udsat", crit)] | is_close | is_proj
        # The scenarios ignore the residents minimum: a boligområde that is under 1,000
        # residents this year (e.g. during rehousing) can be back over it next year.
        s = streak[mask]
        everyone = np.ones(len(el), dtype=bool)
        level_actual[mask] = _list_level(_evaluate(rs, sub, everyone, s))
        level_close[mask] = _list_level(_evaluate(rs, near_met, everyone, s))
        level_trend[mask] = _list_level(_evaluate(rs, trend_met, everyone, s))

    listed = _any_listed(cats_out)
    high = ~listed & ((level_actual >= 1) | (level_close >= 1) | (level_trend >= 1))
    watch = ~listed & ~high & watch_any
    risk_score = np.select([listed, high, watch], [3, 2, 1], default=0).astype(np.int8)

    plan = np.zeros(n, dtype=bool)
    if rules.development_plan is not None:
        plan = _ever_since(group_start, cats_out[rules.development_plan.category])

    category = np.full(n, "ingen", dtype=object)
    for cat in reversed(CATEGORY_RANK):
        category[cats_out[cat]] = cat
    category[~eligible] = "ikke_omfattet"

    cols: dict[str, np.ndarray] = {
        "area_id": area_s,
        "year": year_s.astype(int),
        "rules": ids.astype(str),
        "eligible": eligible,
        "criteria_met": criteria_met.astype(np.int8),
        "criteria_met_forebyggelse": criteria_met_fb,
        **{c: cats_out[c] for c in CATEGORIES},
        "meets_61b": meets_61b,
        "category": category,
        "udviklingsplan": plan,
        "list_streak": streak,
        "risk_level": np.asarray(RISK_LEVELS, dtype=object)[risk_score],
        "risk_score": risk_score,
        "at_risk": risk_score >= 2,
    }
    cols.update({col: num[col] for col in INPUT_COLUMNS[2:]})
    cols["convicted_ratio"] = ratio
    for tset in THRESHOLD_SETS:
        for crit in CRITERIA:
            cols[f"threshold_{tset}_{crit}"] = thr_val[(tset, crit)]
            cols[f"margin_{tset}_{crit}"] = margin[(tset, crit)]
            cols[f"met_{tset}_{crit}"] = met[(tset, crit)]
    for crit in CRITERIA:
        cols[f"close_{crit}"] = close[crit]
        cols[f"projected_{crit}"] = projected[crit]
        cols[f"projected_value_{crit}"] = projected_value[crit]
    reasons = np.full(n, "", dtype=object)
    if with_reasons:
        # Only rows with something to say, in chunks: the fixed-width numpy strings of the
        # text building would otherwise take gigabytes on millions of rows.
        todo = np.flatnonzero((risk_score > 0) | ~eligible)
        for chunk in np.array_split(todo, max(1, -(-len(todo) // REASONS_CHUNK))):
            if len(chunk):
                part = pd.DataFrame({k: v[chunk] for k, v in cols.items()})
                reasons[chunk] = _reasons(
                    part, rules, level_actual[chunk], level_close[chunk], level_trend[chunk]
                )
    # Back to input order (one frame built once: column-wise inserts are slow).
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n)
    lead = ["area_id", "year", "rules", "eligible", "criteria_met", "criteria_met_forebyggelse",
            *CATEGORIES, "meets_61b", "category", "udviklingsplan", "list_streak",
            "risk_level", "risk_score", "at_risk"]  # fmt: skip
    ordered = {k: cols[k][inverse] for k in lead}
    ordered["risk_reasons"] = reasons[inverse]
    ordered.update({k: v[inverse] for k, v in cols.items() if k not in ordered})
    ordered.update({col: frame[col].to_numpy() for col in extra})
    return pd.DataFrame(ordered)


def _forebyggelse_count(rs: RuleSet) -> CountRule | None:
    fb = next((c for c in rs.categories if c.name == "forebyggelse"), None)
    return fb.count if fb is not None else None


def _ever_since(group_start: np.ndarray, flag: np.ndarray) -> np.ndarray:
    """True from an area's first flagged row on (rows sorted by area, then year).

    ``group_start`` is each row's position of its area's first row (:func:`_group_starts`).
    """
    if len(flag) == 0:
        return np.zeros(0, dtype=bool)
    running = np.cumsum(flag.astype(np.int64))
    before = running[group_start] - flag[group_start].astype(np.int64)
    return (running - before) > 0


def _group_starts(area_sorted: np.ndarray) -> np.ndarray:
    n = len(area_sorted)
    new = np.ones(n, dtype=bool)
    if n > 1:
        new[1:] = area_sorted[1:] != area_sorted[:-1]
    pos = np.where(new, np.arange(n), 0)
    return np.maximum.accumulate(pos) if n else pos


def _distance(ew: EarlyWarning, crit: str, t: Threshold, national: np.ndarray) -> np.ndarray:
    if crit == "convicted" and t.relative_to:
        return ew.distance.get("convicted", 0.0) * national
    key = "convicted_absolute" if crit == "convicted" else crit
    return np.full(national.shape, ew.distance.get(key, 0.0))


def _list_level(cats: Mapping[str, np.ndarray]) -> np.ndarray:
    """2 on a state list, 1 on the forebyggelse list (§ 61 b), 0 on none."""
    return np.where(_any_listed(cats), 2, np.where(cats["forebyggelse"], 1, 0)).astype(np.int8)


def _any_listed(cats: Mapping[str, np.ndarray]) -> np.ndarray:
    out = np.zeros(len(next(iter(cats.values()))), dtype=bool)
    for c in LISTED_CATEGORIES:
        out |= cats[c]
    return out


# ------------------------------------------------------------------------------ Danish text


def category_label(category: str, rules_id: str | None = None) -> str:
    """Danish label; before 2021 the omdannelse category was called hårdt ghettoområde."""
    if rules_id in ("2010", "2014", "2018") and category in CATEGORY_ALIASES_DA:
        return CATEGORY_ALIASES_DA[category]
    return CATEGORY_LABELS_DA.get(category, category)


def _reasons(
    out: pd.DataFrame,
    rules: Rules,
    level_actual: np.ndarray,
    level_close: np.ndarray,
    level_trend: np.ndarray,
) -> np.ndarray:
    """Danish explanation per row: categories, then each criterion met, close or heading over."""
    n = len(out)
    col = {c: out[c].to_numpy() for c in out.columns}
    horizon = rules.early_warning.horizon_years
    # Per rule set: the criteria with an udsat threshold, their wording, the omdannelse years.
    per_rules: dict[str, tuple] = {}
    for rid in pd.unique(col["rules"]):
        rs = rules.rule_sets[rid]
        crits = tuple(
            (c, t, t.describe_da(), c in rs.criteria_met)
            for c in CRITERIA
            if (t := rs.threshold("udsat", c)) is not None
        )
        need = next((c.consecutive_years for c in rs.categories if c.consecutive_years), 0)
        per_rules[rid] = (crits, need)
    scenarios = (
        (level_close, "tæt på grænserne for {}"),
        (level_trend, "på vej mod {} ved den nuværende udvikling"),
    )
    result = np.full(n, "", dtype=object)
    for i in range(n):
        rid = col["rules"][i]
        crits, need = per_rules[rid]
        parts: list[str] = []
        if not col["eligible"][i]:
            parts.append(
                f"Under 1.000 beboere ({col['residents'][i]:.0f}): ikke omfattet af listerne i år"
            )
            if level_actual[i] == 2:
                parts.append("ville ellers opfylde kriterierne for en statsliste")
            elif level_actual[i] == 1:
                parts.append("ville ellers opfylde kriterierne for forebyggelseslisten")
        streak = int(col["list_streak"][i])
        for cat in CATEGORY_RANK:
            if col[cat][i]:
                label = category_label(cat, rid)
                if cat in ("parallelsamfund", "ghetto") and streak > 1:
                    label += f" ({streak} år i træk)"
                parts.append(label)
        if need and streak == need - 1 and not col["omdannelse"][i]:
            parts.append("omdannelsesområde næste år, hvis området bliver på listen")
        for level, template in scenarios:
            if level[i] > level_actual[i]:
                target = "en statsliste" if level[i] == 2 else "forebyggelseslisten"
                parts.append(template.format(target))
        for crit, t, limit, counted in crits:
            met = col[f"met_udsat_{crit}"][i]
            close = col[f"close_{crit}"][i]
            proj = col[f"projected_{crit}"][i]
            if not (met or close or proj):
                continue
            if crit == "non_western" and not (counted or col["udsat"][i] or level_close[i] == 2):
                # From 2018 a condition of the ghetto/parallelsamfund list, not a criterion.
                continue
            share = format_number(float(col[CRITERION_COLUMNS[crit]][i]), 2, trim_zeros=True)
            value = f"{share} %"
            if crit == "convicted" and t.relative_to:
                ratio = format_number(float(col["convicted_ratio"][i]), 2, trim_zeros=True)
                value += f" ({ratio} × landsgennemsnittet)"
            head = f"{CRITERION_LABELS_DA[crit]} {value}"
            if met:
                parts.append(f"{head}: opfylder kriteriet ({limit})")
            elif close:
                tail = " og på vej derhen" if proj else ""
                parts.append(f"{head}: tæt på grænsen ({limit}){tail}")
            else:
                forecast = format_number(
                    float(col[f"projected_value_{crit}"][i]), 2, trim_zeros=True
                )
                parts.append(
                    f"{head}: kan nå grænsen inden for {horizon} år ved nuværende udvikling "
                    f"({limit}; prognose {forecast} %)"
                )
        result[i] = _capitalise("; ".join(parts))
    return result


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""


# ------------------------------------------------------------------------------ summaries


@dataclass(frozen=True)
class CriteriaCount:
    """Criteria met for one list: ``met`` of ``of``, ``needed`` to be on it."""

    list: str
    met: int
    of: int
    needed: int


def criteria_counts(row: Mapping, rules: Rules | None = None) -> list[CriteriaCount]:
    """The criteria counts to show beside a classified row's category.

    The count for the list the area is on, then the next list it could come closer to: a
    forebyggelsesområde shows the forebyggelse count and then the udsat count; an area on
    no list (from 2021) the forebyggelse count and the udsat count; an area on the udsat,
    parallelsamfund, omdannelse or ghetto list the udsat (before 2018: ghetto) count.
    """
    rules = rules or load_rules()
    rs = rules.rule_sets[str(row["rules"])]
    main = next(
        (c for c in rs.categories if c.name in ("udsat", "ghetto") and c.count is not None), None
    )
    name = main.name if main is not None else "udsat"
    needed = main.count.at_least if main is not None and main.count else len(rs.criteria_met)
    udsat = CriteriaCount(name, int(row["criteria_met"]), len(rs.criteria_met), needed)
    fb = _forebyggelse_count(rs)
    if fb is None or row["category"] in LISTED_CATEGORIES:
        return [udsat]
    met_fb = row.get("criteria_met_forebyggelse")
    met_fb = 0 if met_fb is None or not np.isfinite(float(met_fb)) else int(met_fb)
    return [CriteriaCount("forebyggelse", met_fb, len(fb.criteria), fb.at_least), udsat]


def counts_per_year(classified: pd.DataFrame) -> pd.DataFrame:
    """Boligområder on each list, at risk and under watch, per year (with residents)."""
    df = classified
    listed = df[list(LISTED_CATEGORIES)].any(axis=1)
    frame = pd.DataFrame(
        {
            "year": df["year"].to_numpy(),
            "areas": 1,
            "eligible": df["eligible"].to_numpy(),
            **{c: df[c].to_numpy() for c in CATEGORIES},
            "listed": listed.to_numpy(),
            "high": (df["risk_level"] == "high").to_numpy(),
            "watch": (df["risk_level"] == "watch").to_numpy(),
            "at_risk": df["at_risk"].to_numpy(),
            "residents": df["residents"].to_numpy(dtype=float),
            "residents_listed": np.where(listed, df["residents"].to_numpy(dtype=float), 0.0),
            "residents_at_risk": np.where(
                df["at_risk"], df["residents"].to_numpy(dtype=float), 0.0
            ),
        }
    )
    agg = frame.groupby("year", sort=True).sum(numeric_only=True).reset_index()
    for col in agg.columns:
        if col != "year":
            agg[col] = agg[col].astype(int)
    return agg


def latest_status(classified: pd.DataFrame) -> pd.DataFrame:
    """The newest year's row per area, most at risk first."""
    latest = classified.sort_values("year").groupby("area_id", sort=False).tail(1)
    return latest.sort_values(
        ["risk_score", "criteria_met", "area_id"], ascending=[False, False, True]
    ).reset_index(drop=True)
