"""Parser of the state-list inputs CSV (`keob import state-list-inputs`, `state-lists classify`).

Input, UTF-8, comma-separated, one row per boligområde and list year::

    area_id,year,residents,non_western_pct,outside_labour_pct,convicted_pct,national_convicted_pct,basic_education_pct,income_pct_of_region
    mjoelnerparken,2022,1180,74.0,43.0,2.45,0.73,61.5,52.5

Percentages are numbers (42.5 = 42.5 %). ``national_convicted_pct``,
``basic_education_pct`` and ``income_pct_of_region`` may be empty in rows whose rule
set does not use them (2010-2013). Optional columns: ``area_name, byomraade, members,
synthetic, source``. Every bad value is reported with file, line, column, value and what
was expected (:class:`indicators.importers.errors.InputError`, the importers' error
type), and nothing is classified or written.
The classifier's output CSV is written by :mod:`indicators.state_list_csv`.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from indicators import state_lists as sl
from indicators.importers.errors import InputError, Problem, fail
from indicators.importers.text import check_header, decode_utf8, read_records
from indicators.importers.values import parse_count, parse_text, parse_year, problems_where

REQUIRED = sl.INPUT_COLUMNS
OPTIONAL = ("area_name", "byomraade", "members", "synthetic", "source")
HEADER = ",".join(REQUIRED)
#: Shares of a population: at most 100 %. Income relative to the region may exceed it.
SHARES = (
    "non_western_pct",
    "outside_labour_pct",
    "convicted_pct",
    "national_convicted_pct",
    "basic_education_pct",
)
MAX_INCOME_PCT = 1000.0
_TRUE = {"true", "1", "yes", "ja", "sand"}
_FALSE = {"false", "0", "no", "nej", "falsk", ""}

__all__ = ["InputError", "parse_inputs_csv", "read_inputs_csv"]


def read_inputs_csv(
    path: str | Path, rules: sl.Rules | None = None, rule_set: str | None = None
) -> pd.DataFrame:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(path.name, None, None, None, f"a readable file ({exc.strerror})") from exc
    return parse_inputs_csv(data, path.name, rules, rule_set)


def parse_inputs_csv(
    data: bytes, file: str, rules: sl.Rules | None = None, rule_set: str | None = None
) -> pd.DataFrame:
    """Parse and validate; return the classifier's input frame (plus ``line``)."""
    rules = rules or sl.load_rules()
    text = decode_utf8(data, file)
    records = read_records(text, file, delimiter=",", expected_header=HEADER)
    positions = check_header(records.header, file, required=REQUIRED, optional=OPTIONAL)
    if not records.rows and not records.problems:
        raise fail(file, 1, None, None, "data rows below the header (the file has only a header)")
    raw = pd.DataFrame(
        {name: [row[pos] for row in records.rows] for name, pos in positions.items()},
        dtype=object,
    )
    raw["file"] = file
    raw["line"] = records.lines
    problems: list[Problem] = list(records.problems)

    area, p = parse_text(raw, "area_id", max_length=64, what="an area id")
    problems += p
    year, p = parse_year(raw, "year")
    problems += p
    out = pd.DataFrame({"area_id": area, "year": year}, index=raw.index)

    residents, p = parse_count(raw, "residents", what="number of residents")
    problems += p
    fractional = (residents.notna() & (residents % 1 != 0)).to_numpy()
    problems += problems_where(fractional, raw, "residents", "a whole number of residents")
    out["residents"] = residents

    # Which rule set each row uses decides which values it needs.
    years = year.to_numpy(dtype=float, na_value=np.nan)
    if rule_set is not None:
        ids = np.full(len(raw), rule_set, dtype=object)
    else:
        ids = np.full(len(raw), None, dtype=object)
        ok_year = ~np.isnan(years)
        ids[ok_year] = rules.ids_for_years(years[ok_year].astype(int))
        first = min(r.first_year for r in rules.rule_sets.values())
        no_rules = ok_year & pd.isna(ids)
        problems += problems_where(
            no_rules,
            raw,
            "year",
            f"a list year from {first} (the first state list), or --rules to force a rule set",
        )
    for col in sl.INPUT_COLUMNS[3:]:
        blank = raw[col].astype("string").str.strip().fillna("") == ""
        values, col_problems = parse_count(raw, col, what="percentage")
        needed = np.array(
            [rid is not None and col in rules.rule_sets[rid].needs for rid in ids], dtype=bool
        )
        # A blank value the row's rule set does not use is fine.
        blank_ok = blank.to_numpy() & ~needed
        lines_blank = set(raw.loc[blank.to_numpy(), "line"])
        lines_ok = set(raw.loc[blank_ok, "line"])
        rule_of_line = dict(zip(raw["line"], ids, strict=True))
        for q in col_problems:
            if q.line in lines_ok:
                continue
            if q.line in lines_blank:
                q = Problem(
                    q.file,
                    q.line,
                    q.column,
                    q.value,
                    f"a percentage (the {rule_of_line[q.line]} rules use {col}; it is missing)",
                )
            problems.append(q)
        if col in SHARES:
            over = (values > 100).fillna(False).to_numpy()
            problems += problems_where(
                over, raw, col, "a percentage between 0 and 100 (42.5 = 42.5 %)"
            )
        else:
            over = (values > MAX_INCOME_PCT).fillna(False).to_numpy()
            problems += problems_where(
                over, raw, col, f"a percentage of the regional mean below {MAX_INCOME_PCT:.0f}"
            )
        if col == "national_convicted_pct":
            zero = (values == 0).fillna(False).to_numpy() & needed
            problems += problems_where(
                zero, raw, col, "a national average above 0 (the thresholds are multiples of it)"
            )
        out[col] = values

    for col in ("area_name", "byomraade", "members", "source"):
        if col in raw:
            text_values, p = parse_text(raw, col, max_length=500, what="text", required=False)
            problems += p
            out[col] = text_values
    if "synthetic" in raw:
        flag = raw["synthetic"].astype("string").str.strip().str.lower().fillna("")
        bad = ~flag.isin(_TRUE | _FALSE)
        problems += problems_where(bad.to_numpy(), raw, "synthetic", "true or false")
        out["synthetic"] = flag.isin(_TRUE).to_numpy()

    key = pd.DataFrame({"a": area, "y": year})
    dup = (key.notna().all(axis=1) & key.duplicated(keep=False)).to_numpy()
    problems += problems_where(dup, raw, "year", "each area_id and year once")
    if problems:
        raise InputError(problems)
    out["year"] = out["year"].astype(int)
    out.insert(0, "line", raw["line"].astype(int).to_numpy())
    return out.reset_index(drop=True)
