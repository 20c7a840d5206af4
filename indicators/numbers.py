"""Numbers as people read them, the one place that knows the Danish style.

Danish groups thousands with a point and writes decimals after a comma (``1.234,5``);
English does the opposite (``1,234.5``). Both the calculators' Danish sentences and the
app's labels use :func:`format_number`, so the two never drift apart. Machine formats
(CSV cells, JSON) are not display text and are written elsewhere (``indicators.formats``).
"""

from __future__ import annotations

import math

MISSING = "–"  # an en dash marks a missing value
MINUS = "−"  # a real minus sign reads better than a hyphen


def format_number(
    value: float | None,
    decimals: int,
    lang: str = "da",
    signed: bool = False,
    trim_zeros: bool = False,
) -> str:
    """``1234.5`` → ``1.234,5`` (Danish, any ``lang`` but ``"en"``) or ``1,234.5`` (English).

    ``signed`` writes a plus sign on positive numbers; ``trim_zeros`` drops trailing zeros
    of the decimals (``40.0`` → ``40``, ``2.10`` → ``2,1``). A missing value is an en dash.

    >>> format_number(-1234.5, 1)
    '−1.234,5'
    >>> format_number(2.5, 2, "en", signed=True)
    '+2.50'
    >>> format_number(40.0, 2, trim_zeros=True)
    '40'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{value:{'+' if signed else ''},.{decimals}f}"
    if trim_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    if lang != "en":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text.replace("-", MINUS)
