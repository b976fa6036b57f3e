"""Microsoft Teams is the platform `msteams` (a support team stays a `team`); conversation ids fit

Revision ID: 0006_msteams
Revises: 0005_teams
Create Date: 2026-12-01 10:50:00

Teams' conversation references become the table `conversations` (with a platform column, so any platform
that must remember where it may speak first can keep them there), and the platform id is rewritten
everywhere it is stored: people,
kudos, polls, tracked messages, the outbox (its column and the people and channels inside each payload,
sent or not, whose `Context` blocks become `Footnote`) and the delivery ids Teams retries are checked against.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = '0006_msteams'
down_revision: str | Sequence[str] | None = '0005_teams'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLATFORM_TABLES = ("people", "kudos", "polls", "tracked_messages", "outbox")
CHANNEL_TABLES = ("kudos", "polls", "tracked_messages")
"""Their `channel` grows from 128 to 256 characters, as long as a conversation id: a Teams personal chat's
runs to about 130."""


def _channel_width(old: int, new: int) -> None:
    for name in CHANNEL_TABLES:
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('channel', type_=sa.String(length=new), existing_type=sa.String(length=old),
                                  existing_nullable=False)


BLOCK_NAMES = {"Context": "Footnote"}
"""The neutral message block that was `Context` (one word, one meaning: Context is what a feature is given)."""


def _renamed(value: Any, old: str, new: str, blocks: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_renamed(v, old, new, blocks) for v in value]
    if isinstance(value, dict):
        return {
            k: new if k == "platform" and v == old else blocks.get(v, v) if k == "$" else _renamed(v, old, new, blocks)
            for k, v in value.items()
        }
    return value


def _conversations_of_every_platform() -> None:
    """Teams' conversation references become `conversations`, one platform's among others."""
    with op.batch_alter_table('teams_conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_teams_conversations_tenant_kind_user')
    op.rename_table('teams_conversations', 'conversations')
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE conversations RENAME CONSTRAINT pk_teams_conversations TO pk_conversations')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('platform', sa.String(length=16), nullable=False, server_default='msteams'))
        batch_op.alter_column('tenant_id', new_column_name='workspace', existing_type=sa.String(length=64),
                              existing_nullable=False)
        batch_op.alter_column('service_url', new_column_name='endpoint', existing_type=sa.Text(),
                              existing_nullable=False)
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.alter_column('platform', server_default=None, existing_type=sa.String(length=16),
                              existing_nullable=False)
        batch_op.create_index('ix_conversations_person', ['platform', 'workspace', 'kind', 'user_id'], unique=False)


def _teams_conversations_again() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index('ix_conversations_person')
        batch_op.drop_column('platform')
        batch_op.alter_column('workspace', new_column_name='tenant_id', existing_type=sa.String(length=64),
                              existing_nullable=False)
        batch_op.alter_column('endpoint', new_column_name='service_url', existing_type=sa.Text(),
                              existing_nullable=False)
    op.rename_table('conversations', 'teams_conversations')
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE teams_conversations RENAME CONSTRAINT pk_conversations TO pk_teams_conversations')
    with op.batch_alter_table('teams_conversations', schema=None) as batch_op:
        batch_op.create_index('ix_teams_conversations_tenant_kind_user', ['tenant_id', 'kind', 'user_id'],
                              unique=False)


def _rename_platform(old: str, new: str, blocks: dict[str, str]) -> None:
    bind = op.get_bind()
    for name in PLATFORM_TABLES:
        bind.execute(sa.text(f"UPDATE {name} SET platform = :new WHERE platform = :old"), {"new": new, "old": old})
    outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("payload", sa.JSON))
    # every row, delivered ones too: `huzzah privacy` and `huzzah forget` find a person in any payload that names them
    for row in bind.execute(sa.select(outbox.c.id, outbox.c.payload)).all():
        payload = _renamed(row.payload, old, new, blocks)
        if payload != row.payload:
            bind.execute(outbox.update().where(outbox.c.id == row.id).values(payload=payload))
    bind.execute(sa.text("UPDATE once_keys SET key = CAST(:new AS VARCHAR) || substr(key, :cut) WHERE key LIKE :like"),
                 {"new": f"{new}:", "cut": len(old) + 2, "like": f"{old}:%"})


def upgrade() -> None:
    _conversations_of_every_platform()
    _rename_platform("teams", "msteams", BLOCK_NAMES)
    _channel_width(128, 256)


def downgrade() -> None:
    _channel_width(256, 128)
    _rename_platform("msteams", "teams", {v: k for k, v in BLOCK_NAMES.items()})
    _teams_conversations_again()
