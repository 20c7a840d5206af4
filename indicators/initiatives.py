"""The action plan's initiatives (*Handleplan for udsatte byområder*) as a validated register.

The register is a YAML file per plan *vintage* (``data/initiatives/handleplan-2027-2028.yaml``;
the plan is revised every second year toward 2035). This module parses and validates such a
file, turns it into frames for the app and the CLI, counts funded and unfunded initiatives,
and answers "which initiatives run in this area?". Pure Python/pandas: no Dash, Plotly or
Flask. The schema is documented in ``data/initiatives/README.md``.

Geography rule (:func:`initiatives_for_area`)
    Every place an initiative names is mapped to area codes. Coverage is worked out on the
    base units (roder): an area code stands for its member roder (``membership``: the
    store's aggregate → rode rows; a rode stands for itself). An almen boligafdeling
    (``A…``) stands for the roder it lies in, but only *touches* them (it covers part of a
    rode), see :func:`almene_rode_membership`. An area ``a`` and an initiative ``i`` then
    relate as

    ``navngivet``    ``a`` is one of the codes the initiative names;
    ``bydaekkende``  the initiative names the whole city (``kbh``);
    ``inden_for``    all of ``a``'s roder lie inside the places the initiative names
                     (an initiative naming bydel B8 covers kvarter K21005 and its roder);
    ``delvis``       some of ``a``'s roder are (partly) covered (an initiative naming
                     Mjølnerparken or the udsatte byområder runs in part of bydel B3).

    Areas with no rode in common with the initiative's places are not covered.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from indicators.registry import CRITERIA_CODES

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "initiatives"
SCHEMA_VERSION = 1
CURRENT_VINTAGE = "2027-2028"
CITY_CODE = "kbh"
ALL_UDSATTE_CODE = "ub-alle"

#: The plan's abbreviations for the responsible administrations (læsevejledning).
ADMINISTRATIONS: dict[str, str] = {
    "BIF": "Beskæftigelses-, Integrations- og Erhvervsforvaltningen",
    "BUF": "Børne- og Ungdomsforvaltningen",
    "KFF": "Kultur-, Fritids- og Borgerserviceforvaltningen",
    "KTF": "Klima-, Miljø- og Teknikforvaltningen",
    "SOF": "Socialforvaltningen",
    "SUF": "Sundheds- og Omsorgsforvaltningen",
    "ØKF": "Økonomiforvaltningen",
}

#: The two strategic goals of *Politik for udsatte byområder 2025-2035*.
GOALS: dict[int, str] = {
    1: "Gode livschancer og -muligheder for københavnere i alle aldre",
    2: "Trygge og attraktive byområder for alle københavnere",
}


@dataclass(frozen=True)
class FocusArea:
    """One of the policy's six indsatsområder, or the cross-cutting group."""

    code: str
    goal: int | None  # None: "på tværs af indsatsområder" (used under both goals)
    name: str
    name_in_plan: str
    order: int


#: The six indsatsområder (three per goal) and "på tværs af indsatsområder".
#: ``name_in_plan`` is the heading as printed in the draft (it spells "tryk" for "tryg").
FOCUS_AREAS: dict[str, FocusArea] = {
    fa.code: fa
    for fa in (
        FocusArea("tvaers", None, "På tværs af indsatsområder", "På tværs af indsatsområder", 0),
        FocusArea(
            "arbejde", 1, "Flere i arbejde og uddannelse", "Flere i arbejde og uddannelse", 1
        ),
        FocusArea(
            "trivsel",
            1,
            "Bedre trivsel og sundhed for københavnere i alle aldre",
            "Bedre trivsel og sundhed for københavnere i alle aldre",
            2,
        ),
        FocusArea("boern", 1, "Styrket børne- og ungeliv", "Styrket børne- og ungeliv", 3),
        FocusArea(
            "rammer", 2, "Attraktive rammer og funktioner", "Attraktive rammer og funktioner", 4
        ),
        FocusArea("rekreativ", 2, "Rekreative tilbud til alle", "Rekreative tilbud til alle", 5),
        FocusArea(
            "tryg",
            2,
            "En tryg, blandet og velfungerende by",
            "En tryk, blandet og velfungerende by",
            6,
        ),
    )
}

PLACE_SOURCES: dict[str, str] = {
    "tekst": "nævnt i indsatsens tekst",
    "forklaring": "nævnt i forklaringen",
    "afledt": "intet sted nævnt; projektets standardregel",
}

MATCH_ORDER = ("navngivet", "inden_for", "delvis", "bydaekkende")
MATCH_LABELS_DA = {
    "navngivet": "Området er nævnt",
    "inden_for": "Området ligger i et nævnt sted",
    "delvis": "Indsatsen dækker en del af området",
    "bydaekkende": "Bydækkende",
}

_AREA_CODE = re.compile(r"^(R\d+|K\d+|B\d+|L\d+|ub-[a-z0-9-]+|A\d+-[0-9A-Za-z.]+|kbh)$")
_VINTAGE = re.compile(r"^(\d{4})-(\d{4})$")
_ID = re.compile(r"^M([12])-([FU])-(\d{2})$")
_YEAR_RANGE = (2000, 2100)


# ------------------------------------------------------------------------------ data types


@dataclass(frozen=True)
class Place:
    """A place named by (or derived for) an initiative, mapped to area codes."""

    name: str
    areas: tuple[str, ...]
    source: str
    start_year: int | None = None
    end_year: int | None = None
    period_text: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Initiative:
    id: str
    position: int
    goal: int
    focus_area: str
    funded: bool
    title: str
    text: str
    administrations: tuple[str, ...]
    administrations_text: str | None
    places: tuple[Place, ...]
    explanation: str
    criteria: tuple[str, ...]
    criteria_reason: str
    period_start: int | None = None
    period_end: int | None = None
    period_text: str | None = None
    note: str | None = None

    @property
    def area_codes(self) -> tuple[str, ...]:
        """Every area code of every place, first occurrence order."""
        return tuple(dict.fromkeys(code for p in self.places for code in p.areas))


