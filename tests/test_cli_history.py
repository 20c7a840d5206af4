"""`keob history AREA CRITERION`: every revision with its batch, as-of and aggregates."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from import_support import make_store, run_cli, write

from db import store
from indicators.times import local_text

HEADER = "area_code,criterion,year,numerator,denominator\n"


@pytest.fixture
def revised(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_store(db_url)
    v1 = write(
        tmp_path / "v1.csv",
        HEADER + "R1,doemte,2023,5,500\nR1,doemte,2024,6,500\nR2,doemte,2024,4,400\n",
    )
    v2 = write(tmp_path / "v2.csv", HEADER + "R1,doemte,2024,7,500\n")
    assert run_cli(db_url, "import", "indicators", str(v1)).exit_code == 0
    stamp = datetime.now(UTC)
    time.sleep(0.01)
    assert run_cli(db_url, "import", "indicators", str(v2)).exit_code == 0
    yield engine, stamp
    engine.dispose()


def test_history_lists_every_revision_with_its_batch(revised, db_url: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(db_url, "history", "R1", "doemte")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("R1 / doemte")
    body = [line.split() for line in lines[2:]]
    # year revision current numerator denominator value batch ...
    assert [(r[0], r[1]) for r in body] == [("2023", "1"), ("2024", "1"), ("2024", "2")]
    assert body[1][2] != "*" and body[2][2] == "*"
    assert "v1.csv" in lines[3] and "v2.csv" in lines[4]
    csv = run_cli(db_url, "history", "R1", "doemte", "--csv", "-").output
    assert csv.splitlines()[0].startswith(
        "year,revision,numerator,denominator,value,synthetic,current,batch_id"
    )
    assert ",v2.csv," in csv and ",2,1.40,false,true," not in csv
    assert "2024,2,7,500,1.40,false,true," in csv


def test_history_as_of(revised, db_url: str) -> None:  # type: ignore[no-untyped-def]
    _, stamp = revised
    csv = run_cli(
        db_url, "history", "R1", "doemte", "--csv", "-", "--as-of", stamp.isoformat()
    ).output
    rows = csv.splitlines()[1:]
    assert len(rows) == 2 and all(",v1.csv," in r for r in rows)
    assert "2024,1,6,500,1.20,false,true," in csv


def test_history_of_an_aggregate(revised, db_url: str) -> None:  # type: ignore[no-untyped-def]
    csv = run_cli(db_url, "history", "B3", "doemte", "--csv", "-").output
    rows = csv.splitlines()[1:]
    # B3 = R1 + R2. 2024: 10/900 from v1, then 11/900 after v2.
    assert [r.split(",")[:5] for r in rows] == [
        ["2023", "1", "5", "500", "1.00"],
        ["2024", "1", "10", "900", "1.11"],
        ["2024", "2", "11", "900", "1.22"],
    ]
    assert rows[2].split(",")[10] == "v2.csv"


def test_unknown_area_or_criterion(revised, db_url: str) -> None:  # type: ignore[no-untyped-def]
    r = run_cli(db_url, "history", "R999", "doemte")
    assert r.exit_code == 1 and "unknown area R999" in r.output
    r = run_cli(db_url, "history", "R1", "nope")
    assert r.exit_code == 1 and "unknown criterion nope" in r.output
    assert run_cli(db_url, "history", "R1").exit_code == 2
    empty = run_cli(db_url, "history", "R3", "doemte")
    assert empty.exit_code == 0 and "No values stored" in empty.output


def test_history_times_are_copenhagen_with_offset(revised, db_url: str) -> None:  # type: ignore[no-untyped-def]
    engine, _ = revised
    result = run_cli(db_url, "history", "R1", "doemte")
    assert result.exit_code == 0, result.output
    v2 = store.read_batches(engine).set_index("file_name").loc["v2.csv", "loaded_at"]
    assert local_text(v2) in result.output


def test_history_refuses_a_vintage_that_is_not_stored(revised, db_url: str) -> None:  # type: ignore[no-untyped-def]
    assert run_cli(db_url, "history", "B3", "doemte", "--vintage", "2021").exit_code == 0
    result = run_cli(db_url, "history", "B3", "doemte", "--vintage", "2030")
    assert result.exit_code == 2
    assert "designation vintage 2030 is not stored; stored: 2021" in result.output


def test_history_as_of_before_the_first_load(revised, db_url: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(db_url, "history", "R1", "doemte", "--as-of", "1999-12-31")
    assert result.exit_code == 2
    assert "the store held nothing before" in result.output
