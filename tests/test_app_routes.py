"""The Dash app over a seeded temporary store, through Flask's test client and the view
functions the callbacks call (no browser)."""

from __future__ import annotations

import base64
import io
import os
from collections.abc import Iterator
from pathlib import Path

import dash
import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

from db import migrate, store
from db.engine import make_engine
from keob.seed import seed


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'keob.sqlite'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(engine)
    engine.dispose()
    previous = os.environ.get("DATABASE_URL")
    # The app opens the store lazily from DATABASE_URL on first use, so setting it before
    # the first request (and resetting the caches) is enough.
    os.environ["DATABASE_URL"] = url
    from dashboard import data

    data.reset()
    yield url
    data.reset()
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous


@pytest.fixture(scope="module")
def app_module(seeded_url: str):
    import app

    return app


@pytest.fixture(scope="module")
def client(app_module):
    return app_module.server.test_client()


@pytest.fixture(scope="module")
def monitor(seeded_url: str):
    from dashboard import data

    return data.monitor()


def page_paths() -> list[str]:
    return [
        page["path_template"].replace("<area_code>", "ub-alle")
        if page.get("path_template")
        else page["path"]
        for page in dash.page_registry.values()
    ]


# ------------------------------------------------------------------------------ routes


def test_every_page_path_returns_200(app_module, client) -> None:
    paths = page_paths()
    assert {"/", "/kort", "/omraade/ub-alle", "/data", "/om"} <= set(paths)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert 'lang="da"' in html and "KEOB" in html
        # Offline: every script and stylesheet is served by the app itself.
        assert "cdn." not in html and "https://" not in html


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_page_layout_renders(app_module, lang: str) -> None:
    for page in dash.page_registry.values():
        kwargs = {"lang": lang}
        if page.get("path_template"):
            kwargs["area_code"] = "ub-noerrebro"
        assert page["layout"](**kwargs) is not None, page["module"]


def test_layouts_accept_their_url_parameters(app_module) -> None:
    from dashboard.views import area_map, area_profile, data_table, overview

    assert overview.layout(lang="da", basisaar="2010")
    assert area_map.layout(lang="en", kriterium="tryghed", aar="2012", niveau="bydel")
    assert data_table.layout(lang="da", niveau="bydel", kriterier="indkomst,doemte", fra="2010")
    # Nonsense falls back to defaults instead of failing.
    assert area_map.layout(lang="da", kriterium="nope", aar="abc", niveau="planet")
    assert "findes ikke" in str(area_profile.layout(lang="da", area_code="X999"))


def test_health_reports_the_data_version(client, seeded_url: str) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["data_version"] == store.data_version(make_engine(seeded_url))


def test_geojson_has_one_feature_per_rode(client, monitor) -> None:
    response = client.get("/geo/rode.geojson")
    assert response.status_code == 200
    features = response.get_json()["features"]
    roder = set(monitor.areas(["rode"])["code"])
    assert len(features) == len(roder)
    assert {f["id"] for f in features} == roder
    again = client.get("/geo/rode.geojson", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    assert client.get("/geo/planet.geojson").status_code == 404


def test_callback_ids_exist_in_the_layouts(app_module) -> None:
    """Dash's own check is off (it would ship every page in each response), so check here."""
    from dash.development.base_component import Component

    known: set[str] = set()

    def collect(node: object) -> None:
        if isinstance(node, Component):
            if isinstance(getattr(node, "id", None), str):
                known.add(node.id)
            collect(getattr(node, "children", None))
        elif isinstance(node, list | tuple):
            for child in node:
                collect(child)

    collect(app_module.app.layout())
    for page in dash.page_registry.values():
        collect(page["layout"](**({"area_code": "ub-alle"} if page.get("path_template") else {})))
    used = set()
    for callback in app_module.app.callback_map.values():
        for dep in [*callback["inputs"], *callback["state"]]:
            used.add(dep["id"])
    for output in app_module.app.callback_map:
        for part in output.strip(".").split("..."):
            used.add(part.split(".")[0].lstrip("."))
    used = {u for u in used if not u.startswith("_pages") and "{" not in u}
    assert used <= known, sorted(used - known)


# ------------------------------------------------------------------------------ callbacks


def test_map_update_patches_unless_the_level_changes(app_module) -> None:
    from dash import Patch

    from dashboard.views import area_map

    search = "?kriterium=indkomst&aar=2025&niveau=rode"
    with pytest.raises(PreventUpdate):  # what Dash sends when the page is inserted
        area_map.update("indkomst", 2025, "rode", search, level_changed=False)
    figure, _caption, hidden, _banner, link, new_search = area_map.update(
        "tryghed", 2025, "rode", search, level_changed=False
    )
    assert isinstance(figure, Patch)
    assert "tryghed" in new_search and "niveau=rode" in new_search
    assert link.startswith("/data?niveau=rode&kriterier=tryghed")
    assert hidden is False  # 2025 values are demo data
    figure, *_ = area_map.update("tryghed", 2025, "bydel", new_search, level_changed=True)
    assert figure.data[0].geojson == "/geo/bydel.geojson"
    assert len(figure.data[0].locations) + len(figure.data[1].locations) == 10


def test_map_click_opens_the_profile_in_the_same_language(app_module) -> None:
    from dashboard.views import area_map

    click = {"points": [{"location": "R191"}]}
    assert area_map.area_from_click(click, "?lang=en&kriterium=x") == "/omraade/R191?lang=en"
    assert area_map.area_from_click(click, "") == "/omraade/R191"
    assert area_map.area_from_click(None, "") is dash.no_update


def test_csv_download_equals_the_store(app_module, monitor) -> None:
    from dashboard.views import data_table

    sent = data_table.download("bydel", ["indkomst", "tryghed"], [2014, 2016])
    assert sent["filename"] == "keob-bydel.csv"
    raw = sent["content"]
    content = base64.b64decode(raw) if sent.get("base64") else raw.encode("utf-8")
    csv = pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")
    assert set(csv["criterion"]) == {"indkomst", "tryghed"}
    assert set(csv["year"]) == {2014, 2015, 2016}
    expected = monitor.comparison("bydel")
    expected = expected[
        expected["indicator"].isin(["indkomst", "tryghed"]) & expected["year"].between(2014, 2016)
    ]
    assert len(csv) == len(expected)
    merged = csv.merge(
        expected,
        left_on=["area_code", "criterion", "year"],
        right_on=["area_code", "indicator", "year"],
    )
    assert len(merged) == len(csv)
    assert (merged["value_x"] - merged["value_y"]).abs().max() < 0.05 + 1e-9
    assert (merged["rest_of_city_value"] - merged["rest_value"]).abs().max() < 0.05 + 1e-9
    assert (merged["synthetic_x"] == merged["synthetic_y"]).all()


def test_overview_baseline_change_updates_the_url(app_module) -> None:
    from dashboard.views import overview

    with pytest.raises(PreventUpdate):
        overview.update(2015, "")
    cards, hidden, _banner, search = overview.update(2010, "?lang=en")
    assert len(cards) == 8
    assert search == "?lang=en&basisaar=2010"
    assert hidden is False


def test_page_modules_live_in_the_pages_folder(app_module) -> None:
    folder = Path(app_module.__file__).parent / "dashboard" / "pages"
    modules = {page["module"].rsplit(".", 1)[-1] for page in dash.page_registry.values()}
    assert modules == {p.stem for p in folder.glob("*.py") if not p.stem.startswith("_")}
