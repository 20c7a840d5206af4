"""The import pipeline: parse and check the whole input, then write it all or nothing.

One function per import kind of :mod:`indicators.importers.registry`, each taking the
kind's parser from the registry and writing through the kind's writer in ``db/``;
:func:`run_import` runs a kind by name (``keob import <kind>``). Nothing here prints. An
input that cannot be imported raises one of :data:`REFUSED` (nothing written); options
that do not fit together raise :class:`~indicators.importers.registry.UsageProblem`.
With ``skip_invalid`` the valid rows are written and the problems are returned for a
rejects file.

Every pipeline publishes after a successful import (``indicators.services.publish``), so
the app serves the new figures without computing them in its own processes.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import inspect
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from db import importing, store
from db.initiatives_store import LoadResult, UnknownReferenceError
from db.models import AREA_LEVELS
from db.store import WriteResult
from indicators.importers.areas import METRIC_CRS, STORE_CRS
from indicators.importers.candidates import ParsedFile, Validated, validate_observations
from indicators.importers.errors import DEFAULT_MAX_PROBLEMS, InputError, Problem, fail
from indicators.importers.registry import KINDS, UsageProblem, kind
from indicators.importers.statbank import load_mapping
from indicators.initiatives import RegisterError
from indicators.registry import Indicator, load_registry
from indicators.services import publish

#: progress(label, total) -> context manager yielding update(n)
ProgressFactory = Callable[[str, int], AbstractContextManager[Callable[[int], None]]]
REJECT_COLUMNS = ["file", "line", "column", "value", "expected"]
#: What a refused input raises; every problem names where (file, line ...) and what was
#: expected, and nothing of it was written. Initiatives registers report entries and
#: fields (RegisterError); the other kinds lines and columns (InputError).
REFUSED: tuple[type[Exception], ...] = (InputError, RegisterError, UnknownReferenceError)

_PIPELINES: dict[str, Callable[..., Any]] = {}


def _pipeline(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the pipeline of the registry's kind ``name``."""
    kind(name)  # a pipeline for a kind the registry does not know is a programming error

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def import_then_publish(engine: Engine, *args: Any, **kwargs: Any) -> Any:
            report = function(engine, *args, **kwargs)
            # Only after a successful import; a failed publish is logged, and the
            # previous publication stays in force (publish.publish_after_import).
            publish.publish_after_import(engine)
            return report

        _PIPELINES[name] = import_then_publish
        return import_then_publish

    return register


def run_import(engine: Engine, kind_name: str, source: Any, /, **options: Any) -> Any:
    """Run the pipeline of the import kind ``kind_name`` on ``source`` (a path, or a
    sequence of paths for a kind with ``many_files``); returns that kind's report."""
    return _PIPELINES[kind(kind_name).name](engine, source, **options)


@contextlib.contextmanager
def _no_progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda n: None


@dataclass
class FileOutcome:
    file: str
    checksum: str
    rows_in_file: int = 0
    valid_rows: int = 0
    rejected_rows: int = 0
    written: int = 0
    unchanged: int = 0
    revised: int = 0
    batch_id: int | None = None
    already_loaded: dict | None = None  # the earlier batch when skipped by checksum
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    files: list[FileOutcome]
    problems: list[Problem]

    @property
    def written(self) -> int:
        return sum(f.written for f in self.files)

    @property
    def unchanged(self) -> int:
        return sum(f.unchanged for f in self.files)

    @property
    def revised(self) -> int:
        return sum(f.revised for f in self.files)

    @property
    def rejected(self) -> int:
        return sum(f.rejected_rows for f in self.files)


def _raise_if(problems: list[Problem], max_problems: int) -> None:
    if problems:
        raise InputError(problems, max_problems=max_problems)


