"""Every page in headless Chromium against the live app (gunicorn over a seeded store).

The ``context`` fixture (tests/e2e/conftest.py) fails a test on any console error,
uncaught page error or request outside 127.0.0.1. Screenshots of each page are saved to
test-results/screenshots/ (git-ignored; KEOB_SCREENSHOT_DIR overrides) for people to look
at; they are not compared pixel by pixel. The committed docs/screenshots/ come from
`make screenshots`, so a test run never changes tracked files.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(
    os.environ.get("KEOB_SCREENSHOT_DIR", REPO_ROOT / "test-results" / "screenshots")
)
VIEWPORT = {"width": 1366, "height": 900}

# path → (screenshot name, the Danish page heading)
PAGES = {
    "/": ("overblik", "De udsatte byområder samlet mod resten af byen"),
    "/kort": ("kort", "Kort"),
    "/omraade/ub-alle": ("omraadeprofil", "De udsatte byområder samlet"),
    "/data": ("data", "Data"),
    "/om": ("om-data", "Om data"),
}


def open_page(page: Page, path: str) -> None:
    page.set_viewport_size(VIEWPORT)
    page.goto(path)
    # Generous: the first page a fresh worker builds reads and aggregates the whole store.
    expect(page.locator("#_pages_content h1")).to_be_visible(timeout=30_000)
    page.wait_for_load_state("networkidle")


# Per map trace (by uid): the number of drawn shapes and their fill colours.
SHAPES_BY_TRACE = """
() => Object.fromEntries(
    [...document.querySelectorAll('.js-plotly-plot .trace.choropleth')].map(group => [
        group.__data__[0].trace.uid,
        [...group.querySelectorAll('path.choroplethlocation')].map(p => getComputedStyle(p).fill),
    ])
)
"""


# A screen point inside the first value shape (a bbox centre can fall in a hole).
INTERIOR_POINT = """
() => {
    const group = [...document.querySelectorAll('.js-plotly-plot .trace.choropleth')]
        .find(g => g.__data__[0].trace.uid === 'areas-values');
    const path = group.querySelector('path.choroplethlocation');
    const box = path.getBBox();
    const matrix = path.getScreenCTM();
    for (let i = 1; i < 20; i++) {
        for (let j = 1; j < 20; j++) {
            const point = new DOMPoint(box.x + box.width * i / 20, box.y + box.height * j / 20);
            if (path.isPointInFill(point)) {
                const screen = point.matrixTransform(matrix);
                return [screen.x, screen.y];
            }
        }
    }
    throw new Error('no interior point found');
}
"""


def shapes(page: Page) -> dict[str, list[str]]:
    return page.evaluate(SHAPES_BY_TRACE)


def feature_count(base_url: str, level: str) -> int:
    with urllib.request.urlopen(f"{base_url}/geo/{level}.geojson", timeout=30) as resp:
        return len(json.load(resp)["features"])


@pytest.mark.parametrize("path", list(PAGES))
def test_page_renders_with_nav_footer_and_demo_badge(page: Page, path: str) -> None:
    name, heading = PAGES[path]
    open_page(page, path)
    expect(page.locator("#_pages_content h1").first).to_contain_text(heading)
    nav = page.get_by_role("navigation")
    for label in ("Overblik", "Kort", "Områdeprofil", "Data", "Om data"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(page.locator(".site-footer")).to_contain_text("Data opdateret")
    expect(page.locator(".demo-banner:not([hidden])").first).to_contain_text("Demodata")
    if path == "/kort":
        page.locator("path.choroplethlocation").first.wait_for(state="attached")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("level", ["rode", "bydel"])
def test_map_has_one_shape_per_area(page: Page, live_server: str, level: str) -> None:
    open_page(page, f"/kort?niveau={level}")
    page.locator("path.choroplethlocation").first.wait_for(state="attached")
    drawn = shapes(page)
    expected = feature_count(live_server, level)
    assert len(drawn.get("areas-no-data", [])) + len(drawn["areas-values"]) == expected
    assert len(drawn["outlines"]) == 5
    if level == "bydel":
        assert expected == 10


def test_changing_the_criterion_repaints_the_map_and_the_url(page: Page) -> None:
    open_page(page, "/kort?kriterium=indkomst")
    page.locator("path.choroplethlocation").first.wait_for(state="attached")
    before = shapes(page)["areas-values"]
    page.locator("#map-criterion").click()
    page.get_by_role("option", name="Tryghed").click()
    expect(page).to_have_url(re.compile(r"kriterium=tryghed"))
    page.wait_for_function(
        f"before => ({SHAPES_BY_TRACE})()['areas-values'].join() !== before.join()", arg=before
    )
    after = shapes(page)["areas-values"]
    assert sum(a != b for a, b in zip(before, after, strict=False)) > len(after) // 2
    expect(page.locator("#map-caption")).to_contain_text("trygge")
    # The URL reproduces the view.
    page.reload()
    expect(page.locator("#map-criterion")).to_contain_text("Tryghed")


def test_clicking_an_area_opens_its_profile(page: Page) -> None:
    open_page(page, "/kort?niveau=bydel&lang=en")
    page.locator("path.choroplethlocation").first.wait_for(state="attached")
    x, y = page.evaluate(INTERIOR_POINT)
    page.mouse.click(x, y)
    expect(page).to_have_url(re.compile(r"/omraade/B\d+\?lang=en$"))
    expect(page.locator("#_pages_content h1")).to_contain_text("City district")
    expect(page.locator("#profile-graph")).to_be_visible()


def test_language_switch_keeps_the_view(page: Page) -> None:
    open_page(page, "/kort?kriterium=doemte&niveau=bydel")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"kriterium=doemte.*lang=en"))
    expect(page.locator("#_pages_content h1")).to_have_text("Map")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.set_viewport_size(VIEWPORT)
    page.locator("path.choroplethlocation").first.wait_for(state="attached")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "kort-en.png", full_page=True)


def test_csv_download_equals_the_store(page: Page, live_store_url: str) -> None:
    from db.engine import make_engine
    from indicators.services.monitor import Monitor

    open_page(page, "/data?niveau=bydel&kriterier=indkomst,tryghed&fra=2013&til=2016")
    expect(page.locator("#data-preview table")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent CSV").click()
    download = info.value
    assert download.suggested_filename == "keob-bydel.csv"
    csv = pd.read_csv(download.path(), encoding="utf-8-sig")

    engine = make_engine(live_store_url)
    try:
        store_rows = Monitor(engine).published_comparison("bydel")
    finally:
        engine.dispose()
    store_rows = store_rows[
        store_rows["indicator"].isin(["indkomst", "tryghed"])
        & store_rows["year"].between(2013, 2016)
    ]
    assert len(csv) == len(store_rows) == 10 * 2 * 4
    merged = csv.merge(
        store_rows,
        left_on=["area_code", "criterion", "year"],
        right_on=["area_code", "indicator", "year"],
        validate="one_to_one",
    )
    assert len(merged) == len(csv)
    assert (merged["value_x"] - merged["value_y"].round(1)).abs().max() < 1e-9
    assert (merged["numerator_x"] - merged["numerator_y"]).abs().max() < 0.01
    assert (merged["gap_x"] - merged["gap_y"].round(1)).abs().max() < 1e-9
    assert (merged["synthetic_x"] == merged["synthetic_y"]).all()
