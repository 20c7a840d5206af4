"""initiatives register

The action plan's initiatives, one register per plan vintage (db/models_initiatives.py).

* ``initiative_vintage``: one load of a vintage ("2027-2028"); a re-import retires the
  row it replaces (``retired_batch_id``) instead of deleting it.
* ``initiative``: the initiatives of a load (goal, focus area, funded, texts, period).
* ``initiative_administration``, ``initiative_place`` (one row per place x area code),
  ``initiative_criterion`` (the project's judgement, FK to ``indicator``).
* ``initiative_further``: the plan's lists of "further initiatives".

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ADMINISTRATIONS = "('BIF', 'BUF', 'KFF', 'KTF', 'SOF', 'SUF', 'ØKF')"
FOCUS_AREAS = "('tvaers', 'arbejde', 'trivsel', 'boern', 'rammer', 'rekreativ', 'tryg')"
PLACE_SOURCES = "('tekst', 'forklaring', 'afledt')"


def upgrade() -> None:
    op.create_table(
        "initiative_vintage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vintage", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("source_file", sa.String(length=300), nullable=True),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("criteria_judgement", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("retired_batch_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "start_year <= end_year", name=op.f("ck_initiative_vintage_years_ordered")
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"],
            ["load_batch.id"],
            name=op.f("fk_initiative_vintage_batch_id_load_batch"),
        ),
        sa.ForeignKeyConstraint(
            ["retired_batch_id"],
            ["load_batch.id"],
            name=op.f("fk_initiative_vintage_retired_batch_id_load_batch"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_vintage")),
    )
    with op.batch_alter_table("initiative_vintage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_vintage_batch_id"), ["batch_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_initiative_vintage_vintage"), ["vintage"], unique=False
        )

    op.create_table(
        "initiative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vintage_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("goal", sa.SmallInteger(), nullable=False),
        sa.Column("focus_area", sa.String(length=16), nullable=False),
        sa.Column("funded", sa.Boolean(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("administrations_text", sa.String(length=100), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("criteria_reason", sa.Text(), nullable=False),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("period_text", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("goal IN (1, 2)", name=op.f("ck_initiative_goal_known")),
        sa.CheckConstraint(
            f"focus_area IN {FOCUS_AREAS}", name=op.f("ck_initiative_focus_area_known")
        ),
        sa.ForeignKeyConstraint(
            ["vintage_id"],
            ["initiative_vintage.id"],
            name=op.f("fk_initiative_vintage_id_initiative_vintage"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative")),
        sa.UniqueConstraint("vintage_id", "code", name=op.f("uq_initiative_vintage_id_code")),
    )
    with op.batch_alter_table("initiative", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_vintage_id"), ["vintage_id"], unique=False
        )

    op.create_table(
        "initiative_administration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("administration", sa.String(length=8), nullable=False),
        sa.CheckConstraint(
            f"administration IN {ADMINISTRATIONS}",
            name=op.f("ck_initiative_administration_administration_known"),
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_administration_initiative_id_initiative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_administration")),
        sa.UniqueConstraint(
            "initiative_id",
            "administration",
            name=op.f("uq_initiative_administration_initiative_id_administration"),
        ),
    )
    with op.batch_alter_table("initiative_administration", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_administration_initiative_id"),
            ["initiative_id"],
            unique=False,
        )

    op.create_table(
        "initiative_place",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("place_position", sa.SmallInteger(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("area_code", sa.String(length=64), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=True),
        sa.Column("end_year", sa.Integer(), nullable=True),
        sa.Column("period_text", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            f"source IN {PLACE_SOURCES}", name=op.f("ck_initiative_place_source_known")
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_place_initiative_id_initiative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_place")),
        sa.UniqueConstraint(
            "initiative_id",
            "place_position",
            "area_code",
            name=op.f("uq_initiative_place_initiative_id_place_position_area_code"),
        ),
    )
    with op.batch_alter_table("initiative_place", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_place_area_code"), ["area_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_initiative_place_initiative_id"), ["initiative_id"], unique=False
        )

    op.create_table(
        "initiative_criterion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["criterion"],
            ["indicator.code"],
            name=op.f("fk_initiative_criterion_criterion_indicator"),
        ),
        sa.ForeignKeyConstraint(
            ["initiative_id"],
            ["initiative.id"],
            name=op.f("fk_initiative_criterion_initiative_id_initiative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_criterion")),
        sa.UniqueConstraint(
            "initiative_id",
            "criterion",
            name=op.f("uq_initiative_criterion_initiative_id_criterion"),
        ),
    )
    with op.batch_alter_table("initiative_criterion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_criterion_initiative_id"), ["initiative_id"], unique=False
        )

    op.create_table(
        "initiative_further",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("vintage_id", sa.Integer(), nullable=False),
        sa.Column("goal", sa.SmallInteger(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("area_codes", sa.String(length=500), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("goal IN (1, 2)", name=op.f("ck_initiative_further_goal_known")),
        sa.ForeignKeyConstraint(
            ["vintage_id"],
            ["initiative_vintage.id"],
            name=op.f("fk_initiative_further_vintage_id_initiative_vintage"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_initiative_further")),
        sa.UniqueConstraint(
            "vintage_id",
            "goal",
            "position",
            name=op.f("uq_initiative_further_vintage_id_goal_position"),
        ),
    )
    with op.batch_alter_table("initiative_further", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_initiative_further_vintage_id"), ["vintage_id"], unique=False
        )


def downgrade() -> None:
    for table, indexes in (
        ("initiative_further", ["ix_initiative_further_vintage_id"]),
        ("initiative_criterion", ["ix_initiative_criterion_initiative_id"]),
        (
            "initiative_place",
            ["ix_initiative_place_initiative_id", "ix_initiative_place_area_code"],
        ),
        ("initiative_administration", ["ix_initiative_administration_initiative_id"]),
        ("initiative", ["ix_initiative_vintage_id"]),
        ("initiative_vintage", ["ix_initiative_vintage_vintage", "ix_initiative_vintage_batch_id"]),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in indexes:
                batch_op.drop_index(batch_op.f(name))
        op.drop_table(table)
