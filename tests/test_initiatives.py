"""The initiatives register: validation with clear errors, frames, counts, CSV, geography."""

from __future__ import annotations

import io
import textwrap
from functools import lru_cache

import pandas as pd
import pytest
import shapely
import yaml

from indicators import geography
from indicators import initiatives as ini
from keob.seed import ALMENE_FILE, RODE_FILE

SHIPPED = ini.shipped_register_path()


@lru_cache(maxsize=1)
def shipped_text() -> str:
    return SHIPPED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def register() -> ini.Register:
    return ini.load_register(SHIPPED)


@pytest.fixture(scope="module")
def real_geography() -> tuple[set[str], pd.DataFrame]:
    """Every area code of the shipped geography and the rode membership (no store)."""
    roder = geography.load_roder(RODE_FILE)
    areas, membership = geography.derive_areas(roder)
    almene = geography.load_almene_boliger(ALMENE_FILE)
    codes = set(areas["code"]) | set(almene["code"])
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "code": areas["code"],
                    "level": areas["level"],
                    "geometry_wkb": shapely.to_wkb(areas.geometry.to_numpy()),
                }
            ),
            pd.DataFrame(
                {
                    "code": almene["code"],
                    "level": almene["level"],
                    "geometry_wkb": shapely.to_wkb(almene.geometry.to_numpy()),
                }
            ),
        ],
        ignore_index=True,
    )
    extra = ini.almene_rode_membership(frame)
    return codes, pd.concat([membership, extra], ignore_index=True)


def minimal_doc(**overrides: object) -> dict:
    """A valid one-initiative register document."""
    doc = {
        "schema_version": 1,
        "vintage": "2029-2030",
        "title": "Handleplan 2029-2030",
        "status": "udkast",
        "source": "test",
        "start_year": 2029,
        "end_year": 2030,
        "criteria_judgement": "Projektets vurdering, ikke planens.",
        "initiatives": [
            {
                "id": "M1-F-01",
                "goal": 1,
                "focus_area": "arbejde",
                "funded": True,
                "title": "En indsats",
                "text": "at gøre noget",
                "administrations": ["BIF", "SOF"],
                "places": [{"name": "Nordvest", "areas": ["K21005"], "source": "tekst"}],
                "explanation": "Forklaring.",
                "criteria": ["arbejdsmarked"],
                "criteria_reason": "Fordi.",
            }
        ],
        "further_initiatives": [{"goal": 2, "name": "Noget mere"}],
    }
    doc.update(overrides)
    return doc


def parse(doc: dict, **kwargs: object) -> ini.Register:
    return ini.parse_register(yaml.safe_dump(doc, allow_unicode=True), "test.yaml", **kwargs)


def problems_of(doc: dict | str, **kwargs: object) -> list[ini.Problem]:
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True)
    with pytest.raises(ini.RegisterError) as info:
        ini.parse_register(text, "test.yaml", **kwargs)
    return list(info.value.problems)


# ------------------------------------------------------------------------ the shipped file


def test_shipped_register_is_valid(register: ini.Register) -> None:
    assert register.vintage == "2027-2028"
    assert len(register.initiatives) == 40
    assert len({i.id for i in register.initiatives}) == 40
    assert sum(i.funded for i in register.initiatives) == 28
    assert all(i.places and i.administrations for i in register.initiatives)


def test_every_area_code_exists_in_the_shipped_geography(
    register: ini.Register, real_geography: tuple[set[str], pd.DataFrame]
) -> None:
    codes, _ = real_geography
    ini.validate_area_codes(register, codes)  # raises on an unknown code
    assert register.area_codes() <= codes


def test_almene_named_in_the_plan_map_to_their_estates() -> None:
    almene = geography.load_almene_boliger(ALMENE_FILE).set_index("code")["name"]
    assert "Mjølnerparken" in almene["A739-23"]
    assert "Folehaven" in almene["A410-332"]
    assert "Hørgården 1" in almene["A410-671"] and "Hørgården 2" in almene["A410-672"]


