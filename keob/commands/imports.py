"""`keob import <kind>`: one sub-command per kind of indicators.importers.registry.

The registry gives each command its name, help and formats; this module adds the
options and prints the report of :mod:`indicators.services.imports`.

Exit codes: 0 imported (or nothing new to import), 1 the input was refused (nothing
written) or the store is not ready, 2 wrong usage.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from db.engine import make_engine
from db.importing import StoreNotReady
from db.initiatives_store import UnknownReferenceError
from db.models import AREA_LEVELS
from indicators.importers.errors import InputError
from indicators.importers.registry import KINDS, ImportKind, UsageProblem
from indicators.initiatives import RegisterError
from indicators.times import local_text

#: Test hook: when set, an indicator import pauses after its first written chunk (inside
#: the open transaction), touches this file and sleeps, so a test can kill it there.
PAUSE_ENV = "KEOB_IMPORT_PAUSE_FILE"

_EXIT_REFUSED = 1
_EXIT_USAGE = 2


def register(main: click.Group) -> None:
    main.add_command(import_group)


@click.group("import")
def import_group() -> None:
    """Load data files into the store: one sub-command per import kind.

    Every import is checked completely before anything is written and is then written
    in one transaction: if any row is bad, nothing is written and every problem is
    listed with file, line, column, value and what was expected. Loading the same file
    again changes nothing. See docs/importing.md.
    """


def _stderr() -> object:
    return sys.stderr


@contextlib.contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    if total <= 0:
        yield lambda n: None
        return
    with click.progressbar(length=total, label=label, file=_stderr(), show_pos=True) as bar:
        yield bar.update


def _pause_hook() -> Callable[[int], None] | None:
    marker = os.environ.get(PAUSE_ENV)
    if not marker:
        return None
    state = {"paused": False}

    def hook(done: int) -> None:
        if not state["paused"]:
            state["paused"] = True
            Path(marker).write_text(str(done), encoding="utf-8")
            time.sleep(60)

    return hook


def _write_rejects(problems: list, target: Path) -> int:
    """Write the rejects CSV; an unwritable path is a clean error, not a traceback."""
    from indicators.services.imports import write_rejects

    try:
        return write_rejects(problems, target)
    except OSError as exc:
        click.echo(
            f"Error: cannot write the rejects file {target}: {exc.strerror or exc}", err=True
        )
        sys.exit(_EXIT_REFUSED)


def _echo_already_loaded(file: object, earlier: dict) -> None:
    click.echo(
        f"{file}: already loaded as {_batch_text(earlier)}; nothing changed "
        "(--force loads it again)."
    )


def _refuse(exc: InputError, rejects: Path | None) -> None:
    click.echo("Import refused: nothing was written.", err=True)
    click.echo(exc.report(), err=True)
    if rejects is not None:
        n = _write_rejects(exc.all_problems, rejects)
        click.echo(f"All {n:,} problem(s) are listed in {rejects}.", err=True)
    elif exc.total > len(exc.problems):
        click.echo("Use --rejects FILE to get every problem as a CSV.", err=True)
    sys.exit(_EXIT_REFUSED)


def _not_ready(exc: StoreNotReady) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(_EXIT_REFUSED)


def _default_rejects(first: Path) -> Path:
    return Path.cwd() / f"{first.stem}.rejects.csv"


def _batch_text(earlier: dict) -> str:
    when = earlier["loaded_at"]
    stamp = local_text(when) if hasattr(when, "astimezone") else str(when)
    return f"batch #{earlier['id']} ({earlier['file_name']}, {stamp}, {earlier['loaded_by']})"


_files = click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
_file = click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
_skip = click.option(
    "--skip-invalid",
    is_flag=True,
    help="Write the valid rows and list the refused ones in a rejects CSV.",
)


def _writable_rejects_path(_ctx, _param, value: Path | None) -> Path | None:  # type: ignore[no-untyped-def]
    """Refuse an unwritable rejects path before anything is imported, not after."""
    if value is not None:
        folder = value.resolve().parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise click.BadParameter(
                f"cannot write {value}: folder {folder} is missing or read-only"
            )
    return value


_rejects = click.option(
    "--rejects",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=_writable_rejects_path,
    help="Rejects CSV (file,line,column,value,expected). Default with --skip-invalid: "
    "FILE.rejects.csv in the current directory.",
)
_force = click.option(
    "--force", is_flag=True, help="Load a file again even if its checksum was loaded before."
)
_max_errors = click.option(
    "--max-errors",
    type=click.IntRange(1, 100_000),
    default=50,
    show_default=True,
    help="Problems shown on screen.",
)
_note = click.option("--note", help="A note stored with the load batch (e.g. the source).")


# ----------------------------------------------------------------- options per kind

_mapping = click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Statbank mapping (YAML); see data/mappings/kk_statistikbank_example.yaml.",
)
_checked_load = (_skip, _rejects, _force, _max_errors, _note)
_area_options = (
    click.option(
        "--level",
        required=True,
        type=click.Choice(AREA_LEVELS),
        help="The level every feature of the file is stored at.",
    ),
    click.option(
        "--vintage",
        type=click.IntRange(1990, 2100),
        help="Designation/geography year (2017, 2021, 2025 ...). Keeps this version of each "
        "area's geometry; needed for memberships.",
    ),
    click.option(
        "--code-field", default="code", show_default=True, help="Field with the area code."
    ),
    click.option("--name-field", default="name", show_default=True, help="Field with the name."),
    click.option("--layer", help="Layer to read (GeoPackages with several layers)."),
    click.option(
        "--member-of",
        multiple=True,
        metavar="CODE_OR_FIELD",
        help="Each feature is a member of this area (an area code, e.g. kbh) or of the area "
        "named in this field of the file (e.g. bydel_code), for --vintage. Repeatable.",
    ),
    click.option(
        "--members-from",
        type=click.Choice(AREA_LEVELS),
        help="Each feature is an aggregate of the stored areas of this level (usually rode) "
        "whose representative point lies inside it, for --vintage.",
    ),
)
_initiative_options = (
    click.option(
        "--vintage",
        metavar="YYYY-YYYY",
        help="Expected plan vintage (e.g. 2027-2028); the file must declare the same.",
    ),
)
_facility_options = (
    click.option(
        "--kind",
        required=True,
        help=(
            "Facility kind: legeplads, bibliotek, kulturhus, svoemning, idraetshal, boldbane, "
            "groent (green areas), vand (water), or a new lowercase code."
        ),
    ),
    click.option("--name-field", help="Attribute with the facility name (default: navn/name)."),
    click.option("--category-field", help="Attribute with a sub-type shown in tooltips."),
    click.option("--municipality-field", help="Attribute with the municipality (e.g. kommune)."),
    click.option("--year", type=int, help="Year the layer describes."),
    click.option("--source", help="Source and licence text stored with each facility."),
    click.option(
        "--append",
        is_flag=True,
        help="Add to the facilities of this kind instead of replacing them.",
    ),
)

_air_quality_options = (
    click.option(
        "--pollutant",
        required=True,
        help="Pollutant code of data/coverage.yaml: no2 or pm25.",
    ),
    click.option(
        "--crs",
        help="Coordinate system of a CSV's x,y (e.g. EPSG:25832, EPSG:4326); required for csv. "
        "For vector and geotiff only when the file declares none.",
    ),
    click.option(
        "--band",
        type=click.IntRange(min=1),
        help="GeoTIFF band with the concentrations (needed when the raster has several).",
    ),
    click.option("--x-field", help="CSV column with x (easting or longitude); default x."),
    click.option("--y-field", help="CSV column with y (northing or latitude); default y."),
    click.option(
        "--value-field", help="Column with the annual mean in µg/m³; default the pollutant code."
    ),
    click.option("--year", type=int, help="Year the concentrations describe."),
    click.option("--source", help="Source and licence text stored with the layer."),
    click.option(
        "--synthetic",
        is_flag=True,
        help="The layer is made-up demo data (its indicators are flagged synthetic).",
    ),
    _note,
)


# ----------------------------------------------------------------- reports per kind


def _report_indicators(report, files: tuple[Path, ...], rejects: Path | None) -> None:  # type: ignore[no-untyped-def]
    for f in report.files:
        if f.already_loaded:
            _echo_already_loaded(f.file, f.already_loaded)
            continue
        batch = f"batch #{f.batch_id}" if f.batch_id else "no batch (nothing changed)"
        new = f.written - f.revised
        click.echo(
            f"{f.file}: {f.rows_in_file:,} row(s): {new:,} new, {f.revised:,} revised, "
            f"{f.unchanged:,} unchanged, {f.rejected_rows:,} rejected -> {batch}"
        )
        for line in f.notes:
            click.echo(f"  note: {line}")
    if report.problems:
        target = rejects or _default_rejects(files[0])
        _write_rejects(report.problems, target)
        click.echo(
            f"Skipped {report.rejected:,} invalid line(s) ({len(report.problems):,} problem(s)); "
            f"reasons in {target}."
        )
    click.echo(
        f"Done: {report.written:,} written ({report.revised:,} revisions), "
        f"{report.unchanged:,} unchanged."
    )


def _report_areas(report, file: Path, rejects: Path | None) -> None:  # type: ignore[no-untyped-def]
    if report.already_loaded:
        _echo_already_loaded(report.file, report.already_loaded)
        return
    r = report.result
    batch = f"batch #{r.batch_id}" if r.batch_id else "no batch (nothing changed)"
    click.echo(
        f"{report.file} ({report.crs}): {report.features:,} feature(s): {r.inserted:,} new, "
        f"{r.updated:,} updated, {r.unchanged:,} unchanged, {report.rejected:,} rejected; "
        f"{r.versions:,} vintage version(s), {report.memberships:,} membership(s) -> {batch}"
    )
    if r.kept_newer:
        click.echo(
            f"  note: {len(r.kept_newer)} area(s) keep their newer vintage as current geometry "
            f"({', '.join(r.kept_newer[:5])}{' ...' if len(r.kept_newer) > 5 else ''})"
        )
    if report.problems:
        target = rejects or _default_rejects(file)
        _write_rejects(report.problems, target)
        click.echo(f"Skipped {report.rejected:,} invalid feature(s); reasons in {target}.")


def _report_state_lists(report, file: Path, rejects: Path | None) -> None:  # type: ignore[no-untyped-def]
    if report.already_loaded:
        _echo_already_loaded(report.file, report.already_loaded)
        return
    r = report.result
    batch = f"batch #{r.batch_id}" if r.batch_id else "no batch (nothing changed)"
    years = ", ".join(str(y) for y in r.list_years)
    click.echo(
        f"{report.file}: list year(s) {years}: {r.added:,} added, {r.retired:,} retired, "
        f"{r.unchanged:,} unchanged, {report.rejected:,} rejected -> {batch}"
    )
    if report.problems:
        target = rejects or _default_rejects(file)
        _write_rejects(report.problems, target)
        click.echo(f"Skipped {report.rejected:,} invalid line(s); reasons in {target}.")


def report_state_list_inputs(report, file: Path, rejects: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    """Print what ``keob import state-list-inputs`` (and its alias) wrote."""
    r = report.result
    click.echo(
        f"{report.file}: {r.written} rows written ({r.revised} revised), {r.unchanged} unchanged."
    )


def _report_initiatives(result, file: Path, rejects: Path | None) -> None:  # type: ignore[no-untyped-def]
    if result.unchanged:
        click.echo(f"Vintage {result.vintage} is already loaded from identical content.")
        return
    verb = "replaced (earlier load kept as retired)" if result.replaced else "loaded"
    click.echo(
        f"Vintage {result.vintage} {verb}: {result.initiatives} initiatives, "
        f"{result.further} further initiatives (batch #{result.batch_id})."
    )


def _report_facilities(report, file: Path, rejects: Path | None) -> None:  # type: ignore[no-untyped-def]
    verb = "Added" if report.appended else "Loaded"
    click.echo(
        f"{verb} {report.written} {report.kind} facilities from {report.file}. "
        "Run `keob coverage compute` to update the coverage indicators."
    )


def _report_air_quality(report, file: Path, rejects: Path | None) -> None:  # type: ignore[no-untyped-def]
    demo = " (synthetic demo data)" if report.synthetic else ""
    click.echo(
        f"Loaded {report.written:,} {report.pollutant} points from {report.file}{demo}. "
        "Run `keob coverage compute` to update the air-pollution indicators."
    )


def _indicator_hooks(files: tuple[Path, ...]) -> dict:
    click.echo(f"Checking {len(files)} file(s) ...", err=True)
    return {"progress": _progress, "after_chunk": _pause_hook()}


@dataclass(frozen=True)
class _KindCli:
    """The command-line side of one registry kind: its options and how it reports."""

    options: tuple[Callable, ...]
    report: Callable[..., None]
    hooks: Callable[..., dict] = lambda source: {}


_CLI: dict[str, _KindCli] = {
    "indicators": _KindCli((_mapping, *_checked_load), _report_indicators, _indicator_hooks),
    "areas": _KindCli((*_area_options, *_checked_load), _report_areas),
    "state-lists": _KindCli(_checked_load, _report_state_lists),
    "state-list-inputs": _KindCli((), report_state_list_inputs),
    "initiatives": _KindCli(_initiative_options, _report_initiatives),
    "facilities": _KindCli(_facility_options, _report_facilities),
    "air-quality": _KindCli(_air_quality_options, _report_air_quality),
}


def run_and_report(kind_name: str, source, options: dict, rejects: Path | None = None) -> None:  # type: ignore[no-untyped-def]
    """Run the pipeline of ``kind_name`` and print its report; refusals exit 1 (2 for an
    initiatives register, as before), wrong option combinations 2."""
    from indicators.services.imports import run_import
    from indicators.services.publish import publication_lag

    cli = _CLI[kind_name]
    options = {**options, **cli.hooks(source)}
    engine = make_engine()
    try:
        try:
            report = run_import(engine, kind_name, source, **options)
        except InputError as exc:
            _refuse(exc, rejects)
        except (RegisterError, UnknownReferenceError) as exc:
            _refuse_register(exc)
        except StoreNotReady as exc:
            _not_ready(exc)
        except UsageProblem as exc:
            raise click.UsageError(str(exc)) from None
        # The pipeline published after loading; say so when that did not happen.
        lag = publication_lag(engine)
    finally:
        engine.dispose()
    cli.report(report, source, rejects)
    if lag is not None:
        click.echo(f"Warning: not published: {lag}.", err=True)


def _refuse_register(exc: Exception) -> None:
    if isinstance(exc, RegisterError):
        click.echo(f"Not imported ({len(exc.problems)} problem(s)); nothing was written:", err=True)
        click.echo(str(exc), err=True)
    else:
        click.echo(f"Not imported; nothing was written: {exc}", err=True)
    sys.exit(_EXIT_USAGE)


def _command(spec: ImportKind) -> click.Command:
    """``keob import <spec.name>``: the registry's help and formats, this module's options."""

    def run(**options) -> None:  # type: ignore[no-untyped-def]
        source = options.pop("files" if spec.many_files else "file")
        rejects = options.pop("rejects", None)
        if "max_errors" in options:
            options["max_problems"] = options.pop("max_errors")
        run_and_report(spec.name, source, options, rejects)

    for option in reversed(_CLI[spec.name].options):
        run = option(run)
    if len(spec.formats) > 1:
        run = click.option(
            "--format",
            "fmt",
            type=click.Choice(list(spec.formats)),
            default=spec.default_format,
            show_default=True,
            help=" ".join(f"{name}: {f.description}." for name, f in spec.formats.items()),
        )(run)
    run = (_files if spec.many_files else _file)(run)
    return click.command(spec.name, help=spec.help)(run)


for _spec in KINDS.values():
    import_group.add_command(_command(_spec))


def echo_designations(engine) -> None:  # type: ignore[no-untyped-def]
    """Lines for `keob status`: designation vintages and state lists per list year."""
    from db import store

    vintages = store.membership_vintages(engine)
    click.echo("\nDesignation vintages (memberships): " + (", ".join(map(str, vintages)) or "none"))
    try:
        lists = store.read_state_lists(engine)
    except Exception:  # schema older than migration 0002
        return
    if lists.empty:
        click.echo("State lists: none loaded (keob import state-lists FILE)")
        return
    counts = lists.groupby(["list_year", "category"]).size()
    per_year: dict[int, list[str]] = {}
    for (year, category), n in counts.items():
        per_year.setdefault(int(year), []).append(f"{category} {n}")
    click.echo("State lists: " + "; ".join(f"{y}: {', '.join(c)}" for y, c in per_year.items()))
