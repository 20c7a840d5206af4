"""Statbank CSV exports (KK Statistikbank, DST StatBank) turned into counts by a mapping file.

A statbank export is semicolon-separated UTF-8 (usually with a BOM), one row per
combination of its dimensions, the figure in ``INDHOLD``::

    OMRKK;ENHED;TID;INDHOLD
    Bydel - Nørrebro;Beboere 18-64 år;2024;52311
    Bydel - Nørrebro;Uden for arbejde og uddannelse 18-64 år;2024;6120

A *mapping* (YAML, see ``data/mappings/kk_statistikbank_example.yaml``) says which rows
feed which criterion's numerator and denominator (``where`` conditions on the dimension
columns; several matching rows are summed), how the statbank's area labels map to KEOB
area codes, and how to read the time and the figures. Suppressed figures (``..``) are
skipped and counted, never imported as 0.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from indicators.importers.candidates import ParsedFile
from indicators.importers.errors import InputError, Problem, fail
from indicators.importers.text import check_header, decode_utf8, read_records
from indicators.importers.values import parse_count, problems_where

PARTS = ("numerator", "denominator")
_MAPPING_KEYS = {
    "source",
    "table",
    "description",
    "delimiter",
    "encoding",
    "decimal",
    "columns",
    "time_pattern",
    "time_other",
    "missing_values",
    "zero_values",
    "areas",
    "ignore_areas",
    "area_patterns",
    "ignore_area_patterns",
    "criteria",
}
#: Statbank markers for a figure that is not there: suppressed for confidentiality or too
#: uncertain (".."), not available (".", and the PC-Axis "..." to "......"), or empty.
DEFAULT_MISSING = ("..", ".", "...", "....", ".....", "......", "")
#: The PC-Axis / StatBank "nil" marker: the figure is exactly 0 (PX keyword DATASYMBOLNIL).
DEFAULT_ZERO = ("-",)
#: Suppressed cells named in the import's note (the rest are counted).
_SHOWN_SUPPRESSED = 10
_ENCODINGS = {"utf-8", "utf-8-sig", "cp1252", "windows-1252", "latin-1", "iso-8859-1"}


@dataclass(frozen=True)
class PartRule:
    """Rows feeding one side of a criterion: ``where`` conditions, or a constant."""

    where: dict[str, tuple[str, ...]] = field(default_factory=dict)
    constant: float | None = None

    def describe(self) -> str:
        if self.constant is not None:
            return f"the constant {self.constant:g}"
        return " and ".join(f"{k} = {' or '.join(v)}" for k, v in self.where.items())


@dataclass(frozen=True)
class StatbankMapping:
    """A validated mapping file."""

    name: str
    checksum: str
    source: str | None
    delimiter: str
    encoding: str
    decimal: str
    area_column: str
    time_column: str
    value_column: str
    time_pattern: re.Pattern[str]
    time_other: str
    missing_values: frozenset[str]
    areas: dict[str, str]
    ignore_areas: frozenset[str]
    area_patterns: tuple[tuple[re.Pattern[str], str], ...]
    criteria: dict[str, dict[str, PartRule]]
    ignore_area_patterns: tuple[re.Pattern[str], ...] = ()
    #: Markers that mean "nil": read as the figure 0 (DST/PC-Axis "-").
    zero_values: frozenset[str] = frozenset()

    def area_code(self, label: str) -> str | None:
        """KEOB code for a statbank area label; '' when ignored; None when not covered."""
        if label in self.areas:
            return self.areas[label]
        if label in self.ignore_areas:
            return ""
        for pattern, template in self.area_patterns:
            m = pattern.fullmatch(label)
            if m:
                groups = ["" if g is None else g for g in m.groups()]
                return template.format(m.group(0), *groups, **m.groupdict(default=""))
        if any(p.search(label) for p in self.ignore_area_patterns):
            return ""
        return None


def load_mapping(path: str | Path, criteria: Iterable[str]) -> StatbankMapping:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(
            path.name, None, None, None, f"a readable mapping file ({exc.strerror})"
        ) from None
    return parse_mapping(data, path.name, criteria)


def parse_mapping(data: bytes, name: str, criteria: Iterable[str]) -> StatbankMapping:
    """Validate a mapping document; raise InputError naming the key that is wrong."""
    text = decode_utf8(data, name, delimiter=":")
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise fail(name, line, None, None, f"valid YAML ({problem})") from None
    if not isinstance(doc, dict):
        raise fail(name, None, None, None, "a YAML mapping with the keys columns, areas, criteria")
    problems: list[Problem] = []

    def bad(key: str, value: Any, expected: str) -> None:
        shown = None if value is None else str(value)
        problems.append(Problem(name, None, key, shown, expected))

    for key in sorted(set(map(str, doc)) - _MAPPING_KEYS):
        bad(key, key, f"one of the keys {', '.join(sorted(_MAPPING_KEYS))}")
    delimiter = str(doc.get("delimiter", ";"))
    if len(delimiter) != 1 or delimiter in '"\r\n':
        bad("delimiter", delimiter, "one character such as ; or ,")
        delimiter = ";"
    encoding = str(doc.get("encoding", "utf-8")).lower()
    if encoding not in _ENCODINGS:
        bad("encoding", encoding, f"one of {', '.join(sorted(_ENCODINGS))}")
        encoding = "utf-8"
    decimal = str(doc.get("decimal", ","))
    if decimal not in {",", "."}:
        bad("decimal", decimal, "',' or '.'")
        decimal = ","
    if decimal == delimiter:
        bad("decimal", decimal, "a decimal mark different from the delimiter")
    columns = doc.get("columns", {})
    if not isinstance(columns, dict):
        bad("columns", columns, "a mapping with area, time and value column names")
        columns = {}
    area_col = str(columns.get("area", "OMRKK")).strip()
    time_col = str(columns.get("time", "TID")).strip()
    value_col = str(columns.get("value", "INDHOLD")).strip()
    for key in set(map(str, columns)) - {"area", "time", "value"}:
        bad(f"columns.{key}", key, "only the keys area, time and value")
    time_text = str(doc.get("time_pattern", r"^(\d{4})$"))
    try:
        time_pattern = _compile(time_text)
        if time_pattern.groups < 1:
            bad("time_pattern", time_text, "a regular expression with one group (the year)")
    except re.error as exc:
        bad("time_pattern", time_text, f"a valid regular expression ({exc})")
        time_pattern = re.compile(r"^(\d{4})$")
    time_other = str(doc.get("time_other", "error"))
    if time_other not in {"error", "skip"}:
        bad("time_other", time_other, "error or skip")
    missing = doc.get("missing_values", list(DEFAULT_MISSING))
    if not isinstance(missing, list):
        bad("missing_values", missing, "a list of markers such as '..'")
        missing = []
    # A marker listed under missing_values stays missing (older mappings list "-" there);
    # only markers given under both keys contradict each other.
    missing_markers = {str(m).strip() for m in missing}
    zeros = doc.get("zero_values", [z for z in DEFAULT_ZERO if z not in missing_markers])
    if not isinstance(zeros, list):
        bad("zero_values", zeros, "a list of markers such as '-'")
        zeros = []
    for marker in sorted(missing_markers & {str(z).strip() for z in zeros}):
        bad("zero_values", marker, "markers not also listed under missing_values")
    areas_doc = doc.get("areas", {}) or {}
    areas: dict[str, str] = {}
    if not isinstance(areas_doc, dict):
        bad("areas", areas_doc, "a mapping from statbank area label to KEOB area code")
    else:
        for label, code in areas_doc.items():
            if not isinstance(code, str | int) or not str(code).strip():
                bad(f"areas.{label}", code, "a KEOB area code such as B3 or R101")
            else:
                areas[str(label).strip()] = str(code).strip()
    ignore = doc.get("ignore_areas", []) or []
    if not isinstance(ignore, list):
        bad("ignore_areas", ignore, "a list of statbank area labels")
        ignore = []
    patterns: list[tuple[re.Pattern[str], str]] = []
    pattern_doc = doc.get("area_patterns", []) or []
    if not isinstance(pattern_doc, list):
        bad("area_patterns", pattern_doc, "a list of {pattern: REGEX, code: TEMPLATE}")
        pattern_doc = []
    for i, item in enumerate(pattern_doc):
        if not isinstance(item, dict) or set(item) != {"pattern", "code"}:
            bad(f"area_patterns[{i}]", item, "a mapping with the keys pattern and code")
            continue
        try:
            compiled = _compile(str(item["pattern"]))
            dummy = ["x"] * (compiled.groups + 1)
            str(item["code"]).format(*dummy, **dict.fromkeys(compiled.groupindex, "x"))
            patterns.append((compiled, str(item["code"])))
        except (IndexError, KeyError, ValueError) as exc:
            bad(
                f"area_patterns[{i}].code",
                item["code"],
                f"a code template using {{1}}, {{2}} ... for the pattern's groups ({exc!r})",
            )
        except re.error as exc:
            bad(
                f"area_patterns[{i}].pattern",
                item["pattern"],
                f"a valid regular expression ({exc})",
            )
    ignore_patterns: list[re.Pattern[str]] = []
    ignore_doc = doc.get("ignore_area_patterns", []) or []
    if not isinstance(ignore_doc, list):
        bad("ignore_area_patterns", ignore_doc, "a list of regular expressions")
        ignore_doc = []
    for i, item in enumerate(ignore_doc):
        try:
            ignore_patterns.append(_compile(str(item)))
        except re.error as exc:
            bad(f"ignore_area_patterns[{i}]", item, f"a valid regular expression ({exc})")
    if not areas and not patterns:
        bad("areas", None, "at least one statbank area label mapped to a KEOB area code")

    known = list(criteria)
    crit_doc = doc.get("criteria")
    rules: dict[str, dict[str, PartRule]] = {}
    if not isinstance(crit_doc, dict) or not crit_doc:
        bad("criteria", crit_doc, "a mapping from criterion code to its numerator and denominator")
        crit_doc = {}
    for code, entry in crit_doc.items():
        where = f"criteria.{code}"
        if code not in known:
            bad(where, code, f"a criterion code from the registry: {', '.join(known)}")
            continue
        if not isinstance(entry, dict) or set(entry) - {"numerator", "denominator", "table"}:
            bad(where, entry, "a mapping with numerator and denominator (and optionally table)")
            continue
        parts: dict[str, PartRule] = {}
        for part in PARTS:
            rule = _part_rule(entry.get(part), f"{where}.{part}", bad)
            if rule is not None:
                parts[part] = rule
        if len(parts) == 2:
            rules[str(code)] = parts
    if problems:
        raise InputError(problems)
    return StatbankMapping(
        name=name,
        checksum=hashlib.sha256(data).hexdigest(),
        source=str(doc["source"]) if doc.get("source") else None,
        delimiter=delimiter,
        encoding=encoding,
        decimal=decimal,
        area_column=area_col,
        time_column=time_col,
        value_column=value_col,
        time_pattern=time_pattern,
        time_other=time_other,
        missing_values=frozenset(str(m).strip() for m in missing),
        zero_values=frozenset(str(z).strip() for z in zeros),
        areas=areas,
        ignore_areas=frozenset(str(x).strip() for x in ignore),
        area_patterns=tuple(patterns),
        criteria=rules,
        ignore_area_patterns=tuple(ignore_patterns),
    )


def _part_rule(entry: Any, where: str, bad) -> PartRule | None:  # type: ignore[no-untyped-def]
    if not isinstance(entry, dict):
        bad(where, entry, "a mapping with 'where: {COLUMN: value}' or 'constant: NUMBER'")
        return None
    if set(entry) == {"constant"}:
        value = entry["constant"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            bad(f"{where}.constant", value, "a number above 0")
            return None
        return PartRule(constant=float(value))
    if set(entry) != {"where"} or not isinstance(entry["where"], dict) or not entry["where"]:
        bad(where, entry, "a mapping with 'where: {COLUMN: value}' or 'constant: NUMBER'")
        return None
    conditions: dict[str, tuple[str, ...]] = {}
    for column, values in entry["where"].items():
        items = values if isinstance(values, list) else [values]
        if not items or any(isinstance(v, dict | list) or v is None for v in items):
            bad(f"{where}.where.{column}", values, "a value or a list of values")
            return None
        conditions[str(column).strip()] = tuple(str(v).strip() for v in items)
    return PartRule(where=conditions)


def read_statbank(
    path: str | Path, mapping: StatbankMapping, *, label: str | None = None
) -> ParsedFile:
    path = Path(path)
    return parse_statbank(path.read_bytes(), label or path.name, mapping)


def parse_statbank(data: bytes, file: str, mapping: StatbankMapping) -> ParsedFile:
    """Turn a statbank export into candidate observations with the mapping's rules."""
    text = _decode(data, file, mapping)
    area_col, time_col, value_col = mapping.area_column, mapping.time_column, mapping.value_column
    expected_header = mapping.delimiter.join([area_col, "...", time_col, value_col])
    records = read_records(text, file, delimiter=mapping.delimiter, expected_header=expected_header)
    header = records.header
    used = {c for parts in mapping.criteria.values() for r in parts.values() for c in r.where}
    present = set(header)
    optional = tuple(sorted(present - {area_col, time_col, value_col}))
    positions = check_header(
        [h.strip() for h in header],
        file,
        required=(area_col.lower(), time_col.lower(), value_col.lower()),
        optional=tuple(o.lower() for o in optional),
        delimiter=mapping.delimiter,
    )
    names = {h.strip().lower(): h.strip() for h in header}
    applicable, notes = applicable_criteria(mapping, present)
    if not applicable:
        raise fail(
            file,
            1,
            None,
            mapping.delimiter.join(header),
            f"the columns used by mapping {mapping.name} ({', '.join(sorted(used)) or '-'}) "
            "for at least one criterion",
        )
    if not records.count and not records.problems:
        raise fail(file, 1, None, None, "data rows below the header (the file has only a header)")
    raw = pd.DataFrame(
        {names[n]: [str(v).strip() for v in records.column(pos)] for n, pos in positions.items()},
        dtype=object,
    )
    raw["file"] = file
    raw["line"] = records.lines
    return table_candidates(
        raw,
        file,
        mapping,
        applicable,
        notes=notes,
        problems=list(records.problems),
        rows_in_file=records.count + len(records.problems),
        source_format="statbank",
    )


