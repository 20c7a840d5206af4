"""Hypothesis fuzzing: the parsers accept a file or raise InputError, and never crash.

Accepted rows always satisfy the format's rules (years in range, counts non-negative,
shares with numerator <= denominator), so nothing invalid can slip through.
"""

from __future__ import annotations

import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from import_support import MAPPING

from indicators.importers.candidates import validate_observations
from indicators.importers.errors import InputError
from indicators.importers.long_csv import parse_long_csv
from indicators.importers.statbank import load_mapping, parse_mapping, parse_statbank
from indicators.importers.state_lists import parse_state_list_csv
from indicators.registry import load_registry

REGISTRY = load_registry()
AREAS = {"R1": "rode", "R2": "rode", "B3": "bydel", "K20401": "kvarter"}
HEADER = "area_code,criterion,year,numerator,denominator"
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Fields close to valid: codes, numbers in several spellings, separators, quotes, junk.
field_text = st.one_of(
    st.sampled_from(["R1", "R2", "B3", "R9", "indkomst", "doemte", "befolkning", "Indkomst", ""]),
    st.sampled_from(["2020", "1989", "2101", "20x0", "2020.0", " 2021 ", "-1", "0", "1e3", "12,5"]),
    st.sampled_from(["10", "100", "0", "-3", "nan", "inf", "1.5", ".5", "5.", "1e400", '"7"']),
    st.text(alphabet=string.printable + "æøåÆØÅ\u00a0\ufeff", max_size=12),
)
row = st.lists(field_text, min_size=0, max_size=7).map(lambda fs: ",".join(fs))


def _check_accepted(data: bytes) -> None:
    try:
        parsed = parse_long_csv(data, "fuzz.csv")
    except InputError as exc:
        assert exc.problems and all(p.file == "fuzz.csv" for p in exc.problems)
        str(exc)
        return
    result = validate_observations([parsed], REGISTRY, AREAS)
    rows = result.rows
    if rows.empty:
        return
    assert rows["year"].between(1990, 2100).all()
    assert (rows["numerator"] >= 0).all() and (rows["denominator"] >= 0).all()
    assert rows["area_code"].isin(list(AREAS)).all()
    assert rows["indicator"].isin(list(REGISTRY)).all()
    shares = rows["indicator"].map(lambda c: REGISTRY[c].unit == "pct")
    assert (rows.loc[shares, "numerator"] <= rows.loc[shares, "denominator"]).all()
    assert not rows.duplicated(subset=["area_code", "indicator", "year"]).any()
    for p in result.problems:
        assert p.line is not None and p.line >= 2


@FUZZ
@given(st.binary(max_size=400))
def test_long_csv_random_bytes(data: bytes) -> None:
    _check_accepted(data)


@FUZZ
@given(st.lists(row, max_size=12), st.sampled_from(["\n", "\r\n", "\r"]), st.booleans())
def test_long_csv_near_valid_rows(rows: list[str], newline: str, bom: bool) -> None:
    text = ("\ufeff" if bom else "") + newline.join([HEADER, *rows]) + newline
    _check_accepted(text.encode("utf-8"))


@FUZZ
@given(st.text(max_size=300))
def test_long_csv_random_text_after_header(text: str) -> None:
    _check_accepted((HEADER + "\n" + text).encode("utf-8", errors="surrogatepass"))


MAP = load_mapping(MAPPING, REGISTRY)
SB_HEADER = "\ufeffOMRKK;BEGREB;TID;INDHOLD"
sb_field = st.one_of(
    st.sampled_from(
        [
            "Bydel - Nørrebro",
            "København i alt",
            "Bydel - Ukendt",
            "Afstemning - 5. Nord",
            "Personer 18-64 år",
            "Uden for arbejde og uddannelse (fuldtidspersoner) 18-64 år",
            "Folketal 1. januar",
            "2024",
            "2024K1",
            "1850",
            "..",
            "12,5",
            "12.5",
            "-4",
            "",
        ]
    ),
    st.text(alphabet=string.printable + "æøå", max_size=8),
)
sb_row = st.lists(sb_field, min_size=0, max_size=6).map(lambda fs: ";".join(fs))


