"""`keob report --year 2025 --out rapport-2025.pdf`: the yearly follow-up report as PDF."""

from __future__ import annotations

from pathlib import Path

import click

from db.engine import make_engine
from indicators.services.monitor import Monitor


def register(main: click.Group) -> None:
    main.add_command(report_command)


@click.command("report")
@click.option("--year", type=int, required=True, help="The report year (a year in the store).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The PDF file to write.",
)
@click.option("--lang", type=click.Choice(["da", "en"]), default="da", show_default=True)
@click.option(
    "--base-url",
    help="Print from this running app (e.g. http://127.0.0.1:8050) instead of starting one "
    "on 127.0.0.1 for the store in DATABASE_URL.",
)
def report_command(year: int, out: Path, lang: str, base_url: str | None) -> None:
    """Write the yearly report of the whole policy as an A4 PDF.

    The report is the app's page /rapport/YEAR (the eight criteria against the rest of the
    city, the state lists, coverage, the initiatives, sources), printed by headless
    Chromium (/usr/bin/chromium, or KEOB_CHROMIUM).
    """
    from keob.report import ReportError, make_report

    if not base_url:
        years = Monitor(make_engine()).years()
        if year not in years:
            stored = f"{years[0]}–{years[-1]}" if years else "none (run `keob seed`)"
            raise click.UsageError(f"--year {year} is not in the store; stored years: {stored}")
    try:
        make_report(year, lang, out, base_url)
    except ReportError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Wrote {out} ({out.stat().st_size:,} bytes).")
