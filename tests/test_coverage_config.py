"""data/coverage.yaml: facility kinds, distance targets and stored indicators as data."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from indicators import coverage as cov
from indicators.registry import load_registry

SHIPPED_TEXT = cov.COVERAGE_PATH.read_text(encoding="utf-8")


Change = Callable[[dict], object]


def _edited(change: Change) -> str:
    """The shipped document with ``change(doc)`` applied, as YAML text."""
    doc = yaml.safe_load(SHIPPED_TEXT)
    change(doc)
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)


def test_shipped_file_is_what_the_module_uses() -> None:
    config = cov.load_config()
    assert config.facility_kinds == cov.FACILITY_KINDS
    assert config.targets == cov.TARGETS
    assert config.specs == cov.DEFAULT_SPECS


def test_every_stored_indicator_is_a_coverage_entry_of_the_registry() -> None:
    registered = {c for c, i in load_registry().items() if i.kind == "coverage"}
    assert {s.indicator for s in cov.DEFAULT_SPECS} == registered


def test_every_shipped_layer_exists_and_states_source_and_licence() -> None:
    assert tuple(cov.FACILITY_KINDS) == cov.SHIPPED_KINDS
    for kind in cov.FACILITY_KINDS.values():
        assert kind.file and (cov.DATA_DIR / kind.file).is_file(), kind.code
        assert f"({kind.year})" in kind.source
        if kind.synthetic:  # demo layers say so in their source, shown wherever they are
            assert kind.licence == "MIT" and "SYNTETISK" in kind.source, kind.code
        elif kind.licence == "ODbL":  # the OpenStreetMap layers carry OSM's attribution
            assert kind.source.startswith("© OpenStreetMap contributors, "), kind.code
        else:
            assert kind.licence == "CC BY 4.0", kind.code
            assert kind.source.startswith("Københavns Kommune, "), kind.code
    play = cov.FACILITY_KINDS["legeplads"].source
    assert play == (
        "Københavns Kommune, kommunale legepladser (WFS k101) (2025), CC BY 4.0; "
        "kun kommunens egne legepladser, ikke boligforeningers og skolers"
    )


def test_derived_tables_follow_the_file() -> None:
    assert cov.NON_RESIDENTIAL_KINDS == ("groent", "vand")
    assert cov.TARGETS["groent"].min_area_m2 == 5_000.0
    assert cov.TARGET_DEFAULT_THRESHOLDS == {
        "legeplads": 300.0,
        "bibliotek": 1000.0,
        "kulturhus": 1000.0,
        "groent": 300.0,
        "svoemning": 1000.0,
        "idraetshal": 1000.0,
        "boldbane": 1000.0,
        "laege": 1000.0,
        "supermarked": 500.0,
        "skole": 500.0,
        "daginstitution": 500.0,
        "stoej": 58.0,
    }
    units = [(s.indicator, s.threshold, s.unit) for s in cov.DEFAULT_SPECS]
    assert [u for u in units if u[2] == "dB"] == [
        ("stoej_58", 58.0, "dB"),
        ("stoej_68", 68.0, "dB"),
    ]
    assert [u for u in units if u[2] == "µg/m³"][-1] == ("luft_pm25_eu", 25.0, "µg/m³")


def test_a_file_elsewhere_loads_under_its_own_name(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(_edited(lambda d: d["indicators"].pop()), encoding="utf-8")
    assert len(cov.load_config(path).specs) == len(cov.DEFAULT_SPECS) - 1
    path.write_text("facility_kinds: []\n", encoding="utf-8")
    with pytest.raises(cov.CoverageConfigError, match=r"^mine\.yaml: .*'facility_kinds'"):
        cov.load_config(path)


def _drop(section: str, key: str, field: str) -> Change:
    return lambda d: d[section][key].pop(field)


def _set(section: str, key: str | int, field: str, value: object) -> Change:
    return lambda d: d[section][key].__setitem__(field, value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("targets"), "coverage.yaml: expected a non-empty mapping 'targets'"),
        (
            _drop("facility_kinds", "bibliotek", "plural_en"),
            "coverage.yaml: facility_kinds.bibliotek: missing field(s) plural_en",
        ),
        (
            _set("facility_kinds", "kulturhus", "colour", "red"),
            "coverage.yaml: facility_kinds.kulturhus: unknown field(s) colour",
        ),
        (
            lambda d: d["facility_kinds"]["groent"]["source"].pop("licence"),
            "coverage.yaml: facility_kinds.groent.source: missing field(s) licence",
        ),
        (
            _set("facility_kinds", "vand", "residential", "no"),
            "coverage.yaml: facility_kinds.vand.residential: expected true or false",
        ),
        (
            _drop("facility_kinds", "vand", "year"),
            "coverage.yaml: facility_kinds.vand: a source needs the layer's year",
        ),
        (
            lambda d: d["facility_kinds"].__setitem__("Museum", d["facility_kinds"]["vand"]),
            "coverage.yaml: facility_kinds.Museum: use a lowercase code",
        ),
        (
            _set("targets", "legeplads", "kind", "gynge"),
            "coverage.yaml: targets.legeplads.kind: 'gynge' is not a facility kind",
        ),
        (
            _set("targets", "groent", "min_area_m2", -1),
            "coverage.yaml: targets.groent.min_area_m2: expected a number > 0",
        ),
        (
            _set("indicators", 0, "threshold", "300 m"),
            "coverage.yaml: indicators #1.threshold: expected a number > 0",
        ),
        (
            _set("indicators", 1, "target", "museum"),
            "coverage.yaml: indicators #2.target: 'museum' is neither a target, a pollutant "
            "nor stoej",
        ),
        (
            _set("indicators", 4, "threshold", 60),
            "coverage.yaml: indicators #5.threshold: noise threshold 60.0 dB is not a band edge",
        ),
        (
            _set("indicators", 5, "code", "stoej_58"),
            "coverage.yaml: indicators #6: duplicate code 'stoej_58'",
        ),
        (
            _set("indicators", 2, "threshold_source", ""),
            "coverage.yaml: indicators #3.threshold_source: expected non-empty text",
        ),
    ],
)
def test_a_bad_entry_names_the_file_and_the_key(change: Change, message: str) -> None:
    with pytest.raises(cov.CoverageConfigError, match="^" + re.escape(message)):
        cov.parse_config(_edited(change))


def test_broken_yaml_names_the_file() -> None:
    with pytest.raises(cov.CoverageConfigError, match=r"^coverage\.yaml: not valid YAML"):
        cov.parse_config("facility_kinds: [\n")
