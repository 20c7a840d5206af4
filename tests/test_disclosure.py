"""Statistical disclosure control (indicators/disclosure.py, Monitor.published_comparison).

Hand-made hierarchies with known suppressions, an attacker that tries to recover every
suppressed numerator and denominator by differencing every published combination, and
Hypothesis properties over random hierarchies.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import calculations as calc
from indicators import disclosure
from indicators.registry import load_registry

REGISTRY = load_registry()
RULES = disclosure.load_rules()
PLAIN = "arbejdsmarked"  # register share, n >= 3, denominator >= 20


# ---------------------------------------------------------------------------------- helpers


def build(
    units: dict[str, tuple[float, float]],
    aggregates: dict[str, tuple[str, list[str]]],
    indicator: str = PLAIN,
    year: int = 2020,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A comparison frame of every level (roder, the aggregates, the city) + membership."""
    base = pd.DataFrame(
        [
            {"area_code": c, "indicator": indicator, "year": year, "numerator": n, "denominator": d}
            for c, (n, d) in units.items()
        ]
    )
    membership = pd.DataFrame(
        [(agg, m) for agg, (_, members) in aggregates.items() for m in members]
        + [("kbh", c) for c in units],
        columns=["aggregate_code", "member_code"],
    )
    levels = {agg: level for agg, (level, _) in aggregates.items()} | {"kbh": "city"}
    aggregated = calc.aggregate_counts(base, membership)
    counts = pd.concat([base, aggregated], ignore_index=True)
    city = aggregated[aggregated["area_code"] == "kbh"]
    frame = calc.compare_with_rest(counts, city, REGISTRY)
    frame["level"] = frame["area_code"].map(levels).fillna("rode")
    return frame, membership


def status(protected: pd.DataFrame) -> dict[str, str]:
    return dict(zip(protected["area_code"], protected["suppression"], strict=True))


def assert_safe(original: pd.DataFrame, protected: pd.DataFrame, membership, **kw) -> None:
    leaks = disclosure.find_disclosures(original, protected, membership, **kw)
    assert leaks.empty, f"recoverable suppressed cells:\n{leaks}"


# A bydel B1 of two kvarterer (K1: R1-R3, K2: R4-R6), plus K3 (R7, R8) in bydel B2.
UNITS = {
    "R1": (40, 400),
    "R2": (60, 500),
    "R3": (30, 300),
    "R4": (50, 450),
    "R5": (45, 420),
    "R6": (35, 380),
    "R7": (55, 510),
    "R8": (25, 260),
}
HIERARCHY = {
    "K1": ("kvarter", ["R1", "R2", "R3"]),
    "K2": ("kvarter", ["R4", "R5", "R6"]),
    "K3": ("kvarter", ["R7", "R8"]),
    "B1": ("bydel", ["R1", "R2", "R3", "R4", "R5", "R6"]),
    "B2": ("bydel", ["R7", "R8"]),
}


# ---------------------------------------------------------------------------------- rules


def test_shipped_rules_follow_the_documented_defaults() -> None:
    assert RULES.register == disclosure.CellRule(3, 20, True, True)
    assert RULES.survey.min_denominator == 10
    assert RULES.count.min_denominator == 0 and not RULES.count.complement
    assert RULES.for_indicator(REGISTRY["doemte"]).min_count == 5
    assert RULES.for_indicator(REGISTRY["boernefattigdom"]).min_count == 5
    assert RULES.for_indicator(REGISTRY["indkomst"]).min_count == 3
    assert RULES.for_indicator(REGISTRY["tryghed"]) == RULES.survey
    assert RULES.level_rank("city") < RULES.level_rank("kvarter") < RULES.level_rank("rode")


@pytest.mark.parametrize(
    "text, message",
    [
        ("rules: 3", "expected a mapping with 'rules'"),
        ("rules: {register: {min_count: 3}}", "missing"),
        (
            "rules: {register: {min_count: -1, min_denominator: 20, complement: true,"
            " publish_zero: true}, survey: {}, count: {}}",
            "expected a number >= 0",
        ),
    ],
)
def test_malformed_rules_are_rejected(text: str, message: str) -> None:
    with pytest.raises(disclosure.DisclosureRulesError, match=message):
        disclosure.parse_rules(text)