def test_named_kvarterer_are_the_plans_neighbourhoods(register: ini.Register) -> None:
    roder = geography.load_roder(RODE_FILE)
    names = dict(zip(roder["kvarter_code"], roder["kvarter_name"], strict=True))
    assert names["K21005"] == "Nordvest"
    assert names["K20902"] == "Husum Nord"
    assert names["K20903"] == "Tingbjerg"
    assert names["K21002"] == "Ryparken-Lundehus"
    assert names["K20705"] == "Vigerslev"
    assert names["K20405"] == "Haraldsgade-kvarteret"
    rode_266 = roder.set_index("code").loc["R266"]
    assert rode_266["name"] == "Tingbjergs"  # the Tingbjerg rode KK puts in Husum Nord
    sydhavn = set(roder.loc[roder["lokaludvalg_code"] == "L6", "kvarter_name"])
    assert sydhavn == {"Bavnehøj", "Gl. Sydhavn", "Holmene"}


# ------------------------------------------------------------------------ validation


def test_minimal_document_parses() -> None:
    reg = parse(minimal_doc())
    assert reg.initiatives[0].administrations == ("BIF", "SOF")
    assert reg.further[0].position == 1


def test_error_names_file_line_entry_field_value_and_expected() -> None:
    doc = minimal_doc()
    doc["initiatives"][0]["goal"] = 3
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    with pytest.raises(ini.RegisterError) as info:
        ini.parse_register(text, "plan.yaml")
    message = str(info.value)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "goal: 3" in row)
    assert f"plan.yaml, line {line}, initiative M1-F-01, field goal: got 3; expected 1 or 2" in (
        message
    )


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        ({"focus_area": "tryg"}, "focus_area", "a focus area of goal 1"),
        ({"focus_area": "nope"}, "focus_area", "one of tvaers"),
        ({"funded": "ja"}, "funded", "true or false"),
        ({"id": "M1-U-01"}, "id", "prefix M1-F-"),
        ({"id": "X1"}, "id", 'an id like "M1-F-01"'),
        ({"administrations": ["BIF", "XYZ"]}, "administrations[2]", "an administration code"),
        ({"administrations": ["BIF", "BIF"]}, "administrations[2]", "no duplicates"),
        ({"administrations": []}, "administrations", "a non-empty list"),
        ({"criteria": ["lykke"]}, "criteria[1]", "a criterion code"),
        ({"title": ""}, "title", "a non-empty text"),
        ({"extra": 1}, "extra", "one of the known fields"),
        ({"places": []}, "places", "a non-empty list of places"),
        (
            {"places": [{"name": "X", "areas": ["Nordvest"], "source": "tekst"}]},
            "areas[1]",
            "an area code",
        ),
        (
            {"places": [{"name": "X", "areas": ["K1"], "source": "gæt"}]},
            "places[1].source",
            "tekst, forklaring or afledt",
        ),
        (
            {"places": [{"name": "X", "areas": ["K1"], "source": "tekst", "end_year": 1850}]},
            "end_year",
            "a whole year",
        ),
        ({"period": {"start_year": 2030, "end_year": 2029, "text": "x"}}, "period.end_year", ">="),
    ],
)
def test_each_kind_of_bad_value_is_reported(change: dict, field: str, expected: str) -> None:
    doc = minimal_doc()
    doc["initiatives"][0].update(change)
    found = problems_of(doc)
    assert any(p.field == field and expected in p.expected for p in found), found


def test_missing_required_field_is_reported() -> None:
    doc = minimal_doc()
    del doc["initiatives"][0]["criteria_reason"]
    found = problems_of(doc)
    assert [(p.field, p.value) for p in found] == [("criteria_reason", None)]
    assert "missing; expected this field (required)" in str(found[0])


def test_all_problems_are_collected_not_just_the_first() -> None:
    doc = minimal_doc(vintage="2029")
    doc["initiatives"][0].update(goal=5, administrations=["ABC"])
    doc["initiatives"].append(dict(doc["initiatives"][0]))
    found = problems_of(doc)
    fields = {p.field for p in found}
    assert {"vintage", "goal", "administrations[1]", "id"} <= fields


def test_duplicate_ids_are_refused() -> None:
    doc = minimal_doc()
    doc["initiatives"].append(dict(doc["initiatives"][0]))
    found = problems_of(doc)
    assert any(p.field == "id" and "unique" in p.expected for p in found)


def test_vintage_and_years_must_agree() -> None:
    found = problems_of(minimal_doc(end_year=2031))
    assert any("the vintage's years 2029-2030" in p.expected for p in found)