@dataclass(frozen=True)
class FurtherInitiative:
    """An entry of a plan's list of "further initiatives" (named only)."""

    goal: int
    position: int
    name: str
    areas: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Register:
    vintage: str
    title: str
    status: str
    source: str
    start_year: int
    end_year: int
    criteria_judgement: str
    initiatives: tuple[Initiative, ...]
    further: tuple[FurtherInitiative, ...] = ()
    source_file: str | None = None
    note: str | None = None
    file_name: str = field(default="", compare=False)

    def get(self, initiative_id: str) -> Initiative:
        for ini in self.initiatives:
            if ini.id == initiative_id:
                return ini
        raise KeyError(initiative_id)

    def area_codes(self) -> set[str]:
        codes = {c for ini in self.initiatives for c in ini.area_codes}
        return codes | {c for f in self.further for c in f.areas}


# ------------------------------------------------------------------------------ errors


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a register file: where, what was found, what was expected."""

    file: str
    line: int | None
    entry: str | None
    field: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.entry:
            where.append(self.entry)
        if self.field:
            where.append(f"field {self.field}")
        got = "missing" if self.value is None else f"got {_preview(self.value)}"
        return f"{', '.join(where)}: {got}; expected {self.expected}"


class RegisterError(ValueError):
    """A register file cannot be used; nothing was loaded. ``problems`` lists them all."""

    def __init__(self, problems: Iterable[Problem], max_shown: int = 50) -> None:
        found = sorted(problems, key=lambda p: (p.file, p.line or 0, p.entry or "", p.field or ""))
        if not found:
            raise ValueError("RegisterError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(found)
        lines = [str(p) for p in found[:max_shown]]
        if len(found) > max_shown:
            lines.append(f"... and {len(found) - max_shown} more problem(s)")
        super().__init__("\n".join(lines))


def _preview(value: object, limit: int = 80) -> str:
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\n", "\\n")
    if len(text) > limit:
        text = text[:limit] + "…"
    return f'"{text}"' if isinstance(value, str) else text


# ------------------------------------------------------------------------------ parsing


def _line_index(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    """1-based line of every mapping value and sequence item, keyed by its path."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            lines[(*path, key)] = key_node.start_mark.line + 1
            for sub_path, line in _line_index(value_node, (*path, key)).items():
                if sub_path != (*path, key):
                    lines[sub_path] = line
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.update(_line_index(item, (*path, i)))
    return lines


class _Checker:
    """Collects problems while reading one document."""

    def __init__(self, file: str, lines: Mapping[tuple, int]) -> None:
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(
        self, path: tuple, entry: str | None, fld: str | None, value: object, expected: str
    ) -> None:
        line = None
        probe = path
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe[:-1]
        self.problems.append(
            Problem(self.file, line, entry, fld, None if value is _MISSING else value, expected)
        )

    def keys(
        self,
        obj: Mapping,
        path: tuple,
        entry: str | None,
        required: Sequence[str],
        optional: Sequence[str],
    ) -> bool:
        ok = True
        for key in required:
            if key not in obj:
                self.add(path, entry, key, _MISSING, "this field (required)")
                ok = False
        for key in obj:
            if key not in required and key not in optional:
                self.add(
                    (*path, key),
                    entry,
                    str(key),
                    str(key),
                    f"one of the known fields {', '.join([*required, *optional])}",
                )
                ok = False
        return ok

    def text(
        self, obj: Mapping, key: str, path: tuple, entry: str | None, *, optional: bool = False
    ) -> str | None:
        if key not in obj:
            return None  # a missing required field is reported by keys()
        value = obj[key]
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.add((*path, key), entry, key, value, "a non-empty text")
            return None
        return value.strip()

    def year(self, obj: Mapping, key: str, path: tuple, entry: str | None) -> int | None:
        if key not in obj or obj[key] is None:
            return None
        value = obj[key]
        lo, hi = _YEAR_RANGE
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            self.add((*path, key), entry, key, value, f"a whole year {lo}-{hi}")
            return None
        return value

    def codes(
        self,
        obj: Mapping,
        key: str,
        path: tuple,
        entry: str | None,
        allowed: Iterable[str] | None,
        expected: str,
        *,
        allow_empty: bool = False,
        pattern: re.Pattern[str] | None = None,
    ) -> tuple[str, ...]:
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            if allow_empty:
                return ()
            self.add(path, entry, key, _MISSING, f"a list of {expected}")
            return ()
        if not isinstance(value, list) or (not value and not allow_empty):
            self.add((*path, key), entry, key, value, f"a non-empty list of {expected}")
            return ()
        allowed_set = set(allowed) if allowed is not None else None
        out: list[str] = []
        for i, item in enumerate(value):
            good = isinstance(item, str) and (
                (allowed_set is None or item in allowed_set)
                and (pattern is None or pattern.match(item))
            )
            if not good:
                self.add((*path, key, i), entry, f"{key}[{i + 1}]", item, expected)
            elif item in out:
                self.add((*path, key, i), entry, f"{key}[{i + 1}]", item, "no duplicates")
            else:
                out.append(item)
        return tuple(out)


_MISSING = object()

_TOP_REQUIRED = (
    "schema_version",
    "vintage",
    "title",
    "status",
    "source",
    "start_year",
    "end_year",
    "criteria_judgement",
    "initiatives",
)
_TOP_OPTIONAL = ("source_file", "note", "further_initiatives")
_INI_REQUIRED = (
    "id",
    "goal",
    "focus_area",
    "funded",
    "title",
    "text",
    "administrations",
    "places",
    "explanation",
    "criteria",
    "criteria_reason",
)
_INI_OPTIONAL = ("administrations_text", "period", "note")
_PLACE_REQUIRED = ("name", "areas", "source")
_PLACE_OPTIONAL = ("start_year", "end_year", "period_text", "note")
_PERIOD_KEYS = ("start_year", "end_year", "text")
_FURTHER_REQUIRED = ("goal", "name")
_FURTHER_OPTIONAL = ("areas", "note")