def test_overrides_apply_per_indicator() -> None:
    text = (
        Path(disclosure.RULES_PATH)
        .read_text(encoding="utf-8")
        .replace("indicators: {}", "indicators: {tryghed: {min_denominator: 15}}")
    )
    rules = disclosure.parse_rules(text)
    assert rules.for_indicator(REGISTRY["tryghed"]).min_denominator == 15
    assert rules.for_indicator(REGISTRY["sundhed"]).min_denominator == 10


@pytest.mark.parametrize(
    "indicator, numerator, denominator, expected",
    [
        (PLAIN, 0, 100, ""),  # nobody with the property: publishable
        (PLAIN, 1, 100, "numerator"),
        (PLAIN, 2, 100, "numerator"),
        (PLAIN, 2.5, 100, "numerator"),  # fractional counts compare as numbers
        (PLAIN, 3, 100, ""),
        ("doemte", 4, 100, "numerator"),
        ("doemte", 5, 100, ""),
        ("boernefattigdom", 4, 100, "numerator"),
        (PLAIN, 10, 19, "denominator"),
        (PLAIN, 10, 20, ""),
        (PLAIN, 98, 100, "complement"),  # two persons without the property
        (PLAIN, 97, 100, ""),
        (PLAIN, 100, 100, ""),  # everybody: the complement is 0, like a 0 numerator
        ("doemte", 96, 100, "complement"),
        ("tryghed", 5, 9, "denominator"),  # survey respondents
        ("tryghed", 5, 10, ""),
        ("befolkning", 2, 1, "numerator"),  # a count of residents
        ("befolkning", 3, 1, ""),
        (PLAIN, 0, 0, ""),  # empty cell: no population, nothing to protect
        (PLAIN, 1, 2, "denominator"),  # the denominator is reported first
    ],
)
def test_primary_thresholds(indicator, numerator, denominator, expected) -> None:
    got = disclosure.primary_rule(
        pd.Series([indicator]), [numerator], [denominator], RULES, REGISTRY
    )
    assert got[0] == expected


def test_zero_numerator_can_be_made_confidential() -> None:
    text = Path(disclosure.RULES_PATH).read_text(encoding="utf-8")
    rules = disclosure.parse_rules(text.replace("publish_zero: true", "publish_zero: false"))
    got = disclosure.primary_rule(pd.Series([PLAIN]), [0], [100], rules, REGISTRY)
    assert got[0] == "zero"


# ---------------------------------------------------------------------------------- hand-made


def test_nothing_to_protect_changes_nothing() -> None:
    frame, membership = build(UNITS, HIERARCHY)
    out = disclosure.protect(frame, membership)
    assert not out["suppressed"].any() and not out["rest_suppressed"].any()
    pd.testing.assert_frame_equal(out[frame.columns], frame, check_dtype=False)


def test_one_suppressed_rode_takes_its_smallest_sibling() -> None:
    frame, membership = build(UNITS | {"R1": (2, 400)}, HIERARCHY)
    out = disclosure.protect(frame, membership)
    got = status(out)
    assert got["R1"] == "primary"
    assert got["R3"] == "secondary"  # K1's smallest other rode (300 < 500)
    assert {c for c, s in got.items() if s} == {"R1", "R3"}
    row = out.set_index("area_code").loc["R1"]
    assert row[["numerator", "denominator", "value", "gap", "gap_ratio"]].isna().all()
    assert row[["rest_numerator", "rest_denominator", "rest_value"]].isna().all()
    assert row["direction"] == 0 and row["suppression_rule"] == "numerator"
    assert row["city_value"] == pytest.approx(frame.loc[0, "city_value"])
    assert out.set_index("area_code").loc["R3", "suppression_rule"] == "differencing"
    assert_safe(frame, out, membership)