def test_unknown_area_code_is_refused_when_the_store_codes_are_given() -> None:
    found = problems_of(minimal_doc(), known_area_codes={"kbh"})
    assert [(p.field, p.value) for p in found] == [("places[1].areas[1]", "K21005")]
    assert "exists in the store" in found[0].expected
    parse(minimal_doc(), known_area_codes={"K21005"})


def test_invalid_yaml_reports_the_line() -> None:
    found = problems_of("vintage: [2029\ntitle: x\n")
    assert found[0].line is not None and "valid YAML" in found[0].expected


def test_not_a_mapping_is_refused() -> None:
    found = problems_of("- a\n- b\n")
    assert "a YAML mapping" in found[0].expected


def test_unreadable_file_is_a_register_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "x.yaml"
    bad.write_bytes(b"title: \xff\xfe")
    with pytest.raises(ini.RegisterError, match="UTF-8"):
        ini.load_register(bad)
    with pytest.raises(ini.RegisterError, match="readable file"):
        ini.load_register(tmp_path / "missing.yaml")


def test_further_initiatives_validate_goal_and_duplicates() -> None:
    doc = minimal_doc(further_initiatives=[{"goal": 3, "name": "x"}, {"goal": 2, "name": "y"}])
    doc["further_initiatives"].append({"goal": 2, "name": "y"})
    found = problems_of(doc)
    assert {(p.field, p.expected) for p in found} >= {
        ("goal", "1 or 2"),
        ("name", "a name not listed twice"),
    }


# ------------------------------------------------------------------------ rows round trip


def test_rows_round_trip_gives_the_same_register(register: ini.Register) -> None:
    again = ini.register_from_rows(ini.register_to_rows(register), register.file_name)
    assert again == register


# ------------------------------------------------------------------------ frames and counts


def test_funding_counts_per_goal_and_focus_area(register: ini.Register) -> None:
    counts = ini.funding_counts(ini.initiatives_frame(register))
    table = {(r.goal, r.focus_area): (r.funded, r.unfunded) for r in counts.itertuples()}
    assert table == {
        (1, "tvaers"): (1, 1),
        (1, "arbejde"): (3, 0),
        (1, "trivsel"): (5, 3),
        (1, "boern"): (7, 2),
        (2, "rammer"): (6, 3),
        (2, "rekreativ"): (2, 1),
        (2, "tryg"): (4, 2),
    }
    assert counts["total"].sum() == 40


def test_funding_counts_list_every_focus_area_even_when_empty(register: ini.Register) -> None:
    frame = ini.filter_initiatives(ini.initiatives_frame(register), goals=[2], funded=False)
    counts = ini.funding_counts(frame)
    assert len(counts) == 6  # three focus areas per goal; no "på tværs" without entries
    assert counts.loc[counts["goal"] == 1, "total"].sum() == 0
    assert counts["funded"].sum() == 0 and counts["unfunded"].sum() == 6


def test_filters_combine(register: ini.Register) -> None:
    frame = ini.initiatives_frame(register)
    suf = ini.filter_initiatives(frame, administrations=["SUF"])
    assert all("SUF" in a for a in suf["administrations"])
    both = ini.filter_initiatives(frame, goals=[1], focus_areas=["trivsel"], funded=True)
    assert both["id"].tolist() == ["M1-F-05", "M1-F-06", "M1-F-07", "M1-F-08", "M1-F-09"]
    assert ini.filter_initiatives(frame, area_ids=[])["id"].tolist() == []
    assert len(ini.filter_initiatives(frame)) == 40


def test_csv_is_utf8_and_the_excel_variant_has_bom_and_semicolons(
    register: ini.Register,
) -> None:
    plain = ini.to_csv_bytes(register)
    back = pd.read_csv(io.BytesIO(plain), encoding="utf-8")
    assert list(back.columns) == ini.CSV_COLUMNS
    assert len(back) == 40
    row = back.set_index("id").loc["M2-U-06"]
    assert row["funded"] == "ufinansieret"
    assert row["administrations"] == "KTF; KFF"
    assert "Hørgården: A410-671 A410-672" in row["places"]
    assert row["criteria_judgement"].startswith("Projektets vurdering")
    excel = ini.to_csv_bytes(register, excel=True)
    assert excel.startswith(b"\xef\xbb\xbf")
    again = pd.read_csv(io.BytesIO(excel), encoding="utf-8-sig", sep=";")
    assert again.equals(back)


