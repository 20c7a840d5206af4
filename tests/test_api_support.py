"""Fixtures for the API tests (no tests here), over the session's seeded store.

``api_store`` points DATABASE_URL at ``seeded_store_url`` (tests/conftest.py) for the
module using it; ``api_client`` is Flask's test
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


def use_store(url: str) -> None:
    """Point the app at ``url`` and forget every cache keyed on the old store."""
    os.environ["DATABASE_URL"] = url
    from dashboard import api, data

    data.reset()
    api.forget_store_state()


@pytest.fixture(scope="module")
def api_store(seeded_store_url: str) -> Iterator[str]:
    url = seeded_store_url
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
def scratch_store(tmp_path: Path, seeded_store_path: Path, api_store: str) -> Iterator[str]:
    """A private copy of the seeded store, active for one test."""
    path = tmp_path / "scratch.sqlite"
    shutil.copyfile(seeded_store_path, path)
    url = f"sqlite:///{path}"
    use_store(url)
    yield url
    use_store(api_store)
