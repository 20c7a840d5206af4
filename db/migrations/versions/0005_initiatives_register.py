"""initiatives register

Reserved for issue 6 (initiatives register); empty until that work lands, so the revision chain is fixed
in advance and parallel work does not create several heads.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