def test_a_suppressed_kvarter_costs_a_sibling_kvarter_and_one_of_its_roder() -> None:
    # K1 = 1 + 1 + 0 persons: K1, R1 and R2 are primary. B1 - K2 = K1 whatever roder are
    # hidden, so a kvarter must go (K2, the only sibling), and for K2 not to be the sum
    # of its published roder, one of them too (the smallest, R6).
    units = UNITS | {"R1": (1, 400), "R2": (1, 500), "R3": (0, 300)}
    frame, membership = build(units, HIERARCHY)
    out = disclosure.protect(frame, membership)
    got = status(out)
    assert got["K1"] == got["R1"] == got["R2"] == "primary"
    assert got["R3"] == ""  # 0 of 300 is publishable, and hides nothing
    assert {c for c, s in got.items() if s == "secondary"} == {"K2", "R6"}
    assert_safe(frame, out, membership)


def test_a_suppressed_bydel_in_a_two_bydel_city() -> None:
    # B2 = K3 = R7 + R8 = 1 + 1: the city minus B2 is B1, so B1 must go as well, and
    # then whatever keeps B1 from being the sum of its published parts.
    units = UNITS | {"R7": (1, 510), "R8": (1, 260)}
    frame, membership = build(units, HIERARCHY)
    out = disclosure.protect(frame, membership)
    got = status(out)
    assert got["K3"] == got["B2"] == got["R7"] == got["R8"] == "primary"
    assert got["B1"] == "secondary"
    assert_safe(frame, out, membership)


def test_overlapping_geography_is_protected_jointly() -> None:
    # An udsat byområde crossing the kvarter border: U = R1 + R4. With R1 primary and R3
    # suppressed as in the plain hierarchy, U - R4 would reveal R1.
    aggregates = HIERARCHY | {"U1": ("udsat_byomraade", ["R1", "R4"])}
    frame, membership = build(UNITS | {"R1": (2, 400)}, aggregates)
    out = disclosure.protect(frame, membership)
    got = status(out)
    assert got["R1"] == "primary"
    # Roder go before the udsat byområde: R3 against K1 - R2 - R3, R4 against U1 - R4,
    # and R6 so that R4 is not K2 - R5 - R6.
    assert {c for c, s in got.items() if s == "secondary"} == {"R3", "R4", "R6"}
    assert_safe(frame, out, membership)


def test_pairwise_safe_but_jointly_revealing_aggregates() -> None:
    # Three suppressed roder, every published aggregate covers two of them: no aggregate
    # has exactly one suppressed member, yet (X + Y - Z) / 2 solves all three. Only a
    # rank test sees this; one of X, Y, Z must go.
    units = {"R1": (1, 100), "R2": (2, 100), "R3": (1, 100), "R4": (30, 300)}
    aggregates = {
        "X": ("lokaludvalg", ["R1", "R2"]),
        "Y": ("lokaludvalg", ["R2", "R3"]),
        "Z": ("lokaludvalg", ["R1", "R3"]),
    }
    frame, membership = build(units, aggregates)
    out = disclosure.protect(frame, membership)
    got = status(out)
    assert [got[c] for c in ("R1", "R2", "R3")] == ["primary"] * 3
    assert sum(got[c] == "secondary" for c in ("X", "Y", "Z")) >= 1
    assert_safe(frame, out, membership)


def test_the_rest_of_the_city_goes_with_the_area() -> None:
    frame, membership = build(UNITS | {"R1": (2, 400)}, HIERARCHY)
    out = disclosure.protect(frame, membership)
    assert (out["rest_suppressed"] == out["suppressed"]).all()
    # Published: area + rest = city for every row.
    shown = out[~out["suppressed"]]
    assert np.allclose(shown["numerator"] + shown["rest_numerator"], shown["city_numerator"])


