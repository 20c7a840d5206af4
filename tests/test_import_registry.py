"""The import registry is the one list of import kinds: the CLI offers exactly its kinds,
each kind's parser and writer exist, and every kind refuses a bad file writing nothing."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path

import pytest
from import_support import BAD, MAPPING, STATBANK, make_store, run_cli, write
from sqlalchemy import Engine, MetaData, select

from indicators.importers.registry import KINDS, UsageProblem
from indicators.importers.state_list_inputs import HEADER as INPUTS_HEADER
from indicators.services import imports
from keob.cli import main


def test_cli_import_choices_are_the_registry_kinds() -> None:
    commands = main.commands["import"].commands
    assert list(commands) == list(KINDS)
    for name, spec in KINDS.items():
        fmt = [p for p in commands[name].params if p.name == "fmt"]
        if len(spec.formats) > 1:
            assert list(fmt[0].type.choices) == list(spec.formats)
            assert fmt[0].default == spec.default_format
        else:
            assert fmt == []
        assert commands[name].help == spec.help


@pytest.mark.parametrize("name", list(KINDS))
def test_every_kind_has_a_parser_a_writer_and_a_pipeline(name: str) -> None:
    spec = KINDS[name]
    assert all(callable(spec.parser(fmt)) for fmt in spec.formats)
    assert spec.writer.startswith("db.") and callable(spec.write_function())
    assert spec.help.strip()
    assert name in imports._PIPELINES


def test_a_mapping_goes_with_the_format_that_needs_it() -> None:
    spec = KINDS["indicators"]
    with pytest.raises(UsageProblem, match="--format statbank needs --mapping MAP"):
        spec.check_mapping("statbank", None)
    with pytest.raises(UsageProblem, match="--mapping only applies to --format statbank"):
        spec.check_mapping("long", "m.yaml")
    with pytest.raises(UsageProblem, match="unknown format 'xlsx'"):
        spec.check_mapping("xlsx", None)


def _inputs_csv(tmp: Path) -> Path:
    return write(tmp / "inputs.csv", INPUTS_HEADER + "\nmjoelnerparken,2022,mange,1,1,1,1,1,1\n")


def _register_yaml(tmp: Path) -> Path:
    return write(tmp / "plan.yaml", "vintage: 2027-2028\ninitiatives: nothing\n")


def _statbank_latin1(tmp: Path) -> list[Path]:
    text = (STATBANK / "kk_arbejdsmarked_small.csv").read_text(encoding="utf-8-sig")
    (tmp / "latin1.csv").write_bytes(text.encode("latin-1"))
    return [tmp / "latin1.csv"]


def _px_unknown_dimension(tmp: Path) -> list[Path]:
    text = (STATBANK / "kk_arbejdsmarked_small.px").read_bytes().decode("cp1252")
    text = text.replace('STUB="område"', 'STUB="enhed","område"').replace(
        "DATA=", 'VALUES("enhed")="Antal","Procent";\r\nDATA=' + " 1" * 36
    )
    (tmp / "enhed.px").write_bytes(text.encode("cp1252"))
    return [tmp / "enhed.px"]


def _jsonstat_suppressed_share(tmp: Path) -> list[Path]:
    text = (STATBANK / "kk_arbejdsmarked_small.json").read_text(encoding="utf-8")
    return [write(tmp / "andel.json", text.replace("3888.07", "88888"))]


_MAPPED = {"mapping": MAPPING}

#: kind (or "kind:format" for a format other than the default) -> (bad input, options, a
#: text the refusal names); a new kind or format needs an entry.
BAD_INPUTS: dict[str, tuple[Callable[[Path], object], dict, str]] = {
    "indicators": (lambda t: [BAD / "numerator_negative.csv"], {}, "numerator_negative.csv"),
    "indicators:statbank": (
        _statbank_latin1,
        {"fmt": "statbank", **_MAPPED},
        "latin1.csv, line 2",
    ),
    "indicators:px": (
        _px_unknown_dimension,
        {"fmt": "px", **_MAPPED},
        'enhed.px, column dimension enhed: got "Antal, Procent"',
    ),
    "indicators:jsonstat": (
        _jsonstat_suppressed_share,
        {"fmt": "jsonstat", **_MAPPED},
        "andel.json, cell 10 (OMRKK=Bydel - Indre By",
    ),
    "areas": (
        lambda t: BAD / "areas_duplicate_codes.geojson",
        {"level": "rode"},
        "areas_duplicate_codes.geojson",
    ),
    "state-lists": (
        lambda t: BAD / "state_list_bad_category.csv",
        {},
        "state_list_bad_category.csv",
    ),
    "state-list-inputs": (_inputs_csv, {}, "inputs.csv, line 2, column residents"),
    "initiatives": (_register_yaml, {}, "plan.yaml"),
    "facilities": (
        lambda t: BAD / "areas_not_geo.geojson",
        {"kind": "legeplads"},
        "areas_not_geo.geojson",
    ),
    "air-quality": (
        lambda t: write(t / "no2.csv", "x,y,no2\n725000,6175000,12.5\n725250,6175000,-3\n"),
        {"pollutant": "no2", "crs": "EPSG:25832"},
        "no2.csv, line 3, column no2",
    ),
    "air-quality:vector": (
        lambda t: BAD / "areas_not_geo.geojson",
        {"pollutant": "no2"},
        "areas_not_geo.geojson",
    ),
    # Text in a .tif: the ending chooses geotiff, GDAL cannot read it as a GeoTIFF.
    "air-quality:geotiff": (
        lambda t: write(t / "no2.tif", "x,y,no2\n725000,6175000,12.5\n"),
        {"pollutant": "no2", "fmt": "geotiff"},
        "no2.tif: expected a readable GeoTIFF raster",
    ),
}


def _everything(engine: Engine) -> dict[str, list[tuple]]:
    """Every row of every table of the store."""
    meta = MetaData()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PostGIS geometry type unknown to SQLAlchemy
        meta.reflect(engine)
    with engine.connect() as conn:
        return {
            name: sorted(tuple(map(repr, row)) for row in conn.execute(select(table)).all())
            for name, table in meta.tables.items()
        }


def test_every_kind_and_format_has_a_bad_input() -> None:
    assert {
        name if fmt == spec.default_format else f"{name}:{fmt}"
        for name, spec in KINDS.items()
        for fmt in spec.formats
    } == set(BAD_INPUTS)


@pytest.fixture(params=list(BAD_INPUTS))
def bad_import(request: pytest.FixtureRequest, sqlite_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """(kind, bad input, options, named text, store, the store's rows before)."""
    engine = make_store(sqlite_url)
    make_input, options, named = BAD_INPUTS[request.param]
    name = request.param.partition(":")[0]
    yield name, make_input(tmp_path), options, named, engine, _everything(engine)
    engine.dispose()


def test_every_kind_refuses_a_bad_file_and_writes_nothing(bad_import) -> None:  # type: ignore[no-untyped-def]
    name, source, options, named, engine, before = bad_import
    with pytest.raises(imports.REFUSED) as refused:
        imports.run_import(engine, name, source, **options)
    assert named in str(refused.value)
    assert _everything(engine) == before


def test_every_kind_refuses_a_bad_file_on_the_command_line(bad_import, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    name, source, options, named, engine, before = bad_import
    files = [str(p) for p in source] if isinstance(source, list) else [str(source)]
    flags = [f"--{key.replace('fmt', 'format')}={value}" for key, value in options.items()]
    result = run_cli(sqlite_url, "import", name, *files, *flags)
    assert result.exit_code in (1, 2), result.output
    assert "nothing was written" in result.output and named in result.output
    assert _everything(engine) == before
