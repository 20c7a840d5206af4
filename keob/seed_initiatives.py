"""Load the shipped initiatives register (data/initiatives/) into the store.

``keob seed`` calls :func:`seed_initiatives` after the geography is loaded; it can also be
called on its own. It runs the same pipeline as ``keob import initiatives``
(:func:`indicators.services.imports.import_initiatives_file`); loading the same file
again changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import Connection, Engine

from db import initiatives_store
from indicators import initiatives as ini
from indicators.services.imports import import_initiatives_file

log = logging.getLogger(__name__)


def seed_initiatives(
    engine: Engine | Connection,
    progress: Callable[[str], None] | None = None,
    vintage: str = ini.CURRENT_VINTAGE,
) -> initiatives_store.LoadResult:
    """Load the register the project ships for ``vintage`` (default: the current one)."""
    step = progress or log.info
    path = ini.shipped_register_path(vintage)
    step(f"Indlæser handleplanens indsatser ({vintage}) fra {path.name}")
    return import_initiatives_file(
        engine, path, note=f"Handleplanens indsatser {vintage} (projektets register)"
    )
