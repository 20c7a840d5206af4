"""Fixtures shared by every test.

Store URLs
    sqlite_url     a fresh SQLite file URL in the test's tmp_path (nothing created yet).
    postgres_url   a fresh, empty PostgreSQL database with PostGIS for this test only,
                   on the server named by TEST_DATABASE_URL (``make test`` starts one).
                   Without TEST_DATABASE_URL the test skips, or fails when CI=true.
                   Tests using it directly must carry ``@pytest.mark.postgres``.
    db_url         parametrised over [sqlite, postgres]; the postgres case carries the
                   ``postgres`` marker, so a store test written once runs on both
                   (ids ``test_x[sqlite]`` and ``test_x[postgres]``).

The seeded store
    seeded_store_path / seeded_store_url
                   one SQLite store migrated and seeded with the shipped data
                   (``keob db upgrade`` + ``keob seed``), built once per session and shared
                   by every module that reads it. Read only: a test that changes a store
                   copies this file first (``test_api_support.scratch_store``).

Guards
    DATABASE_URL is pointed at a throw-away SQLite file for the whole run, so no test
    touches the developer's store (var/keob.sqlite) or a DATABASE_URL from the shell.
    Every test fails if it opens a network connection to anything but the loopback
    interface (or resolves a non-local host name).
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail in CI, where every test must really run."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: this test must run)", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- session setup

_session_tmp: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _session_tmp
    _session_tmp = tempfile.mkdtemp(prefix="keob-pytest-")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(_session_tmp) / 'keob.sqlite'}"


def pytest_unconfigure(config: pytest.Config) -> None:
    if _session_tmp:
        shutil.rmtree(_session_tmp, ignore_errors=True)


# --------------------------------------------------------------------------- store URLs


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'keob.sqlite'}"


@pytest.fixture(scope="session")
def _pg_admin():
    """An AUTOCOMMIT engine on the server's maintenance database plus a PostGIS template."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        skip_or_fail("TEST_DATABASE_URL is not set (make test starts a PostgreSQL cluster)")

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.pool import NullPool

    base = make_url(url)
    admin = create_engine(
        base.set(database="postgres"), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError as exc:
        pytest.fail(f"TEST_DATABASE_URL is set but the server is unreachable: {exc}")

    # Each test gets a copy of this template (~0.15 s), faster than installing PostGIS
    # (~0.35 s) or dropping a schema. One template per xdist worker.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    template = f"{base.database}_tmpl_{worker}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{template}"'))
    tmpl_engine = create_engine(
        base.set(database=template), isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    with tmpl_engine.connect() as conn:
        conn.execute(text("CREATE EXTENSION IF NOT EXISTS postgis"))
    tmpl_engine.dispose()

    yield admin, base, template

    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(_pg_admin) -> Iterator[str]:
    from sqlalchemy import text

    admin, base, template = _pg_admin
    name = f"{base.database}_t{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest) -> str:
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture(scope="session")
def seeded_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db import migrate
    from db.engine import make_engine
    from keob.seed import seed

    path = tmp_path_factory.mktemp("seeded-store") / "keob.sqlite"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    engine = make_engine(url)
    seed(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def seeded_store_url(seeded_store_path: Path) -> str:
    return f"sqlite:///{seeded_store_path}"


# --------------------------------------------------------------------------- network guard

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", ""}


def _is_loopback_host(host: object) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    host = str(host).strip("[]").lower()
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _is_ip_literal(host: object) -> bool:
    try:
        ipaddress.ip_address(str(host).strip("[]").split("%")[0])
        return True
    except ValueError:
        return False


def _check_address(sock: socket.socket, address: object) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return  # Unix sockets, socketpairs, netlink...
    host = address[0] if isinstance(address, tuple) else address
    if not _is_loopback_host(host):
        pytest.fail(f"test tried to open a network connection to {address!r}", pytrace=True)


def _guarded_connect(self: socket.socket, address) -> None:
    _check_address(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address) -> int:
    _check_address(self, address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if not (_is_loopback_host(host) or _is_ip_literal(host) or host == socket.gethostname()):
        pytest.fail(f"test tried to resolve the host name {host!r}", pytrace=True)
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _no_external_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)


@pytest.fixture
def app_store(store_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app's data layer at the module's ``store_url`` fixture for one test."""
    from dashboard import data

    monkeypatch.setenv("DATABASE_URL", store_url)
    data.reset()
    yield store_url
    data.reset()
