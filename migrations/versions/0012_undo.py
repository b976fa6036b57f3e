"""Taking back and moderating kudos (origins, the audit log), celebration choices, Teams message authors

Revision ID: 0012_undo
Revises: 0011_org
Create Date: 2026-12-01 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0012_undo'
down_revision: str | Sequence[str] | None = '0011_org'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('message_authors',
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('conversation', sa.String(length=256), nullable=False),
    sa.Column('message_id', sa.String(length=128), nullable=False),
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'conversation', 'message_id', name=op.f('pk_message_authors'))
    )
    with op.batch_alter_table('message_authors', schema=None) as batch_op:
        batch_op.create_index('ix_message_authors_created', ['created_at'], unique=False)

    op.create_table('celebration_choices',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(length=8), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_celebration_choices_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_celebration_choices'))
    )
    op.create_table('kudos_removals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kudos_id', sa.Integer(), nullable=False),
    sa.Column('giver_id', sa.Integer(), nullable=False),
    sa.Column('removed_by_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('removed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['giver_id'], ['people.id'], name=op.f('fk_kudos_removals_giver_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['people.id'], name=op.f('fk_kudos_removals_removed_by_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kudos_removals'))
    )
    op.create_table('kudos_origins',
    sa.Column('kudos_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['kudos_id'], ['kudos.id'], name=op.f('fk_kudos_origins_kudos_id_kudos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kudos_id', name=op.f('pk_kudos_origins')),
    sa.UniqueConstraint('origin', name=op.f('uq_kudos_origins_origin'))
    )


def downgrade() -> None:
    op.drop_table('kudos_origins')
    op.drop_table('kudos_removals')
    op.drop_table('celebration_choices')
    with op.batch_alter_table('message_authors', schema=None) as batch_op:
        batch_op.drop_index('ix_message_authors_created')
    op.drop_table('message_authors')
