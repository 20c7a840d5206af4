"""Real rode-level series from KK's "Samlede socio data kbh" (2008-2014).

The source file (``data/statistics/kk_socio_roder_2008_2014.csv``) gives, per rode and
year, the number of residents and a set of *shares* (percent). It gives no counts, so
every numerator and every age-band denominator here is an approximation:
``share x residents`` (rounded nowhere, so the counts are non-integer floats). This is
stated in the ``source`` string of every row and in ``docs/demodata.md``.

Age bands (verified against KK's own age table ``kk_befkbhalderkoencivst_1992_2015.csv``):

* The seven age columns ``Ages 0-5`` ... ``Ages over 65`` sum to 100 % in every rode-year,
  so there is no room for ages 60-64: the column labelled ``Ages 50-59`` is in fact
  **50-64**. City-wide in 2014 it is 13.49 % of residents; KK's table gives 13.46 % for
  50-64 and 9.49 % for 50-59. ``Ages over 65`` (10.43 %) matches 65+ (10.36 %).
* ``Working age`` is not used: city-wide it is 73.5 % in 2008 (about 16-64) but
  82.6-83.8 % in 2009-2014 (about 16+), i.e. its definition changes between years.
* Residents 18+  = residents x (18-29 + 30-39 + 40-49 + "50-59" + over 65) / 100.
* Residents 16-64 = residents x (18-29 + 30-39 + 40-49 + "50-59" + 2/12 x 6-17) / 100,
  i.e. 16-17 taken as two of the twelve single years in the 6-17 band. City-wide in 2014
  this gives 73.53 % of residents; KK's age table gives exactly 73.53 % for 16-64.

Rode names are matched to ``rodenavn`` of the rode layer. One CSV name, ``slevhus``,
has lost its first letter; it is ``Islevhus`` (rode 252, the only rode name ending in
"slevhus"). Rode-years with 0 residents are dropped: from 2009 on, roder with a few dozen
residents are published as 0 (e.g. Skudehavnens 39 in 2008, 0 afterwards), so a 0 is a
suppressed value, not a count.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd

from indicators.registry import Indicator, age_band_label, load_registry

log = logging.getLogger(__name__)

COLUMNS = ["area_code", "indicator", "year", "numerator", "denominator", "synthetic", "source"]

#: Explicit fixes for CSV names that do not match ``rodenavn`` in kk_rode_2023.
NAME_FIXES: dict[str, str] = {
    "slevhus": "Islevhus",  # first letter lost in the source; rode_nr 252 (Husum)
}

_AGE_COLUMNS = {
    "Ages 0-5": "a0_5",
    "Ages 6-17": "a6_17",
    "Ages 18-29": "a18_29",
    "Ages 30-39": "a30_39",
    "Ages 40-49": "a40_49",
    "Ages 50-59": "a50_64",  # mislabelled in the source: really 50-64 (see module doc)
    "Ages over 65": "a65p",
}
_SHARE_COLUMNS = {
    "No education": "no_education",
    "Low income": "low_income",
    "non-Western": "non_western",
}

#: The age bands this source can deliver, per indicator: fixed by the published age
#: columns (see the module doc), not choosable.
SOURCE_AGE_BANDS: dict[str, tuple[int, int | None]] = {
    "uddannelse": (16, 64),
    "indkomst": (18, None),
}


class AgeBandError(ValueError):
    """The registry configures an age band that a source cannot deliver."""


def check_age_bands(registry: Mapping[str, Indicator] | None = None) -> None:
    """Refuse a registry age band (``age_min``/``age_max``) other than the one this
    source's counts are for, rather than storing 16-64 figures under another label."""
    registry = load_registry() if registry is None else registry
    for code, band in SOURCE_AGE_BANDS.items():
        ind = registry.get(code)
        if ind is None or ind.age_range is None or ind.age_range == band:
            continue
        raise AgeBandError(
            f"{code}: the registry asks for ages {age_band_label(*ind.age_range)}, but the "
            f"2008-2014 rode series ({_DATASET}) has a fixed published band, "
            f"{age_band_label(*band)}; load real figures for the new band with "
            "`keob import indicators` instead of seeding, or set the band back"
        )