# ------------------------------------------------------------------------ geography rule

TOY_MEMBERSHIP = pd.DataFrame(
    [
        ("kbh", "R1"),
        ("kbh", "R2"),
        ("kbh", "R3"),
        ("kbh", "R4"),
        ("B1", "R1"),
        ("B1", "R2"),
        ("B2", "R3"),
        ("B2", "R4"),
        ("K1", "R1"),
        ("ub-alle", "R2"),
        ("ub-alle", "R3"),
        ("A9-1", "R3"),  # a boligafdeling inside rode 3
    ],
    columns=["aggregate_code", "member_code"],
)


def toy_register(*places: tuple[str, list[str]]) -> ini.Register:
    entries = []
    for n, (name, areas) in enumerate(places, start=1):
        entries.append(
            ini.Initiative(
                id=f"M1-F-{n:02d}",
                position=n,
                goal=1,
                focus_area="arbejde",
                funded=n % 2 == 1,
                title=name,
                text="at",
                administrations=("BIF",),
                administrations_text=None,
                places=(ini.Place(name, tuple(areas), "tekst"),),
                explanation="x",
                criteria=(),
                criteria_reason="x",
            )
        )
    return ini.Register("2027-2028", "t", "s", "src", 2027, 2028, "j", tuple(entries))


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        # area B1 = R1, R2
        ("B1", {"bydel B1": "navngivet", "kvarter K1": "delvis", "udsatte": "delvis",
                "byen": "bydaekkende"}),
        # area K1 = R1 lies inside B1
        ("K1", {"bydel B1": "inden_for", "kvarter K1": "navngivet", "byen": "bydaekkende"}),
        # area R3 is udsat and holds the boligafdeling
        ("R3", {"udsatte": "inden_for", "afdeling": "delvis", "byen": "bydaekkende"}),
        # area B2 = R3, R4: partly udsat, holds the afdeling
        ("B2", {"udsatte": "delvis", "afdeling": "delvis", "byen": "bydaekkende"}),
        # the afdeling itself: named, and it lies in the udsat rode R3
        ("A9-1", {"afdeling": "navngivet", "udsatte": "delvis", "byen": "bydaekkende"}),
        # an unknown code only matches citywide initiatives
        ("Z9", {"byen": "bydaekkende"}),
    ],
)  # fmt: skip
def test_initiatives_for_area_rule(area: str, expected: dict[str, str]) -> None:
    reg = toy_register(
        ("bydel B1", ["B1"]),
        ("kvarter K1", ["K1"]),
        ("udsatte", ["ub-alle"]),
        ("afdeling", ["A9-1"]),
        ("byen", ["kbh"]),
    )
    found = ini.initiatives_for_area(reg, area, TOY_MEMBERSHIP)
    assert dict(zip(found["title"], found["match"], strict=True)) == expected
    order = [ini.MATCH_ORDER.index(m) for m in found["match"]]
    assert order == sorted(order)


def test_initiatives_for_area_without_register_or_membership() -> None:
    assert ini.initiatives_for_area(None, "B1", TOY_MEMBERSHIP).empty
    reg = toy_register(("bydel B1", ["B1"]))
    assert ini.initiatives_for_area(reg, "B1", None)["match"].tolist() == ["navngivet"]
    assert ini.initiatives_for_area(reg, "K1", None).empty


