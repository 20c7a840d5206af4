"""The shipped register matches the plan it transcribes (data/initiatives/sources/).

Two independent checks of the section counts:

* ``HAND_COUNTS``: counted by hand in the draft plan text, section by section;
* ``parse_plan_text``: the plan's tables parsed from the text, compared entry by entry
  (goal, funded/unfunded, focus-area heading, administrations, verbatim texts).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indicators import initiatives as ini

PLAN = ini.DATA_DIR / "sources" / "handleplan-2027-2028-udkast.txt"
SHARED_PLAN = Path(__file__).resolve().parents[2] / "shared" / "docs" / PLAN.name

# Counted by hand in handleplan-2027-2028-udkast.txt (bullets "○ at …"/"o at …" under each
# bold heading of the tables "Finansierede indsatser" / "Ufinansierede indsatser"):
HAND_COUNTS: dict[tuple[int, bool, str], int] = {
    # Mål 1, finansierede (section "Handleplanens indsatser under mål 1", first table):
    (1, True, "tvaers"): 1,  # helhedsplanerne
    (1, True, "arbejde"): 3,  # frikort, socialøkonomiske virksomheder, 'Perspektiv'
    (1, True, "trivsel"): 5,  # sundhed Tingbjerg/Amager, almen praksis, boligrådgivere,
    #                           ambassadører, medborgerskab/områdefornyelser
    (1, True, "boern"): 7,  # fritidsjob, U-space, dagtilbud, LæseLiga, UU, fravær, legepladser
    # Mål 1, ufinansierede (second table):
    (1, False, "tvaers"): 1,  # helhedsplan Husum-Tingbjerg
    (1, False, "trivsel"): 3,  # familieindsats, cykling og gang, sociale viceværter
    (1, False, "boern"): 2,  # elevfravær, fritidsjob i KTF
    # Mål 2, finansierede:
    (2, True, "rammer"): 6,  # områdefornyelser, klima, støj, nærgenbrug, bygningsfornyelse,
    #                          energieffektivisering
    (2, True, "rekreativ"): 2,  # dækningsgrad, "Grønt i børnehøjde"
    (2, True, "tryg"): 4,  # tryghedspartnerskaber, kriminalitetsforebyggelse, aktiv
    #                        transport, negativ social kontrol
    # Mål 2, ufinansierede:
    (2, False, "rammer"): 3,  # klimatilpasning, grønne forbindelser, Husum Nord
    (2, False, "rekreativ"): 1,  # frivillighed
    (2, False, "tryg"): 2,  # transportvaner, Laden i Hørgården
}
# "Københavns Kommune har en lang række yderligere indsatser …": the bullet lists after
# each goal's tables (35 under mål 1, 6 under mål 2).
HAND_FURTHER = {1: 35, 2: 6}


@pytest.fixture(scope="module")
def register() -> ini.Register:
    return ini.load_register(ini.shipped_register_path())


@pytest.fixture(scope="module")
def plan() -> ini.PlanText:
    return ini.parse_plan_text(PLAN.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def plan_flat() -> str:
    """The plan as one line of plain text (tags stripped, whitespace collapsed)."""
    return ini.normalise_space(ini.plain_text(PLAN.read_text(encoding="utf-8")))


def test_hand_counts_add_up() -> None:
    assert sum(HAND_COUNTS.values()) == 40
    assert sum(v for (g, _, _), v in HAND_COUNTS.items() if g == 1) == 22
    assert sum(v for (_, funded, _), v in HAND_COUNTS.items() if funded) == 28


def test_register_counts_per_section_match_the_hand_count(register: ini.Register) -> None:
    assert ini.section_counts(register) == HAND_COUNTS
    further = {g: sum(1 for f in register.further if f.goal == g) for g in (1, 2)}
    assert further == HAND_FURTHER


def test_parsed_plan_structure_matches_the_hand_count(plan: ini.PlanText) -> None:
    counts: dict[tuple[int, bool, str], int] = {}
    for item in plan.items:
        code = ini.focus_area_for_heading(item.focus_heading)
        assert code is not None, f"unknown heading {item.focus_heading!r}"
        key = (item.goal, item.funded, code)
        counts[key] = counts.get(key, 0) + 1
    assert counts == HAND_COUNTS
    assert {g: len(v) for g, v in plan.further.items()} == HAND_FURTHER


def test_register_follows_the_plan_entry_by_entry(
    register: ini.Register, plan: ini.PlanText
) -> None:
    assert len(register.initiatives) == len(plan.items)
    for entry, item in zip(register.initiatives, plan.items, strict=True):
        where = f"{entry.id} vs plan item {item.text[:50]!r}"
        assert entry.goal == item.goal, where
        assert entry.funded == item.funded, where
        assert entry.focus_area == ini.focus_area_for_heading(item.focus_heading), where
        assert ini.normalise_space(entry.text) == ini.normalise_space(item.text), where
        assert ini.normalise_space(entry.explanation) == ini.normalise_space(item.explanation), (
            where
        )
        if item.administrations_text == "alle forvaltninger":
            assert entry.administrations_text == "alle forvaltninger", where
            assert set(entry.administrations) == set(ini.ADMINISTRATIONS), where
        else:
            codes = tuple(c.strip() for c in item.administrations_text.split(","))
            assert entry.administrations == codes, where


def test_further_initiatives_are_the_plans_names_in_order(
    register: ini.Register, plan: ini.PlanText
) -> None:
    for goal in (1, 2):
        names = tuple(f.name for f in register.further if f.goal == goal)
        assert names == plan.further[goal]


def _found(text: str, haystack: str) -> bool:
    """``text`` occurs in the plan, whole or split once (the conversion interleaves the
    two table columns across page breaks, so one cell can arrive in two pieces)."""
    text = ini.normalise_space(text)
    if text in haystack:
        return True
    words = text.split(" ")
    return any(
        " ".join(words[:i]) in haystack and " ".join(words[i:]) in haystack
        for i in range(3, len(words) - 2)
    )


def test_texts_are_verbatim_from_the_plan(register: ini.Register, plan_flat: str) -> None:
    for entry in register.initiatives:
        assert _found(entry.text, plan_flat), f"{entry.id}: text not in the plan"
        for para in entry.explanation.split("\n\n"):
            assert _found(para, plan_flat), f"{entry.id}: explanation paragraph not in the plan"


def test_focus_area_names_are_the_plans(plan_flat: str) -> None:
    for fa in ini.FOCUS_AREAS.values():
        assert fa.name_in_plan in plan_flat


def test_administration_names_are_the_plans(plan_flat: str) -> None:
    for code, name in ini.ADMINISTRATIONS.items():
        assert f"{code}: {name}" in plan_flat


def test_every_place_name_occurs_in_its_initiative(register: ini.Register) -> None:
    """A place with source tekst/forklaring quotes a name found in that text."""
    for entry in register.initiatives:
        for place in entry.places:
            if place.source == "afledt":
                continue
            source = entry.text if place.source == "tekst" else entry.explanation
            # Områdefornyelser and schools are quoted as named; generic phrases too.
            key = re.sub(r"^(Ny områdefornyelse i|alle områdefornyelser)\s*", "", place.name)
            key = re.sub(r"\s*\(.*\)$", "", key)
            assert (
                ini.normalise_space(key).casefold() in ini.normalise_space(source).casefold()
                or place.name == "alle områdefornyelser"
            ), f"{entry.id}: place {place.name!r} not in its {place.source}"


def test_the_periods_the_plan_gives_are_recorded(register: ini.Register) -> None:
    fornyelser = {p.name: (p.start_year, p.end_year) for p in register.get("M2-F-01").places}
    assert fornyelser == {
        "Områdefornyelsen ved Skjolds Plads": (None, 2026),
        "Områdefornyelse Bispebjerg Bakke": (None, 2027),
        "Områdefornyelsen Bispeengen": (None, 2028),
        "Områdefornyelsen Sønderbro": (None, 2029),
        "Områdefornyelsen Husum Nord": (None, 2031),
        "Ny områdefornyelse i Ryparken-Lundehus": (2027, None),
    }
    assert register.get("M1-U-01").period_end == 2028  # helhedsplan udløber sept. 2028
    assert (register.get("M2-F-03").period_start, register.get("M2-F-03").period_end) == (
        2017,
        2027,
    )


def test_criteria_are_marked_as_the_projects_judgement(register: ini.Register) -> None:
    assert register.criteria_judgement.startswith("Projektets vurdering, ikke planens")
    assert all(entry.criteria_reason for entry in register.initiatives)


def test_shipped_plan_copy_is_the_shared_draft() -> None:
    if not SHARED_PLAN.exists():
        pytest.skip("no shared copy of the plan next to the repository")
    assert PLAN.read_bytes() == SHARED_PLAN.read_bytes()
