"""The app starts under gunicorn, seeds its store and serves a titled page."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def test_front_page_title(page: Page) -> None:
    page.goto("/")
    expect(page).to_have_title(re.compile("KEOB"))
