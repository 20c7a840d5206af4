from __future__ import annotations

import pytest

from indicators.registry import (
    CRITERIA_CODES,
    RegistryError,
    criteria,
    load_registry,
    parse_registry,
)


def test_the_eight_criteria_in_order_with_explicit_polarity() -> None:
    crit = criteria()
    assert [c.code for c in crit] == list(CRITERIA_CODES)
    assert all(c.polarity in (-1, 1) for c in crit)
    polarity = {c.code: c.polarity for c in crit}
    # Higher is better only for youth education and tryghed (share feeling safe).
    assert {c for c, p in polarity.items() if p == 1} == {"ungdomsuddannelse", "tryghed"}


def test_survey_criteria_are_marked() -> None:
    reg = load_registry()
    assert {c for c, i in reg.items() if i.is_survey} == {"sundhed", "tryghed"}


def test_every_indicator_has_both_languages() -> None:
    for ind in load_registry().values():
        for field in ("name", "short", "definition"):
            assert getattr(ind, f"{field}_da").strip() and getattr(ind, f"{field}_en").strip()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "expected a mapping"),
        ("indicators:\n  - code: x\n", "missing field"),
    ],
)
def test_malformed_registry_is_rejected(text: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry(text)
