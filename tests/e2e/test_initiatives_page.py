"""The Indsatser page in Chromium: filters update the list and the URL, the CSV downloads."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect


def test_initiatives_page_filters_and_url(page: Page) -> None:
    page.goto("/indsatser")
    cards = page.locator(".ini-card")
    expect(cards).to_have_count(40)
    expect(page.locator(".nav-link.active")).to_have_text("Indsatser")

    page.get_by_label("Ufinansieret").check()
    expect(cards).to_have_count(12)
    expect(page).to_have_url(re.compile(r"finansiering=ufinansieret"))
    expect(page.locator(".ini-summary")).to_have_text("Viser 12 af 40 indsatser.")

    page.get_by_label("ØKF").check()
    expect(cards).to_have_count(1)  # M1-U-01: "alle forvaltninger" includes ØKF
    expect(page).to_have_url(re.compile(r"forvaltning=%C3%98KF"))


def test_initiatives_page_from_a_shared_link(page: Page) -> None:
    page.goto("/indsatser?omraade=K21005&maal=2&indsats=M2-F-01&lang=en")
    expect(page.locator(".ini-summary")).to_contain_text("running in Nordvest")
    expect(page.locator("#ini-map-section h2")).to_contain_text("M2-F-01")
    expect(page.locator("#ini-map .choroplethlocation").first).to_be_attached(timeout=20_000)


def test_initiatives_csv_download(page: Page) -> None:
    page.goto("/indsatser?maal=1")
    expect(page.locator(".ini-card")).to_have_count(22)
    with page.expect_download() as info:
        page.get_by_role("button", name="Hent CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == "keob-indsatser-2027-2028.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("vintage,id,goal,goal_name,focus_area")
    assert "M1-U-06" in text and "M2-F-01" not in text
