"""Engine creation: DATABASE_URL selects the store; the default is a SQLite file outside git."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "keob.sqlite"


def database_url() -> str:
    """The configured store URL (env DATABASE_URL), or the embedded SQLite default."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        return url
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _configure_sqlite(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # Foreign keys are off by default in SQLite; WAL lets readers go on during an import.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (default: :func:`database_url`)."""
    url = url or database_url()
    if url.startswith("sqlite"):
        path = make_url(url).database
        if not path or path == ":memory:":
            engine = create_engine(url)
        else:
            # No pool: each connection opens the file at the path, so a store whose file
            # was replaced or restored is read as it now is, without a restart. Opening a
            # file is cheap next to the queries a request makes.
            engine = create_engine(url, poolclass=NullPool)
            if Path(path).exists():
                _refuse_to_recreate(engine, path)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _refuse_to_recreate(engine: Engine, path: str) -> None:
    """Open an existing store read-write only (``mode=rw``), never create it anew.

    SQLite creates a missing file on connect; a store file that disappeared while the app
    serves would then come back empty and every page would say "no data" instead of
    "unavailable". With ``mode=rw`` the connection fails and the app answers 503 until
    the file is back.
    """

    @event.listens_for(engine, "do_connect")
    def _open_existing(dialect, conn_rec, cargs, cparams):  # type: ignore[no-untyped-def]
        cparams["uri"] = True
        if cargs:
            cargs[0] = f"file:{Path(path).as_posix()}?mode=rw"
        else:
            cparams["database"] = f"file:{Path(path).as_posix()}?mode=rw"
