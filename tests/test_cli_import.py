"""The import commands' contract: --help everywhere, exit codes, progress, status."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from import_support import BAD, make_store, run_cli, write

from keob.cli import main

MY_COMMANDS = [
    ["import"],
    ["import", "indicators"],
    ["import", "areas"],
    ["import", "state-lists"],
    ["export"],
    ["export", "indicators"],
    ["history"],
    ["status"],
]


@pytest.mark.parametrize("path", MY_COMMANDS, ids=" ".join)
def test_help(path: list[str], tmp_path: Path) -> None:
    result = run_cli(f"sqlite:///{tmp_path / 'x.sqlite'}", *path, "--help")
    assert result.exit_code == 0
    assert "Usage: keob " + " ".join(path) in result.output


def test_every_command_has_help_text() -> None:
    def walk(group: click.Group, prefix: str) -> list[str]:
        missing = []
        for name, command in group.commands.items():
            if not (command.help or command.short_help):
                missing.append(prefix + name)
            if isinstance(command, click.Group):
                missing += walk(command, prefix + name + " ")
        return missing

    mine = click.Group(commands={n: main.commands[n] for n in ("import", "export", "history")})
    assert walk(mine, "") == []


def test_exit_codes(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_store(sqlite_url)
    good = write(
        tmp_path / "ok.csv",
        "area_code,criterion,year,numerator,denominator\nR1,indkomst,2024,1,10\n",
    )
    assert run_cli(sqlite_url, "import", "indicators", str(good)).exit_code == 0
    assert (
        run_cli(sqlite_url, "import", "indicators", str(BAD / "year_too_late.csv")).exit_code == 1
    )
    usage = [
        ["import", "indicators"],
        ["import", "indicators", str(tmp_path / "missing.csv")],
        ["import", "indicators", "--format", "statbank", str(good)],
        ["import", "indicators", "--format", "xlsx", str(good)],
        ["import", "indicators", "--mapping", str(BAD / "mapping_malformed.yaml"), str(good)],
        ["import", "areas", str(good)],
        ["import", "areas", str(good), "--level", "planet"],
        ["import", "areas", str(good), "--level", "bydel", "--vintage", "1700"],
        ["import", "state-lists"],
    ]
    for args in usage:
        result = run_cli(sqlite_url, *args)
        assert result.exit_code == 2, (args, result.output)
    engine.dispose()


def test_status_shows_vintages_and_state_lists(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_store(sqlite_url)
    lists = write(
        tmp_path / "l.csv", "area_code,list_year,category\nR1,2024,udsat\nR2,2024,udsat\n"
    )
    assert run_cli(sqlite_url, "import", "state-lists", str(lists)).exit_code == 0
    result = run_cli(sqlite_url, "status")
    assert result.exit_code == 0, result.output
    assert "Designation vintages (memberships): 2021" in result.output
    assert "State lists: 2024: udsat 2" in result.output
    engine.dispose()


def test_progress_bar_is_drawn(sqlite_url: str, tmp_path: Path) -> None:
    engine = make_store(sqlite_url)
    rows = "".join(f"R1,indkomst,{y},1,10\n" for y in range(1990, 2101))
    path = write(tmp_path / "many.csv", "area_code,criterion,year,numerator,denominator\n" + rows)
    result = run_cli(sqlite_url, "import", "indicators", str(path))
    assert result.exit_code == 0
    assert "Writing" in result.stderr
    assert "111 new" in result.stdout
    engine.dispose()
