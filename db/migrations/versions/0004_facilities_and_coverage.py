"""facilities and coverage

Reserved for issue 5 (facilities, resident grid); empty until that work lands, so the revision chain is fixed
in advance and parallel work does not create several heads.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
