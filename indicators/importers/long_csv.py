"""The long CSV format: one row per area, criterion and year, as counts.

::

    area_code,criterion,year,numerator,denominator,source
    R101,arbejdsmarked,2024,412,1873,Danmarks Statistik (BEF5 + RAS)

UTF-8 (a BOM is tolerated), comma-separated, decimals with a point, a header line with
exactly the columns ``area_code, criterion, year, numerator, denominator`` and the
optional ``source`` (any order, names case-insensitive). Quoting follows RFC 4180.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from indicators.importers.candidates import ParsedFile
from indicators.importers.errors import Problem
from indicators.importers.text import check_header, decode_utf8, read_records
from indicators.importers.values import parse_count, parse_text, parse_year

REQUIRED = ("area_code", "criterion", "year", "numerator", "denominator")
OPTIONAL = ("source",)
HEADER = ",".join(REQUIRED)


def read_long_csv(path: str | Path, *, label: str | None = None) -> ParsedFile:
    """Read a long CSV file (see :func:`parse_long_csv`)."""
    path = Path(path)
    return parse_long_csv(path.read_bytes(), label or path.name)


def parse_long_csv(data: bytes, file: str) -> ParsedFile:
    """Parse the bytes of a long CSV into typed candidate observations.

    File-level problems (encoding, empty file, header) raise
    :class:`~indicators.importers.errors.InputError`; problems with single rows are
    collected in the result so that ``--skip-invalid`` can keep the other rows.
    """
    text = decode_utf8(data, file, delimiter=",")
    records = read_records(text, file, delimiter=",", expected_header=HEADER, arrow=True)
    positions = check_header(records.header, file, required=REQUIRED, optional=OPTIONAL)
    problems: list[Problem] = list(records.problems)
    if not records.count and not records.problems:
        from indicators.importers.errors import fail

        raise fail(file, 1, None, None, "data rows below the header (the file has only a header)")

    raw = pd.DataFrame(
        {name: records.column(pos) for name, pos in positions.items()},
    )
    for name in (*REQUIRED, *OPTIONAL):
        if name not in raw:
            raw[name] = ""
    raw["file"] = file
    raw["line"] = records.lines
    area, p1 = parse_text(raw, "area_code", max_length=64, what="an area code")
    criterion, p2 = parse_text(raw, "criterion", max_length=32, what="a criterion code")
    year, p3 = parse_year(raw, "year")
    numerator, p4 = parse_count(raw, "numerator")
    denominator, p5 = parse_count(raw, "denominator")
    source, p6 = parse_text(raw, "source", max_length=500, what="a source", required=False)
    problems += p1 + p2 + p3 + p4 + p5 + p6
    frame = pd.DataFrame(
        {
            "file": file,
            "line": raw["line"].astype(int),
            "area_code": area,
            "criterion": criterion,
            "year": year,
            "numerator": numerator,
            "denominator": denominator,
            "source": source,
        }
    )
    return ParsedFile(
        file=file,
        frame=frame,
        problems=problems,
        rows_in_file=records.count + len(records.problems),
        source_format="long",
    )
