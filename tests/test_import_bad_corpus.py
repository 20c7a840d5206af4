"""Every file in tests/data/bad is refused with a clear error, and the store is untouched.

Each case runs the real CLI (`keob import ...`) against one shared SQLite store: exit code
1, the expected words in the message (which names file, line, column, value and what
was expected), and a byte-for-byte identical store afterwards.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from import_support import BAD, MAPPING, make_store, run_cli, snapshot

from indicators.importers.errors import InputError
from indicators.importers.long_csv import parse_long_csv

# file -> (command arguments before the file, words the output must contain)
LONG = ("import", "indicators")
SB = ("import", "indicators", "--format", "statbank", "--mapping", str(MAPPING))
AREAS = ("import", "areas", "--level", "bydel")
STATE = ("import", "state-lists")

CASES: dict[str, tuple[tuple[str, ...], list[str]]] = {
    # long CSV: values
    "unknown_area.csv": (LONG, ["line 3, column area_code", '"R999"', "area code in the store"]),
    "unknown_criterion.csv": (LONG, ["line 3, column criterion", '"indkomts"', "registry"]),
    "criterion_upper_case.csv": (LONG, ["column criterion", "lower case: indkomst"]),
    "year_not_integer.csv": (
        LONG,
        ["line 3, column year", '"20x0"', "whole year between 1990 and 2100"],
    ),
    "year_decimal.csv": (LONG, ["column year", '"2020.5"', "whole year"]),
    "year_too_early.csv": (LONG, ["column year", '"1989"', "1990 and 2100"]),
    "year_too_late.csv": (LONG, ["column year", '"2101"', "1990 and 2100"]),
    "year_missing.csv": (LONG, ["column year", "got empty", "the year is missing"]),
    "numerator_negative.csv": (
        LONG,
        ["column numerator", '"-3"', "negative counts are not possible"],
    ),
    "denominator_negative.csv": (LONG, ["column denominator", '"-100"', "negative"]),
    "numerator_not_numeric.csv": (LONG, ["column numerator", '"ti"', "number of 0 or more"]),
    "denominator_not_numeric.csv": (LONG, ["column denominator", '"n/a"', "number of 0 or more"]),
    "numerator_missing.csv": (LONG, ["column numerator", "the value is missing"]),
    "denominator_missing.csv": (LONG, ["column denominator", "the value is missing"]),
    "numerator_nan.csv": (LONG, ["column numerator", '"NaN"', "number"]),
    "numerator_infinite.csv": (LONG, ["column numerator", '"inf"', "number"]),
    "numerator_huge.csv": (LONG, ["column numerator", '"1e20"', "below 1,000,000,000,000"]),
    "numerator_thousands_separator.csv": (LONG, ["column numerator", '"1.234,5"', "number"]),
    "numerator_above_denominator.csv": (
        LONG,
        ["column numerator", '"120"', "not above the denominator (100) for a share"],
    ),
    "denominator_zero.csv": (LONG, ["column denominator", '"0"', "denominator above 0"]),
    "area_code_too_long.csv": (LONG, ["column area_code", "at most 64 characters"]),
    "source_too_long.csv": (LONG, ["column source", "at most 500 characters"]),
    # long CSV: rows and keys
    "duplicate_key.csv": (
        LONG,
        ["line 2", "line 4", "one row per area_code, criterion and year", "lines 2, 4"],
    ),
    "truncated_last_line.csv": (LONG, ["line 3", '"R2,indkomst,20"', "found 3", "cut short"]),
    "too_many_fields.csv": (LONG, ["line 3", "5 comma-separated fields", "found 6"]),
    "decimal_comma_unquoted.csv": (LONG, ["line 2", "found 6", "decimal comma"]),
    "decimal_comma_quoted.csv": (
        LONG,
        ["column numerator", '"12,5"', "decimal point, not a comma"],
    ),
    "unterminated_quote.csv": (LONG, ["line 3", "readable record"]),
    # long CSV: header and file
    "missing_column.csv": (LONG, ["line 1", "column(s) denominator"]),
    "misspelled_header.csv": (LONG, ["line 1", '"numerater"', 'did you mean "numerator"']),
    "no_header.csv": (LONG, ["line 1", "header line is missing"]),
    "extra_column.csv": (LONG, ["line 1", '"comment"', "one of the columns"]),
    "duplicate_column.csv": (LONG, ["line 1", "column year", "each column once"]),
    "wrong_delimiter.csv": (
        LONG,
        ["line 1", "comma-separated header", "looks semicolon-separated"],
    ),
    "tab_delimited.csv": (LONG, ["line 1", "looks tab-separated"]),
    "latin1.csv": (LONG, ["line 2, column source", "byte 0xf8", "UTF-8 text", "Latin-1"]),
    "utf16.csv": (LONG, ["line 1", "NUL bytes"]),
    "empty.csv": (LONG, ["empty.csv", "the file is empty"]),
    "whitespace_only.csv": (LONG, ["the file is empty"]),
    "header_only.csv": (LONG, ["line 1", "only a header"]),
    "binary_garbage.bin": (LONG, ["binary_garbage.bin, line 1", "NUL bytes"]),
    # statbank + mapping
    "statbank_unmapped_area.csv": (
        SB,
        ["line 4, column OMRKK", '"Bydel - Ørestad"', "listed under areas:"],
    ),
    "statbank_bad_figure.csv": (SB, ["line 4, column INDHOLD", '"mange"', "figure of 0 or more"]),
    "statbank_missing_denominator.csv": (
        SB,
        ["line 4, column INDHOLD", "denominator row", "BEGREB = Personer 18-64 år"],
    ),
    "statbank_comma_delimited.csv": (
        SB,
        ["line 1", "semicolon-separated header", "looks comma-separated"],
    ),
    "statbank_quarter_time.csv": (SB, ["column TID", '"2024K1"', "time_pattern"]),
    "statbank_missing_value_column.csv": (SB, ["line 1", "column(s) indhold"]),
    "statbank_duplicate_row.csv": (SB, ["line 3", "line 4", "each combination of dimensions once"]),
    "statbank_point_decimal.csv": (SB, ["column INDHOLD", '"6120.5"', "decimal comma"]),
    "statbank_no_matching_columns.csv": (SB, ["line 1", "at least one criterion"]),
    "statbank_year_out_of_range.csv": (SB, ["column TID", '"1850"', "between 1990 and 2100"]),
    # areas
    "areas_no_crs.shp": (AREAS, ["areas_no_crs.shp", "coordinate reference system", ".prj"]),
    "areas_invalid_geometry.geojson": (
        AREAS,
        ["feature 2, column geometry", "Self-intersection", "valid geometry"],
    ),
    "areas_empty_geometry.geojson": (AREAS, ["feature 2", "non-empty geometry"]),
    "areas_null_geometry.geojson": (AREAS, ["feature 2", "the feature has none"]),
    "areas_outside_denmark.geojson": (AREAS, ["feature 2", "inside Denmark", "13.4000,52.5000"]),
    "areas_swapped_coordinates.geojson": (AREAS, ["feature 2", "inside Denmark", "look swapped"]),
    "areas_duplicate_codes.geojson": (
        AREAS,
        ["feature 1, column code", "feature 2", "a code used once (features 1, 2)"],
    ),
    "areas_missing_code_field.geojson": (
        AREAS,
        ["the field(s) code, name", "navn", "--code-field"],
    ),
    "areas_point_geometry.geojson": (AREAS, ["feature 2", '"Point"', "Polygon or MultiPolygon"]),
    "areas_missing_code.geojson": (
        AREAS,
        ["feature 2, column code", "area code (the value is missing)"],
    ),
    "areas_missing_name.geojson": (AREAS, ["feature 2, column name", "area name"]),
    "areas_not_geo.geojson": (AREAS, ["areas_not_geo.geojson", "GeoJSON, GeoPackage or Shapefile"]),
    "areas_wrong_declared_crs.geojson": (AREAS, ["feature 1", "inside Denmark", "EPSG:25832"]),
    "areas_other_level_code.geojson": (AREAS, ["feature 1, column code", "R1 is a rode"]),
    "areas_empty_layer.geojson": (AREAS, ["at least one feature"]),
    # state lists
    "state_list_bad_category.csv": (
        STATE,
        ["line 3, column category", '"belastet"', "one of udsat"],
    ),
    "state_list_wrong_year_for_category.csv": (
        STATE,
        ["line 2, column category", "2021", "before 2021 use ghetto"],
    ),
    "state_list_unknown_area.csv": (STATE, ["line 3, column area_code", '"R999"']),
    "state_list_duplicate.csv": (STATE, ["line 2", "line 3", "once"]),
    "state_list_bad_year.csv": (STATE, ["column list_year", '"24"', "whole year"]),
}
MULTI = {
    "conflict": (
        LONG,
        [
            "conflict_a.csv",
            "conflict_b.csv",
            "line 2",
            "same counts",
            "conflict_a.csv line 2; conflict_b.csv line 2",
        ],
        ["conflict_a.csv", "conflict_b.csv"],
    ),
}
MAPPING_CASES = {
    "mapping_unknown_criterion.yaml": [
        "column criteria.arbejdsmarkedet",
        "criterion code from the registry",
    ],
    "mapping_malformed.yaml": ["mapping_malformed.yaml, line", "valid YAML"],
    "mapping_missing_denominator.yaml": ["criteria.arbejdsmarked.denominator", "where"],
    "mapping_unknown_key.yaml": ["column delimeter", "one of the keys"],
    "mapping_bad_regex.yaml": ["column time_pattern", "valid regular expression"],
}
SIDECARS = {
    "areas_no_crs.shx",
    "areas_no_crs.dbf",
    "make_corpus.py",
    "conflict_a.csv",
    "conflict_b.csv",
}


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path_factory.mktemp('bad') / 'keob.sqlite'}"
    engine = make_store(url)
    yield url, engine
    engine.dispose()


def _check(shared_store, args: list[str], words: list[str]) -> None:  # type: ignore[no-untyped-def]
    url, engine = shared_store
    before = snapshot(engine)
    result = run_cli(url, *args)
    assert result.exit_code == 1, result.output
    assert "nothing was written" in result.output
    for word in words:
        assert word in result.output, f"{word!r} not in:\n{result.output}"
    assert snapshot(engine) == before


def test_corpus_is_complete() -> None:
    files = {p.name for p in BAD.iterdir() if p.is_file()}
    covered = set(CASES) | set(MAPPING_CASES) | SIDECARS
    assert files - covered == set(), "every bad file needs a case in this module"
    assert covered - files == set(), "a case names a file that is missing (make_corpus.py)"
    assert len(CASES) + len(MAPPING_CASES) + len(MULTI) >= 30


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_file_is_refused(shared_store, name: str) -> None:  # type: ignore[no-untyped-def]
    args, words = CASES[name]
    _check(shared_store, [*args, str(BAD / name)], words)


@pytest.mark.parametrize("name", sorted(MULTI))
def test_bad_file_set_is_refused(shared_store, name: str) -> None:  # type: ignore[no-untyped-def]
    args, words, files = MULTI[name]
    _check(shared_store, [*args, *(str(BAD / f) for f in files)], words)


@pytest.mark.parametrize("name", sorted(MAPPING_CASES))
def test_bad_mapping_is_refused(shared_store, name: str) -> None:  # type: ignore[no-untyped-def]
    from import_support import STATBANK

    args = ["import", "indicators", "--format", "statbank", "--mapping", str(BAD / name)]
    _check(
        shared_store, [*args, str(STATBANK / "kk_arbejdsmarked_example.csv")], MAPPING_CASES[name]
    )


def test_ten_megabyte_single_line(shared_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "one_line.csv"
    path.write_bytes(
        b"area_code,criterion,year,numerator,denominator\nR1,indkomst,2020,10," + b"9" * 10_000_000
    )
    _check(
        shared_store,
        ["import", "indicators", str(path)],
        ["line 2", "readable record", "field larger"],
    )


def test_ten_megabyte_header_line(shared_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "one_header.csv"
    path.write_bytes(b"x" * 10_000_000)
    _check(shared_store, ["import", "indicators", str(path)], ["line 1", "header line"])


def test_errors_are_collected_up_to_the_cap(shared_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "many.csv"
    rows = "".join(f"R1,indkomst,{1990 + i},x,100\n" for i in range(80))
    path.write_text("area_code,criterion,year,numerator,denominator\n" + rows, encoding="utf-8")
    url, _ = shared_store
    result = run_cli(url, "import", "indicators", str(path))
    assert result.exit_code == 1
    assert len(re.findall(r"many\.csv, line \d+, column numerator", result.output)) == 50
    assert "and 30 more problem(s) not shown" in result.output
    rejects = tmp_path / "all.csv"
    result = run_cli(
        url, "import", "indicators", str(path), "--rejects", str(rejects), "--max-errors", "5"
    )
    assert result.exit_code == 1
    assert len(rejects.read_text(encoding="utf-8").splitlines()) == 81


def test_error_carries_file_line_column_value_expected() -> None:
    parsed = parse_long_csv(
        b"area_code,criterion,year,numerator,denominator\nR1,indkomst,20x0,1,2\n", "f.csv"
    )
    err = InputError(parsed.problems)
    assert (err.file, err.line, err.column, err.value) == ("f.csv", 2, "year", "20x0")
    assert "whole year" in err.expected
    assert (
        str(err)
        == 'f.csv, line 2, column year: got "20x0"; expected a whole year between 1990 and 2100'
    )
