"""Load the shipped initiatives register (data/initiatives/) into the store.

``keob seed`` calls :func:`seed_initiatives` after the geography is loaded; it can also be
called on its own. Loading the same file again changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Connection, Engine

from db import initiatives_store, store
from indicators import initiatives as ini
from indicators.registry import load_registry

log = logging.getLogger(__name__)


def import_register_file(
    engine: Engine | Connection,
    path: str | Path,
    *,
    vintage: str | None = None,
    note: str | None = None,
) -> initiatives_store.LoadResult:
    """Validate ``path`` and load it as one vintage, all-or-nothing.

    Raises :class:`indicators.initiatives.RegisterError` (naming file, line, entry, field,
    value and what was expected) when the file is invalid, names an area code the store
    does not have, or declares a vintage other than ``vintage``.
    """
    path = Path(path)
    known = set(store.read_areas(engine)["code"])
    if not known:
        raise ini.RegisterError(
            [
                ini.Problem(
                    path.name,
                    None,
                    None,
                    None,
                    None,
                    "a store with areas: load the geography first (keob seed)",
                )
            ]
        )
    register = ini.load_register(path, known_area_codes=known)
    if vintage is not None and register.vintage != vintage:
        raise ini.RegisterError(
            [
                ini.Problem(
                    path.name, None, None, "vintage", register.vintage, f"--vintage {vintage}"
                )
            ]
        )
    rows = ini.register_to_rows(register)
    checksum = store.file_checksum(path)

    def load(conn: Connection) -> initiatives_store.LoadResult:
        store.sync_indicators(conn, [vars(i) for i in load_registry().values()])
        return initiatives_store.load_vintage(
            conn, rows, file_name=path.name, checksum=checksum, note=note
        )

    if isinstance(engine, Connection):
        return load(engine)
    with engine.begin() as conn:
        return load(conn)


def seed_initiatives(
    engine: Engine | Connection,
    progress: Callable[[str], None] | None = None,
    vintage: str = ini.CURRENT_VINTAGE,
) -> initiatives_store.LoadResult:
    """Load the register the project ships for ``vintage`` (default: the current one)."""
    step = progress or log.info
    path = ini.shipped_register_path(vintage)
    step(f"Indlæser handleplanens indsatser ({vintage}) fra {path.name}")
    return import_register_file(
        engine, path, note=f"Handleplanens indsatser {vintage} (projektets register)"
    )
