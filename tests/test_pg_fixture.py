"""The store-URL fixtures themselves: each test gets its own, empty database."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, inspect, text


@pytest.mark.postgres
def test_postgres_url_has_postgis(postgres_url: str) -> None:
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        version = conn.execute(text("SELECT postgis_version()")).scalar_one()
    engine.dispose()
    assert version.startswith("3.")


def test_db_url_is_empty_and_writable(db_url: str) -> None:
    # Runs as [sqlite] always and as [postgres] with -m postgres; a table left behind by
    # one test must never be visible to the next, so create the same table each time.
    engine = create_engine(db_url)
    try:
        assert "probe" not in inspect(engine).get_table_names()
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY, label TEXT)"))
            conn.execute(text("INSERT INTO probe (id, label) VALUES (1, 'Tingbjerg')"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT label FROM probe")).scalar_one() == "Tingbjerg"
    finally:
        engine.dispose()


@pytest.mark.parametrize("attempt", [1, 2])
def test_db_url_isolated_between_tests(db_url: str, attempt: int) -> None:
    test_db_url_is_empty_and_writable(db_url)


def test_external_network_is_blocked() -> None:
    import socket

    with pytest.raises(pytest.fail.Exception, match="network connection"):
        socket.create_connection(("192.0.2.1", 80), timeout=0.1)
    with pytest.raises(pytest.fail.Exception, match="resolve"):
        socket.getaddrinfo("example.com", 443)
