"""data/attributions.yaml, read by indicators/attributions.py: the API's sources and licences."""

from __future__ import annotations

from pathlib import Path

import pytest

from indicators import attributions

# Every dataset the API's routes name (dashboard/api/sources.py and resources/).
USED = {
    "geography",
    "project",
    "synthetic",
    "criterion",
    "facilities",
    "facility_layer",
    "noise",
    "state_lists",
    "initiatives",
}


def test_every_dataset_the_api_names_is_described() -> None:
    assert set(attributions.dataset_names()) >= USED
    for name in attributions.dataset_names():
        found = attributions.source(name, name="n", code="c", source="s", vintage="v")
        assert found.name and found.licence, name


def test_placeholders_are_filled_from_the_registry_and_the_register() -> None:
    found = attributions.source("criterion", name="Lav indkomst", code="indkomst", source="KK")
    assert found.name == "Lav indkomst (indkomst): KK"
    assert found.licence.startswith("CC BY 4.0")
    assert found.url == "https://creativecommons.org/licenses/by/4.0/"
    plan = attributions.source("initiatives", vintage="2027-2028", source="kk.dk")
    assert plan.name == "Københavns Kommune: Handleplan for udsatte byområder (2027-2028); kk.dk"


def test_the_licences_follow_sources_md() -> None:
    text = (Path(attributions.SOURCES_FILE)).read_text(encoding="utf-8")
    assert "attributions.yaml" in text
    assert attributions.source("geography").licence in text
    assert "Miljøstyrelsen" in text and "støjkortlægning 2022" in text


def test_an_unknown_dataset_or_a_missing_field_is_an_error(tmp_path, monkeypatch) -> None:
    with pytest.raises(attributions.AttributionsError, match="no dataset"):
        attributions.source("nowhere")
    broken = tmp_path / "attributions.yaml"
    broken.write_text("datasets:\n  geography: {source: x, licence: y}\n", encoding="utf-8")
    monkeypatch.setattr(attributions, "ATTRIBUTIONS_FILE", broken)
    attributions._load.cache_clear()
    try:
        with pytest.raises(attributions.AttributionsError, match="attribution, url"):
            attributions.source("geography")
    finally:
        monkeypatch.undo()
        attributions._load.cache_clear()


def test_the_app_line_is_read_from_sources_md() -> None:
    line = attributions.app_line()
    assert line and line.startswith("Indeholder data fra Københavns Kommune")