def test_a_small_rest_of_the_city_suppresses_the_area() -> None:
    units = {"R1": (50, 1000), "R2": (1, 30)}
    frame, membership = build(units, {"K1": ("kvarter", ["R1"])})
    out = disclosure.protect(frame, membership).set_index("area_code")
    assert out.loc["R2", "suppression"] == "primary"
    # K1 = R1 = city - R2: its rest of the city is R2.
    assert out.loc["K1", "rest_suppression"] == "primary"
    assert out.loc["K1", "suppressed"] and out.loc["K1", "suppression_rule"] == "rest_of_city"
    assert out.loc["R1", "suppressed"]


def test_a_city_below_the_rules_suppresses_its_whole_table() -> None:
    units = {"R1": (1, 8), "R2": (0, 7)}
    frame, membership = build(units, {"K1": ("kvarter", ["R1", "R2"])})
    out = disclosure.protect(frame, membership)
    assert out["suppressed"].all() and out["city_suppressed"].all()
    assert out["city_value"].isna().all()


def test_secondary_cells_that_are_derivable_anyway_are_published() -> None:
    # K1 has one primary rode; after protection no suppressed cell is derivable, so no
    # secondary cell is wasted (each one hides something).
    frame, membership = build(UNITS | {"R1": (2, 400), "R5": (1, 420)}, HIERARCHY)
    out = disclosure.protect(frame, membership)
    assert_safe(frame, out, membership)
    secondary = out.index[out["suppression"] == "secondary"]
    for index in secondary:  # publishing any one of them again reveals something
        trial = out.copy()
        trial.loc[index, ["numerator", "denominator"]] = frame.loc[
            index, ["numerator", "denominator"]
        ]
        trial.loc[index, ["rest_numerator", "rest_denominator"]] = frame.loc[
            index, ["rest_numerator", "rest_denominator"]
        ]
        assert not disclosure.find_disclosures(frame, trial, membership).empty


def test_every_year_and_indicator_is_its_own_table() -> None:
    a, membership = build(UNITS | {"R1": (2, 400)}, HIERARCHY, year=2020)
    b, _ = build(UNITS, HIERARCHY, year=2021)
    c, _ = build(UNITS | {"R1": (4, 400)}, HIERARCHY, indicator="doemte", year=2020)
    out = disclosure.protect(pd.concat([a, b, c], ignore_index=True), membership)
    per_table = out.groupby(["indicator", "year"])["suppressed"].sum().to_dict()
    assert per_table == {(PLAIN, 2020): 2, (PLAIN, 2021): 0, ("doemte", 2020): 2}


def test_versions_of_an_area_are_separate_cells() -> None:
    # The same udsat byområde in two designation vintages with different members: both
    # versions are published figures and both take part in the protection.
    frame, membership = build(
        UNITS | {"R1": (2, 400)},
        HIERARCHY | {"U@2021": ("udsat_byomraade", ["R1", "R2"])},
    )
    extra, membership2 = build(
        UNITS | {"R1": (2, 400)}, HIERARCHY | {"U@2025": ("udsat_byomraade", ["R1", "R2", "R4"])}
    )
    joint = pd.concat([frame, extra[extra["area_code"] == "U@2025"]], ignore_index=True)
    joint["definition"] = joint["area_code"]
    members = pd.concat([membership, membership2], ignore_index=True).drop_duplicates()
    members["definition"] = members["aggregate_code"]
    out = disclosure.protect(joint, members)
    # U@2025 - U@2021 = R4: a sliver; R1 stays hidden whatever else is shown.
    assert_safe(joint, out, members)


def test_gauss_jordan_rank_matches_numpy() -> None:
    rng = np.random.default_rng(7)
    for _ in range(40):
        k, u = rng.integers(1, 25, size=2)
        matrix = (rng.random((k, u)) < 0.3).astype(float)
        matrix[rng.integers(0, k)] = matrix[rng.integers(0, k)]  # a duplicate row
        basis, pivots, transform = disclosure._gauss_jordan(matrix)
        assert pivots.size == np.linalg.matrix_rank(matrix)
        assert np.allclose(transform @ matrix, np.vstack([basis, np.zeros((k - pivots.size, u))]))


# ---------------------------------------------------------------------------------- attack


