"""Candidate observations from any parser, and the checks they share before anything is written.

Every parser (long CSV, statbank) turns a file into a :class:`ParsedFile`: a frame of
typed candidate observations (``file, line, area_code, criterion, year, numerator,
denominator, source``) plus the problems it found. :func:`validate_observations` then
checks them against the registry and the store's areas, and across files, and splits
them into the rows to write and the problems (each naming file, line, column, value and
what was expected).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from indicators.importers.errors import Problem
from indicators.importers.values import problems_where
from indicators.registry import Indicator

KEY = ["area_code", "criterion", "year"]
CANDIDATE_COLUMNS = [
    "file",
    "line",
    "area_code",
    "criterion",
    "year",
    "numerator",
    "denominator",
    "source",
]


@dataclass
class ParsedFile:
    """What a parser made of one file."""

    file: str
    frame: pd.DataFrame
    problems: list[Problem]
    rows_in_file: int
    source_format: str
    notes: list[str] = field(default_factory=list)
    #: What ``line`` counts: "line" of a text file, or "cell" of a statistics cube.
    unit: str = "line"
    #: For cubes: cell number -> its dimension values, named in every problem.
    places: Mapping[int, str] | None = None

    def locate(self, problem: Problem) -> Problem:
        """``problem`` with this file's unit and the cell's dimension values."""
        if problem.file != self.file or self.unit == "line" or problem.line is None:
            return problem
        return replace(problem, unit=self.unit, place=(self.places or {}).get(problem.line))


@dataclass
class Validated:
    """Rows that passed every check (store columns) and every problem found."""

    rows: pd.DataFrame  # file, source_line, area_code, indicator, year, numerator, ...
    problems: list[Problem]
    rows_in_file: dict[str, int]

    @property
    def rejected_lines(self) -> int:
        return len({(p.file, p.line) for p in self.problems})


def validate_observations(
    parsed: Sequence[ParsedFile],
    registry: Mapping[str, Indicator],
    known_areas: Mapping[str, str],
) -> Validated:
    """Check candidates against the registry and the store's area codes, and across files.

    Checks: known area code; known criterion; for shares a numerator not above the
    denominator; no numerator above 0 over a denominator of 0; one row per key within a
    file; the same key in two files of one import only with the same counts.
    """
    frames = [p.frame for p in parsed if not p.frame.empty]
    problems: list[Problem] = [q for p in parsed for q in p.problems]
    rows_in_file = {p.file: p.rows_in_file for p in parsed}
    if not frames:
        return Validated(_empty_rows(), [_locate(p, parsed) for p in problems], rows_in_file)
    df = pd.concat(frames, ignore_index=True)

    area = df["area_code"]
    unknown_area = area.notna() & ~area.isin(list(known_areas))
    problems += _unknown_area_problems(df, unknown_area.to_numpy(), known_areas)

    crit = df["criterion"]
    unknown_crit = crit.notna() & ~crit.isin(list(registry))
    codes = ", ".join(registry)
    expected = pd.Series(f"a criterion code from the registry: {codes}", index=df.index)
    lowered = crit.str.lower()
    fixable = unknown_crit & lowered.isin(list(registry))
    expected[fixable] = "a criterion code in lower case: " + lowered[fixable]
    problems += problems_where(unknown_crit, df, "criterion", expected)

    shares = [code for code, ind in registry.items() if ind.unit == "pct"]
    is_share = crit.isin(shares)
    num, den = df["numerator"], df["denominator"]
    over = (is_share & (num > den) & (den > 0)).to_numpy(dtype=bool)
    if over.any():
        expected = pd.Series("", index=df.index, dtype=object)
        expected[over] = [
            f"a numerator not above the denominator ({_fmt(d)}) for a share" for d in den[over]
        ]
        problems += problems_where(over, df, "numerator", expected)
    zero = ((den == 0) & (num > 0)).to_numpy(dtype=bool)
    problems += problems_where(
        zero, df, "denominator", "a denominator above 0 when the numerator is above 0"
    )

    keyed = df["year"].notna() & area.notna() & crit.notna()
    problems += _duplicate_problems(df[keyed])

    ok = keyed & num.notna() & den.notna()
    bad_lines: dict[str, set[int]] = {}
    for p in problems:
        if p.line is not None:
            bad_lines.setdefault(p.file, set()).add(p.line)
    for file, lines in bad_lines.items():
        ok &= ~((df["file"] == file) & df["line"].isin(list(lines)))
    good = df[ok]
    # The same key in two files with identical counts: keep the first file's row.
    good = good.drop_duplicates(subset=KEY, keep="first")
    rows = pd.DataFrame(
        {
            "file": good["file"].to_numpy(),
            "source_line": good["line"].astype(int).to_numpy(),
            "area_code": good["area_code"].astype(str).to_numpy(),
            "indicator": good["criterion"].astype(str).to_numpy(),
            "year": good["year"].astype(int).to_numpy(),
            "numerator": good["numerator"].astype(float).to_numpy(),
            "denominator": good["denominator"].astype(float).to_numpy(),
            "source": good["source"].to_numpy(dtype=object),
        }
    )
    located = [_locate(p, parsed) for p in problems]
    return Validated(rows.reset_index(drop=True), sorted(located, key=_order), rows_in_file)


def _locate(problem: Problem, parsed: Sequence[ParsedFile]) -> Problem:
    for p in parsed:
        if p.file == problem.file:
            return p.locate(problem)
    return problem


def _order(p: Problem) -> tuple:
    return (p.file, p.line if p.line is not None else -1, p.column or "")


def _fmt(x: float) -> str:
    return f"{x:.15g}"


def _empty_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": pd.Series(dtype=object),
            "source_line": pd.Series(dtype=int),
            "area_code": pd.Series(dtype=object),
            "indicator": pd.Series(dtype=object),
            "year": pd.Series(dtype=int),
            "numerator": pd.Series(dtype=float),
            "denominator": pd.Series(dtype=float),
            "source": pd.Series(dtype=object),
        }
    )


def _unknown_area_problems(
    df: pd.DataFrame, mask: np.ndarray, known_areas: Mapping[str, str]
) -> list[Problem]:
    if not mask.any():
        return []
    if not known_areas:
        hint = (
            "an area code in the store (the store has no areas: run keob seed or keob import areas)"
        )
        return problems_where(mask, df, "area_code", hint)
    unknown = df.loc[mask, "area_code"]
    hints: dict[str, str] = {}
    candidates = list(known_areas)
    for code in unknown.unique()[:50]:
        guess = difflib.get_close_matches(str(code), candidates, n=1, cutoff=0.75)
        hints[code] = f' (did you mean "{guess[0]}"?)' if guess else ""
    expected = unknown.map(
        lambda c: "an area code in the store" + hints.get(c, "") + " (new areas: keob import areas)"
    )
    full = pd.Series("", index=df.index, dtype=object)
    full[mask] = expected
    return problems_where(mask, df, "area_code", full)


def _duplicate_problems(df: pd.DataFrame) -> list[Problem]:
    problems: list[Problem] = []
    # Within one file: every row of a repeated key is refused (which one is right?).
    within = df.duplicated(subset=["file", *KEY], keep=False)
    if within.any():
        dup = df[within].sort_values("line")
        first_lines = dup.groupby(["file", *KEY], dropna=False)["line"].transform(
            lambda s: ", ".join(str(v) for v in s)
        )
        for f, line, a, c, y, others in zip(
            dup["file"],
            dup["line"],
            dup["area_code"],
            dup["criterion"],
            dup["year"],
            first_lines,
            strict=True,
        ):
            problems.append(
                Problem(
                    f,
                    int(line),
                    None,
                    f"{a},{c},{y}",
                    f"one row per area_code, criterion and year (this key is on lines {others})",
                )
            )
    # Across files: the same key with different counts in two files of one import.
    single = df[~within]
    if single["file"].nunique() > 1:
        counts = single.groupby(KEY)[["numerator", "denominator"]].nunique(dropna=False)
        files = single.groupby(KEY)["file"].nunique()
        conflicting = counts.index[((counts > 1).any(axis=1)) & (files > 1)]
        if len(conflicting):
            clash = single.set_index(KEY).loc[conflicting].reset_index()
            where = clash.groupby(KEY)[["file", "line"]].apply(
                lambda g: "; ".join(
                    f"{f} line {ln}" for f, ln in zip(g["file"], g["line"], strict=True)
                )
            )
            clash = clash.merge(where.rename("where"), left_on=KEY, right_index=True)
            for r in clash.itertuples(index=False):
                problems.append(
                    Problem(
                        r.file,
                        int(r.line),
                        None,
                        f"{r.area_code},{r.criterion},{r.year}: "
                        f"{_fmt(r.numerator)}/{_fmt(r.denominator)}",
                        f"the same counts wherever a key repeats across the files of one import "
                        f"(conflict: {r.where})",
                    )
                )
    return problems
