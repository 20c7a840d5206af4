"""Tvillingeområder: the distance by hand, its properties (Hypothesis), and the page."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from dash import no_update
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import twins as tw
from tests.dash_support import by_id, walk

# x: 1, 3, 5 → mean 3, sd sqrt(8/3) → z = -sqrt(1.5), 0, +sqrt(1.5)
# y: 10, 10, 40 → mean 20, sd sqrt(200) → z = -sqrt(0.5), -sqrt(0.5), +sqrt(2)
MATRIX = pd.DataFrame(
    {"x": [1.0, 3.0, 5.0], "y": [10.0, 10.0, 40.0]},
    index=pd.Index(["A", "B", "C"], name="area_code"),
)


def test_z_scores_by_hand() -> None:
    z = tw.standardise(MATRIX)
    assert z["x"].tolist() == pytest.approx([-math.sqrt(1.5), 0.0, math.sqrt(1.5)])
    assert z["y"].tolist() == pytest.approx([-math.sqrt(0.5), -math.sqrt(0.5), math.sqrt(2)])


def test_distances_by_hand() -> None:
    z = tw.standardise(MATRIX)
    # A-B: only x differs by sqrt(1.5); A-C: (2 sqrt 1.5)^2 + (1.5 sqrt 2)^2 = 6 + 4.5
    assert tw.distance(z.loc["A"], z.loc["B"], 1) == (pytest.approx(math.sqrt(1.5)), 2)
    assert tw.distance(z.loc["A"], z.loc["C"], 1) == (pytest.approx(math.sqrt(10.5)), 2)
    assert tw.distance(z.loc["B"], z.loc["C"], 1) == (pytest.approx(math.sqrt(6.0)), 2)
    found = tw.twins(MATRIX, "A", count=5, min_shared=1)
    assert found["area_code"].tolist() == ["B", "C"]
    assert found["rank"].tolist() == [1, 2]
    assert found["distance"].tolist() == pytest.approx([math.sqrt(1.5), math.sqrt(10.5)])


def test_a_missing_criterion_is_scaled_up_and_too_few_shared_is_no_distance() -> None:
    matrix = MATRIX.copy()
    matrix.loc["B", "y"] = np.nan  # suppressed
    z = tw.standardise(matrix)
    # y over A and C only: mean 25, sd 15 → z = -1, +1
    assert z.loc[["A", "C"], "y"].tolist() == pytest.approx([-1.0, 1.0])
    assert math.isnan(z.loc["B", "y"])
    # A-B share x only: sqrt(2 / 1 * 1.5) = sqrt(3)
    assert tw.distance(z.loc["A"], z.loc["B"], 1) == (pytest.approx(math.sqrt(3.0)), 1)
    d, shared = tw.distance(z.loc["A"], z.loc["B"], 2)
    assert math.isnan(d) and shared == 1
    assert tw.twins(matrix, "A", min_shared=2)["area_code"].tolist() == ["C"]


def test_a_constant_criterion_adds_nothing() -> None:
    matrix = MATRIX.assign(c=7.0)
    z = tw.standardise(matrix)
    assert z["c"].tolist() == [0.0, 0.0, 0.0]
    # Three criteria now: A-B = sqrt(1.5) exactly as before (the constant adds 0).
    assert tw.distance(z.loc["A"], z.loc["B"], 1)[0] == pytest.approx(math.sqrt(1.5))


def test_better_or_worse_follows_polarity() -> None:
    assert tw.better_or_worse(10.0, 8.0, -1) == tw.BETTER  # lower is better
    assert tw.better_or_worse(10.0, 8.0, 1) == tw.WORSE
    assert tw.better_or_worse(10.0, 10.0, 1) == tw.SAME
    assert tw.better_or_worse(10.0, np.nan, 1) is None
    table = tw.comparison_table(MATRIX, "A", tw.twins(MATRIX, "A", min_shared=1), {"x": 1, "y": -1})
    b = table[table["area_code"] == "B"].set_index("indicator")["twin_is"]
    assert b["x"] == tw.BETTER and b["y"] == tw.SAME


def test_criterion_matrix_takes_the_latest_earlier_year_for_a_criterion() -> None:
    frame = pd.DataFrame(
        {
            "area_code": ["A", "B", "A", "B", "A", "B"],
            "indicator": ["x", "x", "s", "s", "s", "s"],
            "year": [2025, 2025, 2021, 2021, 2017, 2017],
            "value": [1.0, 2.0, 5.0, np.nan, 4.0, 3.0],
        }
    )
    matrix, used = tw.criterion_matrix(frame, 2025, ["x", "s", "none"])
    assert used == {"x": 2025, "s": 2021, "none": None}
    assert matrix.loc["A"].tolist()[:2] == [1.0, 5.0]
    assert math.isnan(matrix.loc["B", "s"])  # suppressed in 2021: missing, not 2017's
    assert matrix["none"].isna().all()


# ----------------------------------------------------------------------------- properties

values = st.integers(-4000, 4000).map(lambda v: v / 4)
cells = st.one_of(values, st.just(float("nan")))


@st.composite
def matrices(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(3, 7))
    k = draw(st.integers(2, 8))
    data = [[draw(cells) for _ in range(k)] for _ in range(n)]
    return pd.DataFrame(
        data,
        index=pd.Index([f"a{i}" for i in range(n)], name="area_code"),
        columns=[f"c{j}" for j in range(k)],
    )


@settings(max_examples=80, deadline=None)
@given(matrices(), st.integers(1, 3))
def test_distance_is_symmetric_and_zero_to_itself(matrix: pd.DataFrame, min_shared: int) -> None:
    z = tw.standardise(matrix)
    for a in z.index:
        own, shared = tw.distance(z.loc[a], z.loc[a], min_shared)
        if shared >= min_shared and shared > 0:
            assert own == 0.0
        for b in z.index:
            ab = tw.distance(z.loc[a], z.loc[b], min_shared)
            ba = tw.distance(z.loc[b], z.loc[a], min_shared)
            assert ab[1] == ba[1]
            assert (math.isnan(ab[0]) and math.isnan(ba[0])) or ab[0] == pytest.approx(ba[0])


@settings(max_examples=80, deadline=None)
@given(matrices(), st.data())
def test_ranking_is_invariant_to_adding_a_constant_to_a_criterion(
    matrix: pd.DataFrame, data: st.DataObject
) -> None:
    column = data.draw(st.sampled_from(list(matrix.columns)))
    constant = data.draw(values)
    shifted = matrix.copy()
    shifted[column] = shifted[column] + constant
    area = matrix.index[0]
    before = tw.distances_from(tw.standardise(matrix), area, 1).set_index("area_code")
    after = tw.distances_from(tw.standardise(shifted), area, 1).set_index("area_code")
    assert after["shared"].tolist() == before["shared"].tolist()
    for code in before.index:
        d0, d1 = before.at[code, "distance"], after.at[code, "distance"]
        assert (math.isnan(d0) and math.isnan(d1)) or d1 == pytest.approx(d0, abs=1e-9)
    # The order of clearly different distances is the same.
    present = before["distance"].dropna()
    for a in present.index:
        for b in present.index:
            if present[a] < present[b] - 1e-6:
                assert after.at[a, "distance"] < after.at[b, "distance"]


# ----------------------------------------------------------------------------- the page


@pytest.fixture(scope="module")
def store_url(seeded_store_url: str) -> str:
    return seeded_store_url


def test_twins_page_shows_twins_with_polarity_judgements(app_store: str) -> None:
    from dashboard import data, urlstate
    from dashboard.views import twins as view

    outputs = view.update("K20903", 2025, 5, "?lang=en&antal=10")
    params = urlstate.parse(outputs[-1])
    assert params == {"omraade": "K20903", "aar": "2025", "antal": "5", "lang": "en"}
    sel = view.selection(params["omraade"], params["aar"], params["antal"])
    res = view.result(sel.area, sel.level, sel.year, sel.count)
    assert len(res.found) == 5 and res.found["distance"].is_monotonic_increasing
    assert set(res.found["area_code"]) <= set(data.areas(("kvarter",))["code"]) - {"K20903"}
    # Each judgement agrees with the criterion's polarity.
    criteria = data.criteria_by_code()
    for row in res.detail.dropna(subset=["twin_is"]).itertuples(index=False):
        difference = (row.twin_value - row.own_value) * criteria[row.indicator].polarity
        assert row.twin_is == (1 if difference > 0 else -1 if difference < 0 else 0)
    tree = view.layout(lang="en", **{k: v for k, v in params.items() if k != "lang"})
    table = by_id(tree, view.TABLE)
    words = [c for c in walk(table) if isinstance(c, str)]
    assert "Tingbjerg itself" in words
    assert "▲ better" in words and "▼ worse" in words
    frame = view.twins_frame(sel)
    assert len(frame) == 5 * len(criteria)
    assert set(frame["twin_is"]) <= {"better", "worse", "same", ""}


def test_twins_never_use_a_suppressed_value(app_store: str) -> None:
    from dashboard import data
    from dashboard.views import twins as view

    published = data.comparison("rode")
    year = 2025
    matrix, _used = view.level_matrix("rode", year)
    hidden = published[(published["year"] == year) & published["suppressed"]]
    for row in hidden.head(50).itertuples(index=False):
        if row.indicator in matrix.columns:
            assert np.isnan(matrix.at[row.area_code, row.indicator])


def test_header_search_finds_areas_and_opens_the_profile_in_the_language(app_store: str) -> None:
    from dashboard import area_index, components, ids

    found = area_index.search("tingbjerg", "en")
    codes = [o["value"] for o in found]
    assert "K20903" in codes and "ub-tingbjerg-husum" in codes
    assert codes[0] == "K20903"  # the exact name first, then names starting with it
    assert codes.index("ub-tingbjerg-husum") < codes.index("R266")
    assert found[0]["label"].startswith("Tingbjerg (")
    assert area_index.search("nørrebro", "da") == area_index.search("NORREBRO", "da")
    assert area_index.profile_href("K20903", "?lang=en") == "/omraade/K20903?lang=en"
    assert area_index.profile_href("K20903", "") == "/omraade/K20903"
    header = components.header("/", "?lang=en")
    labels = [c for c in walk(header) if getattr(c, "htmlFor", None) == ids.AREA_SEARCH]
    assert labels and labels[0].children == "Find an area"
    assert by_id(header, ids.AREA_SEARCH).list == ids.AREA_SEARCH_LIST
    # Typing suggests; a picked suggestion or Enter opens the profile in the language.
    suggestions, href = area_index.search_box("tingbjerg", False, "?lang=en")
    assert suggestions[0].value == "Tingbjerg (neighbourhood)"
    assert href is no_update
    assert area_index.search_box("Tingbjerg (neighbourhood)", False, "?lang=en")[1] == (
        "/omraade/K20903?lang=en"
    )
    assert area_index.search_box("tingbjerg", True, "")[1] == "/omraade/K20903"
    assert area_index.search_box("zzzz", True, "") == ([], no_update)