def parse_register(
    text: str,
    file_name: str = "register.yaml",
    *,
    known_area_codes: Iterable[str] | None = None,
) -> Register:
    """Parse and validate a register document.

    Parameters
    ----------
    text
        The YAML document (schema: ``data/initiatives/README.md``).
    file_name
        Used in error messages.
    known_area_codes
        When given, every area code must be one of these (e.g. the store's areas).

    Raises
    ------
    RegisterError
        Listing every problem found, each naming file, line, entry, field, the value
        found and what was expected.
    """
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RegisterError(
            [Problem(file_name, line, None, None, None, f"valid YAML ({exc})")]
        ) from None
    check = _Checker(file_name, _line_index(node) if node is not None else {})
    if not isinstance(doc, dict):
        check.add((), None, None, doc, "a YAML mapping with the register's fields")
        raise RegisterError(check.problems)
    check.keys(doc, (), None, _TOP_REQUIRED, _TOP_OPTIONAL)

    version = doc.get("schema_version")
    if "schema_version" in doc and version != SCHEMA_VERSION:
        check.add(("schema_version",), None, "schema_version", version, str(SCHEMA_VERSION))

    vintage = doc.get("vintage")
    start_year = check.year(doc, "start_year", (), None)
    end_year = check.year(doc, "end_year", (), None)
    m = _VINTAGE.match(str(vintage)) if isinstance(vintage, str) else None
    if "vintage" in doc and m is None:
        check.add(("vintage",), None, "vintage", vintage, 'a text like "2027-2028"')
    elif m is not None and (start_year, end_year) != (int(m.group(1)), int(m.group(2))):
        check.add(
            ("start_year",),
            None,
            "start_year/end_year",
            f"{start_year}-{end_year}",
            f"the vintage's years {vintage}",
        )
    if start_year and end_year and start_year > end_year:
        check.add(("end_year",), None, "end_year", end_year, f">= start_year {start_year}")

    title = check.text(doc, "title", (), None)
    status = check.text(doc, "status", (), None)
    source = check.text(doc, "source", (), None)
    judgement = check.text(doc, "criteria_judgement", (), None)
    source_file = check.text(doc, "source_file", (), None, optional=True)
    note = check.text(doc, "note", (), None, optional=True)

    known = set(known_area_codes) if known_area_codes is not None else None
    initiatives = _parse_initiatives(doc.get("initiatives"), check, known)
    further = _parse_further(doc.get("further_initiatives"), check, known)

    if check.problems:
        raise RegisterError(check.problems)
    return Register(
        vintage=str(vintage),
        title=str(title),
        status=str(status),
        source=str(source),
        start_year=int(start_year or 0),
        end_year=int(end_year or 0),
        criteria_judgement=str(judgement),
        initiatives=tuple(initiatives),
        further=tuple(further),
        source_file=source_file,
        note=note,
        file_name=file_name,
    )


def _parse_initiatives(items: object, check: _Checker, known: set[str] | None) -> list[Initiative]:
    if not isinstance(items, list) or not items:
        if items is not None:
            check.add(("initiatives",), None, "initiatives", items, "a non-empty list")
        return []
    out: list[Initiative] = []
    seen: dict[str, int] = {}
    for position, raw in enumerate(items, start=1):
        path = ("initiatives", position - 1)
        entry = f"initiative #{position}"
        if not isinstance(raw, dict):
            check.add(path, entry, None, raw, "a mapping with the initiative's fields")
            continue
        if isinstance(raw.get("id"), str):
            entry = f"initiative {raw['id']}"
        check.keys(raw, path, entry, _INI_REQUIRED, _INI_OPTIONAL)
        before = len(check.problems)

        ini_id = raw.get("id")
        id_match = _ID.match(ini_id) if isinstance(ini_id, str) else None
        if "id" in raw and id_match is None:
            check.add((*path, "id"), entry, "id", ini_id, 'an id like "M1-F-01" (goal, F/U, nn)')
        elif isinstance(ini_id, str):
            if ini_id in seen:
                check.add((*path, "id"), entry, "id", ini_id, f"a unique id (also #{seen[ini_id]})")
            seen.setdefault(ini_id, position)

        goal = raw.get("goal")
        if "goal" in raw and goal not in GOALS:
            check.add((*path, "goal"), entry, "goal", goal, "1 or 2")
            goal = None
        funded = raw.get("funded")
        if "funded" in raw and not isinstance(funded, bool):
            check.add((*path, "funded"), entry, "funded", funded, "true or false")
            funded = None
        if id_match and goal in GOALS and isinstance(funded, bool):
            want = (str(goal), "F" if funded else "U")
            if (id_match.group(1), id_match.group(2)) != want:
                check.add(
                    (*path, "id"),
                    entry,
                    "id",
                    ini_id,
                    f"prefix M{want[0]}-{want[1]}- to agree with goal and funded",
                )

        focus = raw.get("focus_area")
        if "focus_area" in raw:
            fa = FOCUS_AREAS.get(focus) if isinstance(focus, str) else None
            if fa is None:
                check.add(
                    (*path, "focus_area"),
                    entry,
                    "focus_area",
                    focus,
                    f"one of {', '.join(FOCUS_AREAS)}",
                )
            elif fa.goal is not None and goal in GOALS and fa.goal != goal:
                check.add(
                    (*path, "focus_area"),
                    entry,
                    "focus_area",
                    focus,
                    f"a focus area of goal {goal} (or tvaers)",
                )

        title = check.text(raw, "title", path, entry)
        text = check.text(raw, "text", path, entry)
        explanation = check.text(raw, "explanation", path, entry)
        reason = check.text(raw, "criteria_reason", path, entry)
        admin_text = check.text(raw, "administrations_text", path, entry, optional=True)
        note = check.text(raw, "note", path, entry, optional=True)
        if title is not None and len(title) > 200:
            check.add((*path, "title"), entry, "title", title, "at most 200 characters")
        admins = check.codes(
            raw,
            "administrations",
            path,
            entry,
            ADMINISTRATIONS,
            f"an administration code ({', '.join(ADMINISTRATIONS)})",
        )
        criteria = check.codes(
            raw,
            "criteria",
            path,
            entry,
            CRITERIA_CODES,
            f"a criterion code ({', '.join(CRITERIA_CODES)})",
            allow_empty=True,
        )
        if "criteria" in raw and raw["criteria"] is None:
            check.add((*path, "criteria"), entry, "criteria", None, "a list ([] for none)")
        places = _parse_places(raw.get("places"), path, entry, check, known)
        p_start, p_end, p_text = _parse_period(raw.get("period"), path, entry, check)

        if len(check.problems) == before:
            out.append(
                Initiative(
                    id=str(ini_id),
                    position=position,
                    goal=int(goal),  # type: ignore[arg-type]
                    focus_area=str(focus),
                    funded=bool(funded),
                    title=str(title),
                    text=str(text),
                    administrations=admins,
                    administrations_text=admin_text,
                    places=places,
                    explanation=str(explanation),
                    criteria=criteria,
                    criteria_reason=str(reason),
                    period_start=p_start,
                    period_end=p_end,
                    period_text=p_text,
                    note=note,
                )
            )
    return out


