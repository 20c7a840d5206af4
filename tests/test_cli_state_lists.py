"""`keob state-lists classify|import|demo|rules` end to end through click."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from keob.cli import main

HEADER = (
    "area_id,year,residents,non_western_pct,outside_labour_pct,convicted_pct,"
    "national_convicted_pct,basic_education_pct,income_pct_of_region"
)


def _write(tmp_path: Path, lines: list[str], name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_classify_writes_one_row_per_input_with_true_false(tmp_path: Path) -> None:
    src = _write(
        tmp_path,
        [
            "a,2022,1000,55,40.01,0.5,0.73,30,50",  # udsat (2 of 4) + >50 % -> parallelsamfund
            "b,2022,999,55,40.01,0.5,0.73,30,50",  # same, but not eligible
            "c,2022,2000,35,35,1.46,0.73,30,60",  # forebyggelse: 3 at the lower limits
            "d,2015,2000,55,45,2.71,,50.01,60",  # 2014 rules: ghetto; national not needed
            "e,2022,2000,55,40,2.19,0.73,30,60",  # 3 x national exactly, 40 % exactly: 1 of 4
        ],
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["state-lists", "classify", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Classified 5 rows" in result.output
    rows = {r["area_id"]: r for r in _read(out)}
    assert list(rows) == ["a", "b", "c", "d", "e"]
    first = rows["a"]
    for column in ("area_id", "year", "rules", "eligible", "criteria_met", "udsat",
                   "parallelsamfund", "omdannelse", "forebyggelse", "ghetto",
                   "margin_udsat_outside_labour", "margin_forebyggelse_outside_labour",
                   "risk_level", "risk_reasons"):  # fmt: skip
        assert column in first
    assert (first["rules"], first["eligible"], first["udsat"], first["parallelsamfund"]) == (
        "2021", "true", "true", "true",
    )  # fmt: skip
    assert first["ghetto"] == "false" and first["residents"] == "1000"
    assert first["margin_udsat_outside_labour"] == "-0.01"
    assert (rows["b"]["eligible"], rows["b"]["udsat"], rows["b"]["category"]) == (
        "false", "false", "ikke_omfattet",
    )  # fmt: skip
    assert rows["c"]["forebyggelse"] == "true" and rows["c"]["udsat"] == "false"
    assert (rows["d"]["rules"], rows["d"]["ghetto"], rows["d"]["criteria_met"]) == (
        "2014",
        "true",
        "4",
    )
    assert rows["d"]["margin_forebyggelse_outside_labour"] == ""  # not applicable in 2015
    assert (rows["e"]["criteria_met"], rows["e"]["met_udsat_convicted"]) == ("1", "true")
    assert rows["e"]["met_udsat_outside_labour"] == "false"


def test_rules_option_forces_one_rule_set(tmp_path: Path) -> None:
    src = _write(tmp_path, ["a,2022,2000,55,45,0.5,0.73,30,50"])
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(
        main, ["state-lists", "classify", str(src), "-o", str(out), "--rules", "2018"]
    )
    assert result.exit_code == 0, result.output
    row = _read(out)[0]
    assert (row["rules"], row["ghetto"], row["parallelsamfund"]) == ("2018", "true", "false")
    bad = CliRunner().invoke(
        main, ["state-lists", "classify", str(src), "-o", str(out), "--rules", "2019"]
    )
    assert bad.exit_code != 0 and "2019" in bad.output


def test_bad_rows_name_file_line_column_value_and_expected(tmp_path: Path) -> None:
    src = _write(
        tmp_path,
        [
            "a,2022,1000,55,40,2.1,0.73,30,50",
            "b,2022,1000.5,55,4O,2.1,,30,50",
            "c,2009,1000,120,40,2.1,0.73,30,50",
            "a,2022,1000,55,40,2.1,0.73,30,50",
        ],
        name="statsliste.csv",
    )
    out = tmp_path / "out.csv"
    result = CliRunner().invoke(main, ["state-lists", "classify", str(src), "-o", str(out)])
    assert result.exit_code == 1
    assert not out.exists()
    text = result.output
    assert "nothing was written" in text
    assert 'statsliste.csv, line 3, column residents: got "1000.5"; expected a whole number' in text
    assert 'statsliste.csv, line 3, column outside_labour_pct: got "4O"' in text
    assert (
        "line 3, column national_convicted_pct: got empty; expected a percentage (the 2021 rules"
        in text
    )
    assert 'line 4, column year: got "2009"; expected a list year from 2010' in text
    assert (
        'line 4, column non_western_pct: got "120"; expected a percentage between 0 and 100' in text
    )
    assert "line 5, column year" in text and "each area_id and year once" in text


def test_header_problems(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(
        HEADER.replace("residents", "beboere") + "\na,2022,1000,1,1,1,1,1,1\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        main, ["state-lists", "classify", str(path), "-o", str(tmp_path / "o.csv")]
    )
    assert result.exit_code == 1 and "residents" in result.output
    missing = CliRunner().invoke(
        main, ["state-lists", "classify", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "o.csv")]
    )
    assert missing.exit_code == 1 and "nope.csv" in missing.output


def test_demo_then_classify_then_import_into_the_store(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    runner = CliRunner()
    demo = tmp_path / "demo.csv"
    assert runner.invoke(main, ["state-lists", "demo", "-o", str(demo)]).exit_code == 0
    out = tmp_path / "out.csv"
    result = runner.invoke(main, ["state-lists", "classify", str(demo), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = _read(out)
    assert len(rows) == len(_read(demo)) and all(r["synthetic"] == "true" for r in rows)
    assert runner.invoke(main, ["db", "upgrade"]).exit_code == 0
    first = runner.invoke(main, ["state-lists", "import-inputs", str(demo)])
    assert first.exit_code == 0, first.output
    assert f"{len(rows)} rows written" in first.output
    again = runner.invoke(main, ["state-lists", "import-inputs", str(demo)])
    assert "0 rows written" in again.output and f"{len(rows)} unchanged" in again.output


def test_rules_command_lists_the_four_rule_sets() -> None:
    result = CliRunner().invoke(main, ["state-lists", "rules"])
    assert result.exit_code == 0
    for rid in ("2010 (2010-2013)", "2014 (2014-2017)", "2018 (2018-2020)", "2021 (2021-)"):
        assert rid in result.output
    assert "convicted >= 3 x national" in result.output


def test_unwritable_output_is_a_clean_error_not_a_traceback(tmp_path: Path) -> None:
    target = tmp_path / "missing_dir" / "out.csv"
    result = CliRunner().invoke(main, ["state-lists", "demo", "-o", str(target)])
    assert result.exit_code == 1
    assert f"cannot write {target}" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
