"""`keob export indicators`: the indicator table as CSV (the same export as the app's)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from db import store
from db.engine import make_engine
from db.models import AREA_LEVELS
from indicators.times import local_text, nothing_before, parse_as_of

__all__ = ["AS_OF", "check_selection", "parse_as_of"]

AS_OF_FORMS = (
    "a date (YYYY-MM-DD: the end of that day), a Copenhagen date-time "
    "(YYYY-MM-DD HH:MM[:SS]) or an ISO 8601 date-time with offset (...+01:00 or ...Z)"
)


class AsOf(click.ParamType):
    """A date (the end of that day, Copenhagen time), a Copenhagen date-time, or an ISO
    8601 date-time with offset; converted to UTC."""

    name = "DATE"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, datetime):
            return value
        try:
            return parse_as_of(str(value))
        except ValueError:
            self.fail(f"{str(value)!r} is not {AS_OF_FORMS}", param, ctx)


def check_selection(monitor, as_of: datetime | None, vintage: int | None) -> None:  # type: ignore[no-untyped-def]
    """Usage errors (exit code 2) for a designation vintage that is not stored and for an
    as-of time before the store's first load, instead of a silently different or empty
    table."""
    from indicators.services.monitor import UnknownVintageError

    try:
        monitor.check_vintage(vintage)
    except UnknownVintageError as exc:
        raise click.BadParameter(str(exc), param_hint="--vintage") from None
    if as_of is None:
        return
    first = store.first_load_time(monitor.engine)
    if first is not None and as_of < first:
        raise click.BadParameter(
            f"{local_text(as_of)} is too early: {nothing_before(first)}", param_hint="--as-of"
        )


AS_OF = AsOf()


def register(main: click.Group) -> None:
    main.add_command(export_group)


@click.group("export")
def export_group() -> None:
    """Export tables from the store as CSV (RFC 4180, UTF-8)."""


@export_group.command("indicators")
@click.option("--level", required=True, type=click.Choice(AREA_LEVELS), help="Area level.")
@click.option(
    "--criterion",
    "criteria",
    multiple=True,
    metavar="CODE",
    help="Criterion code from data/criteria.yaml (repeatable; default: all).",
)
@click.option("--year-from", type=click.IntRange(1990, 2100), help="First year.")
@click.option("--year-to", type=click.IntRange(1990, 2100), help="Last year.")
@click.option(
    "--as-of",
    type=AS_OF,
    help="What the store held then: a date (end of that day, Copenhagen time), a "
    "Copenhagen date-time or an ISO 8601 time with offset (a load time from `keob status`). "
    "Reproduces an earlier publication exactly.",
)
@click.option(
    "--vintage",
    type=click.IntRange(1990, 2100),
    help="Designation vintage of the areas (default: the newest); must be a stored one "
    "(see `keob status`).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Output file (default: standard output).",
)
@click.option("--bom", is_flag=True, help="Start the file with a UTF-8 BOM (for Excel).")
def export_indicators(
    level: str,
    criteria: tuple[str, ...],
    year_from: int | None,
    year_to: int | None,
    as_of: datetime | None,
    vintage: int | None,
    output: Path | None,
    bom: bool,
) -> None:
    """Export every area of LEVEL with its values, the rest of the city and the gap.

    \b
    Columns: area_code, area_name, level, criterion, year, numerator, denominator,
    value, rest_of_city_value, city_value, gap, synthetic.
    Example:
      keob export indicators --level udsat_byomraade --criterion indkomst \\
          --year-from 2015 --as-of 2025-02-03 -o udsatte.csv
    """
    from indicators.export import write_csv
    from indicators.registry import load_registry
    from indicators.services.export import indicator_export_frame
    from indicators.services.monitor import Monitor

    registry = load_registry()
    unknown = [c for c in criteria if c not in registry]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(unknown)} (known: {', '.join(registry)})", param_hint="--criterion"
        )
    if year_from and year_to and year_from > year_to:
        raise click.UsageError("--year-from is after --year-to")
    engine = make_engine()
    try:
        monitor = Monitor(engine)
        check_selection(monitor, as_of, vintage)
        frame = indicator_export_frame(
            monitor,
            level,
            criteria=list(criteria) or None,
            year_from=year_from,
            year_to=year_to,
            as_of=as_of,
            vintage=vintage,
        )
    finally:
        engine.dispose()
    if output is None:
        write_csv(frame, sys.stdout.buffer, bom=bom)
        sys.stdout.buffer.flush()
    else:
        try:
            with open(output, "w", encoding="utf-8", newline="") as fh:
                write_csv(frame, fh, bom=bom)
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
        click.echo(f"Wrote {len(frame):,} row(s) to {output}.", err=True)
    if frame.empty:
        click.echo("Note: no rows matched (is anything loaded for that level?).", err=True)