def _parse_places(
    raw: object, path: tuple, entry: str, check: _Checker, known: set[str] | None
) -> tuple[Place, ...]:
    if raw is None:
        check.add(path, entry, "places", _MISSING, "a non-empty list of places")
        return ()
    if not isinstance(raw, list) or not raw:
        check.add((*path, "places"), entry, "places", raw, "a non-empty list of places")
        return ()
    out: list[Place] = []
    for i, item in enumerate(raw):
        ppath = (*path, "places", i)
        fld = f"places[{i + 1}]"
        if not isinstance(item, dict):
            check.add(ppath, entry, fld, item, "a mapping with name, areas and source")
            continue
        check.keys(item, ppath, f"{entry}, {fld}", _PLACE_REQUIRED, _PLACE_OPTIONAL)
        name = check.text(item, "name", ppath, entry)
        areas = check.codes(
            item,
            "areas",
            ppath,
            entry,
            None,
            "an area code (R…, K…, B…, L…, ub-…, A…-…, kbh)",
            pattern=_AREA_CODE,
        )
        if known is not None:
            for j, code in enumerate(areas):
                if code not in known:
                    check.add(
                        (*ppath, "areas", j),
                        entry,
                        f"{fld}.areas[{j + 1}]",
                        code,
                        "an area code that exists in the store (load the geography first)",
                    )
        src = item.get("source")
        if "source" in item and src not in PLACE_SOURCES:
            check.add(
                (*ppath, "source"), entry, f"{fld}.source", src, "tekst, forklaring or afledt"
            )
        start = check.year(item, "start_year", ppath, entry)
        end = check.year(item, "end_year", ppath, entry)
        if start and end and start > end:
            check.add((*ppath, "end_year"), entry, f"{fld}.end_year", end, f">= {start}")
        period_text = check.text(item, "period_text", ppath, entry, optional=True)
        note = check.text(item, "note", ppath, entry, optional=True)
        if name is not None and areas and src in PLACE_SOURCES:
            out.append(Place(name, areas, str(src), start, end, period_text, note))
    return tuple(out)


def _parse_period(
    raw: object, path: tuple, entry: str, check: _Checker
) -> tuple[int | None, int | None, str | None]:
    if raw is None:
        return None, None, None
    ppath = (*path, "period")
    if not isinstance(raw, dict):
        check.add(ppath, entry, "period", raw, "a mapping with start_year, end_year and text")
        return None, None, None
    check.keys(raw, ppath, entry, ("text",), ("start_year", "end_year"))
    start = check.year(raw, "start_year", ppath, entry)
    end = check.year(raw, "end_year", ppath, entry)
    if start and end and start > end:
        check.add((*ppath, "end_year"), entry, "period.end_year", end, f">= {start}")
    return start, end, check.text(raw, "text", ppath, entry)


def _parse_further(raw: object, check: _Checker, known: set[str] | None) -> list[FurtherInitiative]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        check.add(("further_initiatives",), None, "further_initiatives", raw, "a list")
        return []
    out: list[FurtherInitiative] = []
    positions = {1: 0, 2: 0}
    seen: set[tuple[int, str]] = set()
    for i, item in enumerate(raw):
        path = ("further_initiatives", i)
        entry = f"further initiative #{i + 1}"
        if not isinstance(item, dict):
            check.add(path, entry, None, item, "a mapping with goal and name")
            continue
        check.keys(item, path, entry, _FURTHER_REQUIRED, _FURTHER_OPTIONAL)
        goal = item.get("goal")
        if "goal" in item and goal not in GOALS:
            check.add((*path, "goal"), entry, "goal", goal, "1 or 2")
            continue
        name = check.text(item, "name", path, entry)
        areas = check.codes(
            item,
            "areas",
            path,
            entry,
            known,
            "an area code (R…, K…, B…, L…, ub-…, A…-…, kbh)",
            allow_empty=True,
            pattern=_AREA_CODE,
        )
        note = check.text(item, "note", path, entry, optional=True)
        if name is None or goal not in GOALS:
            continue
        if (goal, name) in seen:
            check.add((*path, "name"), entry, "name", name, "a name not listed twice")
            continue
        seen.add((goal, name))
        positions[goal] += 1
        out.append(FurtherInitiative(goal, positions[goal], name, areas, note))
    return out


