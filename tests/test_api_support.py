"""Fixtures for the API tests (no tests here): one seeded SQLite store per session.

``api_store`` seeds a store once (``keob db upgrade`` + ``keob seed`` in-process) and
points DATABASE_URL at it for the module using it; ``api_client`` is Flask's test
client of the real app (``app.server``), so the blueprint is tested as registered.
``scratch_store`` is a fresh copy of the seeded file for tests that change the store
(they never go through the API to do so).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from db import migrate
from db.engine import make_engine
from keob.seed import seed

_SEEDED: dict[str, Path] = {}


def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The path of a seeded SQLite store, built once per test session."""
    if "path" not in _SEEDED:
        path = tmp_path_factory.mktemp("api-store") / "keob.sqlite"
        url = f"sqlite:///{path}"
        migrate.upgrade(url)
        engine = make_engine(url)
        seed(engine)
        engine.dispose()
        _SEEDED["path"] = path
    return _SEEDED["path"]


def use_store(url: str) -> None:
    """Point the app at ``url`` and forget every cache keyed on the old store."""
    os.environ["DATABASE_URL"] = url
    from dashboard import api, data

    data.reset()
    api.forget_store_state()


@pytest.fixture(scope="module")
def api_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{seeded_file(tmp_path_factory)}"
    previous = os.environ.get("DATABASE_URL")
    use_store(url)
    yield url
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        use_store(previous)


@pytest.fixture(scope="module")
def api_app(api_store: str):
    import app

    return app.server


@pytest.fixture(scope="module")
def api_client(api_app):
    return api_app.test_client()


@pytest.fixture
def scratch_store(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, api_store: str
) -> Iterator[str]:
    """A private copy of the seeded store, active for one test."""
    path = tmp_path / "scratch.sqlite"
    shutil.copyfile(seeded_file(tmp_path_factory), path)
    url = f"sqlite:///{path}"
    use_store(url)
    yield url
    use_store(api_store)
