"""Who the data come from, under which licence: ``data/attributions.yaml`` and the
attribution line of ``data/SOURCES.md``.

Pure reading of the project's data files (no store): the API (``dashboard/api/``) puts
these sources in every download's provenance instead of carrying its own literals, so a
licence is corrected in one place, next to ``data/SOURCES.md``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from indicators.formats import Source

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ATTRIBUTIONS_FILE = DATA_DIR / "attributions.yaml"
SOURCES_FILE = DATA_DIR / "SOURCES.md"
_FIELDS = ("source", "licence", "attribution", "url")
_APP_LINE = re.compile(r"Attribution line to ship in the app[^\n]*\n\"(.+?)\"", re.S)


class AttributionsError(ValueError):
    """``data/attributions.yaml`` is missing a dataset or a field."""


@lru_cache(maxsize=1)
def _load() -> dict:
    doc = yaml.safe_load(ATTRIBUTIONS_FILE.read_text(encoding="utf-8")) or {}
    datasets = doc.get("datasets") or {}
    for name, entry in datasets.items():
        missing = [f for f in _FIELDS if not isinstance((entry or {}).get(f), str)]
        if missing:
            raise AttributionsError(
                f"{ATTRIBUTIONS_FILE.name}: dataset {name} lacks {', '.join(missing)}"
            )
    return doc


def dataset_names() -> list[str]:
    """The datasets ``data/attributions.yaml`` describes."""
    return list(_load()["datasets"])


def source(dataset: str, **fields: object) -> Source:
    """The source of ``dataset``, its ``{placeholders}`` filled from ``fields``.

    Raises :class:`AttributionsError` for a dataset the file does not describe.
    """
    entry = _load()["datasets"].get(dataset)
    if entry is None:
        raise AttributionsError(f"{ATTRIBUTIONS_FILE.name} has no dataset {dataset!r}")
    name, licence, attribution, url = (str(entry[f]).format(**fields) for f in _FIELDS)
    return Source(name, licence, attribution, url)


def default_attribution() -> str:
    """The attribution a download carries when ``data/SOURCES.md`` gives none."""
    return str(_load()["default_attribution"])


@lru_cache(maxsize=1)
def app_line() -> str | None:
    """The attribution line from data/SOURCES.md, or None when the file has none."""
    try:
        text = SOURCES_FILE.read_text(encoding="utf-8")
    except OSError:
        return None
    match = _APP_LINE.search(text)
    return " ".join(match.group(1).split()) if match else None