def load_register(path: str | Path, *, known_area_codes: Iterable[str] | None = None) -> Register:
    """Read and validate a register file (see :func:`parse_register`)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RegisterError(
            [Problem(path.name, None, None, None, None, f"UTF-8 text ({exc.reason})")]
        ) from None
    except OSError as exc:
        raise RegisterError(
            [Problem(str(path), None, None, None, None, f"a readable file ({exc.strerror})")]
        ) from None
    return parse_register(text, path.name, known_area_codes=known_area_codes)


def shipped_register_path(vintage: str = CURRENT_VINTAGE) -> Path:
    """The register file the project ships for ``vintage``."""
    return DATA_DIR / f"handleplan-{vintage}.yaml"


def validate_area_codes(register: Register, known_area_codes: Iterable[str]) -> None:
    """Raise :class:`RegisterError` if the register names an area code not in ``known``."""
    known = set(known_area_codes)
    problems = []
    for ini in register.initiatives:
        for i, place in enumerate(ini.places, start=1):
            for j, code in enumerate(place.areas, start=1):
                if code not in known:
                    problems.append(
                        Problem(
                            register.file_name,
                            None,
                            f"initiative {ini.id}",
                            f"places[{i}].areas[{j}]",
                            code,
                            "an area code that exists in the store (load the geography first)",
                        )
                    )
    for fur in register.further:
        for j, code in enumerate(fur.areas, start=1):
            if code not in known:
                problems.append(
                    Problem(
                        register.file_name,
                        None,
                        f"further initiative {fur.name!r}",
                        f"areas[{j}]",
                        code,
                        "an area code that exists in the store",
                    )
                )
    if problems:
        raise RegisterError(problems)


# ------------------------------------------------------------------------------ store rows
#
# The store (db.initiatives_store) knows nothing of these dataclasses: the register goes in
# and comes back as plain rows, one list per table.


def register_to_rows(register: Register) -> dict[str, Any]:
    """The register as plain rows for :func:`db.initiatives_store.load_vintage`."""
    initiatives, admins, places, criteria = [], [], [], []
    for ini in register.initiatives:
        initiatives.append(
            {
                "code": ini.id,
                "position": ini.position,
                "goal": ini.goal,
                "focus_area": ini.focus_area,
                "funded": ini.funded,
                "title": ini.title,
                "text": ini.text,
                "administrations_text": ini.administrations_text,
                "explanation": ini.explanation,
                "criteria_reason": ini.criteria_reason,
                "period_start": ini.period_start,
                "period_end": ini.period_end,
                "period_text": ini.period_text,
                "note": ini.note,
            }
        )
        for pos, code in enumerate(ini.administrations, start=1):
            admins.append({"initiative": ini.id, "position": pos, "administration": code})
        for pos, place in enumerate(ini.places, start=1):
            for code in place.areas:
                places.append(
                    {
                        "initiative": ini.id,
                        "place_position": pos,
                        "name": place.name,
                        "source": place.source,
                        "area_code": code,
                        "start_year": place.start_year,
                        "end_year": place.end_year,
                        "period_text": place.period_text,
                        "note": place.note,
                    }
                )
        for code in ini.criteria:
            criteria.append({"initiative": ini.id, "criterion": code})
    further = [
        {
            "goal": f.goal,
            "position": f.position,
            "name": f.name,
            "area_codes": ",".join(f.areas),
            "note": f.note,
        }
        for f in register.further
    ]
    return {
        "vintage": {
            "vintage": register.vintage,
            "title": register.title,
            "status": register.status,
            "source": register.source,
            "source_file": register.source_file,
            "start_year": register.start_year,
            "end_year": register.end_year,
            "criteria_judgement": register.criteria_judgement,
            "note": register.note,
        },
        "initiatives": initiatives,
        "administrations": admins,
        "places": places,
        "criteria": criteria,
        "further": further,
    }


def register_from_rows(rows: Mapping[str, Any], file_name: str = "") -> Register:
    """Rebuild a :class:`Register` from :func:`register_to_rows`-shaped rows (the store)."""
    head = rows["vintage"]

    def records(key: str) -> list[dict]:
        value = rows.get(key, [])
        if isinstance(value, pd.DataFrame):
            return value.to_dict("records")
        return list(value)

    def clean(value: object) -> Any:
        if value is None:
            return None
        try:
            if pd.isna(value):
                return None
        except (TypeError, ValueError):
            pass
        return value

    def opt_int(value: object) -> int | None:
        value = clean(value)
        return None if value is None else int(value)

    admins: dict[str, list[tuple[int, str]]] = {}
    for r in records("administrations"):
        admins.setdefault(r["initiative"], []).append((int(r["position"]), r["administration"]))
    crit: dict[str, list[str]] = {}
    for r in records("criteria"):  # in the order they were written
        crit.setdefault(r["initiative"], []).append(r["criterion"])
    place_rows: dict[str, dict[int, list[dict]]] = {}
    for r in records("places"):
        place_rows.setdefault(r["initiative"], {}).setdefault(int(r["place_position"]), []).append(
            r
        )
    initiatives = []
    for r in sorted(records("initiatives"), key=lambda r: int(r["position"])):
        code = r["code"]
        places = []
        for _, group in sorted(place_rows.get(code, {}).items()):
            first = group[0]
            places.append(
                Place(
                    name=first["name"],
                    areas=tuple(g["area_code"] for g in group),
                    source=first["source"],
                    start_year=opt_int(first.get("start_year")),
                    end_year=opt_int(first.get("end_year")),
                    period_text=clean(first.get("period_text")),
                    note=clean(first.get("note")),
                )
            )
        initiatives.append(
            Initiative(
                id=code,
                position=int(r["position"]),
                goal=int(r["goal"]),
                focus_area=r["focus_area"],
                funded=bool(r["funded"]),
                title=r["title"],
                text=r["text"],
                administrations=tuple(c for _, c in sorted(admins.get(code, []))),
                administrations_text=clean(r.get("administrations_text")),
                places=tuple(places),
                explanation=r["explanation"],
                criteria=tuple(dict.fromkeys(crit.get(code, []))),
                criteria_reason=r["criteria_reason"],
                period_start=opt_int(r.get("period_start")),
                period_end=opt_int(r.get("period_end")),
                period_text=clean(r.get("period_text")),
                note=clean(r.get("note")),
            )
        )
    further = [
        FurtherInitiative(
            goal=int(r["goal"]),
            position=int(r["position"]),
            name=r["name"],
            areas=tuple(c for c in (clean(r.get("area_codes")) or "").split(",") if c),
            note=clean(r.get("note")),
        )
        for r in sorted(records("further"), key=lambda r: (int(r["goal"]), int(r["position"])))
    ]
    return Register(
        vintage=head["vintage"],
        title=head["title"],
        status=head["status"],
        source=head["source"],
        start_year=int(head["start_year"]),
        end_year=int(head["end_year"]),
        criteria_judgement=head["criteria_judgement"],
        initiatives=tuple(initiatives),
        further=tuple(further),
        source_file=clean(head.get("source_file")),
        note=clean(head.get("note")),
        file_name=file_name or f"store:{head['vintage']}",
    )


# ------------------------------------------------------------------------------ frames

INITIATIVE_COLUMNS = [
    "vintage",
    "id",
    "position",
    "goal",
    "goal_name",
    "focus_area",
    "focus_area_name",
    "funded",
    "title",
    "text",
    "administrations",
    "administrations_text",
    "places",
    "area_codes",
    "period_start",
    "period_end",
    "period_text",
    "explanation",
    "criteria",
    "criteria_reason",
    "note",
]


def initiatives_frame(register: Register) -> pd.DataFrame:
    """One row per initiative; list-valued columns hold tuples."""
    rows = []
    for ini in register.initiatives:
        rows.append(
            {
                "vintage": register.vintage,
                "id": ini.id,
                "position": ini.position,
                "goal": ini.goal,
                "goal_name": GOALS[ini.goal],
                "focus_area": ini.focus_area,
                "focus_area_name": FOCUS_AREAS[ini.focus_area].name,
                "funded": ini.funded,
                "title": ini.title,
                "text": ini.text,
                "administrations": ini.administrations,
                "administrations_text": ini.administrations_text,
                "places": tuple(p.name for p in ini.places),
                "area_codes": ini.area_codes,
                "period_start": ini.period_start,
                "period_end": ini.period_end,
                "period_text": ini.period_text,
                "explanation": ini.explanation,
                "criteria": ini.criteria,
                "criteria_reason": ini.criteria_reason,
                "note": ini.note,
            }
        )
    frame = pd.DataFrame(rows, columns=INITIATIVE_COLUMNS)
    for col in ("period_start", "period_end"):
        frame[col] = frame[col].astype("Int64")
    return frame


def places_frame(register: Register) -> pd.DataFrame:
    """One row per (initiative, place, area code), with the place's period."""
    rows = [
        {
            "id": ini.id,
            "place_position": pos,
            "place": place.name,
            "source": place.source,
            "area_code": code,
            "start_year": place.start_year,
            "end_year": place.end_year,
            "period_text": place.period_text,
            "note": place.note,
        }
        for ini in register.initiatives
        for pos, place in enumerate(ini.places, start=1)
        for code in place.areas
    ]
    cols = [
        "id",
        "place_position",
        "place",
        "source",
        "area_code",
        "start_year",
        "end_year",
        "period_text",
        "note",
    ]
    frame = pd.DataFrame(rows, columns=cols)
    for col in ("start_year", "end_year"):
        frame[col] = frame[col].astype("Int64")
    return frame


