"""The accessibility statement, the footer's update time and the unknown-area page."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dash import dcc, html

from dashboard import components, data
from dashboard.i18n import format_datetime
from dashboard.views import accessibility, area_profile
from tests.dash_support import walk

REPO_ROOT = Path(__file__).resolve().parents[1]


def texts(tree: object) -> list[str]:
    return [node for node in walk(tree) if isinstance(node, str)]


def links(tree: object) -> list[str]:
    return [node.href for node in walk(tree) if isinstance(node, dcc.Link | html.A)]


@pytest.fixture(scope="module")
def store_url(seeded_store_url: str) -> str:
    return seeded_store_url


@pytest.mark.parametrize(
    ("moment", "lang", "expected"),
    [
        # Winter: UTC+1.
        (datetime(2026, 12, 2, 18, 36, 28), "da", "2. december 2026 kl. 19.36"),
        (datetime(2026, 12, 2, 18, 36, 28), "en", "2 December 2026, 19:36"),
        # Summer: UTC+2, across midnight.
        (datetime(2026, 7, 31, 22, 5, tzinfo=UTC), "da", "1. august 2026 kl. 00.05"),
    ],
)
def test_datetime_is_shown_in_copenhagen_time(moment: datetime, lang: str, expected: str) -> None:
    assert format_datetime(moment, lang) == expected


def test_version_gives_the_time_of_the_newest_load() -> None:
    loaded = data.version_loaded_at("7-7-2026-12-02T18:36:28.573004")
    assert loaded == datetime(2026, 12, 2, 18, 36, 28, 573004, tzinfo=UTC)
    assert data.version_loaded_at("0-None-empty") is None


def test_footer_shows_the_update_time_and_keeps_the_raw_version() -> None:
    version = "7-7-2026-12-02T18:36:28.573004"
    footer = components.footer("da", version, None, data.version_loaded_at(version))
    stamp = footer[1].children[0]
    assert stamp.children == "Data opdateret 2. december 2026 kl. 19.36"
    assert version in stamp.title
    assert "/tilgaengelighed" in links(footer[1])
    english = components.footer("en", version, None, data.version_loaded_at(version))
    assert english[1].children[0].children == "Data updated 2 December 2026, 19:36"


def test_footer_falls_back_to_the_raw_version() -> None:
    footer = components.footer("da", "0-None-empty", None, None)
    assert footer[1].children[0].children == "Dataversion: 0-None-empty"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_statement_names_the_standard_the_test_date_and_a_marked_contact(lang: str) -> None:
    words = " ".join(texts(accessibility.layout(lang=lang)))
    assert "WCAG 2.1" in words
    assert ("5. december 2026" if lang == "da" else "5 December 2026") in words
    assert ("UDFYLDES AF KOMMUNEN" if lang == "da" else "TO BE FILLED IN") in words
    assert accessibility.AXE_VERSION in words


def test_statement_names_the_vendored_axe_version() -> None:
    head = (REPO_ROOT / "tests/e2e/vendor/axe.min.js").read_text()[:200]
    assert re.search(r"axe v(\S+)", head).group(1) == accessibility.AXE_VERSION


def test_unknown_area_says_what_was_asked_and_where_to_go(app_store: str) -> None:
    page = area_profile.layout(lang="en", area_code="XYZ")
    words = " ".join(texts(page))
    assert "XYZ" in words
    hrefs = links(page)
    assert "/?lang=en" in hrefs
    assert "/omraade/ub-alle?lang=en" in hrefs
    assert {f"/kort?niveau={level}&lang=en" for level in data.MAP_LEVELS} <= set(hrefs)
