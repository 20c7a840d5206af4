"""designations state lists and provenance

Reserved for issue 3 (importers, designation vintages, state-list memberships); empty until that work lands, so the revision chain is fixed
in advance and parallel work does not create several heads.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
