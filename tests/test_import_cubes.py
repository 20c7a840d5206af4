"""PC-Axis and JSON-stat tables are imported through the statbank mapping exactly like the
statbank CSV export of the same table; bad cubes are refused naming file and cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from import_support import MAPPING, STATBANK, make_store, run_cli
from sqlalchemy import Engine

from db import store
from indicators.importers.registry import KINDS
from indicators.services import imports

SMALL = STATBANK / "kk_arbejdsmarked_small"
PX = SMALL.with_suffix(".px")
JSONSTAT = SMALL.with_suffix(".json")
SUPPRESSED_CELL = (
    "cell 33 (OMRKK=Nørrebro - Haraldsgade-kvarteret, "
    "BEGREB=Uden for arbejde og uddannelse (fuldtidspersoner) 18-64 år, TID=2023)"
)


@pytest.fixture
def engine(sqlite_url: str):  # type: ignore[no-untyped-def]
    engine = make_store(sqlite_url)
    yield engine
    engine.dispose()


def _observations(engine: Engine) -> list[tuple]:
    obs = store.read_observations(engine)
    columns = ["area_code", "indicator", "year", "numerator", "denominator", "source"]
    return sorted(map(tuple, obs[columns].itertuples(index=False)))


@pytest.mark.parametrize(
    ("fmt", "path"),
    [("statbank", SMALL.with_suffix(".csv")), ("px", PX), ("jsonstat", JSONSTAT)],
)
def test_each_format_loads_with_one_command(fmt: str, path: Path, sqlite_url: str) -> None:
    engine = make_store(sqlite_url)
    options = ["--format", fmt]
    result = run_cli(
        sqlite_url, "import", "indicators", *options, "--mapping", str(MAPPING), str(path)
    )
    assert result.exit_code == 0, result.output
    assert "19 new" in result.output
    assert "1 area-year(s) skipped because a figure was suppressed" in result.output
    assert len(_observations(engine)) == 19
    engine.dispose()


def test_the_same_table_as_csv_px_and_jsonstat_gives_identical_observations(
    tmp_path: Path,
) -> None:
    stored = []
    for fmt, path in (("statbank", SMALL.with_suffix(".csv")), ("px", PX), ("jsonstat", JSONSTAT)):
        engine = make_store(f"sqlite:///{tmp_path / (fmt + '.db')}")
        imports.run_import(engine, "indicators", [path], fmt=fmt, mapping=MAPPING)
        stored.append(_observations(engine))
        engine.dispose()
    assert stored[0] == stored[1] == stored[2]
    assert len(stored[0]) == 19
    assert ("B3", "arbejdsmarked", 2024, 7882.30, 62639.0) in [r[:5] for r in stored[0]]


def test_the_format_follows_the_file_ending_unless_given() -> None:
    kind = KINDS["indicators"]
    assert kind.detect_format(None, ["a.px", "B.PX"]) == "px"
    assert kind.detect_format("long", ["a.json"]) == "jsonstat"
    assert kind.detect_format(None, ["a.px", "b.json"]) == "long"  # mixed: say --format
    assert kind.detect_format(None, ["a.csv"]) == "long"
    assert kind.detect_format("statbank", ["a.px"]) == "statbank"


def test_a_px_file_is_found_by_its_ending_on_the_command_line(engine, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(sqlite_url, "import", "indicators", "--mapping", str(MAPPING), str(PX))
    assert result.exit_code == 0, result.output
    assert "19 new" in result.output


def test_a_utf8_px_file_reads_like_the_windows_1252_one(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = PX.read_bytes().decode("cp1252").replace('"windows-1252"', '"utf-8"')
    utf8 = tmp_path / "utf8.px"
    utf8.write_bytes(text.encode("utf-8"))
    undeclared = tmp_path / "undeclared.px"
    undeclared.write_bytes(text.replace('CODEPAGE="utf-8";\r\n', "").encode("utf-8"))
    latin1 = tmp_path / "latin1.px"
    latin1.write_bytes(text.replace('"utf-8"', '"iso-8859-1"').encode("latin-1"))
    for path in (utf8, undeclared, latin1):
        report = imports.run_import(engine, "indicators", [path], fmt="px", mapping=MAPPING)
        assert report.files[0].valid_rows == 19, path.name


def _px(tmp_path: Path, name: str, old: str, new: str) -> Path:
    text = PX.read_bytes().decode("cp1252")
    assert old in text
    path = tmp_path / name
    path.write_bytes(text.replace(old, new, 1).encode("cp1252"))
    return path


def _jsonstat(tmp_path: Path, name: str, change) -> Path:  # type: ignore[no-untyped-def]
    doc = json.loads(JSONSTAT.read_text(encoding="utf-8"))
    change(doc)
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _refused(engine: Engine, path: Path, fmt: str) -> str:
    before = _observations(engine)
    batches = len(store.read_batches(engine))
    with pytest.raises(imports.REFUSED) as refused:
        imports.run_import(engine, "indicators", [path], fmt=fmt, mapping=MAPPING)
    assert _observations(engine) == before and len(store.read_batches(engine)) == batches
    return str(refused.value)


def _add_dimension(doc: dict) -> None:
    doc["id"].insert(0, "KØN")
    doc["size"].insert(0, 2)
    doc["dimension"]["KØN"] = {
        "label": "køn",
        "category": {"index": {"M": 0, "K": 1}, "label": {"M": "Mænd", "K": "Kvinder"}},
    }
    doc["value"] = doc["value"] * 2
    doc.pop("status")


def test_a_dimension_the_mapping_does_not_know_is_refused(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    px = _px(
        tmp_path,
        "koen.px",
        'STUB="område","begreb";',
        'STUB="køn","område","begreb";\r\nVALUES("køn")="Mænd","Kvinder";',
    )
    px.write_bytes(px.read_bytes().replace(b"DATA=\r\n", b"DATA=\r\n" + b"1 " * 36))
    message = _refused(engine, px, "px")
    assert 'koen.px, column dimension køn: got "Mænd, Kvinder"' in message
    assert "only dimensions that mapping kk_statistikbank_example.yaml uses" in message
    message = _refused(engine, _jsonstat(tmp_path, "koen.json", _add_dimension), "jsonstat")
    assert 'koen.json, column dimension KØN: got "Mænd, Kvinder"' in message


def test_a_missing_area_dimension_is_refused(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    px = _px(tmp_path, "omr.px", 'VARIABLECODE("område")="OMRKK"', 'VARIABLECODE("område")="OMR"')
    message = _refused(engine, px, "px")
    assert 'omr.px, column dimensions: got "OMR, BEGREB, TID"' in message
    assert "the dimension(s) OMRKK of mapping" in message


def test_a_windows_1252_file_declared_utf8_is_refused(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    px = _px(tmp_path, "kodetabel.px", '"windows-1252"', '"utf-8"')
    message = _refused(engine, px, "px")
    assert 'kodetabel.px, line 10: got "byte 0xe6"; expected text in utf-8' in message


def test_undecodable_bytes_are_refused(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    px = tmp_path / "bytes.px"
    px.write_bytes(PX.read_bytes().replace(b"Besk\xe6ftigelse", b"Besk\x81ftigelse", 1))
    assert 'bytes.px, line 10: got "byte 0x81"; expected text in cp1252' in _refused(
        engine, px, "px"
    )
    js = tmp_path / "bytes.json"
    js.write_bytes(JSONSTAT.read_text(encoding="utf-8").encode("cp1252"))
    assert 'bytes.json, line 4: got "byte 0xe6"; expected text in utf-8' in _refused(
        engine, js, "jsonstat"
    )


def test_suppressed_cells_are_skipped_and_named_and_nil_is_zero(engine) -> None:  # type: ignore[no-untyped-def]
    report = imports.run_import(engine, "indicators", [PX], fmt="px", mapping=MAPPING)
    notes = report.files[0].notes
    assert any("suppressed (., .., empty): " + SUPPRESSED_CELL in n for n in notes), notes
    obs = store.read_observations(engine, area_codes=["K20405"], indicators=["arbejdsmarked"])
    assert obs["year"].tolist() == [2024]  # 2023 is "..": missing, not 0


@pytest.mark.parametrize("fmt", ["px", "jsonstat"])
def test_nil_is_imported_as_zero(engine, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    if fmt == "px":
        path = _px(tmp_path, "nil.px", '".." 1212.43', '".." "-"')
    else:

        def nil(doc: dict) -> None:
            doc["value"][33] = None
            doc["status"]["33"] = "-"

        path = _jsonstat(tmp_path, "nil.json", nil)
    imports.run_import(engine, "indicators", [path], fmt=fmt, mapping=MAPPING)
    obs = store.read_observations(engine, area_codes=["K20405"], indicators=["arbejdsmarked"])
    assert obs[["year", "numerator"]].values.tolist() == [[2024, 0.0]]


def test_a_bad_figure_names_the_cell(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    message = _refused(engine, _px(tmp_path, "tal.px", '".." 1212.43', '"x" 1212.43'), "px")
    assert "tal.px, " + SUPPRESSED_CELL + ', column INDHOLD: got "x"' in message


def test_a_cell_the_store_refuses_names_the_cell(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def swap(doc: dict) -> None:  # the numerator above the denominator for Indre By 2024
        doc["value"][9] = 99999  # cell 10

    message = _refused(engine, _jsonstat(tmp_path, "andel.json", swap), "jsonstat")
    assert "andel.json, cell 10 (OMRKK=Bydel - Indre By, BEGREB=Uden for" in message


def test_a_cube_of_the_wrong_size_is_refused(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    message = _refused(engine, _px(tmp_path, "kort.px", "17925 10672 ;", "17925 ;"), "px")
    assert 'kort.px, column DATA: got "35 cells"; expected 36 cells (6 OMRKK x 3 BEGREB' in message


def test_not_a_jsonstat_dataset_is_refused(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "liste.json"
    path.write_text('{"class": "collection"}', encoding="utf-8")
    assert "liste.json: expected a JSON-stat 2.0 dataset" in _refused(engine, path, "jsonstat")
    path.write_text("{", encoding="utf-8")
    assert "liste.json, line 1: expected valid JSON" in _refused(engine, path, "jsonstat")
