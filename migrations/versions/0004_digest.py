"""digest runs: the per-team-per-week claim that makes the weekly digest happen exactly once

Revision ID: 0004_digest
Revises: 0003_polls
Create Date: 2026-11-23 02:33:35.487144
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0004_digest'
down_revision: str | Sequence[str] | None = '0003_polls'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('digest_runs',
    sa.Column('team', sa.String(length=80), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('team', 'week', name=op.f('pk_digest_runs'))
    )


def downgrade() -> None:
    op.drop_table('digest_runs')
