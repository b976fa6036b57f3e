"""Microsoft Teams is the platform `msteams` (a support team stays a `team`)

Revision ID: 0006_msteams
Revises: 0005_teams
Create Date: 2026-12-01 10:50:00

Renames the conversation-reference table and rewrites the platform id everywhere it is stored: people,
kudos, polls, tracked messages, the outbox (its column and the people and channels inside each pending
payload, whose `Context` blocks become `Footnote`) and the delivery ids Teams retries are checked against.
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


def _rename_table(old: str, new: str) -> None:
    with op.batch_alter_table(f'{old}_conversations', schema=None) as batch_op:
        batch_op.drop_index(f'ix_{old}_conversations_tenant_kind_user')
    op.rename_table(f'{old}_conversations', f'{new}_conversations')
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'ALTER TABLE {new}_conversations RENAME CONSTRAINT pk_{old}_conversations TO pk_{new}_conversations')
    with op.batch_alter_table(f'{new}_conversations', schema=None) as batch_op:
        batch_op.create_index(f'ix_{new}_conversations_tenant_kind_user', ['tenant_id', 'kind', 'user_id'],
                              unique=False)


def _rename_platform(old: str, new: str, blocks: dict[str, str]) -> None:
    bind = op.get_bind()
    for name in PLATFORM_TABLES:
        bind.execute(sa.text(f"UPDATE {name} SET platform = :new WHERE platform = :old"), {"new": new, "old": old})
    outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("payload", sa.JSON),
                      sa.column("status", sa.String))
    for row in bind.execute(sa.select(outbox.c.id, outbox.c.payload).where(outbox.c.status == "pending")).all():
        payload = _renamed(row.payload, old, new, blocks)
        if payload != row.payload:
            bind.execute(outbox.update().where(outbox.c.id == row.id).values(payload=payload))
    bind.execute(sa.text("UPDATE once_keys SET key = CAST(:new AS VARCHAR) || substr(key, :cut) WHERE key LIKE :like"),
                 {"new": f"{new}:", "cut": len(old) + 2, "like": f"{old}:%"})


def upgrade() -> None:
    _rename_table("teams", "msteams")
    _rename_platform("teams", "msteams", BLOCK_NAMES)


def downgrade() -> None:
    _rename_platform("msteams", "teams", {v: k for k, v in BLOCK_NAMES.items()})
    _rename_table("msteams", "teams")
