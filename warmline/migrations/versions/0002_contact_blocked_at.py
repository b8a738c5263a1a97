"""contact.blocked_at: when a coordinator blocked the number (``warmline block list``)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 00:10:00
"""

import sqlalchemy as sa
from alembic import op

import warmline.db.models

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("blocked_at", warmline.db.models.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("blocked_at")