_DATASET = "Københavns Kommune: Samlede socio data kbh (opendata.dk, CC BY 4.0), rodeniveau"
SOURCES: dict[str, str] = {
    "befolkning": f"{_DATASET}. Antal beboere som offentliggjort.",
    "ikke_vestlig": (
        f"{_DATASET}. Tilnærmet tæller: andel ikke-vestlig oprindelse x beboere "
        "(afrundede andele, ikke et optalt antal)."
    ),
    "uddannelse": (
        f"{_DATASET}. Tilnærmet: tæller = andel uden uddannelse x beboere 16-64 år; "
        "16-64 år anslået af aldersandele (18-64 + 2/12 af 6-17 år)."
    ),
    "indkomst": (
        f"{_DATASET}. Tilnærmet: tæller = andel med lav indkomst x beboere 18+; "
        "18+ anslået af aldersandele."
    ),
}


def _norm(name: object) -> str:
    return unicodedata.normalize("NFC", str(name)).strip().casefold()


def read_socio_csv(csv_path: str | PathLike[str]) -> pd.DataFrame:
    """Read the socio CSV into a tidy frame (one row per rode name and year).

    Columns: ``name, year, residents`` and the shares in percent ``a0_5 ... a65p``,
    ``no_education, low_income, non_western``. Blank separator rows are dropped.
    """
    raw = pd.read_csv(Path(csv_path), encoding="utf-8")
    raw = raw.dropna(how="all")
    raw = raw[raw["name"].notna() & raw["year"].notna()]
    out = pd.DataFrame(
        {
            "name": raw["name"].astype(str).str.strip(),
            "year": raw["year"].astype(int),
            "residents": raw["Number of residents"].astype(float),
        }
    )
    for src, dst in {**_AGE_COLUMNS, **_SHARE_COLUMNS}.items():
        out[dst] = pd.to_numeric(raw[src], errors="coerce").astype(float)
    return out.reset_index(drop=True)


def match_rode_names(names: pd.Series, roder: pd.DataFrame) -> tuple[dict[str, str], list[str]]:
    """Map CSV rode names to rode codes.

    Exact match on ``name`` first, then :data:`NAME_FIXES`, then a normalised match
    (Unicode NFC, stripped, case-folded). Names whose target is ambiguous (a name carried
    by more than one rode in ``roder``) or unknown are returned as unmatched.
    """
    by_name: dict[str, list[str]] = {}
    by_norm: dict[str, list[str]] = {}
    for code, name in zip(roder["code"].astype(str), roder["name"].astype(str), strict=True):
        by_name.setdefault(name, []).append(code)
        by_norm.setdefault(_norm(name), []).append(code)

    mapping: dict[str, str] = {}
    unmatched: list[str] = []
    for name in sorted(set(names.astype(str))):
        candidates = (
            by_name.get(name) or by_name.get(NAME_FIXES.get(name, "")) or by_norm.get(_norm(name))
        )
        if candidates and len(candidates) == 1:
            mapping[name] = candidates[0]
            if name not in by_name:
                log.info("Rode name %r matched to %s by an explicit fix", name, candidates[0])
        elif candidates:
            log.warning("Rode name %r is ambiguous (%s); dropped", name, ", ".join(candidates))
            unmatched.append(name)
        else:
            log.warning("Rode name %r not found in the rode layer; dropped", name)
            unmatched.append(name)
    return mapping, unmatched


