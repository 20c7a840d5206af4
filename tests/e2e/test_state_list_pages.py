"""The Statslister and Fremdrift 2035 pages in Chromium: controls update the URL, CSVs download.

The ``context`` fixture (tests/e2e/conftest.py) fails a test on any console error or any
request outside 127.0.0.1.
"""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect


def test_statslister_year_and_area_round_trip(page: Page) -> None:
    page.goto("/statslister?aar=2021&omraade=bo-aldersrogade")
    expect(page.locator("h1")).to_have_text("Statslisterne: de almene boligområder", timeout=30_000)
    expect(page.locator(".nav-link.active")).to_have_text("Statslister")
    expect(page.locator("#sl-area-title")).to_have_text("Aldersrogade i 2021")
    expect(page.locator("#sl-area-reasons")).to_contain_text("Parallelsamfund (4 år i træk)")
    expect(page.locator("#sl-headline")).to_contain_text(
        "2021: 4 boligområder på listerne over udsatte boligområder, parallelsamfund eller "
        "omdannelsesområder og 10 forebyggelsesområder"
    )
    expect(page.locator("#sl-history-graph .main-svg").first).to_be_attached(timeout=20_000)


def test_statslister_csv_download(page: Page, tmp_path: Path) -> None:
    page.goto("/statslister")
    expect(page.locator("#sl-status-table table")).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent alle år som CSV").click()
    download = info.value
    assert download.suggested_filename == "keob-statslister.csv"
    target = tmp_path / "statslister.csv"
    download.save_as(target)
    header = target.read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith(
        "area_id,year,rules,eligible,criteria_met,criteria_met_forebyggelse,udsat,parallelsamfund"
    )


def test_fremdrift_controls_update_the_url(page: Page) -> None:
    page.goto("/fremdrift?omraade=ub-noerrebro&basisaar=2017&kriterium=tryghed&lang=en")
    expect(page.locator("h1")).to_have_text("Progress toward 2035", timeout=30_000)
    expect(page.locator("#fr-headline")).to_contain_text("Nørrebro")
    expect(page.locator("#fr-status-table table")).to_contain_text("Gap 2017")
    expect(page.locator("#fr-chart .main-svg").first).to_be_attached(timeout=20_000)
    page.goto("/fremdrift")
    expect(page.locator("#fr-status-table table")).to_contain_text("Forskel 2025", timeout=30_000)
    page.locator("#fr-baseline").click()
    page.get_by_role("option", name="2017").click()
    expect(page).to_have_url(re.compile(r"basisaar=2017"))
    expect(page.locator("#fr-status-table table")).to_contain_text("Forskel 2017")
