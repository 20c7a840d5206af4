"""`keob export indicators` and indicators.export: exact CSV bytes, filters, as-of, vintages."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from import_support import make_store, run_cli, write

from db import store
from indicators.export import EXPORT_COLUMNS, write_csv
from indicators.services.export import indicator_export_frame
from indicators.services.monitor import Monitor, UnknownVintageError
from indicators.times import local_text
from keob.commands.export import parse_as_of

HEADER = "area_code,criterion,year,numerator,denominator\n"


@pytest.fixture
def loaded(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    engine = make_store(db_url)
    path = write(
        tmp_path / "tal.csv",
        HEADER + "R1,indkomst,2024,10,100\nR2,indkomst,2024,30,100\nR3,indkomst,2024,20,100\n"
        "R4,indkomst,2024,20,100\nR1,befolkning,2024,1200,1\nR2,befolkning,2024,800,1\n"
        "R3,befolkning,2024,1000,1\nR4,befolkning,2024,1000,1\n",
    )
    assert run_cli(db_url, "import", "indicators", str(path)).exit_code == 0
    yield engine
    engine.dispose()


def test_export_bytes_are_exact(loaded, db_url: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(db_url, "export", "indicators", "--level", "rode", "--criterion", "indkomst")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == (
        b"area_code,area_name,level,criterion,year,numerator,denominator,value,"
        b"rest_of_city_value,city_value,gap,synthetic\r\n"
        b"R1,Rode 1,rode,indkomst,2024,10,100,10.0,23.3,20.0,-13.3,false\r\n"
        b"R2,Rode 2,rode,indkomst,2024,30,100,30.0,16.7,20.0,13.3,false\r\n"
        b"R3,Rode 3,rode,indkomst,2024,20,100,20.0,20.0,20.0,0.0,false\r\n"
        b"R4,Rode 4,rode,indkomst,2024,20,100,20.0,20.0,20.0,0.0,false\r\n"
    )
    bydel = run_cli(db_url, "export", "indicators", "--level", "bydel", "--criterion", "indkomst")
    assert bydel.stdout_bytes.splitlines()[1:] == [
        b"B3,Bydel B3,bydel,indkomst,2024,40,200,20.0,20.0,20.0,0.0,false",
        b"B5,Bydel B5,bydel,indkomst,2024,40,200,20.0,20.0,20.0,0.0,false",
    ]


def test_rounding_gap_and_filters(loaded) -> None:  # type: ignore[no-untyped-def]
    frame = indicator_export_frame(Monitor(loaded), "rode", ["indkomst"], 2024, 2024)
    assert list(frame.columns) == EXPORT_COLUMNS
    r1 = frame.set_index("area_code").loc["R1"]
    # R1 10 %, the rest (30 + 20 + 20) / 300 = 23.33 %: gap -13.33 rounded to 1 decimal.
    assert (r1.value, r1.rest_of_city_value, r1.city_value, r1.gap) == (10.0, 23.3, 20.0, -13.3)
    assert indicator_export_frame(Monitor(loaded), "rode", ["indkomst"], 2025).empty
    with pytest.raises(KeyError, match="nope"):
        indicator_export_frame(Monitor(loaded), "rode", ["nope"])


def test_export_as_of_reproduces_an_earlier_state(loaded, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    before = run_cli(
        db_url, "export", "indicators", "--level", "rode", "--criterion", "indkomst"
    ).stdout_bytes
    stamp = datetime.now(UTC)
    time.sleep(0.01)
    revised = write(tmp_path / "rettelse.csv", HEADER + "R1,indkomst,2024,15,100\n")
    assert run_cli(db_url, "import", "indicators", str(revised)).exit_code == 0
    now = run_cli(
        db_url, "export", "indicators", "--level", "rode", "--criterion", "indkomst"
    ).stdout_bytes
    assert now != before
    then = run_cli(
        db_url,
        "export",
        "indicators",
        "--level",
        "rode",
        "--criterion",
        "indkomst",
        "--as-of",
        stamp.isoformat(),
    ).stdout_bytes
    assert then == before
    # The same moment given in Copenhagen time selects the same state (SQLite too).
    local = stamp.astimezone(ZoneInfo("Europe/Copenhagen"))
    frame = indicator_export_frame(Monitor(loaded), "rode", ["indkomst"], as_of=local)
    assert frame.set_index("area_code").loc["R1", "numerator"] == 10


def test_as_of_before_the_first_load_says_so(loaded, db_url: str) -> None:  # type: ignore[no-untyped-def]
    long_ago = run_cli(db_url, "export", "indicators", "--level", "rode", "--as-of", "2000-01-01")
    assert long_ago.exit_code == 2
    assert "the store held nothing before" in long_ago.output
    assert "no rows matched" not in long_ago.output
    first = store.read_batches(loaded)["loaded_at"].min()
    assert local_text(first) in long_ago.output


def test_export_to_file_with_bom(loaded, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ud.csv"
    result = run_cli(db_url, "export", "indicators", "--level", "city", "-o", str(out), "--bom")
    assert result.exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfarea_code,")
    # The city has no "rest of the city": empty fields, never 0 or NaN.
    assert b"kbh,K\xc3\xb8benhavn,city,indkomst,2024,80,400,20.0,,20.0,,false\r\n" in data


def test_usage_errors_exit_2(loaded, db_url: str) -> None:  # type: ignore[no-untyped-def]
    assert (
        run_cli(db_url, "export", "indicators", "--level", "rode", "--criterion", "nope").exit_code
        == 2
    )
    assert run_cli(db_url, "export", "indicators", "--level", "planet").exit_code == 2
    assert run_cli(db_url, "export", "indicators").exit_code == 2
    assert (
        run_cli(db_url, "export", "indicators", "--level", "rode", "--as-of", "igår").exit_code == 2
    )
    r = run_cli(
        db_url,
        "export",
        "indicators",
        "--level",
        "rode",
        "--year-from",
        "2024",
        "--year-to",
        "2020",
    )
    assert r.exit_code == 2


def test_write_csv_quotes_and_text_streams() -> None:
    frame = pd.DataFrame(
        {
            "area_code": ["A1"],
            "area_name": ['Blå "gård", 2'],
            "numerator": [1.5],
            "synthetic": [True],
        }
    )
    text = io.StringIO(newline="")
    write_csv(frame, text)
    assert (
        text.getvalue()
        == 'area_code,area_name,numerator,synthetic\r\nA1,"Blå ""gård"", 2",1.5,true\r\n'
    )
    binary = io.BytesIO()
    write_csv(frame, binary)
    assert binary.getvalue() == text.getvalue().encode("utf-8")


def test_as_of_dates_are_copenhagen_days() -> None:
    # The end of 3 February 2025 in Copenhagen (UTC+1) is 22:59:59.999999 UTC.
    assert parse_as_of("2025-02-03") == datetime(2025, 2, 3, 22, 59, 59, 999999, tzinfo=UTC)
    assert parse_as_of("2025-07-01T12:00") == datetime(2025, 7, 1, 10, 0, tzinfo=UTC)
    assert parse_as_of("2025-07-01T12:00+00:00") == datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    # A naive time is Copenhagen wall-clock time; Z and +HHMM are instants.
    assert parse_as_of("2025-07-01 12:00:05.25") == datetime(
        2025, 7, 1, 10, 0, 5, 250000, tzinfo=UTC
    )
    assert parse_as_of("2025-07-01T12:00Z") == datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    assert parse_as_of("2025-07-01T14:00+0200") == datetime(2025, 7, 1, 12, 0, tzinfo=UTC)
    for bad in ("2025-07-01T12", "1. juli 2025", "2025-02-30", "9999-12-31T23:00-05:00"):
        with pytest.raises(ValueError):
            parse_as_of(bad)


def test_local_text_is_copenhagen_time_with_offset() -> None:
    assert local_text(datetime(2026, 12, 3, 12, 5, 12)) == "2026-12-03 13:05:12+01:00"
    summer = datetime(2026, 7, 3, 12, 5, 12, 345678, tzinfo=UTC)
    assert local_text(summer) == "2026-07-03 14:05:12.345678+02:00"
    assert parse_as_of(local_text(summer)) == summer


def test_a_time_copied_from_status_selects_exactly_that_batch(
    loaded, db_url: str, tmp_path: Path
) -> None:
    revised = write(tmp_path / "rettelse.csv", HEADER + "R1,indkomst,2024,15,100\n")
    assert run_cli(db_url, "import", "indicators", str(revised)).exit_code == 0
    status = run_cli(db_url, "status")
    assert status.exit_code == 0, status.output
    lines = {line.split()[0]: line.split() for line in status.output.splitlines() if "#" in line}
    batches = store.read_batches(loaded)
    tal = int(batches.loc[batches["file_name"] == "tal.csv", "id"].iloc[0])
    date_part, time_part = lines[f"#{tal}"][1:3]
    assert time_part[-6:] in ("+01:00", "+02:00")  # Copenhagen time with its offset
    copied = f"{date_part} {time_part}"
    then = run_cli(
        db_url, "export", "indicators", "--level", "rode", "--criterion", "indkomst",
        "--as-of", copied,
    )  # fmt: skip
    assert then.exit_code == 0, then.output
    assert b"R1,Rode 1,rode,indkomst,2024,10,100," in then.stdout_bytes  # tal.csv, not rettelse


def test_unknown_vintage_is_a_usage_error(loaded, db_url: str) -> None:  # type: ignore[no-untyped-def]
    args = ("export", "indicators", "--level", "bydel", "--criterion", "indkomst")
    assert run_cli(db_url, *args, "--vintage", "2021").exit_code == 0
    result = run_cli(db_url, *args, "--vintage", "2025")
    assert result.exit_code == 2
    assert "designation vintage 2025 is not stored; stored: 2021" in result.output
    assert result.stdout_bytes.count(b"B3,") == 0  # not the 2021 areas under another name
    with pytest.raises(UnknownVintageError, match="stored: 2021"):
        indicator_export_frame(Monitor(loaded), "bydel", ["indkomst"], vintage=2025)
