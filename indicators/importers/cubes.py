"""Statistics cubes - PC-Axis (.px) and JSON-stat 2.0 (.json) - read through a statbank mapping.

KK Statistikbank and DST's StatBank serve a table as a *cube*: its dimensions (area,
time, the measure ...) each with a list of values, and one figure per combination of
values (a *cell*), the last dimension varying fastest. Both readers turn a cube into
the long table a statbank CSV export holds (one column per dimension, the figure in the
mapping's value column) and hand it to :func:`~indicators.importers.statbank.table_candidates`,
so the same mapping file gives the same observations from CSV, PX and JSON-stat.

* PX: pyaxis splits the keywords and builds the cells (its lower layer:
  ``pyaxis.pyaxis.parse`` opens the file itself with one fixed encoding, while a PX file
  declares its own in ``CODEPAGE``, and it would log to the root logger on import). The
  file is decoded strictly in its declared code page (windows-1252, iso-8859-1 or
  utf-8); without one, as UTF-8 when it is valid UTF-8 and windows-1252 otherwise.
* JSON-stat 2.0: pyjstat reads the dimensions' categories and the values. A ``null``
  value is read as its ``status`` symbol (e.g. ``".."``), or as missing without one.

Dimensions are matched to the mapping's columns by their code (PX ``VARIABLECODE``,
JSON-stat ``id``) or name, ignoring case. A dimension the mapping does not use and that
has more than one value stops the import: its values would otherwise be summed.
Problems name the cell by number and dimension values ("cell 7 (OMRÅDE=..., TID=2024)").
"""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import math
import re
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd
from pyaxis.data_processing import build_dataframe, get_dimensions
from pyaxis.metadata_processing import (
    metadata_extract,
    metadata_split_to_dict,
    multilingual_parse,
)
from pyjstat import pyjstat

from indicators.importers.candidates import ParsedFile
from indicators.importers.errors import InputError, Problem, fail
from indicators.importers.statbank import (
    StatbankMapping,
    applicable_criteria,
    table_candidates,
)

_CODEPAGE = re.compile(rb'CODEPAGE\s*=\s*"([^"]*)"', re.IGNORECASE)
_FIGURE = "figure"
#: build_dataframe's markers for "null" and "suppressed" cells: none, so that every cell
#: keeps its own symbol and the mapping decides what it means.
_NO_MARKER = r"(?!)"


@dataclass(frozen=True)
class Dimension:
    """One dimension of a cube."""

    code: str  # PX VARIABLECODE (or the variable's name), JSON-stat id
    name: str  # PX variable name, JSON-stat label
    values: tuple[str, ...]


@dataclass(frozen=True)
class Cube:
    """A cube in long form: one column per dimension (by code) and ``figure`` (its text)."""

    dimensions: tuple[Dimension, ...]
    cells: pd.DataFrame


def read_px(path: str | Path, mapping: StatbankMapping | None, label: str) -> ParsedFile:
    """A PC-Axis file (KK Statistikbank / DST StatBank), read through its ``mapping``."""
    return cube_candidates(parse_px(Path(path).read_bytes(), label), label, mapping, "px")


def read_jsonstat(path: str | Path, mapping: StatbankMapping | None, label: str) -> ParsedFile:
    """A JSON-stat 2.0 dataset (DST StatBank API), read through its ``mapping``."""
    cube = parse_jsonstat(Path(path).read_bytes(), label)
    return cube_candidates(cube, label, mapping, "jsonstat")


