"""The contact centre: imported per-team business metrics, and who opted out of the company brag sheet

Revision ID: 0011_org
Revises: 0010_sealed
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0011_org'
down_revision: str | Sequence[str] | None = '0010_sealed'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('team_metrics',
    sa.Column('team', sa.String(length=80), nullable=False),
    sa.Column('week', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('team', 'week', 'name', name=op.f('pk_team_metrics'))
    )
    op.create_table('brag_optouts',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('since', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_brag_optouts_person_id_people'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_brag_optouts'))
    )


def downgrade() -> None:
    op.drop_table('brag_optouts')
    op.drop_table('team_metrics')
