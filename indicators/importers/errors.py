"""The importers' own error type: every problem names file, line, column, value and expected.

A parser or validator never lets a ``ValueError``, ``UnicodeDecodeError`` or
``csv.Error`` escape: it raises :class:`InputError`, which carries one or more
:class:`Problem` records (collected up to a cap, not just the first).

Message format, one line per problem::

    indikatorer_2024.csv, line 4, column year: got "20x0"; expected a whole year 1990-2100

``line`` is the 1-based physical line in the file (the header is line 1); for geometry
files it is the 1-based feature number ("feature 3"), for statistics cubes (PX,
JSON-stat) the 1-based cell number with the cell's dimension values
("cell 7 (OMRÅDE=Bydel - Nørrebro, TID=2024)"). ``column`` is the header name the
value came from, or ``None`` for problems with a whole line or file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: Problems reported in one error (the rejects CSV of --skip-invalid has them all).
DEFAULT_MAX_PROBLEMS = 50
_VALUE_PREVIEW = 60


def preview(value: object, limit: int = _VALUE_PREVIEW) -> str:
    """A short printable form of an offending value (long values and binary are cut)."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        text = value[: limit * 2].hex(" ")
        return text if len(value) <= limit * 2 else text + " …"
    text = str(value)
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text[: limit + 1])
    if len(text) > limit:
        text = text[:limit] + f"… ({len(str(value)):,} characters)"
    return text


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str
    unit: str = field(default="line", compare=False)  # "line", "feature" or "cell"
    #: For a cell of a statistics cube (PX, JSON-stat): its dimension values, which say
    #: more than the cell's number in the file.
    place: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"{self.unit} {self.line}" + (f" ({self.place})" if self.place else ""))
        if self.column:
            where.append(f"column {self.column}")
        got = "empty" if self.value in (None, "") else f'"{preview(self.value)}"'
        if self.value is None and self.column is None:
            return f"{', '.join(where)}: expected {self.expected}"
        return f"{', '.join(where)}: got {got}; expected {self.expected}"

    def as_row(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column or "",
            "value": preview(self.value, 200) if self.value is not None else "",
            "expected": self.expected,
        }


class InputError(ValueError):
    """An input file (or mapping) cannot be imported; nothing was written.

    ``problems`` holds at most ``max_problems`` problems in file/line order; ``total`` is
    how many were found in all. The first problem's fields are also available as
    ``file``, ``line``, ``column``, ``value`` and ``expected``.
    """

    def __init__(
        self,
        problems: Iterable[Problem],
        *,
        total: int | None = None,
        max_problems: int = DEFAULT_MAX_PROBLEMS,
    ) -> None:
        found = sorted(problems, key=_sort_key)
        if not found:
            raise ValueError("InputError needs at least one problem")
        self.total = max(total or 0, len(found))
        self.all_problems: tuple[Problem, ...] = tuple(found)
        self.problems: tuple[Problem, ...] = tuple(found[:max_problems])
        first = self.problems[0]
        self.file, self.line, self.column = first.file, first.line, first.column
        self.value, self.expected = first.value, first.expected
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        hidden = self.total - len(self.problems)
        if hidden > 0:
            lines.append(f"... and {hidden:,} more problem(s) not shown")
        return "\n".join(lines)


def _sort_key(problem: Problem) -> tuple:
    return (problem.file, problem.line if problem.line is not None else -1, problem.column or "")


def fail(
    file: str,
    line: int | None,
    column: str | None,
    value: object,
    expected: str,
    *,
    unit: str = "line",
) -> InputError:
    """An :class:`InputError` with one problem (``raise fail(...)``)."""
    shown = None if value is None else (value if isinstance(value, str) else preview(value))
    return InputError([Problem(file, line, column, shown, expected, unit)])
