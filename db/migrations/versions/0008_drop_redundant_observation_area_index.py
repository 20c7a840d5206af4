"""drop the redundant observation.area_id index

``ix_observation_area_id`` repeated the first column of the unique key
``uq_observation_area_id_indicator_code_year_revision``, whose index already serves every
lookup by ``area_id`` (SQLite and PostgreSQL use the leading column of a composite
index). Keeping both cost about a fifth of the insert time of an import
(docs/performance.md, bench_import) for no reader.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_observation_area_id", table_name="observation")


def downgrade() -> None:
    op.create_index("ix_observation_area_id", "observation", ["area_id"])
