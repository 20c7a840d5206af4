"""Programmatic Alembic: `keob db upgrade` and the tests use these, not alembic.ini paths."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from db.engine import PROJECT_ROOT, database_url


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "db" / "migrations"))
    cfg.set_main_option("path_separator", "os")
    # '%' must be escaped for ConfigParser interpolation (URL-encoded passwords).
    cfg.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return cfg


def upgrade(url: str | None = None, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str | None = None, revision: str = "-1") -> None:
    command.downgrade(alembic_config(url), revision)


def current_heads(url: str | None = None) -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config(url)).get_heads())
