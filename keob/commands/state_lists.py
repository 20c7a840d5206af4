"""`keob state-lists`: classify boligområder under the state-list rules, load inputs, demo data."""

from __future__ import annotations

from pathlib import Path

import click


def _write(frame, path: Path) -> None:  # type: ignore[no-untyped-def]
    """Write an output CSV; an unwritable path is a clean error, not a traceback."""
    from indicators.state_list_csv import write_output_csv

    try:
        write_output_csv(frame, path)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None


def register(main: click.Group) -> None:
    main.add_command(state_lists)


@click.group("state-lists")
def state_lists() -> None:
    """Statslisterne (almenboligloven § 61 a/b): klassifikation og tidlig varsling."""


def _rule_ids() -> list[str]:
    from indicators.state_lists import load_rules

    return list(load_rules().ids)


@state_lists.command("classify")
@click.argument("input_csv", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "output_csv",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Where to write the result (CSV, one row per input row).",
)
@click.option(
    "--rules",
    "rule_set",
    type=click.Choice(["2010", "2014", "2018", "2021"]),
    default=None,
    help="Use one rule set for every row (default: each row's list year chooses).",
)
def classify_command(input_csv: Path, output_csv: Path, rule_set: str | None) -> None:
    """Classify INPUT_CSV (area_id, year, residents, non_western_pct, outside_labour_pct,
    convicted_pct, national_convicted_pct, basic_education_pct, income_pct_of_region;
    percentages as numbers) and write categories, margins and risk to OUTPUT.

    Several years per area are allowed; the omdannelse rule (5 consecutive years on the
    list) and the trends of the early warning need them.
    """
    from indicators import state_lists as sl
    from indicators.importers.errors import InputError
    from indicators.importers.state_list_inputs import read_inputs_csv

    try:
        frame = read_inputs_csv(input_csv, rule_set=rule_set)
    except InputError as err:
        raise click.ClickException(
            f"{input_csv.name} was not classified; nothing was written.\n{err.report()}"
        ) from err
    result = sl.classify(frame, rule_set=rule_set)
    _write(result, output_csv)
    listed = result[list(sl.LISTED_CATEGORIES)].any(axis=1)
    click.echo(
        f"Classified {len(result):,} rows ({result['area_id'].nunique():,} areas, "
        f"{result['year'].min()}-{result['year'].max()}): {int(listed.sum())} on a state "
        f"list, {int((result['risk_level'] == 'high').sum())} at risk, "
        f"{int((~result['eligible']).sum())} not eligible (under 1,000 residents). "
        f"Wrote {output_csv}."
    )


@state_lists.command("import-inputs")
@click.argument("input_csv", type=click.Path(dir_okay=False, path_type=Path))
def import_command(input_csv: Path) -> None:
    """Load state-list *inputs* (criterion values per boligområde and year) from INPUT_CSV.

    New values become new revisions; nothing is lost. Not to be confused with
    `keob import state-lists`, which loads the published list *memberships*. The same
    as `keob import state-list-inputs`.
    """
    from keob.commands.imports import run_and_report

    run_and_report("state-list-inputs", input_csv, {})


@state_lists.command("demo")
@click.option(
    "-o",
    "--output",
    "output_csv",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
)
def demo_command(output_csv: Path) -> None:
    """Write the synthetic demo inputs (DEMODATA, not official statistics) as a CSV."""
    from indicators.state_list_demo import demo_inputs

    frame = demo_inputs()
    _write(frame, output_csv)
    click.echo(f"Wrote {len(frame):,} synthetic rows (demodata) to {output_csv}.")


@state_lists.command("rules")
def rules_command() -> None:
    """Print the rule sets (thresholds and operators as the law words them)."""
    from indicators.state_lists import load_rules

    rules = load_rules()
    for rs in rules.rule_sets.values():
        years = f"{rs.first_year}-{rs.last_year or ''}"
        click.echo(f"{rs.id} ({years}) {rs.name_da}")
        click.echo(f"  {rs.summary_da}")
        for tset, per in rs.thresholds.items():
            text = ", ".join(
                f"{crit} {t.op} {t.value:g}{' x national' if t.relative_to else ''}"
                for crit, t in per.items()
            )
            click.echo(f"  {tset}: {text}")
