"""state list inputs

``state_list_input``, the criterion values of each boligområde per list year
(almenboligloven § 61 a/b) that the state-list classifier reads. Rows are revisions:
a changed value gets a new revision, nothing is overwritten.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "state_list_input",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("area_key", sa.String(length=64), nullable=False),
        sa.Column("area_name", sa.String(length=200), nullable=True),
        sa.Column("byomraade", sa.String(length=64), nullable=True),
        sa.Column("members", sa.Text(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("residents", sa.Float(), nullable=False),
        sa.Column("non_western_pct", sa.Float(), nullable=False),
        sa.Column("outside_labour_pct", sa.Float(), nullable=False),
        sa.Column("convicted_pct", sa.Float(), nullable=False),
        sa.Column("national_convicted_pct", sa.Float(), nullable=True),
        sa.Column("basic_education_pct", sa.Float(), nullable=True),
        sa.Column("income_pct_of_region", sa.Float(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "residents >= 0", name=op.f("ck_state_list_input_residents_non_negative")
        ),
        sa.CheckConstraint("revision >= 1", name=op.f("ck_state_list_input_revision_positive")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["load_batch.id"], name=op.f("fk_state_list_input_batch_id_load_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_state_list_input")),
        sa.UniqueConstraint(
            "area_key", "year", "revision", name=op.f("uq_state_list_input_area_key_year_revision")
        ),
    )
    with op.batch_alter_table("state_list_input", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_state_list_input_area_key"), ["area_key"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_state_list_input_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_state_list_input_year"), ["year"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("state_list_input", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_list_input_year"))
        batch_op.drop_index(batch_op.f("ix_state_list_input_batch_id"))
        batch_op.drop_index(batch_op.f("ix_state_list_input_area_key"))
    op.drop_table("state_list_input")
