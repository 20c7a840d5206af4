"""Import every model module so that ``Base.metadata`` knows all tables (Alembic, tests)."""

from db import (
    models,  # noqa: F401
    models_designations,  # noqa: F401
    models_facilities,  # noqa: F401
    models_initiatives,  # noqa: F401
    models_publication,  # noqa: F401
    state_list_inputs,  # noqa: F401
)
