"""state list inputs

Reserved for issue 4 (state-list inputs and results); empty until that work lands, so the revision chain is fixed
in advance and parallel work does not create several heads.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
