"""Writers for every download format, with the provenance that travels in each file.

Pure pandas/geopandas/pyarrow/openpyxl: no Flask or Dash. The API (``dashboard/api/``)
and anything else that hands out files call :func:`write` with a frame, a format name and
a :class:`Provenance`; each writer returns an iterator of ``bytes`` chunks so that a web
server can stream the file with bounded memory (CSV and JSON are produced chunk by chunk;
XLSX, Parquet and GeoPackage are built whole, in memory or a temporary file, and then
handed out in chunks).

Formats (:data:`FORMATS`)
    ``csv``      RFC 4180: comma, CRLF, UTF-8 without BOM, ``true``/``false``, missing
                 values empty. Written by :func:`indicators.export.write_csv`, the same
                 function the app's download uses, so the bytes are identical.
    ``csv-da``   Excel in Danish: semicolon, decimal comma, UTF-8 with BOM, CRLF.
    ``xlsx``     Excel workbook: the data sheet first, then ``provenance`` and ``columns``.
    ``json``     ``{"provenance": {...}, "columns": [...], "rows": [{...}, ...]}``.
    ``geojson``  RFC 7946 FeatureCollection in EPSG:4326, ``provenance`` as a foreign
                 member.
    ``gpkg``     GeoPackage: the data layer plus a ``provenance`` table (key, value) and
                 the provenance JSON as dataset metadata.
    ``parquet``  Apache Parquet (GeoParquet for geometries) with the provenance JSON in
                 the schema metadata under ``keob:provenance``.

Formula injection: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be read by a spreadsheet as a formula. :func:`neutralise_formulas`
prefixes such cells with an apostrophe; the CSV and XLSX writers apply it to every text
column (numbers are never touched: ``-3.2`` stays a number).
"""

from __future__ import annotations

import csv
import io
import math
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import orjson
import pandas as pd

from indicators.export import write_csv

CHUNK_ROWS = 2_000
FILE_CHUNK_BYTES = 1 << 16
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
PROVENANCE_KEY = "keob:provenance"
EXCEL_MAX_ROWS = 1_048_575  # plus the header row


@dataclass(frozen=True)
class Format:
    """One download format."""

    name: str
    extension: str  # file-name suffix, without the dot
    media_type: str
    label_da: str
    label_en: str
    geo: bool = False  # needs a geometry column
    streams: bool = False  # produced chunk by chunk


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(
            "csv",
            "csv",
            "text/csv; charset=utf-8",
            "CSV (RFC 4180)",
            "CSV (RFC 4180)",
            streams=True,
        ),
        Format(
            "csv-da",
            "csv",
            "text/csv; charset=utf-8",
            "CSV til dansk Excel",
            "CSV for Danish Excel",
            streams=True,
        ),
        Format(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel-projektmappe",
            "Excel workbook",
        ),
        Format("json", "json", "application/json", "JSON", "JSON", streams=True),
        Format(
            "geojson",
            "geojson",
            "application/geo+json",
            "GeoJSON",
            "GeoJSON",
            geo=True,
            streams=True,
        ),
        Format(
            "gpkg", "gpkg", "application/geopackage+sqlite3", "GeoPackage", "GeoPackage", geo=True
        ),
        Format("parquet", "parquet", "application/vnd.apache.parquet", "Parquet", "Parquet"),
    )
}
TABULAR_FORMATS = ("csv", "csv-da", "xlsx", "json", "parquet")
GEO_FORMATS = ("geojson", "gpkg")


def file_name(stem: str, fmt: str) -> str:
    """``keob-indicators`` + ``csv-da`` → ``keob-indicators-da.csv``."""
    spec = FORMATS[fmt]
    suffix = "-da" if fmt == "csv-da" else ""
    return f"{stem}{suffix}.{spec.extension}"


# ----------------------------------------------------------------------------- provenance


@dataclass(frozen=True)
class Source:
    """A data source with its licence and the attribution its licence asks for."""

    name: str
    licence: str
    attribution: str = ""
    url: str = ""