def differencing_attack(frame: pd.DataFrame, protected: pd.DataFrame, membership) -> list:
    """Explicit subtraction attacks, independent of any linear algebra. Per indicator-year:

    * the complement: city minus the published rest of the city;
    * a published parent minus its published children, for every level of children that
      partitions the parent (kvarter - roder, bydel - kvarterer, city - bydele, an udsat
      byområde - its roder, ...) with exactly one child hidden;
    * overlapping geographies: a published area minus a published area inside it, when
      what is left is exactly one hidden cell.

    Returns the attacks that recovered a hidden numerator.
    """
    recovered = []
    members = membership.groupby("aggregate_code")["member_code"].agg(frozenset).to_dict()
    for _, rows in frame.groupby(["indicator", "year"]).groups.items():
        original = frame.loc[rows].set_index("area_code")
        shown = protected.loc[rows].set_index("area_code")
        truth = original["numerator"].to_dict()
        value = shown["numerator"].to_dict()
        hidden = {c for c, v in value.items() if np.isnan(v)}
        if not hidden:
            continue
        sets = {c: members.get(c, frozenset([c])) for c in shown.index}
        level = shown["level"].to_dict()
        city = shown["city_numerator"].iloc[0]
        for code in hidden:
            rest = shown.loc[code, "rest_numerator"]
            if not np.isnan(rest) and not np.isnan(city):
                recovered.append(("rest", code, city - rest, truth[code]))
        parents = [c for c in shown.index if c not in hidden and len(sets[c]) > 1]
        for parent in parents:
            for lvl in set(level.values()):
                kids = [c for c in shown.index if level[c] == lvl and sets[c] < sets[parent]]
                cover = [m for c in kids for m in sets[c]]
                if len(cover) != len(set(cover)) or set(cover) != sets[parent]:
                    continue
                missing = [c for c in kids if c in hidden]
                if len(missing) == 1:
                    guess = value[parent] - sum(value[c] for c in kids if c not in hidden)
                    recovered.append(("parent", missing[0], guess, truth[missing[0]]))
        by_set: dict[frozenset, list[str]] = {}
        for code in hidden:
            by_set.setdefault(sets[code], []).append(code)
        for a, b in itertools.permutations(parents, 2):
            if sets[b] < sets[a] and (sets[a] - sets[b]) in by_set:
                for target in by_set[sets[a] - sets[b]]:
                    recovered.append(("overlap", target, value[a] - value[b], truth[target]))
    return [r for r in recovered if np.isclose(r[2], r[3])]


def test_naive_primary_only_suppression_is_broken_by_the_attack() -> None:
    frame, membership = build(UNITS | {"R1": (2, 400)}, HIERARCHY)
    naive = frame.copy()
    naive.loc[naive["area_code"] == "R1", ["numerator", "denominator", "rest_numerator"]] = np.nan
    assert differencing_attack(frame, naive, membership)
    assert not disclosure.find_disclosures(frame, naive, membership).empty


@pytest.fixture(scope="module")
def seeded_monitor(seeded_store_url: str):
    from db.engine import make_engine
    from indicators.services.monitor import Monitor

    return Monitor(make_engine(seeded_store_url))


@pytest.fixture(scope="module")
def seeded_joint(seeded_monitor):
    """The jointly protected frame of the seeded store and the inputs it came from."""
    protected = seeded_monitor._published_all()
    membership = pd.concat(
        [
            seeded_monitor.membership(v).assign(
                definition=lambda m: m["aggregate_code"] + "@" + m["vintage"].astype(str)
            )
            for v in seeded_monitor.vintages()
        ],
        ignore_index=True,
    )
    original = protected[["definition", "indicator", "year"]].merge(
        pd.concat(
            [
                seeded_monitor.comparison("rode").assign(definition=lambda f: f["area_code"]),
                *[
                    seeded_monitor.comparison(level).assign(
                        definition=lambda f: f["area_code"] + f"@{max(seeded_monitor.vintages())}"
                    )
                    for level in ("kvarter", "bydel", "lokaludvalg", "udsat_byomraade", "city")
                ],
            ],
            ignore_index=True,
        ),
        on=["definition", "indicator", "year"],
        how="left",
    )
    return original, protected, membership


