"""SYNTHETIC DEMO DATA: state-list inputs for Copenhagen's large almene boligområder.

The numbers this module makes are **not official statistics**. The ministry's lists give
each area's criterion values, but the project ships none of them; these trajectories
exist so that the Statslister page has something to show. They are deterministic (fixed
knots, linear in between, plus a tiny seeded wobble) and were drawn so that the lists
they produce roughly follow the published history in ``docs`` (domain.md §1.5 and
calibration.md §2):

* 10 Copenhagen areas on the 2010 ghetto list;
* Gadelandet/Husumgård joins the ghetto list in 2017 and leaves it in 2019;
* 7 Copenhagen areas on the 2018 ghetto list (Mjølnerparken, Tingbjerg/Utterslevhuse,
  Bispeparken, Aldersrogade, Lundtoftegade, Hørgården, Gadelandet/Husumgård), of them
  Mjølnerparken and Tingbjerg/Utterslevhuse hårde ghettoområder;
* Tingbjerg/Utterslevhuse and Aldersrogade leave the parallelsamfund list in 2022;
* Mjølnerparken drops under 1,000 residents in 2023 (rehousing) and is not eligible, so
  no Copenhagen area is a parallelsamfund from 2023;
* Lundtoftegade and Hørgården are forebyggelsesområder.

Everything else (the exact values, the years between the facts above, Folehaven,
Akacieparken, Blågården, Urbanplanen, Sjælør Boulevard and Bellahøj) is invented and
documented in ``docs/demodata.md`` ("Statslister: demodata for de almene boligområder").
``members`` lists the afdelinger of the 2025 almene-boliger layer (``A{selskab}-{afd}``
area codes) that make up each boligområde; Aldersrogade and Urbanplanen are not in that
layer and have none.
"""

from __future__ import annotations

from dataclasses import dataclass

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
#: the published 2 x threshold of about 1.45 % (dklf.dk, calibration.md (h)); the other
#: years are assumptions on a slowly falling path.
NATIONAL_CONVICTED = {2010: 0.95, 2014: 0.90, 2018: 0.82, 2019: 0.80, 2020: 0.78,
                      2021: 0.76, 2022: 0.73, 2023: 0.72, 2024: 0.71, 2025: 0.70}  # fmt: skip

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


