"""The Dækning page over the hand-made fixture store: views, overlays, CSV, area profile."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import pandas as pd
import pytest
from dash import Patch
from dash.exceptions import PreventUpdate

from tests.coverage_support import CELL_M, NOISE_FILE, RESIDENTS, load_facilities, make_store


@pytest.fixture(scope="module")
def fixture_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from keob.seed_coverage import compute_coverage

    url = f"sqlite:///{tmp_path_factory.mktemp('coverage-app') / 'keob.sqlite'}"
    engine = make_store(url)
    load_facilities(engine)
    compute_coverage(engine, cell_m=CELL_M, noise_file=NOISE_FILE)
    engine.dispose()
    previous = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    from dashboard import coverage_routes, data

    data.reset()
    coverage_routes.reset()
    yield url
    data.reset()
    coverage_routes.reset()
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous


@pytest.fixture(scope="module")
def view(fixture_url: str):  # type: ignore[no-untyped-def]
    import app  # noqa: F401  (registers the pages and the overlay routes)
    from dashboard.views import daekning

    return daekning


@pytest.fixture(scope="module")
def client(view):  # type: ignore[no-untyped-def]
    import app

    return app.server.test_client()


def test_page_is_in_the_menu_and_renders_offline(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/daekning")
    assert response.status_code == 200
    assert "cdn." not in response.get_data(as_text=True)
    from dashboard import components

    assert any(p["path"] == "/daekning" for p in components.nav_items())


@pytest.mark.parametrize("lang", ["da", "en"])
def test_layout_shows_map_tables_method_and_attribution(view, lang: str) -> None:  # type: ignore[no-untyped-def]
    page = str(view.layout(lang=lang))
    assert view.GRAPH in page and view.UDSATTE_TABLE in page and view.DOWNLOAD_BUTTON in page
    assert "Miljøstyrelsen" in page or "Danish Environmental Protection Agency" in page
    assert "CC BY 4.0" in page and "2014" in page


def test_map_values_equal_the_stored_indicator_at_the_default(view) -> None:  # type: ignore[no-untyped-def]
    frame = view.comparison("groent", 300, "rode").set_index("area_code")
    assert frame.loc["R2", "value"] == pytest.approx(30.0)
    assert frame.loc["R1", "value"] == pytest.approx(100 * 30 / 49)
    assert frame.loc["R2", "indicator"] == "daekning_groent"
    udsatte = view.udsatte_frame("groent", 300).set_index("area_code")
    assert udsatte.loc["ub-alle", "rest_value"] == pytest.approx(100 * 30 / 49)
    noisy = view.comparison("stoej", 58, "rode").set_index("area_code")
    assert noisy.loc["R1", "value"] == pytest.approx(100 * 20 / 49)
    assert noisy.loc["R1", "indicator"] == "stoej_58"


def test_moving_the_threshold_is_a_filter_and_a_patch(view) -> None:  # type: ignore[no-untyped-def]
    search = "?emne=legeplads&taerskel=300&niveau=rode&lag=faciliteter"
    with pytest.raises(PreventUpdate):
        view.update("legeplads", 300, "rode", ["faciliteter"], search, triggered=view.THRESHOLD)
    out = view.update("legeplads", 2000, "rode", ["faciliteter"], search, triggered=view.THRESHOLD)
    figure, _caption, note, hidden, _banner, _udsatte, _areas, new_search = out
    assert isinstance(figure, Patch)
    assert "taerskel=2000" in new_search and hidden is True  # real population: no demo banner
    assert "2.000" in str(note)
    wide = view.comparison("legeplads", 2000, "rode").set_index("area_code")
    assert wide.loc["R2", "value"] == pytest.approx(100.0)
    figure, *_ = view.update("stoej", 68, "bydel", ["stoej"], new_search, triggered=view.TOPIC)
    assert not isinstance(figure, Patch)
    uids = [trace.uid for trace in figure.data]
    assert "cov-noise-68" in uids and not any(u.startswith("cov-fac-") for u in uids)
    assert figure.data[0].geojson == "/geo/bydel.geojson"


def test_the_topic_sets_the_slider(view) -> None:  # type: ignore[no-untyped-def]
    low, high, step, marks, value, included = view.slider_for("stoej", "")
    assert (low, high, step, value, included) == (53, 73, None, 58, False)
    assert set(marks) == {53, 58, 63, 68, 73}
    assert view.slider_for("bibliotek", "")[4] == 1000
    with pytest.raises(PreventUpdate):
        view.slider_for("legeplads", "")  # unchanged topic
    # Nonsense in the URL falls back to defaults.
    assert view.selection("planet", "abc", "x", None) == (
        "legeplads",
        300,
        "rode",
        ("faciliteter",),
    )
    assert view.selection("stoej", "60")[1] == 58  # not a band edge
    assert view.selection("bibliotek", "1234")[1] == 1250  # the slider's 50 m steps


def test_csv_download_has_the_selection(view) -> None:  # type: ignore[no-untyped-def]
    sent = view.download("groent", 300, "bydel")
    assert sent["filename"] == "keob-daekning-groent-300-bydel.csv"
    import base64

    raw = sent["content"]
    content = base64.b64decode(raw) if sent.get("base64") else raw.encode("utf-8")
    csv = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig").set_index("area_code")
    assert {"ub-noerrebro", "ub-alle", "B3"} <= set(csv.index)
    assert csv.loc["ub-alle", "value"] == pytest.approx(30.0)
    assert csv.loc["B3", "denominator"] == pytest.approx(sum(RESIDENTS.values()))
    assert set(csv["measure"]) == {"daekning_groent"} and set(csv["threshold_unit"]) == {"m"}
    assert (csv["distance_method"] == "euclidean").all()


def test_overlays_are_cacheable_geojson(client, view) -> None:  # type: ignore[no-untyped-def]
    green = client.get("/daekning/groent.geojson")
    assert green.status_code == 200
    features = green.get_json()["features"]
    assert len(features) == 1  # the 22 ha strip; the 0.36 ha park is not a green area
    again = client.get("/daekning/groent.geojson", headers={"If-None-Match": green.headers["ETag"]})
    assert again.status_code == 304
    noise = client.get("/daekning/stoej.geojson")
    assert noise.status_code == 200 and noise.get_json()["type"] == "FeatureCollection"


def test_area_profile_lists_the_coverage_indicators(view) -> None:  # type: ignore[no-untyped-def]
    section = view.profile_section("ub-alle", "da")
    text = str(section)
    assert "Dækning og vejstøj (2014)" in text
    assert "Grønt område (mindst 0,5 ha) inden for 300 m" in text and "30,0 %" in text
    assert view.profile_section("nowhere", "da") == []


def test_broken_disclosure_rules_withhold_every_figure(view, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Fail closed: unreadable rules suppress every cell, they never publish raw figures."""
    from dashboard import data
    from indicators import disclosure

    def broken(path=None):  # type: ignore[no-untyped-def]
        raise OSError("disclosure.yaml is unreadable")

    data.reset()
    monkeypatch.setattr(disclosure, "load_rules", broken)
    try:
        frame = view.comparison("legeplads", 450, "rode")
        assert len(frame) and frame["suppressed"].all()
        assert frame[["numerator", "denominator", "value", "rest_value"]].isna().all().all()
    finally:
        monkeypatch.undo()
        data.reset()


