"""indicators.numbers.format_number: the one Danish (and English) number style."""

from __future__ import annotations

import pytest

from indicators.numbers import format_number
from indicators.state_lists import Threshold
from indicators.survey import describe_change_da


@pytest.mark.parametrize(
    ("value", "decimals", "options", "expected"),
    [
        (1234567.891, 2, {}, "1.234.567,89"),
        (1234567.891, 2, {"lang": "en"}, "1,234,567.89"),
        (1234.5, 1, {"lang": "xx"}, "1.234,5"),  # anything but English is Danish
        (-0.5, 1, {}, "−0,5"),
        (2.5, 1, {"signed": True}, "+2,5"),
        (-2.5, 1, {"signed": True, "lang": "en"}, "−2.5"),
        (40.0, 2, {"trim_zeros": True}, "40"),
        (2.10, 2, {"trim_zeros": True}, "2,1"),
        (2.19, 2, {"trim_zeros": True}, "2,19"),
        (1500, 0, {"trim_zeros": True}, "1.500"),  # no decimals: nothing to trim
        (None, 1, {}, "–"),
        (float("nan"), 0, {"lang": "en"}, "–"),
    ],
)
def test_format_number(value: float | None, decimals: int, options: dict, expected: str) -> None:
    assert format_number(value, decimals, **options) == expected


def test_the_calculators_danish_sentences_use_it() -> None:
    assert Threshold(op=">=", value=2.5).describe_da() == "mindst 2,50 %"
    assert Threshold(op=">", value=3, relative_to="land").describe_da() == (
        "over 3 gange landsgennemsnittet"
    )
    assert describe_change_da(-3.0, -6.5, 0.4, 1) == (
        "Ingen sikker ændring (−3,0 procentpoint; usikkerhed fra −6,5 til 0,4)"
    )
