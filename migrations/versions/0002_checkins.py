"""check-ins: rounds, invitations, answered flags, mood tallies and vents

Revision ID: 0002_checkins
Revises: 0001_initial
Create Date: 2026-11-23 02:33:17.163834
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0002_checkins'
down_revision: str | Sequence[str] | None = '0001_initial'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('checkin_rounds',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('team', sa.String(length=80), nullable=False),
    sa.Column('week', sa.String(length=10), nullable=False),
    sa.Column('closes_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_rounds')),
    sa.UniqueConstraint('team', 'week', name='uq_checkin_rounds_team_week')
    )
    with op.batch_alter_table('checkin_rounds', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_rounds_open', ['closed', 'closes_at'], unique=False)

    op.create_table('checkin_answered',
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_checkin_answered_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_rounds.id'], name=op.f('fk_checkin_answered_round_id_checkin_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'person_id', name=op.f('pk_checkin_answered')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('checkin_answered', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_answered_person', ['person_id'], unique=False)

    op.create_table('checkin_invites',
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('ask_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_checkin_invites_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_rounds.id'], name=op.f('fk_checkin_invites_round_id_checkin_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'person_id', name=op.f('pk_checkin_invites')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('checkin_invites', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_invites_person', ['person_id'], unique=False)

    op.create_table('checkin_moods',
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('mood', sa.SmallInteger(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.CheckConstraint('mood BETWEEN 1 AND 5', name=op.f('ck_checkin_moods_mood_range')),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_rounds.id'], name=op.f('fk_checkin_moods_round_id_checkin_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'mood', name=op.f('pk_checkin_moods')),
    sqlite_with_rowid=False
    )
    op.create_table('checkin_prefs',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('day', sa.String(length=3), nullable=True),
    sa.Column('time', sa.String(length=5), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_checkin_prefs_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_checkin_prefs'))
    )
    op.create_table('checkin_vents',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_rounds.id'], name=op.f('fk_checkin_vents_round_id_checkin_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_vents')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('checkin_vents', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_vents_round', ['round_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('checkin_vents', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_vents_round')

    op.drop_table('checkin_vents')
    op.drop_table('checkin_prefs')
    op.drop_table('checkin_moods')
    with op.batch_alter_table('checkin_invites', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_invites_person')

    op.drop_table('checkin_invites')
    with op.batch_alter_table('checkin_answered', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_answered_person')

    op.drop_table('checkin_answered')
    with op.batch_alter_table('checkin_rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_rounds_open')

    op.drop_table('checkin_rounds')