def test_every_level_is_protected_jointly_and_within_the_published_pattern(view) -> None:  # type: ignore[no-untyped-def]
    """A rode hidden in the published befolkning figures is hidden on the page too, and
    no kvarter with exactly one hidden rode is shown next to its other roder."""
    run = view._monitor().coverage_run()
    published = view._monitor().published_comparison("rode")
    hidden = set(
        published.loc[
            (published["indicator"] == "befolkning")
            & (published["year"] == run.year)
            & published["suppressed"],
            "area_code",
        ]
    )
    roder = view.comparison("legeplads", 450, "rode").set_index("area_code")
    assert hidden <= set(roder.index[roder["suppressed"]])
    kvarterer = view.comparison("legeplads", 450, "kvarter")
    membership = view._monitor().membership()
    for code in kvarterer.loc[~kvarterer["suppressed"], "area_code"]:
        members = membership.loc[membership["aggregate_code"] == code, "member_code"]
        members = [m for m in members if m in roder.index]
        assert sum(bool(roder.loc[m, "suppressed"]) for m in members) != 1


def test_the_map_is_memoised_per_data_version(view, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The same selection reuses its figure; a new data version builds it again from the
    new values instead of serving the old figure."""
    from dashboard import data

    selection = ("legeplads", 300, "rode", ("faciliteter",), "da")
    first = view._map(*selection)
    assert view._map(*selection) is first
    old_version = data.data_version()
    frame = view.comparison("legeplads", 300, "rode")
    changed = frame.assign(value=frame["value"].where(frame["value"].isna(), 12.5))
    monkeypatch.setattr(data, "data_version", lambda: old_version + "-next")
    monkeypatch.setattr(view, "comparison", lambda *_args: changed)
    fresh = view._map(*selection)
    assert fresh is not first
    values = next(trace for trace in fresh[0].data if trace.uid == "cov-values")
    assert set(values.z) == {12.5}