@dataclass(frozen=True)
class Provenance:
    """What a download must say about itself.

    ``synthetic`` is True when any row of the file holds demo values (not statistics);
    ``disclosure`` lists the statistical disclosure rules applied to the values (empty
    when the table holds no statistics subject to disclosure control).
    """

    dataset: str
    data_version: str
    extracted_at: datetime
    sources: tuple[Source, ...]
    attribution: str
    synthetic: bool
    disclosure: tuple[str, ...] = ()
    disclosure_applied: bool = False
    as_of: datetime | None = None
    last_modified: datetime | None = None
    query: Mapping[str, Any] = field(default_factory=dict)
    rows: int | None = None
    url: str = ""
    notes: tuple[str, ...] = ()
    publisher: str = "KEOB – opfølgning på Københavns udsatte byområder"

    def to_dict(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "publisher": self.publisher,
            "url": self.url,
            "query": {k: _jsonable(v) for k, v in self.query.items()},
            "data_version": self.data_version,
            "last_modified": _iso(self.last_modified),
            "extracted_at": _iso(self.extracted_at),
            "as_of": _iso(self.as_of),
            "rows": self.rows,
            "synthetic": self.synthetic,
            "synthetic_note": (
                "Indeholder syntetiske demodata, ikke officiel statistik (kolonnen synthetic). "
                "Contains synthetic demo data, not official statistics."
                if self.synthetic
                else ""
            ),
            "disclosure_control": {
                "applied": self.disclosure_applied,
                "rules": list(self.disclosure),
            },
            "attribution": self.attribution,
            "sources": [
                {"name": s.name, "licence": s.licence, "attribution": s.attribution, "url": s.url}
                for s in self.sources
            ],
            "notes": list(self.notes),
        }

    def to_rows(self) -> list[tuple[str, str]]:
        """Flat ``(key, value)`` pairs for a spreadsheet sheet or a GeoPackage table."""
        doc = self.to_dict()
        rows: list[tuple[str, str]] = []
        for key in (
            "dataset",
            "publisher",
            "url",
            "data_version",
            "last_modified",
            "extracted_at",
            "as_of",
            "rows",
            "synthetic",
            "synthetic_note",
            "attribution",
        ):
            rows.append((key, _text(doc[key])))
        for name, value in doc["query"].items():
            rows.append((f"query.{name}", _text(value)))
        rows.append(("disclosure_control.applied", _text(doc["disclosure_control"]["applied"])))
        for i, rule in enumerate(doc["disclosure_control"]["rules"], start=1):
            rows.append((f"disclosure_control.rule.{i}", rule))
        for i, src in enumerate(doc["sources"], start=1):
            for part in ("name", "licence", "attribution", "url"):
                if src[part]:
                    rows.append((f"source.{i}.{part}", src[part]))
        for i, note in enumerate(doc["notes"], start=1):
            rows.append((f"note.{i}", note))
        return rows

    def to_json(self) -> bytes:
        return orjson.dumps(self.to_dict())


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _jsonable(value: object) -> object:
    if isinstance(value, datetime | date):
        return _iso(value)
    if isinstance(value, tuple):
        return list(value)
    return value


# ----------------------------------------------------------------------------- cleaning


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells a spreadsheet would read as a formula with an apostrophe.

    Only text columns are touched; numbers, booleans and missing values are left alone.
    Returns ``frame`` itself when nothing needs changing (no copy).
    """
    out = frame
    for column in _text_columns(frame):
        values = frame[column]
        try:
            mask = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        except (AttributeError, TypeError):  # an object column that is not all text
            mask = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_PREFIXES))
        if bool(mask.any()):
            if out is frame:
                out = frame.copy()
                out.attrs = dict(frame.attrs)
            out[column] = values.astype(object).where(~mask, "'" + values[mask].astype(str))
    return out


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [
        c
        for c in frame.columns
        if c != "geometry"
        and (pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c]))
    ]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Datetimes as ISO 8601 text and geometry dropped: the tabular text formats' view."""
    out = frame
    if "geometry" in out.columns:
        out = pd.DataFrame(out.drop(columns="geometry"))
        out.attrs = dict(frame.attrs)
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            if out is frame:
                out = frame.copy()
                out.attrs = dict(frame.attrs)
            out[column] = [None if pd.isna(v) else v.isoformat() for v in out[column]]
    return out


