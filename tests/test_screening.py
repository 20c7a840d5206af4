"""Designation screening (indicators/screening.py, `keob screening run`, the page).

Hand-computed z-scores and classes at every class edge, the 300-resident floor,
adjacency from polygons, contiguous groups, the comparison with the current designation,
Hypothesis properties of the index, and a run on the seeded store.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import screening as sc
from indicators.registry import CRITERIA_CODES, load_registry

REGISTRY = load_registry()
CONFIG = sc.load_config()
CRITERIA = list(CRITERIA_CODES)


# ---------------------------------------------------------------------------------- helpers


def frame(values: dict[str, dict[str, float]], year: int = 2025, den: float = 1000.0):
    """A published-comparison-like frame: ``values[unit][criterion]`` = value (percent),
    ``values[unit]["pop"]`` = residents, ``values[unit]["den_<criterion>"]`` = a
    denominator other than ``den``."""
    rows = []
    for unit, by in values.items():
        for code, value in by.items():
            if code == "pop":
                rows.append((unit, "befolkning", year, value, 1.0, value))
            elif not code.startswith("den_"):
                d = by.get(f"den_{code}", den)
                rows.append((unit, code, year, value * d / 100, d, value))
    return pd.DataFrame(
        rows, columns=["area_code", "indicator", "year", "numerator", "denominator", "value"]
    )


def only(*criteria: str, weight: float = 1.0) -> sc.ScreeningConfig:
    """The shipped configuration with only ``criteria`` weighted (all at ``weight``)."""
    weights = {c: (weight if c in criteria else 0.0) for c in CRITERIA}
    return dataclasses.replace(CONFIG, weights=weights)


# ---------------------------------------------------------------------------------- config


def test_shipped_config() -> None:
    assert CONFIG.min_population == 300
    assert [b.code for b in CONFIG.status_classes] == ["lav", "middel", "hoej", "meget_hoej"]
    assert [b.upper for b in CONFIG.status_classes] == [-1.0, 1.0, 1.5, None]
    assert [b.upper for b in CONFIG.dynamic_classes] == [-1.0, 1.0, None]
    assert CONFIG.dynamic_years == 2
    assert CONFIG.criteria() == CRITERIA
    assert CONFIG.status_classes[3].label("da") == "Meget høj udsathed"


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("indkomst: 1.0", "foo: 1.0", "unknown criteria"),
        ("min_population: 300", "min_population: -1", "min_population"),
        ("upper: 1.5,", "upper: 0.5,", "must increase"),
        ("upper: null, label_da: Meget", "upper: 2.0, label_da: Meget", "last class"),
        ("min_weight_share: 0.6", "min_weight_share: 1.5", "between 0 and 1"),
    ],
)
def test_bad_config_is_rejected(old: str, new: str, message: str) -> None:
    text = Path(sc.CONFIG_PATH).read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(sc.ScreeningConfigError, match=message):
        sc.parse_config(text.replace(old, new, 1))


# ---------------------------------------------------------------------------------- classes


@pytest.mark.parametrize(
    "index, expected",
    [
        (-1.5, "lav"),
        (-1.0000001, "lav"),
        (-1.0, "middel"),  # a class includes its lower limit
        (0.0, "middel"),
        (0.9999999, "middel"),
        (1.0, "hoej"),
        (1.4999999, "hoej"),
        (1.5, "meget_hoej"),
        (4.0, "meget_hoej"),
        (float("nan"), sc.NOT_CLASSIFIED),
    ],
)
def test_status_class_edges(index: float, expected: str) -> None:
    assert sc.classify(pd.Series([index]), CONFIG.status_classes).iloc[0] == expected


@pytest.mark.parametrize(
    "index, expected",
    [(-1.0000001, "forbedring"), (-1.0, "stabil"), (0.9999, "stabil"), (1.0, "forvaerring")],
)
def test_dynamic_class_edges(index: float, expected: str) -> None:
    assert sc.classify(pd.Series([index]), CONFIG.dynamic_classes).iloc[0] == expected


# ---------------------------------------------------------------------------------- index


def test_values_are_polarity_aligned_and_filtered() -> None:
    f = frame(
        {
            "A": {"indkomst": 10.0, "ungdomsuddannelse": 80.0, "tryghed": 90.0},
            "B": {"indkomst": 20.0, "ungdomsuddannelse": 60.0, "tryghed": 70.0, "den_tryghed": 9},
        }
    )
    wide = sc.aligned_values(f, 2025, CONFIG, REGISTRY)
    assert wide.loc["A", "indkomst"] == 10.0  # higher is worse: kept
    assert wide.loc["A", "ungdomsuddannelse"] == -80.0  # higher is better: negated
    assert wide.loc["A", "tryghed"] == -90.0
    assert math.isnan(wide.loc["B", "tryghed"])  # 9 respondents < 10
    assert list(wide.columns) == CRITERIA


def test_zscores_by_hand() -> None:
    z = sc.zscores(pd.DataFrame({"x": [1.0, 2.0, 3.0, np.nan], "c": [5.0, 5.0, 5.0, 5.0]}))
    sd = math.sqrt(2 / 3)  # population SD of 1, 2, 3
    assert z["x"].tolist()[:3] == pytest.approx([-1 / sd, 0.0, 1 / sd])
    assert math.isnan(z["x"].iloc[3])
    assert z["c"].tolist() == [0.0] * 4  # a constant criterion says nothing


def test_weighted_index_rescales_missing_criteria() -> None:
    z = pd.DataFrame({"a": [1.0, -1.0, 0.0], "b": [1.0, np.nan, -1.0]}, index=list("PQR"))
    total, _ = sc.weighted_index(z, {"a": 1.0, "b": 3.0}, 0.25)
    assert total["P"] == pytest.approx(4.0)
    assert total["Q"] == pytest.approx(-1.0 * 4 / 1)  # only a (weight 1 of 4): rescaled
    assert total["R"] == pytest.approx(-3.0)
    total, _ = sc.weighted_index(z, {"a": 1.0, "b": 3.0}, 0.5)
    assert math.isnan(total["Q"])  # a carries 1/4 < 1/2 of the weight


def test_screen_by_hand_with_the_population_floor() -> None:
    # Three comparable units and one of 299 residents; two criteria only (weights 0 for
    # the rest), so the index can be checked by hand.
    cfg = only("indkomst", "doemte")
    values = {
        "A": {"pop": 1000, "indkomst": 10.0, "doemte": 1.0},
        "B": {"pop": 300, "indkomst": 20.0, "doemte": 2.0},
        "C": {"pop": 5000, "indkomst": 30.0, "doemte": 3.0},
        "D": {"pop": 299, "indkomst": 90.0, "doemte": 9.0},
    }
    out = sc.screen(frame(values), 2025, cfg, REGISTRY).set_index("area_code")
    assert out.loc["D", "status_class"] == sc.NOT_CLASSIFIED
    assert out.loc["D", "reason"] == "population" and not out.loc["D", "classified"]
    assert out.loc["B", "classified"]  # exactly 300 residents is enough
    s = math.sqrt(2 / 3)
    assert out.loc["A", "z_indkomst"] == pytest.approx(-1 / s)
    assert out.loc["A", "status_sum"] == pytest.approx(-2 / s)
    assert out.loc[["A", "B", "C"], "status_index"].tolist() == pytest.approx([-1 / s, 0, 1 / s])
    assert out.loc["C", "status_class"] == "hoej"  # 1.2247 SD
    assert out.loc["A", "status_class"] == "lav"
    assert math.isnan(out.loc["A", "dynamic_index"])  # no figures two years earlier


def test_dynamics_follow_the_change_over_two_years() -> None:
    cfg = only("indkomst")
    before = frame({u: {"pop": 1000, "indkomst": 20.0} for u in "ABC"}, year=2023)
    now = frame(
        {
            "A": {"pop": 1000, "indkomst": 15.0},  # improving
            "B": {"pop": 1000, "indkomst": 20.0},
            "C": {"pop": 1000, "indkomst": 25.0},  # worsening
        }
    )
    out = sc.screen(pd.concat([before, now]), 2025, cfg, REGISTRY).set_index("area_code")
    assert out.loc["A", "dynamic_class"] == "forbedring"
    assert out.loc["C", "dynamic_class"] == "forvaerring"
    assert out.loc["B", "dynamic_class"] == "stabil"


def test_matrix_counts_units_and_residents() -> None:
    units = pd.DataFrame(
        {
            "area_code": ["A", "B", "C", "D"],
            "classified": [True, True, True, False],
            "status_class": ["hoej", "hoej", "lav", sc.NOT_CLASSIFIED],
            "dynamic_class": ["forvaerring", "forvaerring", sc.NOT_CLASSIFIED, sc.NOT_CLASSIFIED],
            "population": [100.0, 200.0, 50.0, 10.0],
        }
    )
    m = sc.status_dynamic_matrix(units, CONFIG).set_index(["status_class", "dynamic_class"])
    assert len(m) == 4 * 4
    assert m.loc[("hoej", "forvaerring"), "units"] == 2
    assert m.loc[("hoej", "forvaerring"), "population"] == 300
    assert m.loc[("lav", sc.NOT_CLASSIFIED), "units"] == 1
    assert m["units"].sum() == 3


# ---------------------------------------------------------------------------------- adjacency


def squares(gap: float = 0.0) -> tuple[list[str], list]:
    """A 2 x 2 grid of 100 m squares in EPSG:25832 (A B / C D), ``gap`` metres apart."""
    x0, y0, s = 720000.0, 6170000.0, 100.0
    boxes = {
        "A": shapely.box(x0, y0 + s + gap, x0 + s, y0 + 2 * s + gap),
        "B": shapely.box(x0 + s + gap, y0 + s + gap, x0 + 2 * s + gap, y0 + 2 * s + gap),
        "C": shapely.box(x0, y0, x0 + s, y0 + s),
        "D": shapely.box(x0 + s + gap, y0, x0 + 2 * s + gap, y0 + s),
    }
    return list(boxes), list(boxes.values())


def edges_of(gap: float, **kw) -> set[tuple[str, str]]:
    codes, geoms = squares(gap)
    e = sc.adjacency(codes, geoms, crs=sc.METRIC_CRS, **kw)
    return set(zip(e["a"], e["b"], strict=True))


def test_adjacency_touching_squares_including_corners() -> None:
    assert edges_of(0.0) == {
        ("A", "B"),
        ("A", "C"),
        ("C", "D"),
        ("B", "D"),
        ("A", "D"),
        ("B", "C"),
    }


def test_adjacency_bridges_small_gaps_only() -> None:
    assert edges_of(1.0, tolerance_m=2.0) == edges_of(0.0)
    assert edges_of(5.0, tolerance_m=2.0) == set()


def test_adjacency_can_require_a_shared_border() -> None:
    assert edges_of(0.0, min_shared_boundary_m=10.0) == {
        ("A", "B"),
        ("A", "C"),
        ("C", "D"),
        ("B", "D"),
    }


def test_adjacency_from_web_coordinates() -> None:
    import geopandas as gpd

    codes, geoms = squares(0.0)
    web = gpd.GeoSeries(geoms, crs=sc.METRIC_CRS).to_crs(sc.WEB_CRS)
    e = sc.adjacency(codes, web.to_numpy(), tolerance_m=0.5, min_shared_boundary_m=10.0)
    assert len(e) == 4


def test_contiguous_groups_and_the_minimum_population() -> None:
    edges = pd.DataFrame({"a": ["A", "B", "D"], "b": ["B", "C", "E"]})
    screened = pd.DataFrame(
        {
            "area_code": list("ABCDEF"),
            "population": [1000.0, 800.0, 500.0, 900.0, 1500.0, 5000.0],
            "classified": [True] * 6,
            "status_index": [1.2, 1.0, 0.2, 1.6, 1.1, 0.99],
        }
    )
    out = sc.propose(screened, edges, CONFIG).set_index("area_code")
    # Selected (>= 1.0): A, B, D, E. A-B is one group (1,800), D-E another (2,400); C is
    # below the threshold so it does not bridge; F at 0.99 is not selected.
    assert out["selected"].tolist() == [True, True, False, True, True, False]
    assert out.loc["D", "group"] == out.loc["E", "group"] == 1  # the larger group first
    assert out.loc["A", "group"] == out.loc["B", "group"] == 2
    assert out.loc["A", "group_population"] == 1800
    assert out["proposed"].tolist() == [False, False, False, True, True, False]  # 1,800 < 2,000


# ---------------------------------------------------------------------------------- current


MEMBERSHIP = pd.DataFrame(
    [
        ("ub-x", "R1"),
        ("ub-x", "R2"),
        ("ub-alle", "R1"),
        ("ub-alle", "R2"),
        ("K1", "R1"),
        ("K1", "R3"),
        ("K2", "R2"),
        ("K2", "R4"),
    ],
    columns=["aggregate_code", "member_code"],
)


def test_current_designation_of_roder_and_kvarterer() -> None:
    roder = sc.current_designation(MEMBERSHIP, "rode", config=CONFIG)
    assert dict(zip(roder["area_code"], roder["current_area"], strict=True)) == {
        "R1": "ub-x",
        "R2": "ub-x",
    }
    pop = pd.Series({"R1": 500.0, "R3": 500.0, "R2": 499.0, "R4": 501.0})
    kv = sc.current_designation(MEMBERSHIP, "kvarter", pop, CONFIG).set_index("area_code")
    assert kv.loc["K1", "current"]  # exactly half its residents in designated roder
    assert not kv.loc["K2", "current"]  # 499 of 1,000


def test_compare_names_changes_and_drivers() -> None:
    criteria = CONFIG.criteria()
    screened = pd.DataFrame({"area_code": ["R1", "R2", "R5"]})
    for i, c in enumerate(criteria):
        screened[f"z_{c}"] = [i * 0.1, -i * 0.1, 0.0]
        screened[f"c_{c}"] = screened[f"z_{c}"]
    proposal = pd.DataFrame(
        {
            "area_code": ["R1", "R2", "R5"],
            "selected": [True, False, True],
            "group": [1, 0, 1],
            "group_population": [3000.0, np.nan, 3000.0],
            "proposed": [True, False, True],
        }
    )
    current = sc.current_designation(MEMBERSHIP, "rode", config=CONFIG)
    out = sc.compare(screened, proposal, current, CONFIG).set_index("area_code")
    assert out["change"].to_dict() == {"R1": "stay", "R2": "leave", "R5": "enter"}
    # Staying: the largest contributions; leaving: the smallest (most pulling down).
    assert [out.loc["R1", f"driver_{i}"] for i in (1, 2, 3)] == criteria[::-1][:3]
    assert [out.loc["R2", f"driver_{i}"] for i in (1, 2, 3)] == criteria[::-1][:3]
    assert out.loc["R2", "driver_1_z"] == pytest.approx(-0.7)


# ---------------------------------------------------------------------------------- properties


@st.composite
def unit_values(draw):
    n = draw(st.integers(4, 12))
    values = {}
    for i in range(n):
        values[f"U{i}"] = {"pop": draw(st.integers(300, 20000))} | {
            c: draw(st.floats(0.5, 95.0, allow_nan=False)) for c in CRITERIA
        }
    return values


@settings(max_examples=40, deadline=None)
@given(unit_values(), st.floats(0.1, 50.0), st.floats(-10.0, 10.0))
def test_index_properties(values, scale, shift) -> None:
    base = sc.screen(frame(values), 2025, CONFIG, REGISTRY)
    index = base["status_index"].dropna()
    if index.std(ddof=0) > 0:
        # The index is standardised over the classified units.
        assert index.mean() == pytest.approx(0.0, abs=1e-9)
        assert index.std(ddof=0) == pytest.approx(1.0, abs=1e-9)
    # Rescaling one criterion's values changes no z-score, hence no index.
    moved = {u: dict(v) for u, v in values.items()}
    for v in moved.values():
        v["indkomst"] = v["indkomst"] * scale + shift
    again = sc.screen(frame(moved), 2025, CONFIG, REGISTRY)
    assert np.allclose(again["status_index"], base["status_index"], equal_nan=True)
    # Multiplying every weight by the same factor changes nothing either.
    heavier = only(*CRITERIA, weight=scale)
    same = sc.screen(frame(values), 2025, heavier, REGISTRY)
    assert np.allclose(same["status_index"], base["status_index"], equal_nan=True)
    # More of a bad thing never lowers a unit's z-score on that criterion.
    worse = {u: dict(v) for u, v in values.items()}
    first = next(iter(worse))
    worse[first]["doemte"] = worse[first]["doemte"] + 5.0
    w = sc.screen(frame(worse), 2025, CONFIG, REGISTRY).set_index("area_code")
    b = base.set_index("area_code")
    assert w.loc[first, "z_doemte"] >= b.loc[first, "z_doemte"] - 1e-9


# ---------------------------------------------------------------------------------- seeded


@pytest.fixture(scope="module")
def seeded_url(seeded_store_url: str) -> str:
    return seeded_store_url


@pytest.fixture(scope="module")
def seeded_monitor(seeded_url):
    from db.engine import make_engine
    from indicators.services.monitor import Monitor

    return Monitor(make_engine(seeded_url))


@pytest.mark.parametrize("level", ["rode", "kvarter"])
def test_run_on_the_seeded_store(seeded_monitor, level: str) -> None:
    res = sc.run(seeded_monitor, level=level)
    s = res.summary()
    units = res.units
    assert s["year"] == max(seeded_monitor.years())
    assert s["units"] == units["area_code"].nunique() == len(units)
    assert sum(s["status_classes"].values()) == s["units"]
    assert s["current"] > 0 and s["proposed"] > 0
    assert (units.loc[units["population"] < 300, "status_class"] == sc.NOT_CLASSIFIED).all()
    # Every proposed group is contiguous and large enough.
    for _, group in units[units["proposed"]].groupby("group"):
        assert group["population"].sum() >= CONFIG.min_group_population
        members = set(group["area_code"])
        inner = res.edges[res.edges["a"].isin(members) & res.edges["b"].isin(members)]
        assert len(sc.components(sorted(members), inner).values()) == len(members)
        assert len(set(sc.components(sorted(members), inner).values())) == 1
    # Published figures only: no unit's z-score rests on a suppressed cell.
    published = seeded_monitor.published_comparison(level)
    hidden = published[(published["year"] == s["year"]) & published["suppressed"]]
    by_unit = units.set_index("area_code")
    for row in hidden.itertuples(index=False):
        if row.indicator in CRITERIA:
            assert math.isnan(by_unit.loc[row.area_code, f"z_{row.indicator}"])
    assert res.edges["a"].lt(res.edges["b"]).all()


def test_cli_writes_the_csv(seeded_url, tmp_path: Path, monkeypatch) -> None:
    from keob.cli import main

    monkeypatch.setenv("DATABASE_URL", seeded_url)
    out = tmp_path / "screening.csv"
    result = CliRunner().invoke(main, ["screening", "run", "--level", "kvarter", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert list(table.columns[:5]) == ["area_code", "area_name", "level", "year", "population"]
    assert set(table["proposed"]) <= {"true", "false"}
    assert set(table["change"]) <= set(sc.CHANGES)
    assert len(table) == 67 and "Screened 67 kvarter units" in result.output
    bad = CliRunner().invoke(main, ["screening", "run", "--year", "1999", "-o", str(out)])
    assert bad.exit_code != 0 and "no criterion values" in bad.output


def test_page_renders_and_updates(seeded_url, monkeypatch) -> None:
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    from dashboard import data
    from dashboard.views import screening as view

    data.reset()
    try:
        layout = view.layout("da", aar=None, niveau="kvarter")
        text = str(layout)
        assert view.MAP_GRAPH in text and view.MATRIX_TABLE in text
        out = view.update(2024, "rode", "?lang=en")
        assert out[0].startswith("2024:")
        assert out[-1] == "?lang=en&aar=2024&niveau=rode"
        fig = out[1]
        assert fig.layout.meta["level"] == "rode"
        download = view.download(2025, "kvarter")
        assert download["filename"] == "keob-screening-kvarter-2025.csv"
    finally:
        data.reset()
