"""When an outbox delivery's outcome became unknown, so a resend looks for it on the platform first

Revision ID: 0007_unsure
Revises: 0006_msteams
Create Date: 2026-12-01 11:30:00

A worker that dies between the platform taking a post and marking it sent leaves the row claimed; from the
claim on `unsure_since` says since when the post may be on the platform (see `bot.outbox`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0007_unsure'
down_revision: str | Sequence[str] | None = '0006_msteams'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsure_since', storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('unsure_since')
