"""Reading delimited text safely: UTF-8 decoding and CSV records with their line numbers."""

from __future__ import annotations

import csv
import difflib
import io
import operator
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv

from indicators.importers.errors import Problem, fail, preview

#: Longest field accepted (a 10 MB "line" is refused with its line number, not a crash).
MAX_FIELD_CHARS = 100_000


def decode_utf8(data: bytes, file: str, *, delimiter: str = ",") -> str:
    """Decode UTF-8 (a BOM is allowed and removed); raise InputError naming the first bad byte."""
    if b"\x00" in data:
        at = data.index(b"\x00")
        raise fail(
            file,
            data.count(b"\n", 0, at) + 1,
            None,
            data[max(0, at - 8) : at + 8],
            "a text file (it contains NUL bytes: binary data, or UTF-16; save as UTF-8 CSV)",
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        before = data[line_start : exc.start].decode("utf-8", errors="replace")
        position = before.count(delimiter)
        first_line = data.split(b"\n", 1)[0].decode("utf-8", errors="replace").lstrip("\ufeff")
        names = [n.strip() for n in first_line.split(delimiter)]
        column = names[position] if line > 1 and position < len(names) else f"#{position + 1}"
        bad = data[exc.start : exc.start + 1]
        hint = ""
        if bad and 0x80 <= bad[0] <= 0xFF:
            hint = " (the file looks Latin-1/Windows-1252 encoded: save it as UTF-8)"
        raise fail(
            file,
            line,
            column,
            f"byte 0x{bad.hex()} after {before[-20:]!r}",
            f"UTF-8 text{hint}",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


@dataclass
class Records:
    """The header and the data records of a delimited text, with their line numbers."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    problems: list[Problem]
    # Set by the Arrow fast path instead of ``rows``: one string array per column.
    arrow: list | None = None

    @property
    def count(self) -> int:
        return len(self.lines)

    def column(self, position: int) -> list[str] | pd.Series:
        """The values of one column (position in the header), in record order."""
        if self.arrow is not None:
            return pd.Series(pd.arrays.ArrowStringArray(self.arrow[position]))
        return list(map(operator.itemgetter(position), self.rows))


def read_records(
    text: str, file: str, *, delimiter: str, expected_header: str, arrow: bool = False
) -> Records:
    """Split ``text`` into records; structural problems of data records are collected.

    Raises InputError for an empty file or an unreadable header. Records whose field
    count differs from the header's are reported (not returned). With ``arrow=True`` a
    regular file is read by Arrow's CSV reader and ``Records.rows`` stays empty: use
    :meth:`Records.column` (and ``count``) then.
    """
    if not text.strip():
        raise fail(file, None, None, None, f"a header line {expected_header} (the file is empty)")
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise fail(
            file, line, None, "NUL byte", "text (the file contains binary data; is it a CSV?)"
        )
    fast = (_read_arrow(text, delimiter) if arrow else None) or _split_simple(
        text, file, delimiter, expected_header
    )
    if fast is not None:
        return fast
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        return _read(reader, file, delimiter, expected_header)
    finally:
        csv.field_size_limit(limit)


def _read_arrow(text: str, delimiter: str) -> Records | None:
    """Fastest path, for a regular file: Arrow's C++ CSV reader, all columns as text.

    Only used when record i is certainly line i + 1: no quotes, no blank lines, no lone
    carriage returns, and every record has the header's width (otherwise None, and the
    line-by-line paths find and report the odd lines).
    """
    if '"' in text or "\n\n" in text or text.count("\r") != text.count("\r\n"):
        return None
    body = text.replace("\r\n", "\n") if "\r" in text else text
    if "\n\n" in body:
        return None
    first, _, rest = body.partition("\n")
    if len(first) > MAX_FIELD_CHARS or not rest.strip():
        return None
    header = [h.strip() for h in first.split(delimiter)]
    names = [f"c{i}" for i in range(len(header))]
    odd: list[object] = []

    def invalid(row: object) -> str:
        odd.append(row)
        return "skip"

    try:
        table = pa_csv.read_csv(
            io.BytesIO(rest.encode("utf-8")),
            # Not threaded: a threaded read that stops early (a bad row, an error) can leave
            # a task in Arrow's pool that deadlocks the process's exit (seen in gdb: exit()
            # -> ThreadPool::Shutdown waiting on an AsyncThreadedTableReader), which hung
            # CI after the test verdict and would hang `keob import` after its message.
            read_options=pa_csv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pa_csv.ParseOptions(
                delimiter=delimiter,
                quote_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
                invalid_row_handler=invalid,
            ),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if odd:
        return None
    columns = [table.column(i).combine_chunks() for i in range(len(names))]
    for column in columns:
        if len(column) and pa_compute.max(pa_compute.utf8_length(column)).as_py() > MAX_FIELD_CHARS:
            return None
    return Records(header, [], list(range(2, table.num_rows + 2)), [], arrow=columns)


def _split_simple(text: str, file: str, delimiter: str, expected_header: str) -> Records | None:
    """Fast path for the common file without quotes: split lines and fields in C.

    Returns None when the text needs the full CSV reader (quotes, lone carriage
    returns, very long lines); the results are the same either way.
    """
    if '"' in text or text.count("\r") != text.count("\r\n"):
        return None
    body = text.replace("\r\n", "\n") if "\r" in text else text
    raw = body.split("\n")
    if max(map(len, raw)) > MAX_FIELD_CHARS:
        return None
    header = [h.strip() for h in raw[0].split(delimiter)]
    width = len(header)
    split = [line.split(delimiter) for line in raw[1:]]
    widths = np.fromiter(map(len, split), dtype=np.int64, count=len(split))
    odd = np.flatnonzero(widths != width)
    problems: list[Problem] = []
    skip = set()
    for i in odd.tolist():
        row = split[i]
        skip.add(i)
        if len(row) == 1 and not row[0].strip():
            continue  # blank line
        problems.append(
            Problem(
                file, i + 2, None, delimiter.join(row), _width_hint(row, width, header, delimiter)
            )
        )
    if skip:
        keep = [i for i in range(len(split)) if i not in skip]
        rows = [split[i] for i in keep]
        lines = [i + 2 for i in keep]
    else:
        rows, lines = split, list(range(2, len(split) + 2))
    return Records(header, rows, lines, problems)


def _read(reader, file: str, delimiter: str, expected_header: str) -> Records:  # type: ignore[no-untyped-def]
    try:
        header = next(reader)
    except csv.Error as exc:
        raise fail(file, 1, None, None, f"a header line {expected_header} ({exc})") from None
    except StopIteration:
        raise fail(file, None, None, None, f"a header line {expected_header}") from None
    header = [h.strip() for h in header]
    width = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    last_line = reader.line_num
    iterator: Iterator[list[str]] = iter(reader)
    while True:
        start = last_line + 1
        try:
            row = next(iterator)
        except StopIteration:
            break
        except csv.Error as exc:
            if reader.line_num == last_line:  # no progress: give up on the rest
                problems.append(Problem(file, start, None, None, f"a readable record ({exc})"))
                break
            last_line = reader.line_num
            problems.append(Problem(file, start, None, None, f"a readable record ({exc})"))
            continue
        last_line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line
        if len(row) != width:
            problems.append(
                Problem(
                    file,
                    start,
                    None,
                    delimiter.join(row),
                    _width_hint(row, width, header, delimiter),
                )
            )
            continue
        rows.append(row)
        lines.append(start)
    return Records(header, rows, lines, problems)


def _width_hint(row: list[str], width: int, header: list[str], delimiter: str) -> str:
    sep = {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))
    text = f"{width} {sep}-separated fields ({delimiter.join(header)}), found {len(row)}"
    if len(row) > width and delimiter == "," and any(f.strip().isdigit() for f in row[1:]):
        text += " (a decimal comma? write decimals with a point, e.g. 12.5)"
    elif len(row) < width:
        text += " (is the line cut short?)"
    return text


def check_header(
    header: list[str],
    file: str,
    *,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
    delimiter: str = ",",
) -> dict[str, int]:
    """Map column name -> position; raise InputError on missing, unknown or repeated names."""
    wanted = ", ".join(required)
    names = [h.strip().lower() for h in header]
    joined = delimiter.join(header)
    if len(names) == 1:
        for other, label in ((";", "semicolon"), ("\t", "tab"), (",", "comma")):
            if other != delimiter and other in names[0]:
                raise fail(
                    file,
                    1,
                    None,
                    joined,
                    f"a {_sep_name(delimiter)}-separated header ({delimiter.join(required)}); "
                    f"this file looks {label}-separated",
                )
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    known = set(required) | set(optional)
    for position, name in enumerate(names):
        if name in seen:
            problems.append(
                Problem(file, 1, name, name, f"each column once (also column #{seen[name] + 1})")
            )
            continue
        seen[name] = position
        if name not in known:
            guess = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
            hint = f' (did you mean "{guess[0]}"?)' if guess else ""
            if not name:
                expected = f"a column name (only {', '.join(sorted(known))} are known)"
            else:
                expected = f"one of the columns {', '.join(sorted(known))}{hint}"
            problems.append(Problem(file, 1, f"#{position + 1}", name, expected))
    missing = [c for c in required if c not in seen]
    if missing:
        looks_like_data = any(_is_number(n) for n in names)
        hint = " (line 1 looks like data: the header line is missing)" if looks_like_data else ""
        problems.append(
            Problem(
                file,
                1,
                None,
                preview(joined),
                f"the column(s) {', '.join(missing)} in the header (required: {wanted}){hint}",
            )
        )
    if problems:
        from indicators.importers.errors import InputError

        raise InputError(problems)
    return seen


def _sep_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True
