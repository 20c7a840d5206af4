"""Long-CSV imports on SQLite and PostgreSQL: revisions, dedupe, as-of, provenance, rejects."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from import_support import make_store, run_cli, snapshot, write

from db import store
from indicators.services.imports import import_indicator_files

HEADER = "area_code,criterion,year,numerator,denominator\n"


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    eng = make_store(db_url)
    yield eng
    eng.dispose()


def _value(engine, area: str, criterion: str, year: int, as_of=None) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    obs = store.read_observations(engine, area_codes=[area], indicators=[criterion], as_of=as_of)
    row = obs[obs["year"] == year].iloc[0]
    return float(row.numerator), float(row.denominator), int(row.revision)


def test_import_writes_rows_with_provenance(engine, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(
        tmp_path / "tal_2024.csv",
        "area_code,criterion,year,numerator,denominator,source\n"
        "R1,indkomst,2024,10,100,DST\nR2,indkomst,2024,20.5,100,\nR3,befolkning,2024,1234,1,\n",
    )
    result = run_cli(db_url, "import", "indicators", str(path))
    assert result.exit_code == 0, result.output
    assert "3 new, 0 revised, 0 unchanged, 0 rejected" in result.output
    history = store.read_revisions(engine, ["R1", "R2"], "indkomst")
    assert history["file_name"].unique().tolist() == ["tal_2024.csv"]
    assert history["checksum"].iloc[0] == store.file_checksum(path)
    assert history["source_format"].iloc[0] == "long"
    assert history["loaded_by"].iloc[0].endswith("(keob)")
    assert history["source_line"].tolist() == [2, 3]
    assert history["source"].iloc[0] == "DST" and history["source"].isna().iloc[1]
    assert _value(engine, "R2", "indkomst", 2024) == (20.5, 100.0, 1)


def test_same_file_twice_changes_nothing(engine, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "a.csv", HEADER + "R1,indkomst,2024,10,100\nR2,indkomst,2024,20,100\n")
    assert run_cli(db_url, "import", "indicators", str(path)).exit_code == 0
    before = snapshot(engine)
    version = store.data_version(engine)
    again = run_cli(db_url, "import", "indicators", str(path))
    assert again.exit_code == 0
    assert "already loaded as batch" in again.output
    assert snapshot(engine) == before
    # Same values in another file (other order, other name): detected by values.
    other = write(
        tmp_path / "b.csv", HEADER + "R2,indkomst,2024,20.0,100\nR1,indkomst,2024,1e1,100\n"
    )
    third = run_cli(db_url, "import", "indicators", str(other))
    assert third.exit_code == 0
    assert "0 new, 0 revised, 2 unchanged" in third.output
    assert "no batch (nothing changed)" in third.output
    assert snapshot(engine) == before
    assert store.data_version(engine) == version
    # --force reads the file again, and values still decide.
    forced = run_cli(db_url, "import", "indicators", "--force", str(path))
    assert "2 unchanged" in forced.output
    assert snapshot(engine) == before


def test_changed_value_is_a_new_revision_and_as_of_reproduces_the_old(
    engine, db_url: str, tmp_path: Path
) -> None:
    first = write(
        tmp_path / "v1.csv", HEADER + "R1,indkomst,2024,10,100\nR2,indkomst,2024,20,100\n"
    )
    assert run_cli(db_url, "import", "indicators", str(first)).exit_code == 0
    between = datetime.now(UTC)
    time.sleep(0.01)
    second = write(
        tmp_path / "v2.csv", HEADER + "R1,indkomst,2024,12,100\nR2,indkomst,2024,20,100\n"
    )
    result = run_cli(db_url, "import", "indicators", str(second))
    assert "0 new, 1 revised, 1 unchanged" in result.output
    assert _value(engine, "R1", "indkomst", 2024) == (12.0, 100.0, 2)
    assert _value(engine, "R1", "indkomst", 2024, as_of=between) == (10.0, 100.0, 1)
    revisions = store.read_revisions(engine, ["R1"], "indkomst")
    assert revisions["numerator"].tolist() == [10.0, 12.0]
    assert revisions["file_name"].tolist() == ["v1.csv", "v2.csv"]
    # Loading v1 again (after v2) is refused by checksum; --force restores it as revision 3.
    again = run_cli(db_url, "import", "indicators", str(first))
    assert "already loaded" in again.output
    assert _value(engine, "R1", "indkomst", 2024)[2] == 2
    forced = run_cli(db_url, "import", "indicators", "--force", str(first))
    assert "1 revised" in forced.output
    assert _value(engine, "R1", "indkomst", 2024) == (10.0, 100.0, 3)


def test_several_files_one_transaction(engine, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    a = write(tmp_path / "a.csv", HEADER + "R1,indkomst,2024,10,100\n")
    b = write(tmp_path / "b.csv", HEADER + "R1,indkomst,2024,10,100\nR2,doemte,2024,1,100\n")
    bad = write(tmp_path / "c.csv", HEADER + "R3,doemte,2024,x,100\n")
    before = snapshot(engine)
    refused = run_cli(db_url, "import", "indicators", str(a), str(b), str(bad))
    assert refused.exit_code == 1
    assert snapshot(engine) == before
    ok = run_cli(db_url, "import", "indicators", str(a), str(b))
    assert ok.exit_code == 0, ok.output
    # The identical key in a.csv and b.csv is written once (from the first file).
    assert len(store.read_revisions(engine, ["R1"], "indkomst")) == 1
    batches = store.read_batches(engine)
    assert batches["file_name"].tolist()[-2:] == ["a.csv", "b.csv"]


def test_skip_invalid_writes_valid_rows_and_rejects(
    engine, db_url: str, tmp_path: Path, monkeypatch
) -> None:
    path = write(
        tmp_path / "mixed.csv",
        HEADER + "R1,indkomst,2024,10,100\nR2,indkomst,20x4,10,100\nR999,indkomst,2024,1,2\n"
        "R3,indkomst,2024,5,50\nR4,indkomst,2024,-1,50\n",
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli(db_url, "import", "indicators", "--skip-invalid", str(path))
    assert result.exit_code == 0, result.output
    assert "2 new, 0 revised, 0 unchanged, 3 rejected" in result.output
    assert "Skipped 3 invalid line(s)" in result.output
    rejects = (tmp_path / "mixed.rejects.csv").read_bytes().decode("utf-8")
    assert rejects.startswith("file,line,column,value,expected\r\n")
    assert "mixed.csv,3,year,20x4,a whole year between 1990 and 2100" in rejects
    assert "mixed.csv,4,area_code,R999," in rejects
    assert "mixed.csv,6,numerator,-1," in rejects
    obs = store.read_observations(engine, indicators=["indkomst"])
    assert sorted(obs["area_code"]) == ["R1", "R3"]
    note = store.read_batches(engine)["note"].iloc[-1]
    assert "3 line(s) rejected" in note
    # A file loaded with rejects is not "already loaded": fixed areas can come later.
    again = run_cli(db_url, "import", "indicators", "--skip-invalid", str(path))
    assert "already loaded" not in again.output
    assert "2 unchanged, 3 rejected" in again.output


def test_statbank_example_imports(engine, db_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from import_support import MAPPING, STATBANK

    data = STATBANK / "kk_arbejdsmarked_example.csv"
    args = ["import", "indicators", "--format", "statbank", "--mapping", str(MAPPING), str(data)]
    result = run_cli(db_url, *args)
    assert result.exit_code == 0, result.output
    assert "59 new" in result.output
    assert "1 area-year(s) skipped because a figure was suppressed" in result.output
    obs = store.read_observations(engine, area_codes=["B3"], indicators=["arbejdsmarked"])
    assert obs["year"].tolist() == [2023, 2024]
    assert obs["source"].iloc[0].startswith("Københavns Kommunes Statistikbank (eksempel)")
    batch = store.read_batches(engine).iloc[-1]
    assert batch["note"].startswith("statbank mapping kk_statistikbank_example.yaml")
    assert "already loaded" in run_cli(db_url, *args).output
    # The same file with another mapping is read again (the mapping decides the values).
    mapping2 = tmp_path / "other.yaml"
    mapping2.write_text(
        MAPPING.read_text(encoding="utf-8").replace(
            '"Bydel - Nørrebro": B3', '"Bydel - Nørrebro": B3\n  "Lokaludvalg - Nørrebro": B3'
        ),
        encoding="utf-8",
    )
    other = run_cli(
        db_url,
        "import",
        "indicators",
        "--format",
        "statbank",
        "--mapping",
        str(mapping2),
        str(data),
    )
    assert other.exit_code == 0, other.output
    assert "already loaded" not in other.output
    # B3 now sums two labels: 2 years x 2 criteria revised.
    assert "4 revised" in other.output


def test_importer_api_without_cli(engine) -> None:  # type: ignore[no-untyped-def]
    from import_support import BAD

    with pytest.raises(Exception) as info:
        import_indicator_files(engine, [BAD / "unknown_area.csv"])
    assert "R999" in str(info.value)


def test_store_not_migrated_is_a_clear_error(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    path = write(tmp_path / "a.csv", HEADER + "R1,indkomst,2024,10,100\n")
    result = run_cli(url, "import", "indicators", str(path))
    assert result.exit_code == 1
    assert "keob db upgrade" in result.output
