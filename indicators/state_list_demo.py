"""SYNTHETIC DEMO DATA: state-list inputs for Copenhagen's large almene boligområder.

The numbers this module makes are **not official statistics**: the project ships the
ministry's criterion values only where they were found published (``PUBLISHED_VALUES``).
The trajectories are deterministic (fixed knots, linear in between, plus a tiny seeded
wobble) and are drawn so that classifying them reproduces Copenhagen's published list
memberships year by year, as compiled with a source per row in
``data/published_state_lists.csv`` (:func:`published_lists`,
:func:`published_mismatches`; ``tests/test_state_lists.py`` checks that nothing differs).
Everything the table leaves open (the values, the years no source covers, Folehaven,
Akacieparken, Urbanplanen, Bellahøj) is invented and documented in ``docs/demodata.md``
("Statslister: demodata for de almene boligområder"). ``members`` lists the afdelinger of
the 2025 almene-boliger layer (``A{selskab}-{afd}`` area codes) that make up each
boligområde; Aldersrogade, Urbanplanen, Stærevej mv. and Degnegården mv. are not in that
layer and have none.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

YEARS = tuple(range(2010, 2026))
SEED = 2035
SOURCE = (
    "SYNTETISKE DEMODATA - ikke officiel statistik. KEOB-demogenerator "
    "(indicators/state_list_demo.py); forløb tegnet efter de offentliggjorte lister, se "
    "docs/demodata.md."
)

#: National share of residents 18+ convicted (2-year mean), per list year. 2022 follows
#: the published 2 x threshold of about 1.45 % (dklf.dk, calibration.md (h)); 2014-2018
#: follow "ca. 0,9 pct." for the whole country in 2015-16 (politiken.dk, see
#: data/published_state_lists.csv's provenance in data/SOURCES.md); the years between are
#: interpolated and the years after 2022 are assumptions on a slowly falling path.
NATIONAL_CONVICTED = {2010: 0.95, 2014: 0.90, 2018: 0.90, 2022: 0.725, 2023: 0.72,
                      2024: 0.71, 2025: 0.70}  # fmt: skip

Knots = dict[int, float]


@dataclass(frozen=True)
class Estate:
    """One boligområde: knots (year -> value) per input; linear between, flat outside."""

    area_id: str
    name: str
    byomraade: str  # the udsat byområde (2021 designation) it lies in, or "" if none
    members: tuple[str, ...]
    residents: Knots
    non_western: Knots
    outside_labour: Knots
    convicted: Knots
    basic_education: Knots
    income: Knots


# Basic education jumps in 2018: until 2017 it is "incl. unknown education" against 50 %,
# from 2018 only Danish education counts, against 60 % (the rule change that put
# Aldersrogade, Lundtoftegade and Hørgården on the 2018 list). Knots sit at least 0.4 pp
# (convictions 0.04 pp) from each threshold in the years the published lists pin, so the
# wobble (at most 2 SD) cannot move an area across a list.
ESTATES: tuple[Estate, ...] = (
    Estate(
        "bo-mjoelnerparken", "Mjølnerparken", "ub-noerrebro", ("A739-23",),
        residents={2010: 1780, 2017: 1720, 2020: 1690, 2021: 1420, 2022: 1180, 2023: 966,
                   2024: 985, 2025: 1130},
        non_western={2010: 82, 2020: 78, 2022: 74, 2025: 62},
        outside_labour={2010: 56, 2014: 50, 2017: 43.5, 2018: 46, 2021: 44, 2022: 43,
                        2023: 40.2, 2025: 36.5},
        convicted={2010: 4.1, 2014: 3.2, 2017: 2.52, 2018: 2.9, 2021: 2.6, 2022: 2.45,
                   2023: 2.2, 2025: 1.95},
        basic_education={2010: 62, 2017: 53, 2018: 66, 2021: 63, 2022: 61.5, 2023: 58,
                         2025: 52},
        income={2010: 44, 2017: 51, 2018: 48, 2021: 51, 2022: 52.5, 2023: 54, 2025: 57.5},
    ),
    Estate(
        "bo-tingbjerg-utterslevhuse", "Tingbjerg/Utterslevhuse", "ub-tingbjerg-husum",
        ("A233-26", "A233-28", "A233-29", "A233-30", "A233-31", "A233-49", "A153-43",
         "A153-50"),
        residents={2010: 6350, 2015: 6250, 2020: 6300, 2025: 6150},
        non_western={2010: 71, 2018: 69, 2022: 68.5, 2025: 66},
        outside_labour={2010: 44, 2012: 41, 2013: 38.5, 2016: 40, 2018: 43, 2021: 41.5,
                        2022: 38, 2025: 34},
        convicted={2010: 3.0, 2012: 2.9, 2013: 2.5, 2017: 2.5, 2018: 2.45, 2021: 2.2,
                   2022: 2.0, 2025: 1.7},
        basic_education={2010: 63, 2017: 61, 2018: 62, 2021: 60.8, 2022: 58.5, 2025: 55},
        income={2010: 49, 2018: 52, 2021: 54, 2022: 56, 2025: 59.5},
    ),
    Estate(
        "bo-aldersrogade", "Aldersrogade", "ub-nordvest-ryparken", (),
        residents={2010: 1300, 2025: 1250},
        non_western={2010: 63, 2025: 57},
        outside_labour={2010: 38, 2017: 37.5, 2021: 36, 2025: 33},
        convicted={2010: 2.5, 2017: 2.3, 2021: 2.1, 2022: 2.0, 2025: 1.75},
        basic_education={2010: 49, 2017: 48.5, 2018: 62, 2021: 61.2, 2022: 59, 2025: 56},
        income={2010: 53, 2021: 53.5, 2022: 56.5, 2025: 58.5},
    ),
    Estate(
        "bo-bispeparken", "Bispeparken", "ub-nordvest-ryparken", ("A153-22",),
        residents={2010: 1950, 2025: 1850},
        non_western={2010: 56, 2019: 51.5, 2020: 49.2, 2025: 46},
        outside_labour={2010: 45, 2013: 41, 2014: 39, 2020: 37.5, 2025: 33},
        convicted={2010: 2.40, 2017: 2.35, 2021: 2.1, 2022: 1.9, 2025: 1.7},
        basic_education={2010: 53, 2017: 52, 2018: 61.5, 2020: 61, 2021: 59.5, 2025: 55},
        income={2010: 54, 2014: 53.5, 2015: 56, 2016: 53.8, 2020: 54, 2021: 56,
                2025: 60},
    ),
    Estate(
        "bo-lundtoftegade", "Lundtoftegade", "ub-noerrebro", ("A255-11",),
        residents={2010: 1650, 2025: 1620},
        non_western={2010: 58, 2019: 51.2, 2020: 49.6, 2025: 45},
        outside_labour={2010: 45, 2014: 42, 2015: 39, 2020: 38, 2022: 37, 2025: 34},
        convicted={2010: 2.5, 2017: 2.4, 2021: 2.2, 2022: 1.9, 2025: 1.6},
        basic_education={2010: 52, 2017: 51, 2018: 61.5, 2022: 61, 2025: 58},
        income={2010: 56, 2017: 55.8, 2018: 54.4, 2019: 54.6, 2020: 55.6, 2022: 56.5,
                2025: 58.5},
    ),
    Estate(
        "bo-hoergaarden", "Hørgården", "ub-amager-sundby", ("A410-671", "A410-672", "A410-135"),
        residents={2010: 1700, 2025: 1680},
        non_western={2010: 57, 2019: 51, 2020: 49.5, 2025: 44},
        outside_labour={2010: 43, 2013: 41, 2014: 39.5, 2017: 38.5, 2021: 37, 2025: 33},
        convicted={2010: 2.5, 2017: 2.4, 2021: 2.0, 2025: 1.6},
        basic_education={2010: 49, 2017: 48.5, 2018: 62, 2022: 61, 2025: 58},
        income={2010: 57, 2017: 56, 2018: 54.2, 2019: 54.4, 2020: 55.6, 2025: 60},
    ),
    Estate(
        "bo-gadelandet-husumgaard", "Gadelandet/Husumgård", "ub-tingbjerg-husum",
        ("A49-80", "A153-170"),
        residents={2010: 1060, 2020: 1040, 2023: 1010, 2024: 994, 2025: 1012},
        non_western={2010: 44, 2016: 49, 2017: 51, 2018: 51.5, 2019: 50.5, 2025: 45},
        outside_labour={2010: 37, 2018: 38, 2025: 35},
        convicted={2010: 1.9, 2021: 1.7, 2025: 1.5},
        basic_education={2010: 51, 2017: 52, 2018: 61.5, 2025: 58},
        income={2010: 57, 2015: 56, 2016: 54.5, 2018: 54.2, 2019: 55.6, 2025: 58},
    ),
    Estate(
        "bo-staerevej", "Stærevej mv.", "ub-nordvest-ryparken", (),
        residents={2010: 1600, 2025: 1560},
        non_western={2010: 47, 2025: 44},
        outside_labour={2010: 44, 2014: 41, 2015: 39, 2021: 37, 2025: 33},
        convicted={2010: 2.9, 2014: 2.8, 2015: 2.6, 2018: 2.2, 2025: 1.6},
        basic_education={2010: 53, 2017: 52, 2018: 62, 2021: 61, 2022: 59, 2025: 56},
        income={2010: 56, 2017: 55.8, 2018: 54.2, 2021: 54.5, 2022: 56, 2025: 59},
    ),
    Estate(
        "bo-degnegaarden", "Degnegården mv.", "ub-valby-sydhavnen", (),
        residents={2010: 1400, 2025: 1380},
        non_western={2010: 52, 2018: 52.5, 2025: 48},
        outside_labour={2010: 43, 2014: 41, 2015: 39, 2018: 38, 2025: 33},
        convicted={2010: 2.5, 2018: 2.2, 2025: 1.6},
        basic_education={2010: 53, 2017: 52, 2018: 58, 2025: 55},
        income={2010: 56, 2025: 60},
    ),
    Estate(
        "bo-folehaven", "Folehaven", "ub-valby-sydhavnen", ("A410-332",),
        residents={2010: 2300, 2025: 2250},
        non_western={2010: 38, 2025: 35},
        outside_labour={2010: 39, 2012: 38, 2018: 35, 2021: 33, 2023: 31.5, 2024: 29.5,
                        2025: 28.5},
        convicted={2010: 2.5, 2018: 1.90, 2021: 1.62, 2023: 1.52, 2024: 1.30, 2025: 1.2},
        basic_education={2010: 45, 2025: 50},
        income={2010: 60, 2021: 62, 2023: 63.5, 2024: 66, 2025: 67},
    ),
    Estate(
        "bo-akacieparken", "Akacieparken", "ub-valby-sydhavnen", ("A739-463",),
        residents={2010: 1045, 2013: 1012, 2014: 996, 2015: 1006, 2020: 1020, 2025: 1030},
        non_western={2010: 56, 2014: 52, 2015: 51, 2018: 48, 2025: 40},
        outside_labour={2010: 44, 2013: 41.5, 2014: 40.6, 2015: 39, 2020: 35, 2025: 31},
        convicted={2010: 2.2, 2021: 1.9, 2025: 1.6},
        basic_education={2010: 53, 2014: 51.2, 2015: 49, 2018: 55, 2025: 50},
        income={2010: 54, 2014: 54.5, 2015: 56, 2021: 58, 2025: 61},
    ),
    Estate(
        "bo-blaagaarden", "Blågården", "ub-noerrebro", ("A153-85",),
        residents={2010: 1950, 2025: 1900},
        non_western={2010: 54, 2014: 51, 2016: 49.5, 2025: 42},
        outside_labour={2010: 43, 2012: 41, 2013: 39, 2018: 36, 2025: 32},
        convicted={2010: 2.9, 2012: 2.8, 2013: 2.5, 2018: 2.2, 2021: 1.8, 2025: 1.45},
        basic_education={2010: 52, 2017: 51, 2018: 54, 2025: 50},
        income={2010: 56, 2016: 56.5, 2021: 58, 2025: 62},
    ),
    Estate(
        "bo-urbanplanen", "Urbanplanen", "ub-amager-sundby", (),
        residents={2010: 4800, 2025: 4700},
        non_western={2010: 48, 2025: 45},
        outside_labour={2010: 39, 2013: 38, 2020: 35, 2025: 31.5},
        convicted={2010: 2.55, 2013: 2.45, 2018: 2.1, 2021: 1.75, 2025: 1.45},
        basic_education={2010: 50, 2017: 49, 2018: 57, 2025: 54},
        income={2010: 57, 2021: 60, 2025: 62},
    ),
    Estate(
        "bo-sjaeloer-boulevard", "Sjælør Boulevard", "ub-valby-sydhavnen",
        ("A255-12", "A49-50", "A49-70"),
        residents={2010: 1200, 2025: 1230},
        non_western={2010: 33, 2025: 36},
        outside_labour={2010: 42, 2013: 41, 2014: 38, 2018: 31, 2021: 33.5, 2025: 38.4},
        convicted={2010: 2.9, 2013: 2.8, 2014: 2.3, 2018: 1.3, 2021: 1.5, 2025: 1.80},
        basic_education={2010: 40, 2025: 45},
        income={2010: 64, 2018: 62, 2021: 60, 2025: 56.6},
    ),
    Estate(
        "bo-bellahoej", "Bellahøj", "", ("A255-2", "A233-25", "A49-40", "A153-35"),
        residents={2010: 2700, 2025: 2750},
        non_western={2010: 22, 2025: 26},
        outside_labour={2010: 24, 2025: 20},
        convicted={2010: 1.0, 2025: 0.8},
        basic_education={2010: 36, 2025: 32},
        income={2010: 74, 2025: 77},
    ),
)  # fmt: skip

#: Published criterion values that replace the synthetic ones exactly (no wobble): the
#: ministry's list of 1 December 2017 for Mjølnerparken (see
#: data/published_state_lists.csv and tests/test_state_lists.py).
PUBLISHED_VALUES: dict[tuple[str, int], dict[str, float]] = {
    ("bo-mjoelnerparken", 2017): {
        "non_western_pct": 82.1, "outside_labour_pct": 43.5, "convicted_pct": 2.52,
        "basic_education_pct": 53.0, "income_pct_of_region": 51.0,
    },
}  # fmt: skip

#: (input column, Estate attribute, wobble SD, decimals)
_SERIES = (
    ("residents", "residents", 6.0, 0),
    ("non_western_pct", "non_western", 0.12, 1),
    ("outside_labour_pct", "outside_labour", 0.12, 1),
    ("convicted_pct", "convicted", 0.008, 2),
    ("basic_education_pct", "basic_education", 0.12, 1),
    ("income_pct_of_region", "income", 0.12, 1),
)


def _interpolate(knots: Knots, years: np.ndarray) -> np.ndarray:
    xs = np.array(sorted(knots), dtype=float)
    ys = np.array([knots[int(x)] for x in xs], dtype=float)
    return np.interp(years.astype(float), xs, ys)


def national_convicted(years: np.ndarray) -> np.ndarray:
    return np.round(_interpolate(NATIONAL_CONVICTED, years), 3)


def demo_inputs(years: tuple[int, ...] = YEARS, seed: int = SEED) -> pd.DataFrame:
    """The synthetic state-list inputs: one row per demo boligområde and list year.

    Columns: the classifier's inputs (``area_id, year, residents, non_western_pct,
    outside_labour_pct, convicted_pct, national_convicted_pct, basic_education_pct,
    income_pct_of_region``) plus ``area_name``, ``byomraade``, ``members`` (afdeling area
    codes joined by ``;``), ``synthetic`` (always true) and ``source``.
    """
    rng = np.random.default_rng(seed)
    yrs = np.asarray(years, dtype=int)
    national = national_convicted(yrs)
    frames = []
    for estate in ESTATES:
        data: dict[str, object] = {"area_id": estate.area_id, "year": yrs}
        for column, attr, sd, decimals in _SERIES:
            knots = getattr(estate, attr)
            base = _interpolate(knots, yrs)
            wobble = np.clip(rng.normal(0.0, sd, len(yrs)), -2 * sd, 2 * sd)
            if column == "residents":
                # Resident counts at the knots are the figures the story needs (966).
                wobble[np.isin(yrs, list(knots))] = 0.0
            values = np.round(base + wobble, decimals)
            data[column] = values.astype(int) if decimals == 0 else values
        data["national_convicted_pct"] = national
        frame = pd.DataFrame(data)
        for (area_id, year), values in PUBLISHED_VALUES.items():
            if area_id == estate.area_id:
                for column, value in values.items():
                    frame.loc[frame["year"] == year, column] = value
        frame["area_name"] = estate.name
        frame["byomraade"] = estate.byomraade
        frame["members"] = ";".join(estate.members)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    out["synthetic"] = True
    out["source"] = SOURCE
    columns = [
        "area_id", "year", "residents", "non_western_pct", "outside_labour_pct",
        "convicted_pct", "national_convicted_pct", "basic_education_pct",
        "income_pct_of_region", "area_name", "byomraade", "members", "synthetic", "source",
    ]  # fmt: skip
    return out[columns]


#: Copenhagen's published list memberships, one row per area, list year and list, each
#: with its source (``basis``: stated / derived from stated facts / uncertain).
PUBLISHED_PATH = Path(__file__).resolve().parent.parent / "data" / "published_state_lists.csv"


def published_lists(path: Path = PUBLISHED_PATH) -> pd.DataFrame:
    """``data/published_state_lists.csv``: ``year, list, area_id, area_name, on_list,
    complete, basis, source_url, note``. ``complete`` marks a (year, list) whose rows name
    every Copenhagen area on that list."""
    return pd.read_csv(path, dtype={"on_list": bool, "complete": bool})


def published_mismatches(classified: pd.DataFrame, published: pd.DataFrame) -> list[str]:
    """Where a classified history differs from the published lists (empty = reproduces).

    Each published row must match the classified flag of its list; for a complete
    (year, list) no other area may be on that list.
    """
    flags = classified.set_index(["area_id", "year"])
    out: list[str] = []
    for r in published.itertuples(index=False):
        key = (r.area_id, int(r.year))
        if key not in flags.index:
            out.append(f"{r.year} {r.list} {r.area_id}: no classified row")
            continue
        got = bool(flags.loc[key, r.list])
        if got != bool(r.on_list):
            out.append(f"{r.year} {r.list} {r.area_id}: published {r.on_list}, classified {got}")
    for (year, name), rows in published[published["complete"]].groupby(["year", "list"]):
        want = set(rows.loc[rows["on_list"], "area_id"])
        sel = classified[(classified["year"] == year) & classified[name]]
        extra = sorted(set(sel["area_id"]) - want)
        if extra:
            out.append(f"{year} {name}: classified on the list but not published: {extra}")
    return out


def list_history(classified: pd.DataFrame) -> pd.DataFrame:
    """Area x year table of the highest category (``category`` column of the classifier)."""
    names = {e.area_id: e.name for e in ESTATES}
    table = classified.pivot(index="area_id", columns="year", values="category")
    table.index = [names.get(i, i) for i in table.index]
    return table
