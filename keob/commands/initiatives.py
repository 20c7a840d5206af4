"""`keob initiatives list`: the action plan's register (`keob import initiatives` loads it)."""

from __future__ import annotations

import sys

import click

from db import initiatives_store
from db.engine import make_engine
from indicators import initiatives as ini
from indicators.services import initiatives as register_store


def _group(main: click.Group, name: str, help_text: str) -> click.Group:
    """The sub-group ``name`` of ``main``, created if no other module made it yet."""
    existing = main.commands.get(name)
    if isinstance(existing, click.Group):
        return existing
    group = click.Group(name, help=help_text)
    main.add_command(group)
    return group


@click.command("list")
@click.option("--vintage", metavar="YYYY-YYYY", help="Plan vintage (default: the newest).")
@click.option("--goal", type=click.Choice(["1", "2"]), multiple=True, help="Goal (mål).")
@click.option(
    "--focus",
    type=click.Choice(list(ini.FOCUS_AREAS)),
    multiple=True,
    help="Focus area code.",
)
@click.option(
    "--administration",
    type=click.Choice(list(ini.ADMINISTRATIONS)),
    multiple=True,
    help="Responsible administration.",
)
@click.option("--funded/--unfunded", default=None, help="Only funded or only unfunded.")
@click.option("--area", metavar="CODE", help="Initiatives running in an area (e.g. B8, K21005).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "counts"]),
    default="table",
    show_default=True,
)
def list_initiatives(
    vintage: str | None,
    goal: tuple[str, ...],
    focus: tuple[str, ...],
    administration: tuple[str, ...],
    funded: bool | None,
    area: str | None,
    fmt: str,
) -> None:
    """List the initiatives of a loaded vintage, with filters."""
    from db import store

    engine = make_engine()
    register = register_store.read_register(engine, vintage)
    if register is None:
        loaded = initiatives_store.read_vintages(engine)["vintage"].tolist()
        click.echo(
            f"No initiatives loaded for {vintage or 'any vintage'} (loaded: {loaded or 'none'}). "
            "Run `keob import initiatives FILE` or `keob seed`.",
            err=True,
        )
        sys.exit(1)
    frame = ini.initiatives_frame(register)
    area_ids = None
    matches = None
    if area:
        membership = store.read_membership(engine)
        areas = store.read_areas(engine, levels=["rode", "boligomraade"], with_geometry=True)
        full = _with_almene(membership, areas)
        matches = ini.initiatives_for_area(register, area, full)
        area_ids = matches["id"].tolist()
    frame = ini.filter_initiatives(
        frame,
        goals=[int(g) for g in goal] or None,
        focus_areas=list(focus) or None,
        administrations=list(administration) or None,
        funded=funded,
        area_ids=area_ids,
    )
    if fmt == "csv":
        sys.stdout.write(ini.to_csv_bytes(register, frame).decode("utf-8"))
        return
    if fmt == "counts":
        counts = ini.funding_counts(frame)
        click.echo(counts[["goal", "focus_area_name", "funded", "unfunded"]].to_string(index=False))
        return
    click.echo(
        f"{register.title} ({register.status}): {len(frame)} of "
        f"{len(register.initiatives)} initiatives"
    )
    match_of = {} if matches is None else dict(zip(matches["id"], matches["match"], strict=True))
    for row in frame.itertuples(index=False):
        mark = "finansieret" if row.funded else "UFINANSIERET"
        extra = f"  [{ini.MATCH_LABELS_DA[match_of[row.id]]}]" if row.id in match_of else ""
        click.echo(
            f"{row.id:<8} mål {row.goal}  {row.focus_area:<9} {mark:<12} "
            f"{', '.join(row.administrations):<20} {row.title}{extra}"
        )


def _with_almene(membership, areas):  # type: ignore[no-untyped-def]
    import pandas as pd

    extra = ini.almene_rode_membership(areas)
    return pd.concat([membership[["aggregate_code", "member_code"]], extra], ignore_index=True)


def register(main: click.Group) -> None:
    group = _group(main, "initiatives", "The action plan's initiatives (handleplan).")
    group.add_command(list_initiatives)
