"""`keob publish`: compute the disclosure-controlled tables once and store them."""

from __future__ import annotations

import sys

import click
from sqlalchemy.exc import SQLAlchemyError

from db import publications
from db.engine import make_engine
from indicators.services.publish import PublishError, publish
from indicators.times import local_text


def register(main: click.Group) -> None:
    main.add_command(publish_command)


@click.command("publish")
@click.option(
    "--if-needed",
    is_flag=True,
    help="Do nothing when the current publication was made from the store's data under "
    "the current rules.",
)
@click.option("--list", "list_only", is_flag=True, help="List the publications and stop.")
def publish_command(if_needed: bool, list_only: bool) -> None:
    """Publish: compute every published table (all levels and designation vintages,
    disclosure control, classified state lists) and make it the one the app serves.

    Imports and `keob seed` publish by themselves; run this after changing the rules
    (data/disclosure.yaml, data/criteria.yaml, data/state_list_rules.yaml) or when an
    import reported that publishing failed. A failure leaves the previous publication in
    force. Earlier publications are kept, so --as-of reproduces them.
    """
    engine = make_engine()
    if list_only:
        for p in publications.list_publications(engine):
            click.echo(
                f"#{p.id} {p.status:<10} {local_text(p.published_at)} data version "
                f"{p.data_version} ({p.rows_written:,} rows, {p.seconds:.1f} s)"
            )
        return
    try:
        report = publish(engine, if_needed=if_needed)
    except (PublishError, SQLAlchemyError, OSError) as exc:
        # A full disk or a lost store: nothing of the new publication was committed.
        click.echo(f"Not published: {exc}. The previous publication stays in force.", err=True)
        sys.exit(1)
    made = report.publication
    verb = "Published" if report.created else "Already published"
    click.echo(
        f"{verb}: publication #{made.id}, data version {made.data_version}, "
        f"{made.rows_written:,} rows, {report.seconds:.1f} s."
    )
