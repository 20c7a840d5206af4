"""Parser of an initiatives register (YAML, one plan vintage): ``keob import initiatives``.

The register's schema and its validation live in :mod:`indicators.initiatives` (the
calculators read the same dataclasses); this module is the import kind's entry point:
it checks the file against the store's area codes and the expected vintage and returns
the rows :func:`db.initiatives_store.load_register` writes. Problems are raised as
:class:`indicators.initiatives.RegisterError`, each naming file, line, entry, field,
value and what was expected.
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

from indicators import initiatives as ini


def read_initiatives_file(
    path: str | Path, known_area_codes: Collection[str], *, vintage: str | None = None
) -> dict[str, Any]:
    """Validate ``path`` and return its rows (``register_to_rows``); nothing is written.

    Raises :class:`~indicators.initiatives.RegisterError` when the file is invalid, names
    an area code not in ``known_area_codes``, or declares a vintage other than ``vintage``.
    """
    path = Path(path)
    if not known_area_codes:
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
    register = ini.load_register(path, known_area_codes=set(known_area_codes))
    if vintage is not None and register.vintage != vintage:
        raise ini.RegisterError(
            [
                ini.Problem(
                    path.name, None, None, "vintage", register.vintage, f"--vintage {vintage}"
                )
            ]
        )
    return ini.register_to_rows(register)
