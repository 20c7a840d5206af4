"""`keob`: the command line for administrations and operators."""

from __future__ import annotations

import sys

import click

from db import migrate, store
from db.engine import database_url, make_engine


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="keob")
def main() -> None:
    """KEOB: opfølgning på Københavns udsatte byområder.

    The store is chosen by DATABASE_URL (default: a SQLite file in var/).
    """


@main.group()
def db() -> None:
    """Create, upgrade or downgrade the store's schema (Alembic migrations)."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the schema to REVISION (default: head)."""
    migrate.upgrade(revision=revision)
    click.echo(f"Store at {_safe_url()} upgraded to {revision}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION (e.g. -1 or base)."""
    migrate.downgrade(revision=revision)
    click.echo(f"Store at {_safe_url()} downgraded to {revision}.")


@main.command("seed")
@click.option("--if-empty", is_flag=True, help="Do nothing when the store already has data.")
def seed_command(if_empty: bool) -> None:
    """Load the shipped data: real geography and series, and the flagged demo series."""
    from keob.seed import seed

    engine = make_engine()
    if if_empty and not store.is_empty(engine):
        click.echo("The store already has data; nothing loaded.")
        return
    summary = seed(engine, progress=lambda message: click.echo(f"• {message}"))
    click.echo(
        f"Loaded {summary.areas} areas, {summary.memberships} memberships, "
        f"{summary.real_rows:,} real and {summary.synthetic_rows:,} synthetic observations."
    )


@main.command("status")
def status_command() -> None:
    """What is loaded: batches, years, areas, indicators, synthetic or real.

    Load times are Copenhagen time with their UTC offset.
    """
    from indicators.times import local_text

    engine = make_engine()
    batches = store.read_batches(engine)
    areas = store.read_areas(engine)
    obs = store.read_observations(engine)
    click.echo(f"Store: {_safe_url()}")
    click.echo(f"Data version: {store.data_version(engine)}")
    if not batches.empty:
        click.echo(f"Last load: {local_text(batches['loaded_at'].max())}")
    click.echo(
        "Areas per level: "
        + ", ".join(f"{lvl} {n}" for lvl, n in areas.groupby("level").size().items())
    )
    if obs.empty:
        click.echo("No observations loaded. Run `keob seed` or `keob import indicators FILE`.")
    else:
        summary = (
            obs.groupby(["indicator", "synthetic"])
            .agg(rows=("year", "size"), first=("year", "min"), last=("year", "max"))
            .reset_index()
        )
        summary["synthetic"] = summary["synthetic"].map({True: "demodata", False: "real"})
        click.echo(summary.to_string(index=False))
    click.echo("\nBatches (Copenhagen time; paste a time into --as-of to see the store then):")
    if batches.empty:
        click.echo("  (none)")
    for b in batches.itertuples(index=False):
        click.echo(
            f"  #{b.id} {local_text(b.loaded_at)} {b.kind:<10} {b.file_name} "
            f"({b.rows_written} written, {b.rows_unchanged} unchanged) by {b.loaded_by}"
        )
    from keob.commands.imports import echo_designations

    echo_designations(engine)


def _register_command_modules() -> None:
    import importlib
    import pkgutil

    import keob.commands

    for module_info in sorted(pkgutil.iter_modules(keob.commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"keob.commands.{module_info.name}")
        module.register(main)


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(database_url()).render_as_string(hide_password=True)


_register_command_modules()

if __name__ == "__main__":
    sys.exit(main())