@pytest.mark.parametrize(
    "indicator, year",
    [("doemte", 2020), ("boernefattigdom", 2025), ("tryghed", 2019), ("ungdomsuddannelse", 2010)],
)
def test_seeded_store_resists_every_attack(seeded_joint, indicator: str, year: int) -> None:
    original, protected, membership = seeded_joint
    sel = ((original["indicator"] == indicator) & (original["year"] == year)).to_numpy()
    orig, prot = original[sel], protected[sel]
    assert prot["suppressed"].any()  # the case is not trivial
    leaks = disclosure.find_disclosures(orig, prot, membership, key="definition")
    assert leaks.empty, leaks
    explicit = differencing_attack(
        orig.assign(area_code=orig["definition"]),
        prot.assign(area_code=prot["definition"]),
        membership.rename(columns={"aggregate_code": "x", "definition": "aggregate_code"}),
    )
    assert not explicit, explicit[:5]


def test_seeded_store_publishes_nothing_below_the_thresholds(seeded_joint) -> None:
    _, protected, _ = seeded_joint
    shown = protected[~protected["suppressed"]]
    rules = disclosure.primary_rule(
        shown["indicator"], shown["numerator"], shown["denominator"], RULES, REGISTRY
    )
    assert (rules == "").all()
    rest = protected[~protected["rest_suppressed"]]
    rest_rules = disclosure.primary_rule(
        rest["indicator"], rest["rest_numerator"], rest["rest_denominator"], RULES, REGISTRY
    )
    assert (rest_rules == "").all()
    # Every suppressed cell has no value, count or gap.
    hidden = protected[protected["suppressed"]]
    assert hidden[["numerator", "denominator", "value", "gap"]].isna().all().all()


def test_published_comparison_is_the_joint_pattern(seeded_monitor, seeded_joint) -> None:
    _, protected, _ = seeded_joint
    kvarter = seeded_monitor.published_comparison("kvarter")
    raw = seeded_monitor.comparison("kvarter")
    assert len(kvarter) == len(raw)
    assert list(kvarter.columns[: len(raw.columns)]) == list(raw.columns)
    assert {"suppressed", "suppression", "suppression_rule", "rest_suppressed"} <= set(kvarter)
    joint_k = protected[protected["level"] == "kvarter"]
    assert int(kvarter["suppressed"].sum()) == int(joint_k["suppressed"].sum())
    shown = kvarter[~kvarter["suppressed"]]
    merged = shown.merge(raw, on=["area_code", "indicator", "year"], suffixes=("", "_raw"))
    assert np.allclose(merged["value"], merged["value_raw"], equal_nan=True)
    assert kvarter["direction"].dtype.kind == "i"
    # Cached: the same object until the data version changes.
    assert seeded_monitor.published_comparison("kvarter") is kvarter


# ---------------------------------------------------------------------------------- properties