def _check_statbank(data: bytes) -> None:
    """A statbank export is refused with problems naming the file, or every row it yields
    has a plausible year."""
    try:
        parsed = parse_statbank(data, "sb.csv", MAP)
    except InputError as exc:
        assert exc.problems and all(p.file == "sb.csv" for p in exc.problems)
        return
    result = validate_observations([parsed], REGISTRY, {"B3": "bydel"})
    assert result.rows.empty or result.rows["year"].between(1990, 2100).all()


@FUZZ
@given(st.lists(sb_row, max_size=12))
def test_statbank_near_valid_rows(rows: list[str]) -> None:
    _check_statbank("\r\n".join([SB_HEADER, *rows]).encode("utf-8"))


@FUZZ
@given(st.binary(max_size=300))
def test_statbank_random_bytes(data: bytes) -> None:
    _check_statbank(data)


yaml_scalar = st.one_of(st.text(max_size=8), st.integers(), st.booleans(), st.none(), st.floats())
yaml_value = st.recursive(
    yaml_scalar,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
mapping_doc = st.dictionaries(
    st.sampled_from(
        [
            "columns",
            "areas",
            "criteria",
            "delimiter",
            "decimal",
            "time_pattern",
            "area_patterns",
            "ignore_areas",
            "missing_values",
            "encoding",
            "other",
        ]
    ),
    yaml_value,
    max_size=6,
)


@FUZZ
@given(mapping_doc)
def test_mapping_parser_random_documents(doc: dict) -> None:
    import yaml

    try:
        text = yaml.safe_dump(doc, allow_unicode=True)
    except yaml.YAMLError:
        return
    try:
        parse_mapping(text.encode("utf-8", errors="surrogatepass"), "m.yaml", REGISTRY)
    except InputError as exc:
        assert exc.problems


@FUZZ
@given(st.binary(max_size=300))
def test_mapping_parser_random_bytes(data: bytes) -> None:
    try:
        mapping = parse_mapping(data, "m.yaml", REGISTRY)
    except InputError as exc:
        assert exc.problems and all(p.file == "m.yaml" for p in exc.problems)
        return
    # Random bytes that parse must still be a complete mapping with its three columns.
    assert mapping.area_column and mapping.time_column and mapping.value_column


@FUZZ
@given(st.lists(st.lists(sb_field | field_text, max_size=4).map(",".join), max_size=8))
def test_state_list_parser(rows: list[str]) -> None:
    data = "\n".join(["area_code,list_year,category", *rows]).encode(
        "utf-8", errors="surrogatepass"
    )
    try:
        parsed = parse_state_list_csv(data, "l.csv", AREAS)
    except InputError:
        return
    assert parsed.rows.empty or parsed.rows["list_year"].between(1990, 2100).all()


POLY = {"type": "Polygon", "coordinates": [[[12.5, 55.6], [12.6, 55.6], [12.5, 55.6]]]}
ODD_GEOJSON = [
    {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {}, "geometry": None}],
    },
    {"type": "FeatureCollection"},
    {},
    [1, 2, 3],
    {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[1, 2]]]}},
    {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"code": "A", "name": "B"}, "geometry": POLY}
        ],
    },
]


@pytest.mark.parametrize("doc", ODD_GEOJSON, ids=range(len(ODD_GEOJSON)))
def test_area_reader_odd_geojson(doc: object, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from indicators.importers.areas import read_area_file

    path = tmp_path / "odd.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        result = read_area_file(path)
    except InputError:
        return
    assert result.areas.empty or result.problems == []


plain_field = st.text(alphabet=string.ascii_letters + string.digits + " .-æø", max_size=6)


@FUZZ
@given(st.lists(st.lists(plain_field, min_size=5, max_size=5), min_size=1, max_size=10))
def test_arrow_fast_path_equals_line_by_line(rows: list[list[str]]) -> None:
    from indicators.importers.text import read_records

    text = "\n".join([HEADER, *(",".join(r) for r in rows)]) + "\n"
    fast = read_records(text, "f.csv", delimiter=",", expected_header=HEADER, arrow=True)
    slow = read_records(text, "f.csv", delimiter=",", expected_header=HEADER)
    assert fast.lines == slow.lines and fast.problems == slow.problems
    for i in range(5):
        assert list(fast.column(i)) == list(slow.column(i))