def parse_px(data: bytes, file: str) -> Cube:
    """The cube of a PX file; InputError for an undecodable or malformed file."""
    text = _decode(data, file, _px_encoding(data, file), "as its CODEPAGE says")
    if re.search(r"^\s*KEYS\s*\(", text, re.MULTILINE):
        raise fail(file, None, "KEYS", None, "a PX file without KEYS (save the whole table)")
    try:
        elements, raw_data = metadata_extract(text)
        # multilingual_parse prints a line for multilingual files.
        with contextlib.redirect_stdout(io.StringIO()):
            metadata, _ = multilingual_parse(metadata_split_to_dict(elements), None)
        names, members = get_dimensions(metadata)
    except KeyError as exc:
        raise fail(file, None, None, None, f"a VALUES keyword for the variable {exc}") from None
    except (ValueError, IndexError, TypeError) as exc:
        raise fail(
            file, None, None, None, f"a PC-Axis file with one DATA keyword at the end ({exc})"
        ) from None
    if not names:
        raise fail(file, None, None, None, "a PC-Axis file with STUB or HEADING variables")
    # The PX format separates cells by spaces, tabs or commas (pyaxis splits at spaces
    # only) and writes the symbols in quotes ("..", "-").
    tokens = [t.strip('"') for t in re.split(r"[\s,]+", raw_data) if t.strip()]
    dimensions = tuple(
        Dimension(_variable_code(metadata, name), name, tuple(values))
        for name, values in zip(names, members, strict=True)
    )
    _check_size(file, dimensions, len(tokens), "DATA")
    frame = build_dataframe(names, members, pd.Series(tokens, dtype=object), _NO_MARKER, _NO_MARKER)
    frame.columns = [d.code for d in dimensions] + [_FIGURE]
    return Cube(dimensions, frame)