def further_frame(register: Register) -> pd.DataFrame:
    rows = [
        {
            "vintage": register.vintage,
            "goal": f.goal,
            "position": f.position,
            "name": f.name,
            "area_codes": f.areas,
            "note": f.note,
        }
        for f in register.further
    ]
    return pd.DataFrame(rows, columns=["vintage", "goal", "position", "name", "area_codes", "note"])


def filter_initiatives(
    frame: pd.DataFrame,
    *,
    goals: Iterable[int] | None = None,
    focus_areas: Iterable[str] | None = None,
    administrations: Iterable[str] | None = None,
    funded: bool | None = None,
    area_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Rows of :func:`initiatives_frame` matching every given filter (``None``: no filter).

    ``administrations`` keeps initiatives where *any* of the given administrations is
    responsible. ``area_ids`` is the set of initiative ids running in an area (from
    :func:`initiatives_for_area`).
    """
    mask = pd.Series(True, index=frame.index)
    goal_list = [int(g) for g in goals] if goals is not None else []
    if goal_list:
        mask &= frame["goal"].isin(goal_list)
    fa_list = list(focus_areas) if focus_areas is not None else []
    if fa_list:
        mask &= frame["focus_area"].isin(fa_list)
    admin_set = set(administrations) if administrations is not None else set()
    if admin_set:
        mask &= frame["administrations"].map(lambda a: bool(admin_set.intersection(a)))
    if funded is not None:
        mask &= frame["funded"] == funded
    if area_ids is not None:
        mask &= frame["id"].isin(list(area_ids))
    return frame[mask].reset_index(drop=True)


def funding_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Funded and unfunded counts per goal and focus area.

    Returns ``goal, goal_name, focus_area, focus_area_name, funded, unfunded, total`` in the
    plan's order: goal 1 (tvaers, then its three focus areas), then goal 2. Each goal's
    three focus areas are always listed (zeros too); "på tværs" only when it has any.
    """
    rows = []
    for goal in GOALS:
        for fa in sorted(FOCUS_AREAS.values(), key=lambda f: f.order):
            if fa.goal not in (None, goal):
                continue
            part = frame[(frame["goal"] == goal) & (frame["focus_area"] == fa.code)]
            if fa.goal is None and part.empty:
                continue
            n_funded = int(part["funded"].astype(bool).sum())
            rows.append(
                {
                    "goal": goal,
                    "goal_name": GOALS[goal],
                    "focus_area": fa.code,
                    "focus_area_name": fa.name,
                    "funded": n_funded,
                    "unfunded": len(part) - n_funded,
                    "total": len(part),
                }
            )
    return pd.DataFrame(rows)


def section_counts(register: Register) -> dict[tuple[int, bool, str], int]:
    """Number of initiatives per (goal, funded, focus_area), as the plan's tables group them."""
    counts: dict[tuple[int, bool, str], int] = {}
    for ini in register.initiatives:
        key = (ini.goal, ini.funded, ini.focus_area)
        counts[key] = counts.get(key, 0) + 1
    return counts


# ------------------------------------------------------------------------------ geography


def _members(membership: pd.DataFrame | None) -> dict[str, frozenset[str]]:
    if membership is None or membership.empty:
        return {}
    groups: dict[str, set[str]] = {}
    for agg, member in zip(
        membership["aggregate_code"].astype(str), membership["member_code"].astype(str), strict=True
    ):
        groups.setdefault(agg, set()).add(member)
    return {k: frozenset(v) for k, v in groups.items()}


def _is_almen(code: str) -> bool:
    return bool(re.match(r"^A\d+-", code))


def _roder_of(code: str, members: Mapping[str, frozenset[str]]) -> frozenset[str]:
    if code in members:
        return members[code]
    if re.match(r"^R\d+$", code):
        return frozenset({code})
    return frozenset()


def _match(
    initiative: Initiative, area_code: str, area_roder: frozenset[str], members: Mapping
) -> tuple[str, list[str]] | None:
    """How ``initiative`` relates to the area (rule in the module docstring), or None."""
    best: str | None = None
    names: list[str] = []
    area_is_almen = _is_almen(area_code)
    for place in initiative.places:
        kind = None
        if area_code in place.areas:
            kind = "navngivet"
        elif CITY_CODE in place.areas:
            kind = "bydaekkende"
        elif area_roder:
            full: set[str] = set()
            touched: set[str] = set()
            for code in place.areas:
                (touched if _is_almen(code) else full).update(_roder_of(code, members))
            if area_roder <= full and not area_is_almen:
                kind = "inden_for"
            elif area_roder & (full | touched):
                kind = "delvis"
        if kind is None:
            continue
        if best is None or MATCH_ORDER.index(kind) < MATCH_ORDER.index(best):
            best, names = kind, [place.name]
        elif kind == best:
            names.append(place.name)
    return None if best is None else (best, names)


def initiatives_for_area(
    register: Register | None,
    area_code: str,
    membership: pd.DataFrame | None,
) -> pd.DataFrame:
    """The initiatives running in ``area_code``, best match first.

    Parameters
    ----------
    register
        The register (``None`` gives an empty frame).
    area_code
        Any store area code (rode, kvarter, bydel, lokaludvalg, udsat byområde,
        boligområde or ``kbh``).
    membership
        ``aggregate_code, member_code`` rows: every aggregate's member roder (the store's
        :func:`db.store.read_membership`), optionally plus boligafdelinger → the roder they
        lie in (:func:`almene_rode_membership`). See the module docstring for the rule.

    Returns
    -------
    pandas.DataFrame
        The :func:`initiatives_frame` columns plus ``match`` (``navngivet``,
        ``inden_for``, ``delvis`` or ``bydaekkende``) and ``match_places`` (the names of
        the places that produced the match), sorted by match then plan order.
    """
    columns = [*INITIATIVE_COLUMNS, "match", "match_places"]
    if register is None:
        return pd.DataFrame(columns=columns)
    members = _members(membership)
    area_roder = _roder_of(area_code, members)
    matches: dict[str, tuple[str, list[str]]] = {}
    for initiative in register.initiatives:
        found = _match(initiative, area_code, area_roder, members)
        if found is not None:
            matches[initiative.id] = found
    frame = initiatives_frame(register)
    frame = frame[frame["id"].isin(list(matches))].copy()
    frame["match"] = frame["id"].map(lambda i: matches[i][0])
    frame["match_places"] = frame["id"].map(lambda i: tuple(dict.fromkeys(matches[i][1])))
    frame["_order"] = frame["match"].map(MATCH_ORDER.index)
    frame = frame.sort_values(["_order", "position"]).drop(columns="_order")
    return frame.reset_index(drop=True)[columns]


def further_for_area(
    register: Register | None, area_code: str, membership: pd.DataFrame | None
) -> pd.DataFrame:
    """Further initiatives whose named places overlap ``area_code`` (same rule, no kbh)."""
    if register is None:
        return further_frame(Register("", "", "", "", 0, 0, "", ()))
    members = _members(membership)
    area_roder = _roder_of(area_code, members)
    keep = []
    for f in register.further:
        roder: set[str] = set()
        for code in f.areas:
            roder.update(_roder_of(code, members))
        if area_code in f.areas or area_roder & roder:
            keep.append(f.name)
    frame = further_frame(register)
    return frame[frame["name"].isin(keep)].reset_index(drop=True)


def covered_areas(
    initiative: Initiative,
    area_codes: Iterable[str],
    membership: pd.DataFrame | None,
) -> dict[str, str]:
    """For the map: which of ``area_codes`` the initiative covers, and how (match kind)."""
    members = _members(membership)
    out = {}
    for code in area_codes:
        found = _match(initiative, code, _roder_of(code, members), members)
        if found is not None:
            out[code] = found[0]
    return out


def almene_rode_membership(areas: pd.DataFrame, min_share: float = 0.05) -> pd.DataFrame:
    """Boligafdelinger → the roder they lie in, from WKB geometries (EPSG:4326).

    Parameters
    ----------
    areas
        ``code, level, geometry_wkb`` rows for levels ``rode`` and ``boligomraade``
        (:func:`db.store.read_areas` with ``with_geometry=True``).
    min_share
        A rode is listed when it holds at least this share of the afdeling's area (the
        largest rode is always listed).

    Returns
    -------
    pandas.DataFrame
        ``aggregate_code`` (the ``A…`` code), ``member_code`` (``R…``), to append to the
        store's membership before calling :func:`initiatives_for_area`.
    """
    import shapely

    cols = ["aggregate_code", "member_code"]
    if areas is None or areas.empty or "geometry_wkb" not in areas:
        return pd.DataFrame(columns=cols)
    usable = areas[areas["geometry_wkb"].notna()]
    roder = usable[usable["level"] == "rode"]
    almene = usable[usable["level"] == "boligomraade"]
    if roder.empty or almene.empty:
        return pd.DataFrame(columns=cols)
    rode_geoms = shapely.from_wkb(roder["geometry_wkb"].to_numpy())
    rode_codes = roder["code"].to_numpy()
    tree = shapely.STRtree(rode_geoms)
    rows = []
    for code, wkb in zip(almene["code"], almene["geometry_wkb"], strict=True):
        geom = shapely.from_wkb(wkb)
        hits = tree.query(geom, predicate="intersects")
        if len(hits) == 0:
            continue
        shares = shapely.area(shapely.intersection(rode_geoms[hits], geom))
        total = shares.sum() or 1.0
        best = int(hits[shares.argmax()])
        for idx, share in zip(hits, shares, strict=True):
            if int(idx) == best or share / total >= min_share:
                rows.append({"aggregate_code": code, "member_code": str(rode_codes[idx])})
    return pd.DataFrame(rows, columns=cols)


# ------------------------------------------------------------------------------ CSV

CSV_COLUMNS = [
    "vintage",
    "id",
    "goal",
    "goal_name",
    "focus_area",
    "focus_area_name",
    "funded",
    "title",
    "text",
    "administrations",
    "administrations_text",
    "places",
    "area_codes",
    "period_start",
    "period_end",
    "period_text",
    "explanation",
    "criteria",
    "criteria_reason",
    "criteria_judgement",
    "note",
    "source",
]


def csv_frame(register: Register, frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The download contract: one row per initiative, lists joined with "; ".

    ``frame`` (rows of :func:`initiatives_frame`, e.g. filtered) defaults to all.
    Places are written ``name: CODE CODE`` so the mapping travels with the file.
    """
    base = initiatives_frame(register) if frame is None else frame
    by_id = {ini.id: ini for ini in register.initiatives}
    out = pd.DataFrame(
        {
            "vintage": register.vintage,
            "id": base["id"],
            "goal": base["goal"],
            "goal_name": base["goal_name"],
            "focus_area": base["focus_area"],
            "focus_area_name": base["focus_area_name"],
            "funded": base["funded"].map({True: "finansieret", False: "ufinansieret"}),
            "title": base["title"],
            "text": base["text"],
            "administrations": base["administrations"].map("; ".join),
            "administrations_text": base["administrations_text"],
            "places": base["id"].map(
                lambda i: "; ".join(f"{p.name}: {' '.join(p.areas)}" for p in by_id[i].places)
            ),
            "area_codes": base["area_codes"].map(" ".join),
            "period_start": base["period_start"],
            "period_end": base["period_end"],
            "period_text": base["period_text"],
            "explanation": base["explanation"],
            "criteria": base["criteria"].map("; ".join),
            "criteria_reason": base["criteria_reason"],
            "criteria_judgement": register.criteria_judgement,
            "note": base["note"],
            "source": register.source,
        }
    )
    return out[CSV_COLUMNS].reset_index(drop=True)


def to_csv_bytes(
    register: Register, frame: pd.DataFrame | None = None, excel: bool = False
) -> bytes:
    """The register as CSV bytes: UTF-8 with ``,`` or, for Excel, UTF-8 with BOM and ``;``."""
    data = csv_frame(register, frame)
    buffer = io.StringIO()
    data.to_csv(
        buffer,
        index=False,
        sep=";" if excel else ",",
        lineterminator="\r\n" if excel else "\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    text = buffer.getvalue()
    return ("\ufeff" + text).encode("utf-8") if excel else text.encode("utf-8")


# ------------------------------------------------------------------------------ plan text
#
# The draft plan ships as a text conversion (data/initiatives/sources/). Its tables are
# tab-separated rows: a focus-area heading row (<b>…</b>), then one row per initiative
# bullet ("○ at …" or "o at …") with the explanation in the second column; page breaks
# split rows into continuation lines. ``parse_plan_text`` recovers that structure so tests
# can compare the register with the plan, and so a new vintage can start from a skeleton.


@dataclass(frozen=True)
class PlanItem:
    goal: int
    funded: bool
    focus_heading: str
    text: str
    administrations_text: str
    explanation: str


@dataclass(frozen=True)
class PlanText:
    items: tuple[PlanItem, ...]
    further: dict[int, tuple[str, ...]]


_TAG = re.compile(r"<[^>]+>")


def plain_text(fragment: str) -> str:
    """HTML-ish plan text → plain text: paragraphs split by blank lines, bullets on lines."""
    text = re.sub(r"</p>\s*<p>", "\n\n", fragment)
    text = re.sub(r"<li>\s*", "\n", text)
    text = html.unescape(_TAG.sub(" ", text))
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return text.strip()


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace to one space (for comparing texts)."""
    return re.sub(r"\s+", " ", text).strip()


def parse_plan_text(text: str) -> PlanText:
    """The initiatives tables and "further initiatives" lists of a plan text conversion."""
    goal: int | None = None
    funded: bool | None = None
    heading = ""
    in_further = False
    rows: list[dict] = []
    further: dict[int, list[str]] = {1: [], 2: []}
    current: dict | None = None
    for line in text.splitlines():
        m = re.match(r"##\s+Handleplanens indsatser under mål (\d)", line)
        if m:
            goal, funded, in_further, current = int(m.group(1)), None, False, None
            continue
        if line.startswith("#"):
            if goal is not None and line.lstrip("#").strip().startswith("Hvordan"):
                goal = None
            funded, in_further, current = None, False, None
            continue
        if goal is None:
            continue
        if re.match(r"^(Finansierede|Ufinansierede) indsatser\t", line):
            funded = line.startswith("Finansierede")
            heading, current = "", None
            continue
        if line.startswith(("Herunder fremgår", "Københavns Kommune har en lang række")):
            funded, current = None, None
            in_further = "yderligere" in line
            continue
        if in_further:
            if line.startswith("- "):
                further[goal].append(line[2:].strip())
            continue
        if funded is None or not line.strip() or line.lstrip().startswith("<sup>"):
            continue
        left, _, right = line.partition("\t")
        if re.match(r"^\s*(<p>)?\s*<b>", left):
            found = re.search(r"<b>(.*?)</b>", left)
            heading, current = (found.group(1).strip() if found else ""), None
            continue
        left_text = plain_text(left)
        if re.match(r"^[○o] ", left_text):
            current = {"goal": goal, "funded": funded, "heading": heading, "left": [], "right": []}
            rows.append(current)
            left_text = left_text[2:]
        if current is None:
            continue
        if left_text:
            current["left"].append(left_text)
        if right.strip():
            current["right"].append(right)
    items = []
    for row in rows:
        bullet = " ".join(row["left"])
        m = re.search(r"\s*\(([^()]*)\)\.?\s*$", bullet)
        admins = m.group(1).strip() if m else ""
        items.append(
            PlanItem(
                goal=row["goal"],
                funded=row["funded"],
                focus_heading=row["heading"],
                text=bullet[: m.start()] if m else bullet,
                administrations_text=admins,
                explanation=plain_text(" ".join(row["right"])),
            )
        )
    return PlanText(tuple(items), {g: tuple(v) for g, v in further.items()})


def focus_area_for_heading(heading: str) -> str | None:
    """The focus-area code for a table heading as printed in the plan."""
    for fa in FOCUS_AREAS.values():
        if normalise_space(heading).casefold() in {
            fa.name.casefold(),
            fa.name_in_plan.casefold(),
        }:
            return fa.code
    return None
