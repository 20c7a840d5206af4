"""designations state lists and provenance

Designation vintages, state-list memberships per list year, and provenance.

* ``state_list_membership``: an area on a state list (udsat, parallelsamfund, omdannelse,
  forebyggelse, and the pre-2021 names ghetto / haard_ghetto) in a list year; replaced
  rows are retired (``retired_batch_id``), never deleted.
* ``area_version``: name and geometry of an area per designation vintage.
* ``load_batch.source_format`` / ``load_batch.mapping_checksum``: which importer and
  which statbank mapping produced a batch.
* ``observation.source_line``: the line of the batch's file each value came from.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "state_list_membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("list_year", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("retired_batch_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "category IN ('udsat', 'parallelsamfund', 'omdannelse', 'forebyggelse', "
            "'ghetto', 'haard_ghetto')",
            name=op.f("ck_state_list_membership_category_known"),
        ),
        sa.CheckConstraint(
            "list_year BETWEEN 1990 AND 2100",
            name=op.f("ck_state_list_membership_list_year_range"),
        ),
        sa.ForeignKeyConstraint(
            ["area_id"], ["area.id"], name=op.f("fk_state_list_membership_area_id_area")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["load_batch.id"],
            name=op.f("fk_state_list_membership_batch_id_load_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["retired_batch_id"],
            ["load_batch.id"],
            name=op.f("fk_state_list_membership_retired_batch_id_load_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_list_membership")),
    )
    with op.batch_alter_table("state_list_membership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_state_list_membership_area_id"), ["area_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_state_list_membership_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_state_list_membership_list_year"), ["list_year"], unique=False
        )

    op.create_table(
        "area_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"], ["area.id"], name=op.f("fk_area_version_area_id_area")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["load_batch.id"], name=op.f("fk_area_version_batch_id_load_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_version")),
        sa.UniqueConstraint(
            "area_id", "vintage", name=op.f("uq_area_version_area_id_vintage")
        ),
    )
    with op.batch_alter_table("area_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_area_version_area_id"), ["area_id"], unique=False)

    with op.batch_alter_table("load_batch", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_format", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("mapping_checksum", sa.String(length=64), nullable=True))

    with op.batch_alter_table("observation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_line", sa.Integer(), nullable=True))


def _drop_plain_column(table: str, column: str) -> None:
    # SQLite >= 3.35 drops a plain column in place. Alembic's batch mode would copy the
    # table and DROP the original, which foreign keys from other tables' rows forbid
    # (the store runs with PRAGMA foreign_keys=ON).
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    else:
        op.drop_column(table, column)


def downgrade() -> None:
    _drop_plain_column("observation", "source_line")
    _drop_plain_column("load_batch", "mapping_checksum")
    _drop_plain_column("load_batch", "source_format")

    with op.batch_alter_table("area_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_area_version_area_id"))
    op.drop_table("area_version")

    with op.batch_alter_table("state_list_membership", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_list_membership_list_year"))
        batch_op.drop_index(batch_op.f("ix_state_list_membership_batch_id"))
        batch_op.drop_index(batch_op.f("ix_state_list_membership_area_id"))
    op.drop_table("state_list_membership")