def write_rejects(problems: Sequence[Problem], path: str | Path) -> int:
    """Write problems as an RFC 4180 CSV (file, line, column, value, expected)."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=REJECT_COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for p in problems:
            writer.writerow(p.as_row())
    return len(problems)


# --------------------------------------------------------------------------- indicators


@dataclass
class CheckedFiles:
    """Parsed and validated indicator files, before anything is written."""

    outcomes: list[FileOutcome]
    validated: Validated
    fmt: str
    mapping_name: str | None
    mapping_checksum: str | None


def check_indicator_files(
    paths: Sequence[str | Path],
    *,
    known_areas: Mapping[str, str],
    fmt: str = "long",
    mapping: str | Path | None = None,
    registry: dict[str, Indicator] | None = None,
    already_loaded: Callable[[str, str | None], dict | None] | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
) -> CheckedFiles:
    """Parse and validate files without touching the store.

    Raises InputError for problems that make a file unreadable (encoding, header, a
    mapping error ...); row problems are returned in ``validated.problems``.
    ``already_loaded(checksum, mapping_checksum)`` returns the earlier batch of a file
    that needs no reading (checksum dedupe), or None.
    """
    registry = registry or load_registry()
    indicators_kind = KINDS["indicators"]
    fmt = indicators_kind.detect_format(fmt, paths)
    indicators_kind.check_mapping(fmt, mapping)
    parse = indicators_kind.parser(fmt)
    statbank_mapping = load_mapping(mapping, registry) if mapping is not None else None
    mapping_checksum = statbank_mapping.checksum if statbank_mapping else None
    outcomes: list[FileOutcome] = []
    parsed: list[ParsedFile] = []
    fatal: list[Problem] = []
    for path, label in zip(paths, _labels(paths), strict=True):
        path = Path(path)
        if not path.is_file():
            fatal.append(Problem(label, None, None, None, "an existing, readable file"))
            continue
        outcome = FileOutcome(label, store.file_checksum(path))
        outcomes.append(outcome)
        if already_loaded is not None:
            earlier = already_loaded(outcome.checksum, mapping_checksum)
            if earlier is not None:
                outcome.already_loaded = earlier
                continue
        try:
            result = parse(path, statbank_mapping, label)
        except InputError as exc:
            fatal.extend(exc.all_problems)
            continue
        outcome.rows_in_file = result.rows_in_file
        outcome.notes = list(result.notes)
        parsed.append(result)
    _raise_if(fatal, max_problems)
    validated = validate_observations(parsed, registry, known_areas)
    rejected_by_file: dict[str, set[int]] = {}
    for p in validated.problems:
        rejected_by_file.setdefault(p.file, set()).add(p.line if p.line is not None else -1)
    counts = validated.rows["file"].value_counts().to_dict() if len(validated.rows) else {}
    for outcome in outcomes:
        outcome.valid_rows = int(counts.get(outcome.file, 0))
        outcome.rejected_rows = len(rejected_by_file.get(outcome.file, ()))
    return CheckedFiles(
        outcomes,
        validated,
        fmt,
        statbank_mapping.name if statbank_mapping else None,
        mapping_checksum,
    )


@_pipeline("indicators")
def import_indicator_files(
    engine: Engine,
    paths: Sequence[str | Path],
    *,
    fmt: str = "long",
    mapping: str | Path | None = None,
    skip_invalid: bool = False,
    force: bool = False,
    registry: dict[str, Indicator] | None = None,
    progress: ProgressFactory | None = None,
    after_chunk: Callable[[int], None] | None = None,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    note: str | None = None,
) -> ImportReport:
    """Import one or more indicator files as one all-or-nothing transaction."""
    registry = registry or load_registry()
    progress = progress or _no_progress
    fmt = KINDS["indicators"].detect_format(fmt, paths)
    KINDS["indicators"].check_mapping(fmt, mapping)
    importing.check_schema(engine)

    def earlier(checksum: str, mapping_checksum: str | None) -> dict | None:
        return importing.find_batch(
            engine,
            kind=KINDS["indicators"].batch_kind,
            checksum=checksum,
            mapping_checksum=mapping_checksum,
        )

    checked = check_indicator_files(
        paths,
        known_areas=importing.known_areas(engine),
        fmt=fmt,
        mapping=mapping,
        registry=registry,
        already_loaded=None if force else earlier,
        max_problems=max_problems,
    )
    validated = checked.validated
    if validated.problems and not skip_invalid:
        raise InputError(validated.problems, max_problems=max_problems)
    by_file = dict(iter(validated.rows.groupby("file", sort=False))) if len(validated.rows) else {}
    loads = [
        importing.ObservationLoad(
            file_name=outcome.file,
            checksum=outcome.checksum,
            rows=by_file.get(outcome.file, validated.rows.iloc[0:0]).drop(columns=["file"]),
            rows_in_file=outcome.rows_in_file,
            source_format=fmt,
            mapping_checksum=checked.mapping_checksum,
            note=_note(note, checked.mapping_name, outcome),
        )
        for outcome in checked.outcomes
        if not outcome.already_loaded
    ]
    total = sum(len(load.rows) for load in loads)
    write = KINDS["indicators"].write_function()
    with progress("Writing", total) as update:
        results = write(
            engine,
            loads,
            indicators=[vars(i) for i in registry.values()],
            progress=update,
            after_chunk=after_chunk,
        )
    done = {r.file_name: r for r in results}
    for outcome in checked.outcomes:
        r = done.get(outcome.file)
        if r is not None:
            outcome.written, outcome.unchanged, outcome.revised = r.written, r.unchanged, r.revised
            outcome.batch_id = r.batch_id
    return ImportReport(checked.outcomes, validated.problems)


def _labels(paths: Sequence[str | Path]) -> list[str]:
    names = [Path(p).name for p in paths]
    if len(set(names)) == len(names):
        return names
    return [str(p) for p in paths]


def _note(note: str | None, mapping_name: str | None, outcome: FileOutcome) -> str | None:
    parts = [note] if note else []
    if mapping_name:
        parts.append(f"statbank mapping {mapping_name}")
    if outcome.rejected_rows:
        parts.append(f"{importing.SKIPPED_MARK} {outcome.rejected_rows} line(s) rejected")
    return "; ".join(parts) or None


# --------------------------------------------------------------------------- areas


@dataclass
class AreaImportReport:
    file: str
    checksum: str
    features: int
    valid: int
    rejected: int
    crs: str
    result: importing.AreaResult | None
    problems: list[Problem]
    already_loaded: dict | None = None
    memberships: int = 0


@_pipeline("areas")
def import_area_file(
    engine: Engine,
    path: str | Path,
    *,
    level: str,
    vintage: int | None = None,
    code_field: str = "code",
    name_field: str = "name",
    layer: str | None = None,
    member_of: Sequence[str] = (),
    members_from: str | None = None,
    skip_invalid: bool = False,
    force: bool = False,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    note: str | None = None,
) -> AreaImportReport:
    """Import an area file (one level) with optional vintage and memberships."""
    if level not in AREA_LEVELS:
        raise UsageProblem(f"unknown level {level!r}; one of {', '.join(AREA_LEVELS)}")
    if (member_of or members_from) and vintage is None:
        raise UsageProblem("--member-of and --members-from need --vintage YEAR")
    if members_from is not None and members_from not in AREA_LEVELS:
        raise UsageProblem(f"unknown level {members_from!r} for --members-from")
    areas_kind = KINDS["areas"]
    read_area_file = areas_kind.parser()
    importing.check_schema(engine)
    path = Path(path)
    label = path.name
    checksum = store.file_checksum(path) if path.is_file() else ""
    options = json.dumps(
        {
            "level": level,
            "vintage": vintage,
            "code_field": code_field,
            "name_field": name_field,
            "layer": layer,
            "member_of": list(member_of),
            "members_from": members_from,
        },
        sort_keys=True,
    )
    options_checksum = hashlib.sha256(options.encode()).hexdigest()
    if checksum and not force:
        earlier = importing.find_batch(
            engine, kind=areas_kind.batch_kind, checksum=checksum, mapping_checksum=options_checksum
        )
        if earlier is not None:
            return AreaImportReport(label, checksum, 0, 0, 0, "", None, [], earlier)

    known = importing.known_areas(engine)
    probe = read_area_file(path, code_field=code_field, name_field=name_field, layer=layer)
    fields = set(probe.fields)
    link_fields = [m for m in member_of if m in fields]
    fixed_parents = [m for m in member_of if m not in fields]
    unknown_parents = [m for m in fixed_parents if m not in known]
    if unknown_parents:
        raise fail(
            label,
            None,
            "--member-of",
            ", ".join(unknown_parents),
            f"a field of the file ({', '.join(sorted(fields))}) or an area code in the store",
        )
    file = (
        read_area_file(
            path,
            code_field=code_field,
            name_field=name_field,
            layer=layer,
            extra_fields=tuple(link_fields),
        )
        if link_fields
        else probe
    )
    problems = list(file.problems)
    areas = file.areas

    # Codes that exist at another level cannot change level.
    clash = areas["code"].map(lambda c: c in known and known[c] != level).to_numpy(dtype=bool)
    for i in np.flatnonzero(clash):
        row = areas.iloc[i]
        problems.append(
            Problem(
                label,
                int(row["feature"]),
                code_field,
                row["code"],
                f"a code not used by another level ({row['code']} is a {known[row['code']]})",
                unit="feature",
            )
        )
    file_codes = set(areas["code"])
    links = []
    for fld in link_fields:
        for feature, code, parent in zip(areas["feature"], areas["code"], areas[fld], strict=True):
            if not parent:
                continue
            if parent not in known and parent not in file_codes:
                problems.append(
                    Problem(
                        label,
                        int(feature),
                        fld,
                        parent,
                        "the code of an area in the store (the area this one belongs to)",
                        unit="feature",
                    )
                )
            else:
                links.append((parent, code, int(feature)))
    for parent in fixed_parents:
        links.extend(
            (parent, code, int(f)) for f, code in zip(areas["feature"], areas["code"], strict=True)
        )

    memberships = None
    if members_from is not None:
        memberships, member_problems = _members_by_geometry(engine, areas, members_from, label)
        problems += member_problems

    if problems and not skip_invalid:
        raise InputError(problems, max_problems=max_problems)
    bad = {p.line for p in problems}
    keep = ~areas["feature"].isin(list(bad))
    areas = areas[keep]
    kept_codes = set(areas["code"])
    link_frame = pd.DataFrame(
        [(a, m) for a, m, f in links if f not in bad and m in kept_codes],
        columns=["aggregate_code", "member_code"],
    )
    if memberships is not None:
        memberships = memberships[memberships["aggregate_code"].isin(kept_codes)]
    if areas.empty:
        raise InputError(
            problems or [Problem(label, None, None, None, "at least one valid feature")],
            max_problems=max_problems,
        )
    load = importing.AreaLoad(
        file_name=label,
        checksum=checksum,
        level=level,
        areas=pd.DataFrame(
            {
                "code": areas["code"].to_numpy(),
                "name": areas["name"].to_numpy(),
                "geometry_wkb": [shapely.to_wkb(g) for g in areas["geometry"]],
            }
        ),
        rows_in_file=file.features,
        vintage=vintage,
        memberships=memberships,
        member_links=link_frame if member_of else None,
        options_checksum=options_checksum,
        note=_join(
            note,
            f"level {level}" + (f", vintage {vintage}" if vintage else "") + f", CRS {file.crs}",
            f"{importing.SKIPPED_MARK} {len(bad)} feature(s) rejected" if bad else None,
        ),
    )
    result = areas_kind.write_function()(engine, load)
    n_links = len(link_frame) + (len(memberships) if memberships is not None else 0)
    return AreaImportReport(
        label,
        checksum,
        file.features,
        len(areas),
        len(bad),
        file.crs,
        result,
        problems,
        None,
        n_links,
    )


def _members_by_geometry(
    engine: Engine, areas: pd.DataFrame, members_level: str, label: str
) -> tuple[pd.DataFrame, list[Problem]]:
    """Areas of ``members_level`` whose representative point lies in each imported area."""
    candidates = store.read_areas(engine, levels=[members_level], with_geometry=True)
    candidates = candidates[candidates["geometry_wkb"].notna()]
    problems: list[Problem] = []
    if candidates.empty:
        raise fail(
            label,
            None,
            "--members-from",
            members_level,
            f"areas of level {members_level} with geometry in the store (load them first)",
        )
    members = gpd.GeoDataFrame(
        {"member_code": candidates["code"].to_numpy()},
        geometry=shapely.from_wkb(candidates["geometry_wkb"].to_numpy()),
        crs=STORE_CRS,
    ).to_crs(METRIC_CRS)
    members["geometry"] = members.geometry.representative_point()
    outlines = gpd.GeoDataFrame(
        {"aggregate_code": areas["code"].to_numpy(), "feature": areas["feature"].to_numpy()},
        geometry=list(areas["geometry"]),
        crs=STORE_CRS,
    ).to_crs(METRIC_CRS)
    joined = gpd.sjoin(members, outlines, predicate="within", how="inner")
    pairs = joined[["aggregate_code", "member_code"]].drop_duplicates()
    empty = outlines[~outlines["aggregate_code"].isin(pairs["aggregate_code"])]
    for feature, code in zip(empty["feature"], empty["aggregate_code"], strict=True):
        problems.append(
            Problem(
                label,
                int(feature),
                "geometry",
                code,
                f"at least one {members_level} inside the area (by its representative point)",
                unit="feature",
            )
        )
    return pairs.reset_index(drop=True), problems


# --------------------------------------------------------------------------- state lists


@dataclass
class StateListReport:
    file: str
    checksum: str
    rows_in_file: int
    valid: int
    rejected: int
    result: importing.StateListResult | None
    problems: list[Problem]
    already_loaded: dict | None = None


@_pipeline("state-lists")
def import_state_list_file(
    engine: Engine,
    path: str | Path,
    *,
    skip_invalid: bool = False,
    force: bool = False,
    max_problems: int = DEFAULT_MAX_PROBLEMS,
    note: str | None = None,
) -> StateListReport:
    state_lists_kind = KINDS["state-lists"]
    importing.check_schema(engine)
    path = Path(path)
    if not path.is_file():
        raise fail(path.name, None, None, None, "an existing, readable file")
    checksum = store.file_checksum(path)
    if not force:
        earlier = importing.find_batch(engine, kind=state_lists_kind.batch_kind, checksum=checksum)
        if earlier is not None:
            return StateListReport(path.name, checksum, 0, 0, 0, None, [], earlier)
    parsed = state_lists_kind.parser()(path, importing.known_areas(engine))
    if parsed.problems and not skip_invalid:
        raise InputError(parsed.problems, max_problems=max_problems)
    if parsed.rows.empty:
        raise InputError(
            parsed.problems or [Problem(path.name, None, None, None, "at least one valid row")],
            max_problems=max_problems,
        )
    rejected = len({p.line for p in parsed.problems})
    result = state_lists_kind.write_function()(
        engine,
        parsed.rows,
        file_name=path.name,
        checksum=checksum,
        rows_in_file=parsed.rows_in_file,
        note=_join(
            note, f"{importing.SKIPPED_MARK} {rejected} line(s) rejected" if rejected else None
        ),
    )
    return StateListReport(
        path.name,
        checksum,
        parsed.rows_in_file,
        len(parsed.rows),
        rejected,
        result,
        parsed.problems,
    )


def _join(*parts: str | None) -> str | None:
    return "; ".join(p for p in parts if p) or None


# --------------------------------------------------------------------------- state-list inputs


@dataclass
class StateListInputsReport:
    file: str
    rows_in_file: int
    result: WriteResult


@_pipeline("state-list-inputs")
def import_state_list_inputs_file(
    engine: Engine, path: str | Path, *, note: str | None = None
) -> StateListInputsReport:
    """Import state-list inputs (criterion values per boligområde and year), one batch.

    A changed row becomes a new revision and an unchanged one is left alone, so loading
    the same file again writes nothing (and, unlike the other kinds, still reports it).
    """
    inputs_kind = KINDS["state-list-inputs"]
    path = Path(path)
    frame = inputs_kind.parser()(path)
    result = inputs_kind.write_function()(
        engine,
        frame.drop(columns=["line"]),
        batch_kind=inputs_kind.batch_kind,
        file_name=path.name,
        checksum=store.file_checksum(path),
        rows_in_file=len(frame),
        note=_join(note, "Statsliste-input (almenboligloven § 61 a/b)"),
    )
    return StateListInputsReport(path.name, len(frame), result)


# --------------------------------------------------------------------------- initiatives


@_pipeline("initiatives")
def import_initiatives_file(
    engine: Engine | Connection,
    path: str | Path,
    *,
    vintage: str | None = None,
    note: str | None = None,
) -> LoadResult:
    """Validate an initiatives register and load it as one vintage, all-or-nothing.

    Raises :class:`indicators.initiatives.RegisterError` (naming file, line, entry, field,
    value and what was expected) when the file is invalid, names an area code the store
    does not have, or declares a vintage other than ``vintage``. Given a connection, the
    load runs inside the caller's transaction (the seed).
    """
    initiatives_kind = KINDS["initiatives"]
    path = Path(path)
    rows = initiatives_kind.parser()(path, importing.known_areas(engine), vintage=vintage)
    return initiatives_kind.write_function()(
        engine,
        rows,
        indicators=[vars(i) for i in load_registry().values()],
        file_name=path.name,
        checksum=store.file_checksum(path),
        note=note,
    )


# --------------------------------------------------------------------------- facilities


@contextlib.contextmanager
def _store_ready() -> Iterator[None]:
    """Turn a write to a store without the tables (not upgraded) into StoreNotReady."""
    try:
        yield
    except SQLAlchemyError as exc:
        raise importing.StoreNotReady(
            f"could not write to the store ({exc.__class__.__name__}: {exc}); "
            "run `keob db upgrade` first"
        ) from None


@dataclass
class FacilityReport:
    file: str
    kind: str
    written: int
    appended: bool


@_pipeline("facilities")
def import_facility_file(
    engine: Engine, path: str | Path, *, kind: str, append: bool = False, **layer_options: Any
) -> FacilityReport:
    """Import a facility layer as ``kind``: replaces that kind's facilities (or adds to
    them with ``append``), one batch. ``layer_options`` (name, category and municipality
    fields, year, source) go to the parser,
    :func:`indicators.importers.facilities.read_facility_file`."""
    facilities_kind = KINDS["facilities"]
    path = Path(path)
    rows = facilities_kind.parser()(path, kind, **layer_options)
    with _store_ready():
        written = facilities_kind.write_function()(
            engine,
            rows,
            file_name=path.name,
            checksum=store.file_checksum(path),
            note=f"Faciliteter: {kind}" + (" (tilføjet)" if append else ""),
            append=append,
        )
    return FacilityReport(path.name, kind, written, append)


# --------------------------------------------------------------------------- air quality


@dataclass
class AirQualityReport:
    file: str
    pollutant: str
    written: int
    synthetic: bool


@_pipeline("air-quality")
def import_air_quality_file(
    engine: Engine,
    path: str | Path,
    *,
    pollutant: str,
    fmt: str | None = None,
    year: int | None = None,
    source: str | None = None,
    synthetic: bool = False,
    note: str | None = None,
    **layer_options: Any,
) -> AirQualityReport:
    """Import a concentration layer of ``pollutant``: replaces that pollutant's points,
    one batch. ``layer_options`` (``crs``, ``x_field``, ``y_field``, ``value_field``,
    ``band``) go to the format's parser (:mod:`indicators.importers.air_quality`); the
    default format gives way to the one a file's ending claims (``.tif``: geotiff)."""
    air_kind = KINDS["air-quality"]
    path = Path(path)
    fmt = air_kind.detect_format(fmt, [path])
    options = {k: v for k, v in layer_options.items() if v is not None}
    parse = air_kind.parser(fmt)
    _refuse_options_the_parser_lacks(parse, fmt, options)
    rows = parse(path, pollutant, **options)
    demo = " (syntetisk)" if synthetic else ""
    with _store_ready():
        written = air_kind.write_function()(
            engine,
            rows,
            file_name=path.name,
            checksum=store.file_checksum(path),
            year=year,
            source=source or f"{path.name}{demo}",
            synthetic=synthetic,
            note=note or f"Luftkvalitet: {pollutant}{demo}",
        )
    return AirQualityReport(path.name, pollutant, written, synthetic)


def _refuse_options_the_parser_lacks(
    parse: Callable[..., Any], fmt: str, options: Mapping[str, Any]
) -> None:
    """A UsageProblem for an option format ``fmt`` has no use for (``--band`` for a CSV),
    instead of a TypeError from the parser."""
    params = inspect.signature(parse).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    unused = [name for name in options if name not in params]
    if unused:
        flags = ", ".join(f"--{name.replace('_', '-')}" for name in unused)
        raise UsageProblem(f"{flags} does not apply to --format {fmt}")


_missing = set(KINDS) - set(_PIPELINES)
if _missing:  # every registered kind must be importable (tests/test_import_registry.py)
    raise RuntimeError(f"import kind(s) without a pipeline: {', '.join(sorted(_missing))}")
