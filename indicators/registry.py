"""The indicator registry (data/criteria.yaml) as typed, validated data.

Labels, CSV headers, tooltips and the about page all come from here; nothing guesses
polarity or units from names.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "data" / "criteria.yaml"

_REQUIRED_FIELDS = (
    "code",
    "kind",
    "order",
    "name_da",
    "name_en",
    "short_da",
    "short_en",
    "definition_da",
    "definition_en",
    "numerator_da",
    "numerator_en",
    "denominator_da",
    "denominator_en",
    "age_band",
    "unit",
    "decimals",
    "polarity",
    "basis",
    "source",
)

#: Optional fields. ``age_min``/``age_max`` make the age band configurable data rather
#: than text: the code that computes a criterion reads them and refuses a band its source
#: cannot deliver (``indicators.importers.real_series.check_age_bands``). ``age_max`` null = open
#: ended ("18+"). ``caveat_da``/``caveat_en`` say what the definition does not show.
_OPTIONAL_FIELDS = ("age_min", "age_max", "caveat_da", "caveat_en")


@dataclass(frozen=True)
class Indicator:
    code: str
    kind: str
    order: int
    name_da: str
    name_en: str
    short_da: str
    short_en: str
    definition_da: str
    definition_en: str
    numerator_da: str
    numerator_en: str
    denominator_da: str
    denominator_en: str
    age_band: str
    unit: str
    decimals: int
    polarity: int
    basis: str
    source: str
    age_min: int | None = None
    age_max: int | None = None
    caveat_da: str = ""
    caveat_en: str = ""

    def name(self, lang: str = "da") -> str:
        return self.name_en if lang == "en" else self.name_da

    def short(self, lang: str = "da") -> str:
        return self.short_en if lang == "en" else self.short_da

    def definition(self, lang: str = "da") -> str:
        return self.definition_en if lang == "en" else self.definition_da

    def caveat(self, lang: str = "da") -> str:
        return self.caveat_en if lang == "en" else self.caveat_da

    @property
    def age_range(self) -> tuple[int, int | None] | None:
        """``(age_min, age_max)`` when the registry configures the band, else None."""
        return None if self.age_min is None else (self.age_min, self.age_max)

    @property
    def scale(self) -> float:
        """Factor from numerator/denominator to the display unit."""
        return 100.0 if self.unit == "pct" else 1.0

    @property
    def is_survey(self) -> bool:
        return self.basis == "survey"


class RegistryError(ValueError):
    """The registry file is malformed."""


def parse_registry(text: str, source: str = "criteria.yaml") -> dict[str, Indicator]:
    """Parse and validate a registry document; raise RegistryError naming the problem."""
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("indicators"), list):
        raise RegistryError(f"{source}: expected a mapping with a list 'indicators'")
    result: dict[str, Indicator] = {}
    for position, entry in enumerate(doc["indicators"], start=1):
        where = f"{source}: indicator #{position}"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where}: expected a mapping")
        missing = [f for f in _REQUIRED_FIELDS if f not in entry]
        if missing:
            raise RegistryError(f"{where}: missing field(s) {', '.join(missing)}")
        unknown = sorted(set(entry) - set(_REQUIRED_FIELDS) - set(_OPTIONAL_FIELDS))
        if unknown:
            raise RegistryError(f"{where}: unknown field(s) {', '.join(unknown)}")
        if entry["polarity"] not in (-1, 0, 1):
            raise RegistryError(f"{where}: polarity must be -1, 0 or 1")
        if entry["kind"] == "criterion" and entry["polarity"] == 0:
            raise RegistryError(f"{where}: a criterion needs polarity -1 or 1")
        if entry["basis"] not in ("register", "survey"):
            raise RegistryError(f"{where}: basis must be 'register' or 'survey'")
        if entry["unit"] not in ("pct", "count"):
            raise RegistryError(f"{where}: unit must be 'pct' or 'count'")
        if entry["code"] in result:
            raise RegistryError(f"{where}: duplicate code {entry['code']!r}")
        values = {f: entry[f] for f in _REQUIRED_FIELDS}
        for f in ("order", "decimals", "polarity"):
            values[f] = int(values[f])
        for f in set(_REQUIRED_FIELDS) - {"order", "decimals", "polarity"}:
            values[f] = str(values[f])
        values.update(_age_fields(entry, where))
        for f in ("caveat_da", "caveat_en"):
            values[f] = str(entry.get(f) or "").strip()
        result[entry["code"]] = Indicator(**values)
    if not any(i.kind == "criterion" for i in result.values()):
        raise RegistryError(f"{source}: no indicator of kind 'criterion'")
    return result


def age_band_label(age_min: int, age_max: int | None) -> str:
    """``16-64`` or ``18+``: how a band is written in ``age_band`` and the texts."""
    return f"{age_min}+" if age_max is None else f"{age_min}-{age_max}"


def _age_fields(entry: dict, where: str) -> dict[str, int | None]:
    """``age_min``/``age_max`` checked against ``age_band`` and the texts, so that a
    configured band cannot leave a definition describing another one."""
    if "age_min" not in entry and "age_max" not in entry:
        return {"age_min": None, "age_max": None}
    if "age_min" not in entry:
        raise RegistryError(f"{where}: age_max needs age_min")
    try:
        age_min = int(entry["age_min"])
        age_max = None if entry.get("age_max") is None else int(entry["age_max"])
    except (TypeError, ValueError):
        raise RegistryError(f"{where}: age_min and age_max must be whole years") from None
    if age_min < 0 or (age_max is not None and age_max < age_min):
        raise RegistryError(f"{where}: age band {age_min}-{age_max} is empty or negative")
    label = age_band_label(age_min, age_max)
    if str(entry["age_band"]) != label:
        raise RegistryError(
            f"{where}: age_band {entry['age_band']!r} disagrees with age_min/age_max ({label})"
        )
    for f in ("definition_da", "definition_en", "denominator_da", "denominator_en"):
        if label not in str(entry[f]):
            raise RegistryError(f"{where}: {f} does not state the age band {label}")
    return {"age_min": age_min, "age_max": age_max}


@lru_cache(maxsize=1)
def load_registry(path: str | None = None) -> dict[str, Indicator]:
    """The registry, ordered by display order."""
    registry_path = Path(path) if path else REGISTRY_PATH
    parsed = parse_registry(registry_path.read_text(encoding="utf-8"), registry_path.name)
    return dict(sorted(parsed.items(), key=lambda kv: kv[1].order))


def criteria() -> list[Indicator]:
    """The eight follow-up criteria in display order."""
    return [i for i in load_registry().values() if i.kind == "criterion"]


#: The codes of the follow-up criteria in display order, from ``data/criteria.yaml``
#: (every entry with ``kind: criterion``).
CRITERIA_CODES: tuple[str, ...] = tuple(i.code for i in criteria())


def registry_frame() -> pd.DataFrame:
    """The registry as a DataFrame (one row per indicator) for joins and downloads."""
    return pd.DataFrame([vars(i) for i in load_registry().values()])