def _chunks(frame: pd.DataFrame, rows: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
    for start in range(0, max(len(frame), 1), rows):
        part = frame.iloc[start : start + rows]
        part.attrs = dict(frame.attrs)
        yield part


# ----------------------------------------------------------------------------- CSV


def iter_csv(frame: pd.DataFrame, chunk_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    """RFC 4180 CSV by :func:`indicators.export.write_csv`, one chunk of rows at a time.

    The concatenated chunks equal ``write_csv`` of the whole (neutralised) frame: each
    chunk after the first is written the same way and its header line dropped.
    """
    table = _plain(frame)
    for i, part in enumerate(_chunks(table, chunk_rows)):
        buf = io.BytesIO()
        write_csv(neutralise_formulas(part), buf)
        data = buf.getvalue()
        if i:
            data = data.split(b"\r\n", 1)[1]
        if data:
            yield data


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return b"".join(iter_csv(frame))


def iter_csv_da(frame: pd.DataFrame, chunk_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    """CSV for Excel with Danish settings: ``;``, decimal comma, UTF-8 BOM, CRLF.

    Numbers follow :func:`write_csv` (counts without ``.0``, values with the criterion's
    decimals from ``frame.attrs["decimals"]``), with the point replaced by a comma.
    """
    table = _plain(frame)
    decimals = table.attrs.get("decimals") or {}
    yield "\ufeff".encode()
    header = True
    for part in _chunks(table, chunk_rows):
        part = neutralise_formulas(part)
        text = io.StringIO()
        writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
        if header:
            writer.writerow(list(table.columns))
            header = False
        crit = part["criterion"].tolist() if "criterion" in part else [None] * len(part)
        columns = []
        for name in part.columns:
            values = part[name].tolist()
            if name in _DECIMAL_COLUMNS and decimals:
                columns.append(
                    [_da_cell(v, decimals.get(c)) for v, c in zip(values, crit, strict=True)]
                )
            else:
                columns.append([_da_cell(v) for v in values])
        writer.writerows(zip(*columns, strict=True))
        if text.tell():
            yield text.getvalue().encode("utf-8")


_DECIMAL_COLUMNS = ("value", "rest_of_city_value", "city_value", "gap")


def _da_cell(value: object, decimals: int | None = None) -> str:
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if isinstance(value, float | np.floating):
        if not math.isfinite(value):
            return ""
        if decimals is not None:
            text = f"{value:.{decimals}f}"
            if text.startswith("-") and float(text) == 0:
                text = text[1:]
        else:
            text = f"{value:.15g}" if not float(value).is_integer() else str(int(value))
        return text.replace(".", ",")
    if isinstance(value, list | tuple | dict):
        return orjson.dumps(value, default=_json_default).decode()
    return str(value)


# ----------------------------------------------------------------------------- JSON


def _json_default(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime | date):
        return _iso(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    raise TypeError(f"cannot serialise {type(value).__name__} as JSON")


def _records(frame: pd.DataFrame) -> Iterator[dict[str, object]]:
    names = [str(c) for c in frame.columns]
    columns = [frame[c].tolist() for c in frame.columns]
    for row in zip(*columns, strict=True):
        yield dict(zip(names, row, strict=True))


def iter_json(
    frame: pd.DataFrame, provenance: Provenance, chunk_rows: int = CHUNK_ROWS
) -> Iterator[bytes]:
    """``{"provenance": {...}, "columns": [...], "rows": [...]}``; missing values are null."""
    table = _plain(frame)
    yield (
        b'{"provenance":'
        + provenance.to_json()
        + b',"columns":'
        + orjson.dumps([str(c) for c in table.columns])
        + b',"rows":['
    )
    first = True
    for part in _chunks(table, chunk_rows):
        if part.empty:
            continue
        body = orjson.dumps(list(_records(part)), default=_json_default)[1:-1]
        yield body if first else b"," + body
        first = False
    yield b"]}"


# ----------------------------------------------------------------------------- XLSX


def xlsx_bytes(
    frame: pd.DataFrame,
    provenance: Provenance,
    *,
    sheet: str = "data",
    column_notes: Mapping[str, str] | None = None,
) -> bytes:
    """An Excel workbook: the data sheet, a ``provenance`` sheet and a ``columns`` sheet.

    Text cells are neutralised, so none can be read as a formula; value columns get
    no number format (the values are already rounded to the criterion's decimals).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    table = neutralise_formulas(_plain(frame))
    if len(table) > EXCEL_MAX_ROWS:
        raise ValueError(f"{len(table):,} rows do not fit in one Excel sheet; use CSV or Parquet")
    book = Workbook(write_only=True)
    data = book.create_sheet(_sheet_name(sheet))
    data.freeze_panes = "A2"
    names = [str(c) for c in table.columns]
    data.append(names)
    # Plain values are fast in write-only mode. Neutralised text never starts with "=",
    # so openpyxl cannot take it for a formula; values are already rounded.
    columns = [[_xlsx_value(v) for v in table[c].tolist()] for c in table.columns]
    for row in zip(*columns, strict=True):
        data.append(row)
    prov = book.create_sheet("provenance")
    prov.append(["key", "value"])
    for key, value in provenance.to_rows():
        cell = WriteOnlyCell(prov, value=value)
        cell.data_type = "s"
        prov.append([key, cell])
    cols = book.create_sheet("columns")
    cols.append(["column", "description"])
    for name in names:
        cols.append([name, (column_notes or {}).get(name, "")])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _sheet_name(name: str) -> str:
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)
    return cleaned[:31] or "data"


def _xlsx_value(value: object) -> object:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return None if not math.isfinite(value) else float(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, list | tuple | dict):
        return orjson.dumps(value, default=_json_default).decode()
    return value


# ----------------------------------------------------------------------------- Parquet


def parquet_bytes(frame: pd.DataFrame, provenance: Provenance) -> bytes:
    """Parquet (GeoParquet when ``frame`` is a GeoDataFrame) with the provenance JSON in
    the schema metadata under ``keob:provenance``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    if _is_geo(frame):
        frame.to_parquet(buf, index=False)
        table = pq.read_table(io.BytesIO(buf.getvalue()))
        buf = io.BytesIO()
    else:
        table = pa.Table.from_pandas(pd.DataFrame(frame), preserve_index=False)
    metadata = dict(table.schema.metadata or {})
    metadata[PROVENANCE_KEY.encode()] = provenance.to_json()
    pq.write_table(table.replace_schema_metadata(metadata), buf, compression="zstd")
    return buf.getvalue()


def read_parquet_provenance(data: bytes) -> dict[str, Any]:
    """The provenance stored by :func:`parquet_bytes`."""
    import pyarrow.parquet as pq

    schema = pq.read_schema(io.BytesIO(data))
    return orjson.loads((schema.metadata or {})[PROVENANCE_KEY.encode()])


# ----------------------------------------------------------------------------- geo


def _is_geo(frame: pd.DataFrame) -> bool:
    try:
        import geopandas as gpd
    except ImportError:  # pragma: no cover - geopandas is a dependency
        return False
    return isinstance(frame, gpd.GeoDataFrame)


def _require_wgs84(frame: pd.DataFrame) -> None:
    if not _is_geo(frame):
        raise TypeError("a geo format needs a GeoDataFrame")
    crs = frame.crs
    if crs is None or crs.to_epsg() != 4326:
        raise ValueError(f"geo downloads are written in EPSG:4326, got {crs}")


def iter_geojson(
    frame: pd.DataFrame, provenance: Provenance, chunk_rows: int = CHUNK_ROWS
) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection, features streamed; ``provenance`` as a foreign member."""
    import shapely

    _require_wgs84(frame)
    geometry = frame.geometry
    props = _plain(pd.DataFrame(frame.drop(columns=frame.geometry.name)))
    yield (b'{"type":"FeatureCollection","provenance":' + provenance.to_json() + b',"features":[')
    first = True
    for start in range(0, len(frame), chunk_rows):
        part = props.iloc[start : start + chunk_rows]
        geoms = geometry.iloc[start : start + chunk_rows].to_numpy()
        texts = shapely.to_geojson(geoms)
        features = []
        for record, geom, text in zip(_records(part), geoms, texts, strict=True):
            body = orjson.dumps(record, default=_json_default)
            shape = b"null" if geom is None or text is None else text.encode()
            features.append(
                b'{"type":"Feature","properties":' + body + b',"geometry":' + shape + b"}"
            )
        chunk = b",".join(features)
        yield chunk if first else b"," + chunk
        first = False
    yield b"]}"


def gpkg_path(frame: pd.DataFrame, provenance: Provenance, *, layer: str) -> str:
    """Write a GeoPackage to a temporary file and return its path (the caller deletes it)."""
    import pyogrio

    _require_wgs84(frame)
    handle, path = tempfile.mkstemp(suffix=".gpkg", prefix="keob-")
    os.close(handle)
    os.unlink(path)  # pyogrio creates the file
    data = frame.copy()
    for column in data.columns:
        if column != data.geometry.name and pd.api.types.is_datetime64_any_dtype(data[column]):
            data[column] = [None if pd.isna(v) else v.isoformat() for v in data[column]]
    try:
        pyogrio.write_dataframe(
            data,
            path,
            layer=layer,
            driver="GPKG",
            dataset_metadata={"KEOB_PROVENANCE": provenance.to_json().decode()},
        )
        pyogrio.write_dataframe(
            pd.DataFrame(provenance.to_rows(), columns=["key", "value"]),
            path,
            layer="provenance",
            driver="GPKG",
        )
    except Exception:
        if os.path.exists(path):
            os.unlink(path)
        raise
    return path


def iter_gpkg(frame: pd.DataFrame, provenance: Provenance, *, layer: str) -> Iterator[bytes]:
    path = gpkg_path(frame, provenance, layer=layer)
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(FILE_CHUNK_BYTES):
                yield chunk
    finally:
        os.unlink(path)


# ----------------------------------------------------------------------------- dispatch


def _in_chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), FILE_CHUNK_BYTES):
        yield data[start : start + FILE_CHUNK_BYTES]


def write(
    frame: pd.DataFrame,
    fmt: str,
    provenance: Provenance,
    *,
    name: str = "data",
    column_notes: Mapping[str, str] | None = None,
) -> Iterator[bytes]:
    """``frame`` in format ``fmt`` as an iterator of byte chunks.

    ``name`` is the sheet (XLSX) or layer (GeoPackage) name. Geo formats need a
    GeoDataFrame in EPSG:4326; the tabular formats drop its geometry (except Parquet,
    which writes GeoParquet).
    """
    if fmt == "csv":
        return iter_csv(frame)
    if fmt == "csv-da":
        return iter_csv_da(frame)
    if fmt == "json":
        return iter_json(frame, provenance)
    if fmt == "xlsx":
        return _in_chunks(xlsx_bytes(frame, provenance, sheet=name, column_notes=column_notes))
    if fmt == "parquet":
        return _in_chunks(parquet_bytes(frame, provenance))
    if fmt == "geojson":
        return iter_geojson(frame, provenance)
    if fmt == "gpkg":
        return iter_gpkg(frame, provenance, layer=name)
    raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")


def write_bytes(frame: pd.DataFrame, fmt: str, provenance: Provenance, **kwargs: Any) -> bytes:
    """:func:`write` joined into one ``bytes`` (tests, benchmarks, small files)."""
    return b"".join(write(frame, fmt, provenance, **kwargs))


def sources_from(items: Iterable[Sequence[str]]) -> tuple[Source, ...]:
    """``[(name, licence, attribution), ...]`` → unique :class:`Source` tuples, in order."""
    seen: dict[tuple[str, ...], Source] = {}
    for item in items:
        key = tuple(item)
        if key not in seen:
            seen[key] = Source(*item)
    return tuple(seen.values())
