"""`keob history AREA CRITERION`: every revision of a series, with the batch behind it."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

import click

from db.engine import make_engine
from indicators.times import local_text
from keob.commands.export import AS_OF, check_selection


def register(main: click.Group) -> None:
    main.add_command(history_command)


@click.command("history")
@click.argument("area")
@click.argument("criterion")
@click.option(
    "--as-of",
    type=AS_OF,
    help="Only what the store held then: a date, a Copenhagen date-time or an ISO 8601 "
    "time with offset (e.g. a load time from `keob status`).",
)
@click.option(
    "--vintage",
    type=click.IntRange(1990, 2100),
    help="Designation vintage for aggregate areas (default: the newest); must be a stored "
    "one (see `keob status`).",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write the history as CSV to this file ('-' for standard output).",
)
def history_command(
    area: str,
    criterion: str,
    as_of: datetime | None,
    vintage: int | None,
    csv_path: Path | None,
) -> None:
    """Every revision of AREA's CRITERION series: value, batch, file, time and who loaded it.

    Load times are Copenhagen time with their UTC offset.

    \b
    Examples:
      keob history R101 arbejdsmarked
      keob history ub-noerrebro indkomst --vintage 2021 --as-of 2025-02-03
    """
    from indicators.export import write_csv
    from indicators.services.export import series_history
    from indicators.services.monitor import Monitor

    engine = make_engine()
    try:
        monitor = Monitor(engine)
        check_selection(monitor, as_of, vintage)
        frame = series_history(monitor, area, criterion, as_of=as_of, vintage=vintage)
    except KeyError as exc:
        click.echo(f"Error: {exc.args[0]}", err=True)
        sys.exit(1)
    finally:
        engine.dispose()
    if csv_path is not None:
        if str(csv_path) == "-":
            write_csv(frame, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            try:
                with open(csv_path, "w", encoding="utf-8", newline="") as fh:
                    write_csv(frame, fh)
            except OSError as exc:
                raise click.ClickException(
                    f"cannot write {csv_path}: {exc.strerror or exc}"
                ) from None
            click.echo(f"Wrote {len(frame):,} row(s) to {csv_path}.", err=True)
        return
    if frame.empty:
        click.echo(f"No values stored for {area} / {criterion}.")
        return
    shown = frame.copy()
    shown["loaded_at"] = shown["loaded_at"].map(
        lambda t: local_text(t) if hasattr(t, "astimezone") else str(t)
    )
    shown["current"] = shown["current"].map({True: "*", False: ""})
    shown["synthetic"] = shown["synthetic"].map({True: "demo", False: ""})
    shown["source_line"] = shown["source_line"].map(
        lambda v: "" if v is None or v != v else str(int(v))
    )
    columns = [
        "year",
        "revision",
        "current",
        "numerator",
        "denominator",
        "value",
        "synthetic",
        "batch_id",
        "loaded_at",
        "file_name",
        "source_line",
        "loaded_by",
    ]
    in_force = f" as of {local_text(as_of)}" if as_of else ""
    click.echo(f"{area} / {criterion}  (* = in force{in_force})")
    click.echo(shown[columns].to_string(index=False))
