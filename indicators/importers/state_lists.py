"""State-list memberships: which areas were on which list, per list year.

::

    area_code,list_year,category
    A1-23,2024,forebyggelse

``category`` is one of ``udsat, parallelsamfund, omdannelse, forebyggelse`` (the lists
since 2021) or ``ghetto, haard_ghetto`` (their names until 2020). Danish spellings such
as "hårdt ghettoområde" or "Forebyggelsesområde" are accepted and normalised. A list
year in the file replaces what the store held for that list year (earlier rows are
retired, not deleted).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from db.models_designations import STATE_LIST_CATEGORIES
from indicators.importers.errors import Problem, fail
from indicators.importers.text import check_header, decode_utf8, read_records
from indicators.importers.values import parse_text, parse_year, problems_where

REQUIRED = ("area_code", "list_year", "category")
OPTIONAL = ("source",)
HEADER = ",".join(REQUIRED)

#: The first list year a category exists in, and the last (L 23 renamed the ghetto
#: categories from the 1 December 2021 lists; forebyggelse came with lov nr. 2157/2021).
CATEGORY_YEARS: dict[str, tuple[int, int]] = {
    "udsat": (1990, 2100),
    "ghetto": (2010, 2020),
    "haard_ghetto": (2018, 2020),
    "parallelsamfund": (2021, 2100),
    "omdannelse": (2021, 2100),
    "forebyggelse": (2021, 2100),
}
_RENAMED = {"ghetto": "parallelsamfund", "haard_ghetto": "omdannelse"}
_ALIASES = {
    "udsat_boligomraade": "udsat",
    "udsatte_boligomraader": "udsat",
    "udsat_omraade": "udsat",
    "parallelsamfundsomraade": "parallelsamfund",
    "omdannelsesomraade": "omdannelse",
    "forebyggelsesomraade": "forebyggelse",
    "ghettoomraade": "ghetto",
    "haard_ghettoomraade": "haard_ghetto",
    "haardt_ghettoomraade": "haard_ghetto",
    "haardt_ghetto": "haard_ghetto",
    "haard_ghetto": "haard_ghetto",
}


def normalise_category(text: str) -> str:
    """'Hårdt ghettoområde' -> 'haard_ghetto'; unknown text is returned normalised."""
    key = unicodedata.normalize("NFC", str(text)).strip().lower()
    key = key.replace("å", "aa").replace("æ", "ae").replace("ø", "oe")
    key = re.sub(r"[\s\-]+", "_", key)
    return _ALIASES.get(key, key)


@dataclass
class StateListFile:
    file: str
    rows: pd.DataFrame  # line, area_code, list_year, category
    problems: list[Problem]
    rows_in_file: int


def read_state_list_csv(
    path: str | Path, known_areas: Mapping[str, str], *, label: str | None = None
) -> StateListFile:
    path = Path(path)
    return parse_state_list_csv(path.read_bytes(), label or path.name, known_areas)


def parse_state_list_csv(data: bytes, file: str, known_areas: Mapping[str, str]) -> StateListFile:
    text = decode_utf8(data, file)
    records = read_records(text, file, delimiter=",", expected_header=HEADER)
    positions = check_header(records.header, file, required=REQUIRED, optional=OPTIONAL)
    if not records.count and not records.problems:
        raise fail(file, 1, None, None, "data rows below the header (the file has only a header)")
    raw = pd.DataFrame(
        {name: records.column(pos) for name, pos in positions.items()},
    )
    raw["file"] = file
    raw["line"] = records.lines
    problems = list(records.problems)
    area, p1 = parse_text(raw, "area_code", max_length=64, what="an area code")
    year, p2 = parse_year(raw, "list_year")
    raw_cat, p3 = parse_text(raw, "category", max_length=64, what="a state-list category")
    problems += p1 + p2 + p3
    category = raw_cat.map(lambda c: normalise_category(c) if c else c)
    unknown_area = (area.notna() & ~area.isin(list(known_areas))).to_numpy()
    problems += problems_where(
        unknown_area, raw, "area_code", "an area code in the store (new areas: keob import areas)"
    )
    known_cat = category.isin(list(STATE_LIST_CATEGORIES))
    problems += problems_where(
        (category.notna() & ~known_cat).to_numpy(),
        raw,
        "category",
        "one of " + ", ".join(STATE_LIST_CATEGORIES),
    )
    wrong_year = pd.Series(False, index=raw.index)
    expected = pd.Series("", index=raw.index, dtype=object)
    for cat, (first, last) in CATEGORY_YEARS.items():
        mask = (category == cat) & year.notna() & ((year < first) | (year > last)).fillna(False)
        if mask.any():
            wrong_year |= mask
            if cat in _RENAMED:
                hint = f"use {_RENAMED[cat]} from the 2021 list on"
            else:
                old = [k for k, v in _RENAMED.items() if v == cat]
                hint = f"before 2021 use {old[0]}" if old else "not before 2021"
            expected[mask] = (
                f"a category that existed in the list year ({cat} {first}-{last}: {hint})"
            )
    problems += problems_where(wrong_year.to_numpy(), raw, "category", expected)
    key = pd.DataFrame({"a": area, "y": year, "c": category})
    dup = key.notna().all(axis=1) & key.duplicated(keep=False)
    problems += problems_where(
        dup.to_numpy(), raw, "area_code", "each area, list year and category once"
    )
    bad = {p.line for p in problems}
    ok = ~raw["line"].isin(list(bad)) & area.notna() & year.notna() & category.notna()
    rows = pd.DataFrame(
        {
            "line": raw.loc[ok, "line"].astype(int),
            "area_code": area[ok].astype(str),
            "list_year": year[ok].astype(int),
            "category": category[ok].astype(str),
        }
    ).reset_index(drop=True)
    return StateListFile(file, rows, problems, records.count + len(records.problems))
