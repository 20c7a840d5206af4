"""Dash calls a page's update callback when it inserts the page, even with
``prevent_initial_call``; the page was already built from the URL, so the update must send
nothing (PreventUpdate) instead of computing and re-rendering the whole page a second
time, which doubled the first paint and re-rendered open controls under the user's hands.
A real change of a control still updates the page."""

from __future__ import annotations

import importlib

import pytest
from dash.exceptions import PreventUpdate

from tests.dash_support import by_id

# view module, a URL, the update's control ids in callback order, one control and a new value
PAGES = [
    (
        "fremdrift",
        "?omraade=ub-noerrebro&basisaar=2017&kriterium=tryghed&lang=en",
        ("fr-area", "fr-baseline", "fr-criterion"),
        ("fr-criterion", "indkomst"),
    ),
    ("fremdrift", "", ("fr-area", "fr-baseline", "fr-criterion"), ("fr-baseline", 2017)),
    ("statslister", "", ("sl-year", "sl-area"), ("sl-year", 2019)),
    ("screening", "?niveau=kvarter", ("scr-year", "scr-level"), ("scr-level", "rode")),
    (
        "compare",
        "?omraader=K20903,R1&kriterium=tryghed",
        (
            "cmp-areas",
            "cmp-all-level",
            "cmp-criterion",
            "cmp-year",
            "cmp-baseline",
            "cmp-sort",
            "cmp-reverse",
        ),
        ("cmp-criterion", "indkomst"),
    ),
    ("twins", "?lang=en", ("twn-area", "twn-year", "twn-count"), ("twn-count", 10)),
    (
        "indsatser",
        "?maal=1",
        ("ini-goal", "ini-focus", "ini-admin", "ini-funding", "ini-area"),
        ("ini-goal", ["2"]),
    ),
]


@pytest.fixture(scope="module")
def store_url(seeded_store_url: str) -> str:
    return seeded_store_url


@pytest.mark.parametrize(("module", "search", "controls", "change"), PAGES)
def test_inserting_the_page_sends_nothing_and_a_change_updates_it(
    app_store: str,
    module: str,
    search: str,
    controls: tuple[str, ...],
    change: tuple[str, object],
) -> None:
    from dashboard import urlstate

    view = importlib.import_module(f"dashboard.views.{module}")
    params = urlstate.parse(search)
    tree = view.layout(
        lang=urlstate.lang_of(search), **{k: v for k, v in params.items() if k != "lang"}
    )
    shown = [getattr(by_id(tree, c), "value", None) for c in controls]
    with pytest.raises(PreventUpdate):
        view.update(*shown, search)
    changed_id, value = change
    values = [value if c == changed_id else v for c, v in zip(controls, shown, strict=True)]
    outputs = view.update(*values, search)
    assert outputs[-1] != search  # the new selection is written into the URL
