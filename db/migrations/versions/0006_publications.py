"""publications

The publish step (``keob publish``; ``indicators.services.publish``): disclosure-controlled
tables computed once per data version and read by every process.

* ``publication``: one publication (data version, rules checksum, time); exactly one row
  has status ``current`` (a partial unique index), flipped in the publishing transaction.
* ``published_comparison``: the rows of ``Monitor.published_comparison`` per level and
  designation vintage, typed, keyed by (publication, level, vintage, position) and
  indexed on (publication, level, indicator, year).
* ``published_frame``: small derived tables kept whole as Parquet (classified state lists).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_FLOATS = (
    "numerator",
    "denominator",
)
_LATER_FLOATS = (
    "city_numerator",
    "city_denominator",
    "rest_numerator",
    "rest_denominator",
    "value",
    "rest_value",
    "city_value",
    "gap",
    "gap_ratio",
)


def upgrade() -> None:
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("data_version", sa.String(length=200), nullable=False),
        sa.Column("loaded_through", sa.DateTime(timezone=True), nullable=True),
        sa.Column("batch_count", sa.Integer(), nullable=False),
        sa.Column("rules_checksum", sa.String(length=64), nullable=False),
        sa.Column("vintages", sa.String(length=200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.Column("rows_written", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('current', 'superseded')", name=op.f("ck_publication_status_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
    )
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publication_data_version"), ["data_version"], unique=False
        )
        batch_op.create_index(
            "uq_publication_one_current",
            ["status"],
            unique=True,
            sqlite_where=sa.text("status = 'current'"),
            postgresql_where=sa.text("status = 'current'"),
        )

    op.create_table(
        "published_comparison",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=32), nullable=False),
        sa.Column("vintage", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=64), nullable=False),
        sa.Column("area_name", sa.String(length=200), nullable=True),
        sa.Column("indicator", sa.String(length=32), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        *[sa.Column(c, sa.Float(), nullable=True) for c in _FLOATS],
        sa.Column("synthetic", sa.Boolean(), nullable=False),
        sa.Column("members_reporting", sa.Integer(), nullable=False),
        sa.Column("members_total", sa.Integer(), nullable=False),
        *[sa.Column(c, sa.Float(), nullable=True) for c in _LATER_FLOATS],
        sa.Column("polarity", sa.SmallInteger(), nullable=False),
        sa.Column("direction", sa.SmallInteger(), nullable=False),
        sa.Column("suppressed", sa.Boolean(), nullable=False),
        sa.Column("suppression", sa.String(length=16), nullable=False),
        sa.Column("suppression_rule", sa.String(length=32), nullable=False),
        sa.Column("rest_suppressed", sa.Boolean(), nullable=False),
        sa.Column("rest_suppression", sa.String(length=16), nullable=False),
        sa.Column("city_suppressed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_published_comparison_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "publication_id", "level", "vintage", "position", name=op.f("pk_published_comparison")
        ),
    )
    with op.batch_alter_table("published_comparison", schema=None) as batch_op:
        batch_op.create_index(
            "ix_published_comparison_lookup",
            ["publication_id", "level", "indicator", "year"],
            unique=False,
        )

    op.create_table(
        "published_frame",
        sa.Column("publication_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publication.id"],
            name=op.f("fk_published_frame_publication_id_publication"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("publication_id", "name", name=op.f("pk_published_frame")),
    )


def downgrade() -> None:
    op.drop_table("published_frame")
    with op.batch_alter_table("published_comparison", schema=None) as batch_op:
        batch_op.drop_index("ix_published_comparison_lookup")
    op.drop_table("published_comparison")
    with op.batch_alter_table("publication", schema=None) as batch_op:
        batch_op.drop_index("uq_publication_one_current")
        batch_op.drop_index(batch_op.f("ix_publication_data_version"))
    op.drop_table("publication")