def rode_population_frame(socio: pd.DataFrame, roder: pd.DataFrame) -> pd.DataFrame:
    """Residents and approximate age-band populations per rode and year.

    ``socio`` is the output of :func:`read_socio_csv`; ``roder`` has ``code, name``.
    Returns ``area_code, year, residents, pop_0_17, pop_16_64, pop_18_plus, pop_18_64,
    pop_65_plus`` and the shares ``no_education, low_income, non_western`` (percent).
    Rode-years with no residents, unmatched names and duplicate (rode, year) pairs are
    dropped (each with a logged reason).
    """
    mapping, _ = match_rode_names(socio["name"], roder)
    df = socio.assign(area_code=socio["name"].map(mapping))
    df = df[df["area_code"].notna()]

    dup = df.duplicated(["area_code", "year"], keep=False)
    if dup.any():
        log.warning(
            "Dropping %d rows: several source rows for the same rode and year (%s)",
            int(dup.sum()),
            ", ".join(sorted(df.loc[dup, "name"].unique())),
        )
        df = df[~dup]

    empty = ~(df["residents"] > 0)
    if empty.any():
        log.info("Dropping %d rode-years with 0 residents (suppressed)", int(empty.sum()))
        df = df[~empty]

    r = df["residents"] / 100.0
    adult = df["a18_29"] + df["a30_39"] + df["a40_49"] + df["a50_64"]
    out = pd.DataFrame(
        {
            "area_code": df["area_code"].astype(str),
            "year": df["year"].astype(int),
            "residents": df["residents"].astype(float),
            "pop_0_17": r * (df["a0_5"] + df["a6_17"]),
            "pop_16_64": r * (adult + df["a6_17"] * 2.0 / 12.0),
            "pop_18_plus": r * (adult + df["a65p"]),
            "pop_18_64": r * adult,
            "pop_65_plus": r * df["a65p"],
            "no_education": df["no_education"],
            "low_income": df["low_income"],
            "non_western": df["non_western"],
        }
    )
    return out.sort_values(["area_code", "year"], kind="stable").reset_index(drop=True)


def _rows(pop: pd.DataFrame, indicator: str, share: str | None, denom: str | None) -> pd.DataFrame:
    if share is None:  # unit count: numerator = residents, denominator 1
        num = pop["residents"]
        den = pd.Series(1.0, index=pop.index)
    else:
        den = pop[denom]
        # Shares are rounded in the source; never let a numerator exceed its denominator.
        num = np.minimum(pop[share] / 100.0 * den, den)
    keep = num.notna() & den.notna() & (den > 0)
    return pd.DataFrame(
        {
            "area_code": pop.loc[keep, "area_code"],
            "indicator": indicator,
            "year": pop.loc[keep, "year"],
            "numerator": num[keep].astype(float),
            "denominator": den[keep].astype(float),
            "synthetic": False,
            "source": SOURCES[indicator],
        }
    )


def observations_from_population(pop: pd.DataFrame) -> pd.DataFrame:
    """Long observations (the module contract) from a :func:`rode_population_frame`."""
    parts = [
        _rows(pop, "befolkning", None, None),
        _rows(pop, "ikke_vestlig", "non_western", "residents"),
        _rows(pop, "uddannelse", "no_education", "pop_16_64"),
        _rows(pop, "indkomst", "low_income", "pop_18_plus"),
    ]
    out = pd.concat(parts, ignore_index=True)
    out = out.astype(
        {
            "area_code": str,
            "indicator": str,
            "year": int,
            "numerator": float,
            "denominator": float,
            "synthetic": bool,
            "source": str,
        }
    )
    out = out.sort_values(["indicator", "area_code", "year"], kind="stable")
    return out[COLUMNS].reset_index(drop=True)


def load_socio_roder(csv_path: str | PathLike[str], roder: pd.DataFrame) -> pd.DataFrame:
    """Real observations per rode, 2008-2014, flagged ``synthetic=False``.

    ``roder`` has at least ``code`` (``R{rode_nr}``) and ``name`` (``rodenavn``).
    Indicators: ``befolkning`` (residents, denominator 1), ``ikke_vestlig`` (residents),
    ``uddannelse`` (residents 16-64), ``indkomst`` (residents 18+; none in 2014, when
    the source has no income data). Numerators are share x denominator (approximate).
    Raises :class:`AgeBandError` when the registry configures another age band for them.
    """
    check_age_bands()
    socio = read_socio_csv(csv_path)
    pop = rode_population_frame(socio, roder)
    return observations_from_population(pop)
