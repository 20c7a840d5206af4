"""Every label the app shows, in Danish (the default) and English.

Indicator names and definitions come from the registry (data/criteria.yaml); every other
label is in the text catalogue ``dashboard/texts/<lang>.yaml``, one flat key per text,
namespaced by page (``daekning.title``) or shared (``common.year``). ``t(key, lang,
**values)`` looks a label up and formats it; ``tests/test_texts.py`` checks that both
languages have the same keys and fields and that every key the code names exists.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime
from importlib import resources
from zoneinfo import ZoneInfo

import yaml

from indicators.numbers import format_number

LANGUAGES = ("da", "en")
DEFAULT_LANG = "da"

# Plotly's ``separators`` is "<decimal><thousands>".
PLOTLY_SEPARATORS = {"da": ",.", "en": ".,"}
# The app is about Copenhagen: times are shown in its zone, whatever the server's.
COPENHAGEN = ZoneInfo("Europe/Copenhagen")


def normalise_lang(lang: object) -> str:
    """A supported language code; anything else falls back to Danish."""
    return lang if isinstance(lang, str) and lang in LANGUAGES else DEFAULT_LANG


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of ``lang`` by key, read once from ``dashboard/texts/<lang>.yaml``."""
    source = resources.files("dashboard") / "texts" / f"{lang}.yaml"
    texts = yaml.safe_load(source.read_text(encoding="utf-8"))
    wrong = [key for key, text in texts.items() if not isinstance(text, str)]
    if wrong:
        # An unquoted value such as `yes` or `12` would load as a bool or a number.
        raise ValueError(f"{source}: not text (quote the value): {', '.join(wrong)}")
    return texts


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``values``."""
    text = catalogue(normalise_lang(lang))[key]
    return text.format(**values) if values else text


def level_name(level: str, lang: str, plural: bool = False) -> str:
    return t(f"level.plural.{level}" if plural else f"level.{level}", lang)


def format_value(value: float | None, unit: str, decimals: int, lang: str) -> str:
    """A value with its unit: ``12,3 %`` for shares, ``1.234`` for counts."""
    number = format_number(value, decimals, lang)
    if number == "–" or unit != "pct":
        return number
    return f"{number} %"


def format_difference(value: float | None, unit: str, decimals: int, lang: str) -> str:
    """A signed difference: ``+2,1 pct.-point`` for shares."""
    number = format_number(value, decimals, lang, signed=True)
    if number == "–" or unit != "pct":
        return number
    return f"{number} {t('unit.pp_short', lang)}"


def format_datetime(moment: datetime, lang: str) -> str:
    """A moment as Copenhagen people read it: ``2. december 2026 kl. 19.36`` /
    ``2 December 2026, 19:36``. A naive ``moment`` is taken as UTC (as the store keeps it)."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    local = aware.astimezone(COPENHAGEN)
    return t(
        "date.datetime",
        lang,
        day=local.day,
        month=t(f"date.month.{local.month}", lang),
        year=local.year,
        hour=f"{local.hour:02d}",
        minute=f"{local.minute:02d}",
    )


def unit_label(unit: str, lang: str) -> str:
    return t("unit.pct_long" if unit == "pct" else "unit.count", lang)


def years_text(years: list[int]) -> str:
    """``[2015, 2016, 2017, 2020]`` → ``2015–2017, 2020``."""
    ordered = sorted(set(years))
    if not ordered:
        return "–"
    runs: list[tuple[int, int]] = []
    start = prev = ordered[0]
    for year in ordered[1:]:
        if year != prev + 1:
            runs.append((start, prev))
            start = year
        prev = year
    runs.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)
