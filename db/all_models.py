"""Import every model module so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from db import models  # noqa: F401
