"""Every import kind in one table: its file formats (each with its parser), its writer
and its command-line help.

``keob import <kind>`` offers exactly these kinds (its sub-commands are built from this
table) and :mod:`indicators.services.imports` runs each kind's pipeline - parse and
check the whole input, then write it all or nothing with the kind's writer. Adding a
kind is a parser module here, a writer in ``db/`` and one entry below
(docs/contributing.md, "An import kind").
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any


class UsageProblem(ValueError):
    """Options that do not fit together (the command line's exit code 2)."""


@dataclass(frozen=True)
class FileFormat:
    """One accepted file format of a kind and the parser that reads it."""

    description: str
    #: ``"indicators.importers.module.function"``, imported when first used (so the
    #: command line starts without loading every parser's dependencies).
    parser: str
    needs_mapping: bool = False
    #: File name endings (lower case, with the dot) that choose this format when the
    #: default format is asked for: no other format could read such a file.
    extensions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportKind:
    """One kind of input: ``keob import <name>``."""

    name: str
    #: Accepted formats (``--format`` when there are several); the first is the default.
    formats: Mapping[str, FileFormat]
    #: ``"db.module.function"`` that writes a checked import in one transaction.
    writer: str
    #: ``load_batch.kind`` of the batches the writer records.
    batch_kind: str
    #: The command's help (first line: its summary in ``keob import --help``).
    help: str
    #: True when one run takes several files (one transaction for all).
    many_files: bool = False

    @property
    def default_format(self) -> str:
        return next(iter(self.formats))

    def parser(self, fmt: str | None = None) -> Callable[..., Any]:
        """The parser of format ``fmt`` (default: the kind's default format)."""
        return _resolve(self.file_format(fmt).parser)

    def file_format(self, fmt: str | None = None) -> FileFormat:
        """Format ``fmt``; raises UsageProblem for a format the kind does not accept."""
        name = fmt or self.default_format
        if name not in self.formats:
            raise UsageProblem(
                f"unknown format {name!r} for {self.name}; one of {', '.join(self.formats)}"
            )
        return self.formats[name]

    def detect_format(self, fmt: str | None, paths: Sequence[str | Path]) -> str:
        """``fmt``, or the format that claims every file's ending when ``fmt`` is the default.

        ``keob import indicators --mapping kk.yaml BEF.px`` then reads a PX file without
        ``--format px``; files of different formats in one run need ``--format``.
        """
        name = fmt or self.default_format
        if name != self.default_format or not paths:
            return name
        claimed = {self._claimed_by(path) for path in paths}
        if len(claimed) == 1 and None not in claimed:
            return str(claimed.pop())
        return name

    def _claimed_by(self, path: str | Path) -> str | None:
        name = str(path).lower()
        return next(
            (
                f
                for f, spec in self.formats.items()
                if spec.extensions and name.endswith(spec.extensions)
            ),
            None,
        )

    def check_mapping(self, fmt: str | None, mapping: object) -> None:
        """A mapping is given exactly when the format needs one."""
        name = fmt or self.default_format
        needs = self.file_format(name).needs_mapping
        if needs and mapping is None:
            raise UsageProblem(f"--format {name} needs --mapping MAP")
        if mapping is not None and not needs:
            with_mapping = [f for f, spec in self.formats.items() if spec.needs_mapping]
            raise UsageProblem(
                f"--mapping only applies to --format {' or '.join(with_mapping) or '(none)'}"
            )

    def write_function(self) -> Callable[..., Any]:
        """The writer named by :attr:`writer`."""
        return _resolve(self.writer)


def _resolve(dotted: str) -> Callable[..., Any]:
    module, _, function = dotted.rpartition(".")
    return getattr(importlib.import_module(module), function)


_VECTOR = "GeoJSON, GeoPackage or Shapefile (any declared CRS)"
_PARSERS = "indicators.importers"

_KINDS = (
    ImportKind(
        name="indicators",
        formats={
            "long": FileFormat(
                "area_code,criterion,year,numerator,denominator[,source]",
                f"{_PARSERS}.observations.read_long",
            ),
            "statbank": FileFormat(
                "a KK Statistikbank / DST StatBank CSV export, read with --mapping",
                f"{_PARSERS}.observations.read_statbank_export",
                needs_mapping=True,
            ),
            "px": FileFormat(
                "a PC-Axis table (.px) from KK Statistikbank / DST StatBank, read with --mapping",
                f"{_PARSERS}.cubes.read_px",
                needs_mapping=True,
                extensions=(".px",),
            ),
            "jsonstat": FileFormat(
                "a JSON-stat 2.0 dataset (.json) from DST StatBank, read with --mapping",
                f"{_PARSERS}.cubes.read_jsonstat",
                needs_mapping=True,
                extensions=(".json",),
            ),
        },
        writer="db.importing.load_observations",
        batch_kind="indicators",
        many_files=True,
        help="""Import indicator figures from one or more FILES (one transaction for all).

    \b
    Examples:
      keob import indicators indikatorer_2024.csv
      keob import indicators --format statbank --mapping kk.yaml BEF5.csv RAS.csv
      keob import indicators --mapping kk.yaml KKBES1.px   (or .json: JSON-stat)
      keob import indicators --skip-invalid --rejects afviste.csv data.csv

    A changed figure for an area, criterion and year becomes a new revision; earlier
    revisions are kept (see keob history).
    """,
    ),
    ImportKind(
        name="areas",
        formats={"vector": FileFormat(_VECTOR, f"{_PARSERS}.areas.read_area_file")},
        writer="db.importing.load_areas",
        batch_kind="areas",
        help="""Import areas from a GeoJSON, GeoPackage or Shapefile FILE.

    \b
    Examples:
      keob import areas roder_2026.gpkg --level rode --code-field rode_nr \\
          --name-field rodenavn --vintage 2026 --member-of kbh --member-of bydel_code
      keob import areas udsatte_2025.geojson --level udsat_byomraade --vintage 2025 \\
          --members-from rode

    The file must declare its CRS (any CRS; geometry is stored in EPSG:4326, checks in
    EPSG:25832). Invalid, empty or non-polygon geometries, geometries outside Denmark and
    duplicate codes are refused. Memberships (--member-of, --members-from) are written
    with the areas, for --vintage.
    """,
    ),
    ImportKind(
        name="state-lists",
        formats={
            "csv": FileFormat(
                "area_code,list_year,category", f"{_PARSERS}.state_lists.read_state_list_csv"
            )
        },
        writer="db.importing.load_state_lists",
        batch_kind="state-lists",
        help="""Import state-list memberships from a CSV FILE (area_code,list_year,category).

    Categories: udsat, parallelsamfund, omdannelse, forebyggelse (lists since 2021) and
    ghetto, haard_ghetto (until 2020). Each list year in the file replaces what the store
    held for it; replaced rows are kept as history, not deleted.
    """,
    ),
    ImportKind(
        name="state-list-inputs",
        formats={
            "csv": FileFormat(
                "area_id,year,residents and the state-list criterion values",
                f"{_PARSERS}.state_list_inputs.read_inputs_csv",
            )
        },
        writer="db.state_list_inputs.load_inputs",
        batch_kind="state_lists",
        help="""Import state-list *inputs* (criterion values per boligområde and year) from FILE.

    \b
    Columns: area_id, year, residents, non_western_pct, outside_labour_pct,
    convicted_pct, national_convicted_pct, basic_education_pct, income_pct_of_region
    (percentages as numbers; optional: area_name, byomraade, members, synthetic, source).

    New values become new revisions; nothing is lost. Not to be confused with
    `keob import state-lists`, which loads the published list *memberships*.
    """,
    ),
    ImportKind(
        name="initiatives",
        formats={
            "yaml": FileFormat(
                "an initiatives register (one plan vintage)",
                f"{_PARSERS}.initiatives.read_initiatives_file",
            )
        },
        writer="db.initiatives_store.load_register",
        batch_kind="initiatives",
        help="""Load an initiatives register FILE (YAML) as one plan vintage, all-or-nothing.

    Every problem is reported with file, line, entry, field, value and what was expected;
    nothing is written unless the whole file is valid. Re-importing a vintage keeps the
    earlier load (retired); importing an unchanged file does nothing.
    """,
    ),
    ImportKind(
        name="facilities",
        formats={"vector": FileFormat(_VECTOR, f"{_PARSERS}.facilities.read_facility_file")},
        writer="db.facility_store.load_facilities",
        batch_kind="facilities",
        help="""Load a facility layer (GeoJSON, GeoPackage … with a CRS) as KIND.

    By default the layer replaces every facility of KIND. Run `keob coverage compute`
    afterwards to update the coverage indicators.
    """,
    ),
    ImportKind(
        name="air-quality",
        formats={
            "csv": FileFormat(
                "x,y and a concentration column (µg/m³) per point, in the CRS of --crs",
                f"{_PARSERS}.air_quality.read_concentration_csv",
            ),
            "vector": FileFormat(
                "GeoPackage, GeoJSON or Shapefile points with a declared CRS",
                f"{_PARSERS}.air_quality.read_concentration_vector",
            ),
            "geotiff": FileFormat(
                "a GeoTIFF grid (.tif, .tiff): every cell with a value is a point at its "
                "centre, in the raster's own CRS",
                f"{_PARSERS}.air_quality.read_concentration_geotiff",
                extensions=(".tif", ".tiff"),
            ),
        },
        writer="db.air_quality_store.load_air_quality",
        batch_kind="air-quality",
        help="""Load NO2/PM2.5 from a CSV, vector or GeoTIFF FILE (annual means, µg/m³).

    \b
    Examples:
      keob import air-quality no2_2025.csv --pollutant no2 --crs EPSG:25832
      keob import air-quality grid.csv --pollutant pm25 --crs EPSG:4326 \\
          --x-field lon --y-field lat --value-field pm25_aar
      keob import air-quality no2.gpkg --format vector --pollutant no2
      keob import air-quality no2_2025.tif --pollutant no2   (GeoTIFF: any CRS)

    Points or grid-cell centres; a GeoTIFF (.tif, .tiff, or --format geotiff) gives one
    point per cell with a value (nodata cells are skipped; --band for a raster with
    several bands). The layer replaces every point of the pollutant; the whole file is
    checked first (CRS, columns, numbers, negative values, points outside Denmark). Run
    `keob coverage compute` afterwards to update the air-pollution indicators.
    """,
    ),
)

#: kind name -> ImportKind, in the order ``keob import --help`` lists them.
KINDS: Mapping[str, ImportKind] = MappingProxyType({k.name: k for k in _KINDS})


def kind(name: str) -> ImportKind:
    """The kind called ``name``; raises UsageProblem for an unknown one."""
    if name not in KINDS:
        raise UsageProblem(f"unknown import kind {name!r}; one of {', '.join(KINDS)}")
    return KINDS[name]
