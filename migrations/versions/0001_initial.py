"""initial schema

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-23 02:22:20.302811
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0001_initial'
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('once_keys',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_once_keys'))
    )
    with op.batch_alter_table('once_keys', schema=None) as batch_op:
        batch_op.create_index('ix_once_keys_created', ['created_at'], unique=False)

    op.create_table('outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=True),
    sa.Column('workspace', sa.String(length=64), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('not_before', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_until', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
    sa.UniqueConstraint('key', name=op.f('uq_outbox_key'))
    )
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_due', ['status', 'not_before'], unique=False)

    op.create_table('people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.String(length=128), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tz', sa.String(length=64), nullable=True),
    sa.Column('is_bot', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('first_seen', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('platform', 'workspace', 'user_id', name='uq_people_account')
    )
    op.create_table('tracked_messages',
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=128), nullable=False),
    sa.Column('message_id', sa.String(length=128), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_tracked_messages'))
    )
    op.create_table('kudos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team', sa.String(length=80), nullable=False),
    sa.Column('platform', sa.String(length=16), nullable=False),
    sa.Column('workspace', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=128), nullable=False),
    sa.Column('giver_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.JSON(), nullable=False),
    sa.Column('link', sa.Text(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['giver_id'], ['people.id'], name=op.f('fk_kudos_giver_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kudos'))
    )
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.create_index('ix_kudos_giver_created', ['giver_id', 'created_at'], unique=False)
        batch_op.create_index('ix_kudos_team_created', ['team', 'created_at'], unique=False)

    op.create_table('kudos_cogivers',
    sa.Column('kudos_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['kudos_id'], ['kudos.id'], name=op.f('fk_kudos_cogivers_kudos_id_kudos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_kudos_cogivers_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kudos_id', 'person_id', name=op.f('pk_kudos_cogivers'))
    )
    with op.batch_alter_table('kudos_cogivers', schema=None) as batch_op:
        batch_op.create_index('ix_kudos_cogivers_person_created', ['person_id', 'created_at'], unique=False)

    op.create_table('kudos_recipients',
    sa.Column('kudos_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['kudos_id'], ['kudos.id'], name=op.f('fk_kudos_recipients_kudos_id_kudos'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_kudos_recipients_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kudos_id', 'person_id', name=op.f('pk_kudos_recipients'))
    )
    with op.batch_alter_table('kudos_recipients', schema=None) as batch_op:
        batch_op.create_index('ix_kudos_recipients_person', ['person_id', 'kudos_id'], unique=False)

    op.create_table('kudos_values',
    sa.Column('kudos_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.ForeignKeyConstraint(['kudos_id'], ['kudos.id'], name=op.f('fk_kudos_values_kudos_id_kudos'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('kudos_id', 'value', name=op.f('pk_kudos_values'))
    )


def downgrade() -> None:
    op.drop_table('kudos_values')
    with op.batch_alter_table('kudos_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_kudos_recipients_person')

    op.drop_table('kudos_recipients')
    with op.batch_alter_table('kudos_cogivers', schema=None) as batch_op:
        batch_op.drop_index('ix_kudos_cogivers_person_created')

    op.drop_table('kudos_cogivers')
    with op.batch_alter_table('kudos', schema=None) as batch_op:
        batch_op.drop_index('ix_kudos_team_created')
        batch_op.drop_index('ix_kudos_giver_created')

    op.drop_table('kudos')
    op.drop_table('tracked_messages')
    op.drop_table('people')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_due')

    op.drop_table('outbox')
    with op.batch_alter_table('once_keys', schema=None) as batch_op:
        batch_op.drop_index('ix_once_keys_created')

    op.drop_table('once_keys')
