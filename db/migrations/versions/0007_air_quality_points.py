"""air-quality points

``air_quality_point``: the points of the loaded air-quality concentration layers
(``keob import air-quality``; db/models_facilities.py): pollutant, EPSG:25832 position,
annual mean concentration (µg/m³), year, source, synthetic flag and load batch.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "air_quality_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pollutant", sa.String(length=16), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("concentration", sa.Float(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["load_batch.id"],
            name=op.f("fk_air_quality_point_batch_id_load_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_air_quality_point")),
    )
    with op.batch_alter_table("air_quality_point", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_air_quality_point_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_air_quality_point_pollutant"), ["pollutant"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("air_quality_point", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_air_quality_point_pollutant"))
        batch_op.drop_index(batch_op.f("ix_air_quality_point_batch_id"))
    op.drop_table("air_quality_point")