def applicable_criteria(
    mapping: StatbankMapping, present: Iterable[str]
) -> tuple[dict[str, dict[str, PartRule]], list[str]]:
    """The mapping's criteria whose ``where`` columns are all ``present``, and notes on the rest."""
    present = set(present)
    notes: list[str] = []
    applicable: dict[str, dict[str, PartRule]] = {}
    for code, parts in mapping.criteria.items():
        missing = sorted({c for r in parts.values() for c in r.where} - present)
        if missing:
            notes.append(f"{code}: not in this file (no column {', '.join(missing)})")
        else:
            applicable[code] = parts
    return applicable, notes


def table_candidates(
    raw: pd.DataFrame,
    file: str,
    mapping: StatbankMapping,
    applicable: dict[str, dict[str, PartRule]],
    *,
    notes: list[str],
    problems: list[Problem],
    rows_in_file: int,
    source_format: str,
    describe: Callable[[int], str] | None = None,
) -> ParsedFile:
    """Candidate observations from a statbank table in long form, whatever its file format.

    ``raw`` has one text column per dimension (named as in the mapping), the figure in
    the mapping's value column, and ``file`` and ``line`` (a line of a CSV export, a cell
    of a PX or JSON-stat cube). ``describe(line)`` names a row in the note on suppressed
    figures.
    """
    area_col, time_col, value_col = mapping.area_column, mapping.time_column, mapping.value_column
    notes = list(notes)
    problems = list(problems)

    # Which rows feed which criterion side.
    feeds: list[tuple[str, str, np.ndarray]] = []
    selected = np.zeros(len(raw), dtype=bool)
    for code, parts in applicable.items():
        for part, rule in parts.items():
            if rule.constant is not None:
                continue
            mask = np.ones(len(raw), dtype=bool)
            for column, values in rule.where.items():
                mask &= raw[column].isin(values).to_numpy()
            if not mask.any():
                notes.append(f"{code}: no row has {rule.describe()} ({part})")
            feeds.append((code, part, mask))
            selected |= mask
    if not selected.any():
        raise fail(
            file,
            None,
            None,
            None,
            f"rows matching the mapping {mapping.name} "
            + "; ".join(
                f"{c} {p}: {r.describe()}" for c, ps in applicable.items() for p, r in ps.items()
            ),
        )

    # Area labels -> codes.
    labels = raw[area_col]
    lookup = {lab: mapping.area_code(lab) for lab in labels[selected].unique()}
    codes = labels.map(lookup)
    uncovered = selected & codes.isna().to_numpy()
    problems += problems_where(
        uncovered,
        raw,
        area_col,
        f"an area label listed under areas: (or ignore_areas:) in mapping {mapping.name}",
    )
    ignored = selected & (codes == "").to_numpy()
    selected &= ~ignored

    # Time -> year.
    extracted = raw[time_col].str.extract(mapping.time_pattern, expand=False)
    year_text = extracted if isinstance(extracted, pd.Series) else extracted.iloc[:, 0]
    no_match = selected & year_text.isna().to_numpy()
    if mapping.time_other == "skip":
        if no_match.any():
            notes.append(
                f"{int(no_match.sum()):,} row(s) skipped: {time_col} does not match time_pattern"
            )
        selected &= ~no_match
    else:
        problems += problems_where(
            no_match,
            raw,
            time_col,
            f"a time matching time_pattern {mapping.time_pattern.pattern} "
            f"of mapping {mapping.name} (a year such as 2024)",
        )
    years = pd.to_numeric(year_text, errors="coerce")
    out_of_range = selected & ~no_match & ~years.between(1990, 2100).to_numpy()
    problems += problems_where(out_of_range, raw, time_col, "a year between 1990 and 2100")

    # Figures.
    value_text = raw[value_col].fillna("")
    suppressed = selected & value_text.isin(list(mapping.missing_values)).to_numpy()
    nil = selected & value_text.isin(list(mapping.zero_values)).to_numpy()
    check = selected & ~suppressed & ~nil
    numbers, value_problems = parse_count(
        raw[check], value_col, decimal=mapping.decimal, what="figure"
    )
    problems += value_problems
    values = pd.Series(np.nan, index=raw.index)
    values[check] = numbers
    values[nil] = 0.0

    # The same dimensions twice.
    dims = [c for c in raw.columns if c not in {value_col, "file", "line"}]
    twice = selected & raw.duplicated(subset=dims, keep=False).to_numpy()
    if twice.any():
        problems += problems_where(
            twice, raw, area_col, "each combination of dimensions once (this row is repeated)"
        )

    bad_lines = {p.line for p in problems}
    row_bad = raw["line"].isin(list(bad_lines)).to_numpy()
    # Rows with an unknown label or time still group with their partner rows, so a broken
    # row does not also make its partner look lonely; they are never written (``bad``).
    group_codes = codes.where(codes.notna(), "?" + labels.astype(str))
    group_years = years.fillna(-1)
    base = pd.DataFrame(
        {
            "line": raw["line"].to_numpy(),
            "area_code": group_codes.to_numpy(dtype=object),
            "year": group_years.to_numpy(),
            "value": values.to_numpy(),
            "suppressed": suppressed,
            "bad": row_bad,
        }
    )
    frames = []
    skipped_suppressed = 0
    for code, parts in applicable.items():
        sides = {}
        for part, rule in parts.items():
            if rule.constant is not None:
                continue
            mask = next(m for c, p, m in feeds if c == code and p == part) & selected
            grouped = (
                base[mask]
                .groupby(["area_code", "year"])
                .agg(
                    value=("value", "sum"),
                    line=("line", "min"),
                    suppressed=("suppressed", "any"),
                    bad=("bad", "any"),
                )
            )
            sides[part] = grouped
        frame = _combine(code, parts, sides, file, mapping, problems, value_col)
        skipped_suppressed += int(frame.attrs.get("suppressed", 0))
        frames.append(frame)
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    if skipped_suppressed:
        which = ""
        if describe is not None:
            cells = raw.loc[suppressed, "line"].astype(int).tolist()
            shown = "; ".join(describe(c) for c in cells[:_SHOWN_SUPPRESSED])
            more = len(cells) - _SHOWN_SUPPRESSED
            which = f": {shown}" + (f"; and {more:,} more" if more > 0 else "")
        notes.append(
            f"{skipped_suppressed:,} area-year(s) skipped because a figure was suppressed "
            f"({', '.join(sorted(m or 'empty' for m in mapping.missing_values))}){which}"
        )
    if frame.empty:
        frame = pd.DataFrame(
            {
                c: pd.Series(dtype=object)
                for c in ["file", "line", "area_code", "criterion", "source"]
            }
        )
        frame["year"] = pd.Series(dtype="Int64")
        frame["numerator"] = pd.Series(dtype=float)
        frame["denominator"] = pd.Series(dtype=float)
    return ParsedFile(
        file=file,
        frame=frame,
        problems=problems,
        rows_in_file=rows_in_file,
        source_format=source_format,
        notes=notes,
    )