@st.composite
def hierarchies(draw):
    """Roder in kvarterer in bydele, one overlapping area, random small counts."""
    n_bydele = draw(st.integers(1, 3))
    units: dict[str, tuple[float, float]] = {}
    aggregates: dict[str, tuple[str, list[str]]] = {}
    r = 0
    for b in range(n_bydele):
        b_members = []
        for k in range(draw(st.integers(1, 3))):
            k_members = []
            for _ in range(draw(st.integers(1, 4))):
                r += 1
                den = draw(st.integers(0, 60))
                num = draw(st.integers(0, den))
                units[f"R{r}"] = (num, den)
                k_members.append(f"R{r}")
            aggregates[f"K{b}{k}"] = ("kvarter", k_members)
            b_members += k_members
        aggregates[f"B{b}"] = ("bydel", b_members)
    codes = sorted(units)
    overlap = draw(st.lists(st.sampled_from(codes), min_size=1, max_size=len(codes), unique=True))
    aggregates["U1"] = ("udsat_byomraade", overlap)
    return units, aggregates


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hierarchies())
def test_properties_over_random_hierarchies(case) -> None:
    units, aggregates = case
    frame, membership = build(units, aggregates)
    out = disclosure.protect(frame, membership)
    shown = out[~out["suppressed"]]
    # No published cell breaks a primary rule.
    rules = disclosure.primary_rule(
        shown["indicator"], shown["numerator"], shown["denominator"], RULES, REGISTRY
    )
    assert (rules == "").all()
    by_code = out.set_index("area_code")
    if by_code["city_suppressed"].any():
        return
    # No published parent has exactly one suppressed child (kvarter -> roder, bydel ->
    # kvarterer, city -> bydele).
    children = {k: m for k, (lvl, m) in aggregates.items() if lvl == "kvarter"}
    for parent, members in children.items():
        if not by_code.loc[parent, "suppressed"]:
            assert sum(bool(by_code.loc[m, "suppressed"]) for m in members) != 1
    for b, (lvl, members) in aggregates.items():
        if lvl != "bydel" or by_code.loc[b, "suppressed"]:
            continue
        kids = [k for k, m in children.items() if set(m) <= set(members)]
        assert sum(bool(by_code.loc[k, "suppressed"]) for k in kids) != 1
    bydele = [b for b, (lvl, _) in aggregates.items() if lvl == "bydel"]
    assert sum(bool(by_code.loc[b, "suppressed"]) for b in bydele) != 1
    # And nothing suppressed can be recovered by any combination.
    assert_safe(frame, out, membership)


# ---------------------------------------------------------------------------------- zero/all


def test_a_zero_difference_costs_a_published_rode_with_persons() -> None:
    # R1 and R2 have 10 persons each (below 20) and nobody with the property: K1 minus
    # R3 is 0, so both would be known to be 0. The smallest published rode of K1 with a
    # positive count must go too (R3 is the only one).
    units = UNITS | {"R1": (0, 10), "R2": (0, 10), "R3": (30, 300)}
    frame, membership = build(units, HIERARCHY)
    got = status(disclosure.protect(frame, membership))
    assert got["R1"] == got["R2"] == "primary"
    assert got["R3"] == "secondary"


def test_an_all_difference_is_protected_like_a_zero_one() -> None:
    # Everybody in R1 and R2 has the property: K1's complement minus R3's is 0.
    units = UNITS | {"R1": (10, 10), "R2": (10, 10), "R3": (30, 300)}
    frame, membership = build(units, HIERARCHY)
    got = status(disclosure.protect(frame, membership))
    assert got["R3"] == "secondary"


def test_shared_population_is_hidden_in_every_series() -> None:
    # R1 has 2 residents (befolkning: primary); ikke_vestlig publishes residents as its
    # denominator, so R1's and its secondary sibling's residents must be hidden there too.
    # Alone, ikke_vestlig hides R2 (K1's smallest) and befolkning R3 (its last, all its
    # denominators being 1): R1 = K1 - R2 (befolkning) - R3 (ikke_vestlig).
    shares = UNITS | {"R1": (1, 2), "R2": (60, 250)}
    residents = {c: (d, 1) for c, (_, d) in shares.items()}
    counts, membership = build(residents, HIERARCHY, indicator="befolkning")
    rates, _ = build(shares, HIERARCHY, indicator="ikke_vestlig")
    joint = pd.concat([counts, rates], ignore_index=True)
    out = disclosure.protect(joint, membership)
    hidden = out[out["suppressed"]].groupby("indicator")["area_code"].apply(set)
    assert hidden["befolkning"] <= hidden["ikke_vestlig"]
    assert "R1" in hidden["befolkning"] and len(hidden["befolkning"]) >= 2
    no_pop = disclosure.DisclosureRules(**{**RULES.__dict__, "populations": {}})
    weak = disclosure.protect(joint, membership, rules=no_pop)
    weak_hidden = weak[weak["suppressed"]].groupby("indicator")["area_code"].apply(set)
    assert not weak_hidden["befolkning"] <= weak_hidden.get("ikke_vestlig", set())


