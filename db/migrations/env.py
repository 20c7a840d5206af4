"""Alembic environment: one metadata, batch mode for SQLite, URL from the environment."""

from __future__ import annotations

from alembic import context

import db.all_models  # noqa: F401  (registers every table on Base.metadata)
from db.engine import database_url, make_engine
from db.models import Base

config = context.config
target_metadata = Base.metadata

# Columns that only exist on PostgreSQL (PostGIS columns generated from the portable WKB)
# are not in the ORM models; autogenerate must not propose dropping them.
POSTGRES_ONLY_COLUMNS = {("area", "geom"), ("facility", "geom")}


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    if type_ == "column" and (obj.table.name, name) in POSTGRES_ONLY_COLUMNS:
        return False
    if type_ == "index" and name and name.endswith("_geom"):
        return False
    return not (type_ == "table" and name == "spatial_ref_sys")


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or None)
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
