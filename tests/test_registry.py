from __future__ import annotations

import pytest

from indicators.registry import (
    CRITERIA_CODES,
    REGISTRY_PATH,
    RegistryError,
    criteria,
    load_registry,
    parse_registry,
)


def test_the_eight_criteria_in_order_with_explicit_polarity() -> None:
    crit = criteria()
    # The policy's eight criteria; CRITERIA_CODES is read from data/criteria.yaml.
    policy = "indkomst uddannelse arbejdsmarked ungdomsuddannelse boernefattigdom sundhed"
    assert (*policy.split(), "tryghed", "doemte") == CRITERIA_CODES
    assert [c.code for c in crit] == list(CRITERIA_CODES)
    assert all(c.polarity in (-1, 1) for c in crit)
    polarity = {c.code: c.polarity for c in crit}
    # Higher is better only for youth education and tryghed (share feeling safe).
    assert {c for c, p in polarity.items() if p == 1} == {"ungdomsuddannelse", "tryghed"}


def test_survey_criteria_are_marked() -> None:
    reg = load_registry()
    assert {c for c, i in reg.items() if i.is_survey} == {"sundhed", "tryghed"}


def test_every_indicator_has_both_languages() -> None:
    for ind in load_registry().values():
        for field in ("name", "short", "definition"):
            assert getattr(ind, f"{field}_da").strip() and getattr(ind, f"{field}_en").strip()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "expected a mapping"),
        ("indicators:\n  - code: x\n", "missing field"),
        (
            REGISTRY_PATH.read_text("utf-8").replace("kind: criterion", "kind: context"),
            "no indicator of kind 'criterion'",
        ),
    ],
)
def test_malformed_registry_is_rejected(text: str, message: str) -> None:
    with pytest.raises(RegistryError, match=message):
        parse_registry(text)


# --------------------------------------------------------------- the "kun grundskole" band

REGISTRY_TEXT = REGISTRY_PATH.read_text("utf-8")


def _with_band(age_min: int, age_max: int) -> str:
    """The shipped registry with the education band changed consistently everywhere."""
    label = f"{age_min}-{age_max}"
    text = REGISTRY_TEXT.replace(
        "age_min: 16\n    age_max: 64", f"age_min: {age_min}\n    age_max: {age_max}"
    )
    head, rest = text.split("code: uddannelse", 1)
    block, tail = rest.split("code: arbejdsmarked", 1)
    return head + "code: uddannelse" + block.replace("16-64", label) + "code: arbejdsmarked" + tail


def test_kun_grundskole_states_its_band_and_caveat() -> None:
    edu = load_registry()["uddannelse"]
    assert edu.age_range == (16, 64) and edu.age_band == "16-64"
    assert "16-64" in edu.definition("da") and "16-64" in edu.definition("en")
    # Pupils count as "only grundskole", and the state lists measure 30-59 instead.
    assert "16-17" in edu.caveat("da") and "30-59" in edu.caveat("da")
    assert "pupils" in edu.caveat("en") and "30-59" in edu.caveat("en")


def test_a_configured_band_must_agree_with_the_texts() -> None:
    assert parse_registry(_with_band(18, 64))["uddannelse"].age_range == (18, 64)
    stale = REGISTRY_TEXT.replace("age_min: 16\n    age_max: 64", "age_min: 30\n    age_max: 59")
    with pytest.raises(RegistryError, match="disagrees with age_min/age_max"):
        parse_registry(stale)
    untold = _with_band(30, 59).replace(
        "Share of residents aged 30-59 whose", "Share of residents whose"
    )
    with pytest.raises(RegistryError, match="definition_en does not state the age band 30-59"):
        parse_registry(untold)


def test_a_band_the_sources_cannot_deliver_is_refused(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import pandas as pd

    from indicators import synthetic
    from indicators.importers import real_series

    real_series.check_age_bands(load_registry())  # the shipped band is the source's
    other = parse_registry(_with_band(18, 64))
    with pytest.raises(
        real_series.AgeBandError, match=r"asks for ages 18-64.*fixed published band, 16-64"
    ):
        real_series.check_age_bands(other)
    monkeypatch.setattr(real_series, "load_registry", lambda: other)
    with pytest.raises(real_series.AgeBandError, match="18-64"):
        real_series.load_socio_roder("no-such-file.csv", pd.DataFrame(columns=["code", "name"]))
    with pytest.raises(real_series.AgeBandError, match="18-64"):
        synthetic.generate_demo_series(pd.DataFrame(columns=["code", "name"]), pd.DataFrame())