def _combine(  # type: ignore[no-untyped-def]
    code: str,
    parts: dict[str, PartRule],
    sides: dict[str, pd.DataFrame],
    file: str,
    mapping: StatbankMapping,
    problems: list[Problem],
    value_col: str,
) -> pd.DataFrame:
    num_rule, den_rule = parts["numerator"], parts["denominator"]
    if num_rule.constant is not None and den_rule.constant is not None:
        return pd.DataFrame()
    if num_rule.constant is None and den_rule.constant is None:
        joined = (
            sides["numerator"]
            .add_suffix("_num")
            .join(sides["denominator"].add_suffix("_den"), how="outer")
        )
    elif num_rule.constant is None:
        joined = sides["numerator"].add_suffix("_num")
        joined["value_den"] = den_rule.constant
        joined["line_den"] = joined["line_num"]
        joined["suppressed_den"] = False
        joined["bad_den"] = False
    else:
        joined = sides["denominator"].add_suffix("_den")
        joined["value_num"] = num_rule.constant
        joined["line_num"] = joined["line_den"]
        joined["suppressed_num"] = False
        joined["bad_num"] = False
    joined = joined.reset_index()
    for part, other in (("num", "den"), ("den", "num")):
        lonely = joined[f"line_{part}"].isna() & joined[f"line_{other}"].notna()
        rule = num_rule if part == "num" else den_rule
        missing_side = "numerator" if part == "num" else "denominator"
        for line in joined.loc[
            lonely & ~joined[f"bad_{other}"].fillna(False).astype(bool), f"line_{other}"
        ]:
            problems.append(
                Problem(
                    file,
                    int(line),
                    value_col,
                    None,
                    f"a {missing_side} row ({rule.describe()}) for the same area and year "
                    f"for {code}",
                )
            )
    complete = joined["line_num"].notna() & joined["line_den"].notna()
    joined = joined[complete]
    flags = ["bad_num", "bad_den", "suppressed_num", "suppressed_den"]
    for f in flags:
        joined[f] = joined[f].fillna(False).astype(bool)
    suppressed = (joined["suppressed_num"] | joined["suppressed_den"]) & ~(
        joined["bad_num"] | joined["bad_den"]
    )
    keep = ~(joined[flags].any(axis=1))
    out = joined[keep]
    frame = pd.DataFrame(
        {
            "file": file,
            "line": out["line_num"].astype(int).to_numpy(),
            "area_code": out["area_code"].astype(str).to_numpy(),
            "criterion": code,
            "year": pd.array(out["year"].astype(int).to_numpy(), dtype="Int64"),
            "numerator": out["value_num"].astype(float).to_numpy(),
            "denominator": out["value_den"].astype(float).to_numpy(),
            "source": mapping.source or f"{file} (mapping {mapping.name})",
        }
    )
    frame.attrs["suppressed"] = int(suppressed.sum())
    return frame


def _decode(data: bytes, file: str, mapping: StatbankMapping) -> str:
    if mapping.encoding in {"utf-8", "utf-8-sig"}:
        return decode_utf8(data, file, delimiter=mapping.delimiter)
    try:
        return data.decode(mapping.encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise fail(
            file,
            line,
            None,
            f"byte 0x{data[exc.start : exc.start + 1].hex()}",
            f"text in {mapping.encoding} as the mapping says",
        ) from None


def _compile(pattern: str) -> re.Pattern[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # e.g. FutureWarning "possible nested set"
        return re.compile(pattern)
