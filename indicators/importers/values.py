"""Vectorised typing of text columns; every refused value becomes a Problem."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indicators.importers.errors import Problem

YEAR_MIN, YEAR_MAX = 1990, 2100
YEAR_EXPECTED = f"a whole year between {YEAR_MIN} and {YEAR_MAX}"

_NUMBER_POINT = r"^[+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_NUMBER_COMMA = r"^[+]?(?:\d+(?:,\d*)?|,\d+)$"
_NEGATIVE = r"^-(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$"
#: Above this a count is surely a typo (or an overflow of some other program).
MAX_COUNT = 1e12


def problems_where(
    mask: np.ndarray | pd.Series,
    frame: pd.DataFrame,
    column: str,
    expected: str | pd.Series,
    *,
    label: str | None = None,
    unit: str = "line",
) -> list[Problem]:
    """One Problem per True row of ``mask`` (``frame`` has ``file``, ``line`` and ``column``)."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return []
    sub = frame.loc[mask]
    values = sub[column].tolist() if column in sub else [None] * len(sub)
    texts = expected[mask].tolist() if isinstance(expected, pd.Series) else [expected] * len(sub)
    return [
        Problem(f, int(line), label or column, _shown(v), e, unit)
        for f, line, v, e in zip(sub["file"], sub["line"], values, texts, strict=True)
    ]


def parse_year(
    frame: pd.DataFrame, column: str, *, label: str | None = None
) -> tuple[pd.Series, list[Problem]]:
    """Whole years 1990-2100 (``Int64``, NA where refused) and the problems."""
    text = frame[column].astype("string").str.strip()
    ok = text.str.fullmatch(r"\d{4}").fillna(False).to_numpy(dtype=bool)
    years = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    years[ok] = text[ok].astype(int)
    in_range = ok & (years >= YEAR_MIN).fillna(False).to_numpy(dtype=bool)
    in_range &= (years <= YEAR_MAX).fillna(False).to_numpy(dtype=bool)
    if in_range.all():  # the usual case: no per-row texts to build
        return years, []
    expected = pd.Series(YEAR_EXPECTED, index=frame.index)
    missing = (text.fillna("") == "").to_numpy(dtype=bool)
    expected[missing] = f"{YEAR_EXPECTED} (the year is missing)"
    problems = problems_where(~in_range, frame, column, expected, label=label)
    years[~in_range] = pd.NA
    return years, problems


def parse_count(
    frame: pd.DataFrame,
    column: str,
    *,
    decimal: str = ".",
    label: str | None = None,
    what: str = "number",
) -> tuple[pd.Series, list[Problem]]:
    """Non-negative finite numbers (float, NaN where refused) and the problems."""
    text = frame[column].astype("string").str.strip().fillna("")
    pattern = _NUMBER_POINT if decimal == "." else _NUMBER_COMMA
    ok = text.str.fullmatch(pattern).to_numpy(dtype=bool)
    numbers = pd.Series(np.nan, index=frame.index, dtype=float)
    if ok.any():
        cleaned = text[ok] if decimal == "." else text[ok].str.replace(",", ".", regex=False)
        numbers[ok] = cleaned.astype(float).to_numpy()
    too_big = ok & ~(numbers.abs() <= MAX_COUNT).to_numpy(dtype=bool)
    good = ok & ~too_big
    if good.all():  # the usual case: no per-row texts to build
        return numbers, []
    sep = "point" if decimal == "." else "comma"
    expected = pd.Series(
        f"a {what} of 0 or more, digits with a decimal {sep} (e.g. 12{decimal}5)",
        index=frame.index,
    )
    expected[(text == "").to_numpy(dtype=bool)] = f"a {what} of 0 or more (the value is missing)"
    negative = text.str.fullmatch(_NEGATIVE).to_numpy(dtype=bool)
    expected[negative] = f"a {what} of 0 or more (negative counts are not possible)"
    if decimal == ".":
        comma = text.str.fullmatch(_NUMBER_COMMA).to_numpy(dtype=bool) & ~ok
        expected[comma] = f"a {what} with a decimal point, not a comma (e.g. 12.5)"
    else:
        point = text.str.fullmatch(_NUMBER_POINT).to_numpy(dtype=bool) & ~ok
        expected[point] = (
            f"a {what} with a decimal comma as the mapping says (decimal: ','), e.g. 12,5"
        )
    expected[too_big] = f"a {what} below {MAX_COUNT:,.0f}"
    problems = problems_where(~good, frame, column, expected, label=label)
    numbers[~good] = np.nan
    return numbers, problems


def parse_text(
    frame: pd.DataFrame,
    column: str,
    *,
    max_length: int,
    what: str,
    required: bool = True,
    label: str | None = None,
) -> tuple[pd.Series, list[Problem]]:
    """Trimmed text (None where empty and optional) and the problems."""
    text = frame[column].astype("string").str.strip().fillna("")
    empty = (text == "").to_numpy(dtype=bool)
    too_long = (text.str.len() > max_length).to_numpy(dtype=bool)
    bad = too_long | empty if required else too_long
    problems: list[Problem] = []
    if bad.any():  # per-row texts only when something is wrong
        expected = pd.Series(f"{what} of at most {max_length} characters", index=frame.index)
        if required:
            expected[empty] = f"{what} (the value is missing)"
        problems = problems_where(bad, frame, column, expected, label=label)
    out = text.astype(object)
    out[empty] = None
    return out, problems


def _shown(value: object) -> str | None:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float):
        return "" if value != value else f"{value:.15g}"
    return str(value)
