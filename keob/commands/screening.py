"""`keob screening run`: the designation screening (status and dynamics index) as CSV."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from db.engine import make_engine


def register(main: click.Group) -> None:
    main.add_command(screening_group)


@click.group("screening")
def screening_group() -> None:
    """Designation screening: status and dynamics index over roder or kvarterer."""


@screening_group.command("run")
@click.option("--year", type=click.IntRange(1990, 2100), help="Year (default: the newest).")
@click.option(
    "--level",
    type=click.Choice(["rode", "kvarter"]),
    default="rode",
    show_default=True,
    help="Base units to screen.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Parameters (default: data/screening.yaml).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Output CSV (default: standard output).",
)
def screening_run(
    year: int | None, level: str, config_path: Path | None, output: Path | None
) -> None:
    """Screen every unit of LEVEL: status and dynamic index and class, the proposed
    designation (contiguous groups above the threshold) against the current one, and the
    criteria that drive each change.

    \b
    One row per unit; columns: area_code, area_name, level, year, population,
    classified, reason, n_criteria, status_index, status_class, dynamic_index,
    dynamic_class, current, current_area, selected, group, group_population, proposed,
    change (enter/leave/stay/none), driver_1..3 (+ _z), z_<criterion>, dz_<criterion>.
    Figures are the published (disclosure-controlled) ones. Method: docs/screening.md.
    Example:
      keob screening run --year 2025 --level rode -o screening.csv
    """
    from indicators import screening
    from indicators.services.monitor import Monitor

    try:
        config = screening.load_config(str(config_path) if config_path else None)
    except screening.ScreeningConfigError as exc:
        raise click.BadParameter(str(exc), param_hint="--config") from None
    engine = make_engine()
    try:
        try:
            result = screening.run(Monitor(engine), year=year, level=level, config=config)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    frame = screening.export_frame(result)
    if output is None:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        frame.to_csv(output, index=False, lineterminator="\n", encoding="utf-8")
    s = result.summary()
    classes = ", ".join(f"{k} {v}" for k, v in s["status_classes"].items())
    click.echo(
        f"Screened {s['units']} {level} units in {s['year']}: {classes}. Proposed "
        f"{s['proposed']} units in {s['proposed_groups']} groups; current {s['current']}; "
        f"enter {s['enter']}, leave {s['leave']}, stay {s['stay']}."
        + (f" Wrote {output}." if output else ""),
        err=True,
    )
