"""Om data: the criteria's configured age bands and caveats, in Danish and English."""

from __future__ import annotations

import pytest

from dashboard.views import about
from indicators.registry import load_registry


def _text(node: object) -> str:
    """All text in a Dash component tree, in order."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    if isinstance(node, list | tuple):
        return " ".join(_text(n) for n in node)
    return _text(getattr(node, "children", None))


@pytest.mark.parametrize(("lang", "label"), [("da", "Forbehold"), ("en", "Caveat")])
def test_kun_grundskole_shows_its_band_and_caveat(lang: str, label: str) -> None:
    edu = load_registry()["uddannelse"]
    cell = _text(about.definition_cell(edu, lang))
    assert edu.definition(lang) in cell and "16-64" in cell and "age_min/age_max" in cell
    assert label in cell
    link = about.definition_cell(edu, lang)[-1].children
    assert link.href == "#forbehold-uddannelse"
    section = about.caveats_section(lang)
    assert section is not None and section.id == "forbehold"
    assert edu.caveat(lang) in _text(section) and "30-59" in _text(section)
    heading = section.children[2]
    assert heading.id == "forbehold-uddannelse"


def test_a_criterion_without_band_or_caveat_shows_only_its_definition() -> None:
    income = load_registry()["indkomst"]
    assert about.definition_cell(income, "da") == [income.definition("da")]
