"""`keob import ...`: load indicator figures, area files and state lists into the store.

Exit codes: 0 imported (or nothing new to import), 1 the input was refused (nothing
written) or the store is not ready, 2 wrong usage.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from db.engine import make_engine
from db.importing import StoreNotReady
from db.models import AREA_LEVELS
from indicators.importers.errors import InputError
from indicators.times import local_text

#: Test hook: when set, an indicator import pauses after its first written chunk (inside
#: the open transaction), touches this file and sleeps, so a test can kill it there.
PAUSE_ENV = "KEOB_IMPORT_PAUSE_FILE"

_EXIT_REFUSED = 1


def register(main: click.Group) -> None:
    existing = main.commands.get("import")
    if isinstance(existing, click.Group) and existing is not import_group:
        # Another module made the group first: add our sub-commands to it.
        for name, command in import_group.commands.items():
            existing.add_command(command, name)
        existing.help = import_group.help
        return
    main.add_command(import_group)


@click.group("import")
def import_group() -> None:
    """Load indicator figures, area files and state lists into the store.

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
    from indicators.importers.pipeline import write_rejects

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


@import_group.command("indicators")
@_files
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["long", "statbank"]),
    default="long",
    show_default=True,
    help="long: area_code,criterion,year,numerator,denominator[,source]. "
    "statbank: a KK Statistikbank / DST StatBank CSV export, read with --mapping.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Statbank mapping (YAML); see data/mappings/kk_statistikbank_example.yaml.",
)
@_skip
@_rejects
@_force
@_max_errors
@_note
def import_indicators(
    files: tuple[Path, ...],
    fmt: str,
    mapping: Path | None,
    skip_invalid: bool,
    rejects: Path | None,
    force: bool,
    max_errors: int,
    note: str | None,
) -> None:
    """Import indicator figures from one or more FILES (one transaction for all).

    \b
    Examples:
      keob import indicators indikatorer_2024.csv
      keob import indicators --format statbank --mapping kk.yaml BEF5.csv RAS.csv
      keob import indicators --skip-invalid --rejects afviste.csv data.csv

    A changed figure for an area, criterion and year becomes a new revision; earlier
    revisions are kept (see keob history).
    """
    from indicators.importers.pipeline import import_indicator_files

    if fmt == "statbank" and mapping is None:
        raise click.UsageError("--format statbank needs --mapping MAP")
    if fmt == "long" and mapping is not None:
        raise click.UsageError("--mapping only applies to --format statbank")
    engine = make_engine()
    click.echo(f"Checking {len(files)} file(s) ...", err=True)
    try:
        report = import_indicator_files(
            engine,
            list(files),
            fmt=fmt,
            mapping=mapping,
            skip_invalid=skip_invalid,
            force=force,
            progress=_progress,
            after_chunk=_pause_hook(),
            max_problems=max_errors,
            note=note,
        )
    except InputError as exc:
        _refuse(exc, rejects)
    except StoreNotReady as exc:
        _not_ready(exc)
    finally:
        engine.dispose()
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


@import_group.command("areas")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--level",
    required=True,
    type=click.Choice(AREA_LEVELS),
    help="The level every feature of the file is stored at.",
)
@click.option(
    "--vintage",
    type=click.IntRange(1990, 2100),
    help="Designation/geography year (2017, 2021, 2025 ...). Keeps this version of each "
    "area's geometry; needed for memberships.",
)
@click.option("--code-field", default="code", show_default=True, help="Field with the area code.")
@click.option("--name-field", default="name", show_default=True, help="Field with the name.")
@click.option("--layer", help="Layer to read (GeoPackages with several layers).")
@click.option(
    "--member-of",
    multiple=True,
    metavar="CODE_OR_FIELD",
    help="Each feature is a member of this area (an area code, e.g. kbh) or of the area "
    "named in this field of the file (e.g. bydel_code), for --vintage. Repeatable.",
)
@click.option(
    "--members-from",
    type=click.Choice(AREA_LEVELS),
    help="Each feature is an aggregate of the stored areas of this level (usually rode) "
    "whose representative point lies inside it, for --vintage.",
)
@_skip
@_rejects
@_force
@_max_errors
@_note
def import_areas(
    file: Path,
    level: str,
    vintage: int | None,
    code_field: str,
    name_field: str,
    layer: str | None,
    member_of: tuple[str, ...],
    members_from: str | None,
    skip_invalid: bool,
    rejects: Path | None,
    force: bool,
    max_errors: int,
    note: str | None,
) -> None:
    """Import areas from a GeoJSON, GeoPackage or Shapefile FILE.

    \b
    Examples:
      keob import areas roder_2026.gpkg --level rode --code-field rode_nr \\
          --name-field rodenavn --vintage 2026 --member-of kbh --member-of bydel_code
      keob import areas udsatte_2025.geojson --level udsat_byomraade --vintage 2025 \\
          --members-from rode

    The file must declare its CRS (any CRS; geometry is stored in EPSG:4326, checks in
    EPSG:25832). Invalid, empty or non-polygon geometries, geometries outside Denmark and
    duplicate codes are refused.
    """
    from indicators.importers.pipeline import import_area_file

    if (member_of or members_from) and vintage is None:
        raise click.UsageError("--member-of and --members-from need --vintage YEAR")
    engine = make_engine()
    try:
        report = import_area_file(
            engine,
            file,
            level=level,
            vintage=vintage,
            code_field=code_field,
            name_field=name_field,
            layer=layer,
            member_of=member_of,
            members_from=members_from,
            skip_invalid=skip_invalid,
            force=force,
            max_problems=max_errors,
            note=note,
        )
    except InputError as exc:
        _refuse(exc, rejects)
    except StoreNotReady as exc:
        _not_ready(exc)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        engine.dispose()
    if report.already_loaded:
        _echo_already_loaded(report.file, report.already_loaded)
        return
    r = report.result
    assert r is not None
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


@import_group.command("state-lists")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_skip
@_rejects
@_force
@_max_errors
@_note
def import_state_lists(
    file: Path,
    skip_invalid: bool,
    rejects: Path | None,
    force: bool,
    max_errors: int,
    note: str | None,
) -> None:
    """Import state-list memberships from a CSV FILE (area_code,list_year,category).

    Categories: udsat, parallelsamfund, omdannelse, forebyggelse (lists since 2021) and
    ghetto, haard_ghetto (until 2020). Each list year in the file replaces what the store
    held for it; replaced rows are kept as history, not deleted.
    """
    from indicators.importers.pipeline import import_state_list_file

    engine = make_engine()
    try:
        report = import_state_list_file(
            engine, file, skip_invalid=skip_invalid, force=force, max_problems=max_errors, note=note
        )
    except InputError as exc:
        _refuse(exc, rejects)
    except StoreNotReady as exc:
        _not_ready(exc)
    finally:
        engine.dispose()
    if report.already_loaded:
        _echo_already_loaded(report.file, report.already_loaded)
        return
    r = report.result
    assert r is not None
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
