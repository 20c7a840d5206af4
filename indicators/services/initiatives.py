"""The action plan's register from the store (``db.initiatives_store``).

The store knows nothing of the register's dataclasses: it hands back plain rows, and
``indicators.initiatives.register_from_rows`` builds the register from them.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from db import initiatives_store
from indicators.initiatives import Register, register_from_rows


def available_vintages(engine: Engine | Connection) -> list[str]:
    """The vintages the store holds a current load of, newest first."""
    return [str(v) for v in initiatives_store.read_vintages(engine)["vintage"]]


def read_register(engine: Engine | Connection, vintage: str | None = None) -> Register | None:
    """The register of ``vintage`` (default: the newest) from the store, or ``None``."""
    rows = initiatives_store.read_vintage_rows(engine, vintage)
    return None if rows is None else register_from_rows(rows)
