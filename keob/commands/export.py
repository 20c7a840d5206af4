"""`keob export indicators`: the indicator table as CSV (the same export as the app's)."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from db.engine import make_engine
from db.models import AREA_LEVELS

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


class AsOf(click.ParamType):
    """A date (YYYY-MM-DD: the end of that day, Copenhagen time) or an ISO date-time."""

    name = "DATE"

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        if isinstance(value, datetime):
            return value
        return parse_as_of(str(value), self, param, ctx)


def parse_as_of(text: str, kind=None, param=None, ctx=None) -> datetime:  # type: ignore[no-untyped-def]
    """'2025-02-03' -> the last moment of that day in Copenhagen, as UTC."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            local = datetime.combine(day + timedelta(days=1), time.min, LOCAL_TZ)
            return (local - timedelta(microseconds=1)).astimezone(UTC)
        moment = datetime.fromisoformat(text)
    except ValueError:
        message = f"{text!r} is not a date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)"
        if kind is not None:
            kind.fail(message, param, ctx)
        raise click.BadParameter(message) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment.astimezone(UTC)


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
    help="What the store held then: a date (end of that day, Copenhagen time) or a "
    "date-time. Reproduces an earlier publication exactly.",
)
@click.option(
    "--vintage",
    type=click.IntRange(1990, 2100),
    help="Designation vintage of the areas (default: the newest).",
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
    from indicators.export import indicator_export_frame, write_csv
    from indicators.monitor import Monitor
    from indicators.registry import load_registry

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
        frame = indicator_export_frame(
            Monitor(engine),
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
