"""facilities and coverage

Facilities and the precomputed resident cells behind the coverage indicators
(db/models_facilities.py).

* ``facility``: kind, name, category, municipality, source, year, WKB geometry (EPSG:4326);
  on PostgreSQL a PostGIS column ``geom`` generated from the WKB, with a GiST index, as for
  ``area.geom`` in 0001.
* ``coverage_run``: how the current cells were made (population year, methods).
* ``coverage_cell``: resident cells (rode, EPSG:25832 centre, residents, noise band).
* ``coverage_distance``: per run and target, each cell's distance to the nearest facility
  (a float32 array in cell order).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("municipality", sa.String(length=100), nullable=True),
        sa.Column("source", sa.String(length=500), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("geometry_wkb", sa.LargeBinary(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["load_batch.id"], name=op.f("fk_facility_batch_id_load_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility")),
    )
    with op.batch_alter_table("facility", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_facility_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_facility_kind"), ["kind"], unique=False)

    op.create_table(
        "coverage_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("cell_method", sa.String(length=64), nullable=False),
        sa.Column("distance_method", sa.String(length=16), nullable=False),
        sa.Column("cells", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["load_batch.id"], name=op.f("fk_coverage_run_batch_id_load_batch")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_run")),
    )
    with op.batch_alter_table("coverage_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_run_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "coverage_cell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("residents", sa.Float(), nullable=False),
        sa.Column("noise_db", sa.SmallInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["area_id"], ["area.id"], name=op.f("fk_coverage_cell_area_id_area")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["coverage_run.id"], name=op.f("fk_coverage_cell_run_id_coverage_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_cell")),
    )
    with op.batch_alter_table("coverage_cell", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_cell_area_id"), ["area_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_cell_run_id"), ["run_id"], unique=False)

    op.create_table(
        "coverage_distance",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("cells", sa.Integer(), nullable=False),
        sa.Column("distances_f32", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["coverage_run.id"],
            name=op.f("fk_coverage_distance_run_id_coverage_run"),
        ),
        sa.PrimaryKeyConstraint("run_id", "target", name=op.f("pk_coverage_distance")),
    )

    if op.get_bind().dialect.name == "postgresql":
        # PostGIS geometry kept in step with the portable WKB by the database itself.
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        op.execute(
            "ALTER TABLE facility ADD COLUMN geom geometry(Geometry, 4326) "
            "GENERATED ALWAYS AS (ST_GeomFromWKB(geometry_wkb, 4326)) STORED"
        )
        op.execute("CREATE INDEX ix_facility_geom ON facility USING gist (geom)")


def downgrade() -> None:
    op.drop_table("coverage_distance")
    with op.batch_alter_table("coverage_cell", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_cell_run_id"))
        batch_op.drop_index(batch_op.f("ix_coverage_cell_area_id"))
    op.drop_table("coverage_cell")
    with op.batch_alter_table("coverage_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_run_batch_id"))
    op.drop_table("coverage_run")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_facility_geom")
    with op.batch_alter_table("facility", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_facility_kind"))
        batch_op.drop_index(batch_op.f("ix_facility_batch_id"))
    op.drop_table("facility")