ESTATES: tuple[Estate, ...] = (
    Estate(
        "bo-mjoelnerparken", "Mjølnerparken", "ub-noerrebro", ("A739-23",),
        residents={2010: 1780, 2017: 1720, 2020: 1690, 2021: 1420, 2022: 1180, 2023: 966,
                   2024: 985, 2025: 1130},
        non_western={2010: 82, 2020: 78, 2022: 74, 2025: 62},
        outside_labour={2010: 56, 2014: 52, 2018: 47, 2021: 44, 2022: 43, 2023: 40.2,
                        2025: 36.5},
        convicted={2010: 4.1, 2014: 3.6, 2018: 3.0, 2021: 2.6, 2022: 2.45, 2023: 2.2,
                   2025: 1.95},
        basic_education={2010: 71, 2017: 67, 2018: 66, 2021: 63, 2022: 61.5, 2023: 58,
                         2025: 52},
        income={2010: 44, 2018: 48, 2021: 51, 2022: 52.5, 2023: 54, 2025: 57.5},
    ),
    Estate(
        "bo-tingbjerg-utterslevhuse", "Tingbjerg/Utterslevhuse", "ub-tingbjerg-husum",
        ("A233-26", "A233-28", "A233-29", "A233-30", "A233-31", "A233-49", "A153-43",
         "A153-50"),
        residents={2010: 6350, 2015: 6250, 2020: 6300, 2025: 6150},
        non_western={2010: 71, 2018: 69, 2022: 68.5, 2025: 66},
        outside_labour={2010: 49, 2014: 46, 2018: 43.5, 2020: 42, 2021: 41.2, 2022: 38,
                        2025: 34},
        convicted={2010: 3.3, 2014: 3.1, 2017: 2.9, 2018: 2.62, 2020: 2.45, 2021: 2.36,
                   2022: 2.0, 2025: 1.7},
        basic_education={2010: 66, 2017: 63, 2018: 62, 2021: 60.8, 2022: 58.5, 2025: 55},
        income={2010: 49, 2018: 52, 2021: 54, 2022: 56, 2025: 59.5},
    ),
    Estate(
        "bo-aldersrogade", "Aldersrogade", "ub-nordvest-ryparken", (),
        residents={2010: 1300, 2025: 1250},
        non_western={2010: 63, 2025: 57},
        outside_labour={2010: 42.5, 2013: 41, 2014: 39, 2017: 37.5, 2021: 36, 2025: 33},
        convicted={2010: 3.05, 2013: 2.85, 2014: 2.80, 2015: 2.60, 2017: 2.55, 2018: 2.56,
                   2019: 2.50, 2020: 2.45, 2021: 2.38, 2022: 2.0, 2025: 1.75},
        basic_education={2010: 49, 2017: 47, 2018: 55, 2025: 50},
        income={2010: 50, 2014: 51, 2017: 52, 2021: 54, 2022: 56.5, 2025: 58.5},
    ),
    Estate(
        "bo-bispeparken", "Bispeparken", "ub-nordvest-ryparken", ("A153-22",),
        residents={2010: 1950, 2025: 1850},
        non_western={2010: 56, 2018: 52, 2020: 51.2, 2021: 49.4, 2025: 46},
        outside_labour={2010: 45, 2013: 43.5, 2016: 42, 2018: 41.5, 2020: 40.9, 2021: 40.6,
                        2022: 37, 2025: 33},
        convicted={2010: 2.40, 2015: 2.50, 2017: 2.55, 2018: 2.58, 2019: 2.52, 2020: 2.45,
                   2021: 2.36, 2022: 2.0, 2025: 1.7},
        basic_education={2010: 53, 2015: 51, 2016: 49, 2017: 48, 2018: 56, 2025: 52},
        income={2010: 56, 2025: 60},
    ),
    Estate(
        "bo-lundtoftegade", "Lundtoftegade", "ub-noerrebro", ("A255-11",),
        residents={2010: 1650, 2025: 1620},
        non_western={2010: 58, 2018: 51.2, 2019: 50.6, 2020: 49.6, 2025: 45},
        outside_labour={2010: 47, 2014: 45, 2017: 43, 2018: 42.5, 2019: 42, 2020: 41.5,
                        2021: 40.7, 2022: 38, 2025: 34},
        convicted={2010: 2.95, 2014: 2.80, 2015: 2.62, 2017: 2.58, 2018: 2.58, 2019: 2.50,
                   2020: 2.42, 2021: 2.20, 2022: 1.9, 2025: 1.6},
        basic_education={2010: 48, 2017: 48, 2018: 55, 2025: 52},
        income={2010: 56, 2017: 56, 2018: 55.6, 2020: 54.4, 2021: 54, 2022: 56, 2025: 58.5},
    ),
    Estate(
        "bo-hoergaarden", "Hørgården", "ub-amager-sundby", ("A410-671", "A410-672", "A410-135"),
        residents={2010: 1700, 2025: 1680},
        non_western={2010: 57, 2017: 52, 2018: 50.8, 2019: 49.2, 2025: 44},
        outside_labour={2010: 46, 2016: 42, 2017: 41.5, 2018: 41.2, 2020: 40.6, 2021: 38,
                        2025: 33},
        convicted={2010: 2.55, 2013: 2.62, 2014: 2.82, 2016: 2.80, 2017: 2.55, 2018: 2.52,
                   2019: 2.46, 2020: 2.40, 2021: 2.1, 2025: 1.6},
        basic_education={2010: 46, 2017: 46, 2018: 54, 2025: 51},
        income={2010: 57.5, 2025: 60},
    ),
    Estate(
        "bo-gadelandet-husumgaard", "Gadelandet/Husumgård", "ub-tingbjerg-husum",
        ("A49-80", "A153-170"),
        residents={2010: 1060, 2020: 1040, 2023: 1010, 2024: 994, 2025: 1012},
        non_western={2010: 44, 2016: 49, 2017: 51, 2018: 51.2, 2019: 49.0, 2025: 45},
        outside_labour={2010: 38, 2015: 39.5, 2016: 40.4, 2017: 41, 2018: 41.3, 2019: 40.7,
                        2020: 39, 2025: 35},
        convicted={2010: 1.9, 2021: 1.7, 2025: 1.5},
        basic_education={2010: 51, 2017: 51.5, 2018: 56, 2025: 52},
        income={2010: 57, 2016: 56, 2017: 55.5, 2018: 54.2, 2019: 54.5, 2020: 55.8,
                2025: 58},
    ),
    Estate(
        "bo-folehaven", "Folehaven", "ub-valby-sydhavnen", ("A410-332",),
        residents={2010: 2300, 2025: 2250},
        non_western={2010: 38, 2025: 35},
        outside_labour={2010: 42, 2011: 41, 2012: 39.5, 2018: 35, 2021: 33, 2023: 31.5,
                        2024: 29.5, 2025: 28.5},
        convicted={2010: 2.90, 2011: 2.80, 2012: 2.60, 2018: 1.90, 2021: 1.62, 2023: 1.52,
                   2024: 1.30, 2025: 1.2},
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
        non_western={2010: 54, 2015: 50.8, 2016: 49.5, 2025: 42},
        outside_labour={2010: 43, 2015: 40.8, 2016: 40, 2018: 38, 2025: 32},
        convicted={2010: 2.9, 2013: 2.8, 2014: 2.5, 2018: 2.2, 2021: 1.8, 2025: 1.45},
        basic_education={2010: 52, 2015: 50.6, 2016: 49.5, 2018: 54, 2025: 50},
        income={2010: 54.5, 2015: 54.8, 2016: 55.5, 2021: 58, 2025: 62},
    ),
    Estate(
        "bo-urbanplanen", "Urbanplanen", "ub-amager-sundby", (),
        residents={2010: 4800, 2025: 4700},
        non_western={2010: 48, 2025: 45},
        outside_labour={2010: 43, 2012: 41, 2013: 39.5, 2020: 35, 2025: 31.5},
        convicted={2010: 2.85, 2012: 2.75, 2013: 2.6, 2018: 2.1, 2021: 1.75, 2025: 1.45},
        basic_education={2010: 50, 2017: 49, 2018: 57, 2025: 54},
        income={2010: 57, 2021: 60, 2025: 62},
    ),
    Estate(
        "bo-sjaeloer-boulevard", "Sjælør Boulevard", "ub-valby-sydhavnen",
        ("A255-12", "A49-50", "A49-70"),
        residents={2010: 1200, 2025: 1230},
        non_western={2010: 33, 2025: 36},
        outside_labour={2010: 33, 2018: 31, 2021: 33.5, 2025: 38.4},
        convicted={2010: 1.3, 2021: 1.5, 2025: 1.80},
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


def list_history(classified: pd.DataFrame) -> pd.DataFrame:
    """Area x year table of the highest category (``category`` column of the classifier)."""
    names = {e.area_id: e.name for e in ESTATES}
    table = classified.pivot(index="area_id", columns="year", values="category")
    table.index = [names.get(i, i) for i in table.index]
    return table