def test_populations_are_parsed_and_validated() -> None:
    assert ("befolkning", "numerator") in RULES.populations["residents"]
    text = "rules: {register: {min_count: 3, min_denominator: 20, complement: true,"
    text += " publish_zero: true}, survey: {min_count: 3, min_denominator: 10,"
    text += " complement: true, publish_zero: true}, count: {min_count: 3,"
    text += " min_denominator: 0, complement: false, publish_zero: true}}\n"
    with pytest.raises(disclosure.DisclosureRulesError, match=r"indicator\.numerator"):
        disclosure.parse_rules(text + "populations: {p: [befolkning.value]}")


# ---------------------------------------------------------------------------------- fail closed


def test_protect_or_withhold_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    frame, membership = build(UNITS, HIERARCHY)

    def broken(path=None):  # type: ignore[no-untyped-def]
        raise OSError("disclosure.yaml is unreadable")

    monkeypatch.setattr(disclosure, "load_rules", broken)
    out = disclosure.protect_or_withhold(frame, membership, REGISTRY)
    assert out["suppressed"].all() and out["city_suppressed"].all()
    assert (out["suppression_rule"] == "withheld").all()
    numbers = ["numerator", "denominator", "value", "rest_value", "city_value", "gap"]
    assert out[numbers].isna().all().all()
    # An indicator the registry does not know: withheld as well, not published raw.
    monkeypatch.undo()
    out = disclosure.protect_or_withhold(frame.assign(indicator="unknown"), membership, REGISTRY)
    assert out["suppressed"].all() and out["value"].isna().all()


def _page_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The hierarchy as the Dækning page protects it: every level but the city's row."""
    frame, membership = build(UNITS, HIERARCHY)
    return frame[frame["level"] != "city"].reset_index(drop=True), membership


def _protect_page(frame: pd.DataFrame, membership: pd.DataFrame, published) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return disclosure.protect_against_published(
        frame, membership, REGISTRY, published=published, codes={PLAIN}, year=2020
    )


def test_protect_against_published_keeps_the_published_pattern_hidden() -> None:
    frame, membership = _page_frame()

    def published(level: str) -> pd.DataFrame:  # exactly R7 is hidden there
        part = frame[frame["level"] == level]
        return part.assign(suppressed=part["area_code"].eq("R7"))

    by_area = _protect_page(frame, membership, published).set_index("area_code")
    assert by_area.loc["R7", "suppressed"] and np.isnan(by_area.loc["R7", "value"])
    # Not everything withheld: a rode far from R7 is published as computed.
    original = frame.set_index("area_code")
    assert not by_area.loc["R1", "suppressed"]
    assert by_area.loc["R1", "value"] == pytest.approx(original.loc["R1", "value"])


def _assert_withheld(out: pd.DataFrame, rows: int) -> None:
    assert len(out) == rows
    assert out["suppressed"].all() and out["city_suppressed"].all()
    assert (out["suppression_rule"] == "withheld").all()
    numbers = ["numerator", "denominator", "value", "rest_value", "city_value", "gap"]
    assert out[numbers].isna().all().all()


@pytest.mark.parametrize("error", [ImportError, OSError, KeyError, ValueError, RuntimeError])
def test_protect_against_published_fails_closed(error: type[Exception]) -> None:
    """Whatever breaks while reading the published pattern, every cell is withheld:
    never the frame unsuppressed, never a partial pattern."""
    frame, membership = _page_frame()

    def broken(level: str) -> pd.DataFrame:
        raise error(f"the published {level} figures are unreadable")

    _assert_withheld(_protect_page(frame, membership, broken), len(frame))


def test_protect_against_published_fails_closed_on_a_pattern_without_flags() -> None:
    frame, membership = _page_frame()
    out = _protect_page(frame, membership, lambda level: frame.drop(columns=["suppressed"]))
    _assert_withheld(out, len(frame))
