"""Sealed check-in answers: a key pair per open round, keyed "answered" marks, counts fixed at close

Revision ID: 0010_sealed
Revises: 0008_inbox
Create Date: 2026-12-01 14:00:00

Data already stored: a closed round keeps its tallies and vents and gets its counts fixed; its person-keyed
"answered" rows go (late answers are refused by the closed flag). An open round gets its key pair, and its
"answered" rows become marks keyed with the server key; what it held in the clear before (tallies, vents)
stays as it was and is mixed with the sealed answers at close. Downgrading keeps the rounds but cannot give
the marks back their people: the old table comes back empty.
"""

from collections import Counter
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import context, op

from storage.checkins import answered_mark
from storage.keys import ServerKey, load_server_key

revision: str = '0010_sealed'
down_revision: str | Sequence[str] | None = '0008_inbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _server_key() -> ServerKey:
    given = context.config.attributes.get("server_key")
    return given or load_server_key(op.get_bind().engine.url.render_as_string(hide_password=False))


def _old_answered() -> sa.Table:
    return sa.Table('checkin_answered', sa.MetaData(), sa.Column('round_id', sa.String(32)),
                    sa.Column('person_id', sa.Integer()))


def upgrade() -> None:
    with op.batch_alter_table('checkin_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_key', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('locked_key', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('asked', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('answered', sa.Integer(), nullable=True))
    op.create_table('checkin_sealed',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('box', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_rounds.id'], name=op.f('fk_checkin_sealed_round_id_checkin_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_sealed')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('checkin_sealed', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_sealed_round', ['round_id'], unique=False)

    bind = op.get_bind()
    answered = [tuple(r) for r in bind.execute(sa.select(_old_answered()))]
    rounds = {r.id: r.closed for r in bind.execute(sa.text("SELECT id, closed FROM checkin_rounds"))}
    asked = dict(bind.execute(sa.text("SELECT round_id, count(*) FROM checkin_invites GROUP BY round_id")).all())
    with op.batch_alter_table('checkin_answered', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_answered_person')
    op.drop_table('checkin_answered')
    marks = op.create_table('checkin_answered',
    sa.Column('round_id', sa.String(length=32), nullable=False),
    sa.Column('mark', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['checkin_rounds.id'], name=op.f('fk_checkin_answered_round_id_checkin_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('round_id', 'mark', name=op.f('pk_checkin_answered')),
    sqlite_with_rowid=False
    )
    if not rounds:
        return
    key = _server_key()
    counted = Counter(round_id for round_id, _ in answered)
    table = sa.table('checkin_rounds', sa.column('id'), sa.column('public_key'), sa.column('locked_key'),
                     sa.column('asked'), sa.column('answered'))
    for round_id, closed in rounds.items():
        if closed:
            fixed = {"asked": asked.get(round_id, 0), "answered": counted[round_id]}
        else:
            public, locked = key.new_round_keys()
            fixed = {"public_key": public, "locked_key": locked}
        bind.execute(table.update().where(table.c.id == round_id).values(**fixed))
    still_open = [{"round_id": r, "mark": answered_mark(key, r, p)} for r, p in answered if not rounds[r]]
    if still_open:
        op.bulk_insert(marks, still_open)


def downgrade() -> None:
    op.drop_table('checkin_answered')
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
    with op.batch_alter_table('checkin_sealed', schema=None) as batch_op:
        batch_op.drop_index('ix_checkin_sealed_round')
    op.drop_table('checkin_sealed')
    with op.batch_alter_table('checkin_rounds', schema=None) as batch_op:
        batch_op.drop_column('answered')
        batch_op.drop_column('asked')
        batch_op.drop_column('locked_key')
        batch_op.drop_column('public_key')