def parse_jsonstat(data: bytes, file: str) -> Cube:
    """The cube of a JSON-stat 2.0 dataset; InputError for an unreadable one."""
    text = _decode(data, file, "utf-8-sig", "as JSON must be")
    try:
        doc = json.loads(text, object_pairs_hook=OrderedDict)
    except json.JSONDecodeError as exc:
        raise fail(file, exc.lineno, None, None, f"valid JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or doc.get("class") != "dataset" or not _version_2(doc):
        raise fail(
            file, None, None, None, 'a JSON-stat 2.0 dataset ("version": "2.0", "class": "dataset")'
        )
    try:
        dimensions = tuple(
            Dimension(
                str(dim),
                str(doc["dimension"][dim].get("label") or dim),
                tuple(str(v) for v in pyjstat.get_dim_label(doc, dim)["label"]),
            )
            for dim in doc["id"]
        )
        values = pyjstat.get_values(doc)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise fail(
            file,
            None,
            None,
            None,
            f"a JSON-stat 2.0 dataset with id, dimension and value ({exc!r})",
        ) from None
    _check_size(file, dimensions, len(values), "value")
    status = _statuses(doc.get("status"), len(values))
    rows = [list(r) for r in pyjstat.get_df_row([_labels(d) for d in dimensions], "label")]
    frame = pd.DataFrame(rows, columns=[d.code for d in dimensions], dtype=object)
    frame[_FIGURE] = [_figure(v, s) for v, s in zip(values, status, strict=True)]
    return Cube(dimensions, frame)


def cube_candidates(
    cube: Cube, file: str, mapping: StatbankMapping | None, source_format: str
) -> ParsedFile:
    """Candidate observations of a cube, read with the statbank ``mapping``."""
    if mapping is None:  # the registry's needs_mapping makes the pipeline pass one
        raise ValueError(f"a {source_format} file is read with a mapping")
    used = {mapping.area_column, mapping.time_column} | {
        c for parts in mapping.criteria.values() for r in parts.values() for c in r.where
    }
    renamed: dict[str, str] = {}
    for dim in cube.dimensions:
        keys = {dim.code.casefold(), dim.name.casefold()}
        renamed[dim.code] = next((c for c in sorted(used) if c.casefold() in keys), dim.code)
    present = set(renamed.values())
    codes = ", ".join(d.code for d in cube.dimensions)
    missing = [c for c in (mapping.area_column, mapping.time_column) if c not in present]
    if missing:
        raise fail(
            file,
            None,
            "dimensions",
            codes,
            f"the dimension(s) {' and '.join(missing)} of mapping {mapping.name} "
            "(columns: area and time)",
        )
    notes: list[str] = []
    unknown: list[Problem] = []
    for dim in cube.dimensions:
        if renamed[dim.code] in used:
            continue
        if len(dim.values) > 1:
            unknown.append(
                Problem(
                    file,
                    None,
                    f"dimension {dim.code}",
                    ", ".join(dim.values),
                    f"only dimensions that mapping {mapping.name} uses "
                    f"({', '.join(sorted(used))}); save the table with one value of "
                    f"{dim.code}, or select its values in the criteria's where:",
                )
            )
        else:
            notes.append(f"dimension {dim.code} ({''.join(dim.values)}) is not in the mapping")
    if unknown:
        raise InputError(unknown)
    applicable, criteria_notes = applicable_criteria(mapping, present)
    if not applicable:
        raise fail(
            file,
            None,
            "dimensions",
            codes,
            f"the dimensions used by mapping {mapping.name} for at least one criterion",
        )
    raw = cube.cells.rename(columns={**renamed, _FIGURE: mapping.value_column})
    raw = raw.astype({c: object for c in raw.columns})
    raw["file"] = file
    raw["line"] = range(1, len(raw) + 1)
    places = _places(cube)
    parsed = table_candidates(
        raw,
        file,
        # Cubes write figures with a decimal point, whatever the CSV exports use.
        replace(mapping, decimal="."),
        applicable,
        notes=criteria_notes + notes,
        problems=[],
        rows_in_file=len(raw),
        source_format=source_format,
        describe=lambda cell: f"cell {cell} ({places[cell]})",
    )
    parsed.unit = "cell"
    parsed.places = places
    return parsed


def _places(cube: Cube) -> dict[int, str]:
    columns = [d.code for d in cube.dimensions]
    parts = [cube.cells[c].astype(str).radd(f"{c}=") for c in columns]
    joined = parts[0].str.cat(parts[1:], sep=", ") if len(parts) > 1 else parts[0]
    return dict(zip(range(1, len(joined) + 1), joined.tolist(), strict=True))


def _check_size(file: str, dimensions: tuple[Dimension, ...], found: int, keyword: str) -> None:
    expected = math.prod(len(d.values) for d in dimensions)
    if found != expected:
        sizes = " x ".join(f"{len(d.values)} {d.code}" for d in dimensions)
        raise fail(
            file,
            None,
            keyword,
            f"{found:,} cells",
            f"{expected:,} cells ({sizes})",
        )


def _px_encoding(data: bytes, file: str) -> str:
    header = data.split(b"DATA=", 1)[0]
    found = _CODEPAGE.search(header)
    if found is None:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return "cp1252"
        return "utf-8-sig"
    name = found.group(1).decode("ascii", "replace").strip()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        line = data.count(b"\n", 0, found.start()) + 1
        raise fail(
            file, line, "CODEPAGE", name, "a code page such as windows-1252, iso-8859-1 or utf-8"
        ) from None
    return "utf-8-sig" if codec == "utf-8" else codec


def _decode(data: bytes, file: str, encoding: str, why: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        shown = encoding.removesuffix("-sig")
        raise fail(
            file,
            line,
            None,
            f"byte 0x{data[exc.start : exc.start + 1].hex()}",
            f"text in {shown} {why} (was the file saved in another encoding?)",
        ) from None


def _version_2(doc: dict[str, Any]) -> bool:
    try:
        return bool(pyjstat.check_version_2(doc))
    except (TypeError, ValueError):
        return False


def _labels(dim: Dimension) -> pd.DataFrame:
    return pd.DataFrame({"label": list(dim.values)})


def _statuses(status: object, size: int) -> list[str | None]:
    if isinstance(status, str):
        return [status] * size
    if isinstance(status, list):
        return [None if s is None else str(s) for s in status] + [None] * (size - len(status))
    if isinstance(status, dict):
        found = [None] * size
        for key, value in status.items():
            if str(key).isdigit() and int(key) < size:
                found[int(key)] = str(value)
        return found
    return [None] * size


def _figure(value: object, status: str | None) -> str:
    """A cell's figure as a statbank export writes it (symbols as they are)."""
    if value is None:
        return (status or "").strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _variable_code(metadata: dict[str, Any], name: str) -> str:
    """A PX variable's ``VARIABLECODE`` (DST writes e.g. OMRÅDE for "område"), or its name."""
    code = metadata.get(f"VARIABLECODE({name})")
    if isinstance(code, list):
        code = code[0] if code else None
    return str(code).strip().strip('"') if code else name
