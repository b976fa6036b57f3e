"""teams conversation references

Revision ID: 0005_teams
Revises: 0004_digest
Create Date: 2026-11-23 02:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0005_teams'
down_revision: str | Sequence[str] | None = '0004_digest'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('teams_conversations',
    sa.Column('id', sa.String(length=256), nullable=False),
    sa.Column('tenant_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=True),
    sa.Column('service_url', sa.Text(), nullable=False),
    sa.Column('reference', sa.JSON(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams_conversations'))
    )
    with op.batch_alter_table('teams_conversations', schema=None) as batch_op:
        batch_op.create_index('ix_teams_conversations_tenant_kind_user', ['tenant_id', 'kind', 'user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('teams_conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_teams_conversations_tenant_kind_user')

    op.drop_table('teams_conversations')
