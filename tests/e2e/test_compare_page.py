"""Sammenlign and the header search in Chromium: pick areas, see the table and the chart,
and the selection lands in the URL."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_compare_pick_areas_see_table_and_chart(page: Page) -> None:
    page.goto("/sammenlign?omraader=K20903,K20902&kriterium=indkomst&aar=2025")
    rows = page.locator("#cmp-table tbody tr")
    expect(rows).to_have_count(2, timeout=60_000)  # the first page computes the published frames
    expect(page.locator(".nav-link.active")).to_have_text("Sammenlign")

    # Add a third area by typing in the picker.
    picker = page.locator("#cmp-areas")
    picker.click()
    page.keyboard.type("Husum")
    page.get_by_role("option", name=re.compile(r"^Husum \(")).first.click()
    page.keyboard.press("Escape")
    expect(rows).to_have_count(3)
    expect(page).to_have_url(re.compile(r"omraader=K20903,K20902,K20901"))
    expect(page.locator("#cmp-table")).to_contain_text("Husum")
    # One solid line and one dashed rest of the city per area.
    expect(page.locator("#cmp-graph .scatterlayer .trace")).to_have_count(6, timeout=20_000)
    expect(page.locator("#cmp-caption")).to_contain_text("3 områder")


def test_header_search_opens_the_profile_in_the_same_language(page: Page) -> None:
    page.goto("/sammenlign?lang=en")
    # Drawn from the URL's (default) selection; the URL stays as typed until a control
    # changes, as tests/test_page_insert.py pins.
    expect(page.locator("#cmp-table tbody tr")).to_have_count(5, timeout=60_000)
    expect(page).to_have_url(re.compile(r"/sammenlign\?lang=en$"))
    box = page.get_by_label("Find an area")
    box.fill("Tingbjerg")
    expect(page.locator("#area-search-list option").first).to_have_attribute(
        "value", "Tingbjerg (neighbourhood)"
    )
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/omraade/K20903\?lang=en$"))
    expect(page.locator("h1")).to_contain_text("Tingbjerg")