def test_bydel_initiative_covers_its_kvarterer_in_the_real_geography(
    register: ini.Register, real_geography: tuple[set[str], pd.DataFrame]
) -> None:
    _, membership = real_geography
    # Helhedsorienteret Familieindsats names bydelene Nørrebro (B3) and Bispebjerg (B8).
    nordvest = ini.initiatives_for_area(register, "K21005", membership).set_index("id")
    assert nordvest.loc["M1-U-02", "match"] == "inden_for"
    assert nordvest.loc["M1-F-08", "match"] == "navngivet"  # names Nordvest itself
    assert nordvest.loc["M1-F-01", "match"] == "bydaekkende"
    # Vanløse's Jyllingevej Kvarter has no udsat rode: only citywide initiatives run there.
    jyllingevej = ini.initiatives_for_area(register, "K20801", membership)
    assert set(jyllingevej["match"]) == {"bydaekkende"}
    # Mjølnerparken: named by the UU-vejledning, inside the udsatte byområder.
    mjoelner = ini.initiatives_for_area(register, "A739-23", membership).set_index("id")
    assert mjoelner.loc["M1-F-14", "match"] == "navngivet"
    assert mjoelner.loc["M1-F-03", "match"] == "delvis"
    # Bydel Nørrebro holds Mjølnerparken: the UU-vejledning runs in part of it.
    noerrebro = ini.initiatives_for_area(register, "B3", membership).set_index("id")
    assert noerrebro.loc["M1-F-14", "match"] == "delvis"


def test_further_for_area(register: ini.Register, real_geography) -> None:  # type: ignore[no-untyped-def]
    _, membership = real_geography
    names = ini.further_for_area(register, "B4", membership)["name"].tolist()
    assert names == ["Individuelt planlagt job med støtte (IPS) Sydhavnen", "SydhavnsCompagniet"]


def test_covered_areas_for_the_map(register: ini.Register, real_geography) -> None:  # type: ignore[no-untyped-def]
    _, membership = real_geography
    kvarterer = sorted({c for c in membership["aggregate_code"] if c.startswith("K")})
    covered = ini.covered_areas(register.get("M2-F-01"), kvarterer, membership)
    assert covered == {
        "K20405": "navngivet",
        "K21003": "navngivet",
        "K20403": "navngivet",
        "K21208": "navngivet",
        "K20902": "navngivet",
        "K21002": "navngivet",
    }


def test_almene_rode_membership_assigns_the_containing_rode() -> None:
    box = shapely.box
    areas = pd.DataFrame(
        {
            "code": ["R1", "R2", "A1-1", "A1-2", "A1-3"],
            "level": ["rode", "rode", "boligomraade", "boligomraade", "boligomraade"],
            "geometry_wkb": [
                shapely.to_wkb(box(0, 0, 1, 1)),
                shapely.to_wkb(box(1, 0, 2, 1)),
                shapely.to_wkb(box(0.2, 0.2, 0.4, 0.4)),  # inside R1
                shapely.to_wkb(box(0.5, 0.2, 1.5, 0.4)),  # half in each
                shapely.to_wkb(box(0.1, 0.1, 1.01, 0.2)),  # 1 % in R2: below the share
            ],
        }
    )
    got = ini.almene_rode_membership(areas)
    assert sorted(map(tuple, got.to_numpy().tolist())) == [
        ("A1-1", "R1"),
        ("A1-2", "R1"),
        ("A1-2", "R2"),
        ("A1-3", "R1"),
    ]
    assert ini.almene_rode_membership(areas[areas["level"] == "rode"]).empty


# ------------------------------------------------------------------------ plan text parser


def test_parse_plan_text_reads_tables_continuations_and_lists() -> None:
    text = textwrap.dedent(
        """\
        ## Handleplanens indsatser under mål 1: Gode livschancer

        Finansierede indsatser\tForklaring
        <b>Flere i arbejde og uddannelse</b> Kommunen vil:\t
        <ul><li>○ at gøre A (BIF, SOF).</li></ul>\t<p>Første.</p> <p>Anden del af</p>

        <sup>1</sup> En fodnote.

        \tforklaringen.
        <p>o at gøre B, som fortsætter</p>\t<p>Forklaring B</p>
        på næste side (KTF).\tslutter her.

        Københavns Kommune har en lang række yderligere indsatser i de udsatte byområder:

        - Første
        - Anden

        ## Hvordan følger vi op
        - ikke med
        """
    )
    plan = ini.parse_plan_text(text)
    assert [(i.text, i.administrations_text) for i in plan.items] == [
        ("at gøre A", "BIF, SOF"),
        ("at gøre B, som fortsætter på næste side", "KTF"),
    ]
    assert plan.items[0].explanation == "Første.\n\nAnden del af forklaringen."
    assert plan.items[1].explanation == "Forklaring B slutter her."
    assert plan.items[0].focus_heading == "Flere i arbejde og uddannelse"
    assert plan.further == {1: ("Første", "Anden"), 2: ()}
