"""The Dash app over a seeded temporary store, through Flask's test client and the view
functions the callbacks call (no browser)."""

from __future__ import annotations

import base64
import importlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import dash
import pandas as pd
import pytest
from dash.exceptions import PreventUpdate

from db import store
from db.engine import make_engine
from tests.dash_support import ids_in


@pytest.fixture(scope="module")
def seeded_url(seeded_store_url: str) -> Iterator[str]:
    url = seeded_store_url
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


PAGES_FOLDER = Path(__file__).resolve().parent.parent / "dashboard" / "pages"
PAGE_MODULES = sorted(p.stem for p in PAGES_FOLDER.glob("*.py") if not p.stem.startswith("_"))
ROUTER = ".._pages_content.children..._pages_store.data.."


def page_of(name: str):  # type: ignore[no-untyped-def]
    return importlib.import_module(f"dashboard.pages.{name}").PAGE


def route_request(client, path: str):  # type: ignore[no-untyped-def]
    """The response of Dash's page router for ``path``."""
    return client.post(
        "/_dash-update-component",
        json={
            "output": ROUTER,
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": path},
                {"id": "_pages_location", "property": "search", "value": ""},
            ],
            "changedPropIds": ["_pages_location.pathname"],
            "state": [],
        },
    )


def routed(client, path: str) -> str:  # type: ignore[no-untyped-def]
    """What Dash's page router answers for ``path``: the page a browser would be shown."""
    response = route_request(client, path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


# ------------------------------------------------------------------------------ routes


def test_the_shell_is_offline_and_danish(app_module, client) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'lang="da"' in html and "KEOB" in html
    # Offline: every script and stylesheet is served by the app itself.
    assert "cdn." not in html and "https://" not in html


@pytest.mark.parametrize("name", PAGE_MODULES)
def test_page_meets_the_contract(app_module, name: str) -> None:
    from dashboard.page_contract import Page

    page = page_of(name)
    assert isinstance(page, Page)
    registered = dash.page_registry[f"dashboard.pages.{name}"]
    assert registered.get("path_template" if page.is_template else "path") == page.path
    assert registered.get("nav_key") == page.nav_key
    assert registered["title"] == page.title
    assert page.content_ids, "the route test needs ids only this page renders"
    assert callable(page.layout)
    assert page.update is None or callable(page.update)
    assert page.download is None or callable(page.download)
    if page.is_template:
        assert "<" not in page.example_path, "example_params must fill every path variable"


@pytest.mark.parametrize("name", PAGE_MODULES)
def test_requesting_the_path_renders_the_page_itself(app_module, client, name: str) -> None:
    page = page_of(name)
    assert client.get(page.example_path).status_code == 200
    rendered = routed(client, page.example_path)
    missing = [i for i in page.content_ids if f'"{i}"' not in rendered]
    assert not missing, f"{page.example_path} did not render {missing}"
    others = {i for other in PAGE_MODULES if other != name for i in page_of(other).content_ids}
    assert not [i for i in others if f'"{i}"' in rendered], "another page was rendered"


def test_an_unknown_path_renders_the_not_found_page(app_module, client) -> None:
    from dashboard.views import not_found

    rendered = routed(client, "/this-page-does-not-exist")
    assert f'"{not_found.TITLE}"' in rendered
    assert '"overview-cards"' not in rendered


@pytest.mark.parametrize("lang", ["da", "en"])
@pytest.mark.parametrize("name", PAGE_MODULES)
def test_every_page_layout_renders_its_content(app_module, name: str, lang: str) -> None:
    page = page_of(name)
    layout = dash.page_registry[f"dashboard.pages.{name}"]["layout"]
    tree = layout(lang=lang, **page.example_params)
    assert set(page.content_ids) <= ids_in(tree), name


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
    modules = {page["module"].rsplit(".", 1)[-1] for page in dash.page_registry.values()}
    assert modules == set(PAGE_MODULES)
