"""Teams conversation references, as plain data: the adapter (de)serializes botbuilder's objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import insert_for
from storage.tables.msteams import msteams_conversations
from storage.tables.people import people

PERSONAL = "personal"


@dataclass(frozen=True)
class MsTeamsConversation:
    """One conversation the bot is in: `reference` is a serialized ConversationReference (no activity id)."""

    id: str
    tenant_id: str
    kind: str
    user_id: str | None
    service_url: str
    reference: dict[str, Any]


async def save_conversation(conn: AsyncConnection, conv: MsTeamsConversation, at: datetime) -> None:
    """Insert, or refresh the address of a known conversation without touching when it was first seen."""
    stmt = insert_for(conn)(msteams_conversations).values(
        id=conv.id, tenant_id=conv.tenant_id, kind=conv.kind, user_id=conv.user_id,
        service_url=conv.service_url, reference=conv.reference, created_at=at,
    )
    await conn.execute(stmt.on_conflict_do_update(
        index_elements=["id"], set_={"service_url": conv.service_url, "reference": conv.reference},
    ))


def _conversation(row: Any) -> MsTeamsConversation:
    return MsTeamsConversation(row.id, row.tenant_id, row.kind, row.user_id, row.service_url, row.reference)


async def conversation(conn: AsyncConnection, conversation_id: str) -> MsTeamsConversation | None:
    row = (await conn.execute(
        select(msteams_conversations).where(msteams_conversations.c.id == conversation_id)
    )).first()
    return _conversation(row) if row else None


async def personal_conversation(conn: AsyncConnection, tenant_id: str, user_id: str) -> MsTeamsConversation | None:
    """The bot's 1:1 chat with a person, if it has one."""
    row = (await conn.execute(
        select(msteams_conversations).where(
            msteams_conversations.c.tenant_id == tenant_id,
            msteams_conversations.c.kind == PERSONAL,
            msteams_conversations.c.user_id == user_id,
        ).limit(1)
    )).first()
    return _conversation(row) if row else None


async def any_conversation(conn: AsyncConnection, tenant_id: str) -> MsTeamsConversation | None:
    """Some conversation in the tenant, to borrow its service URL and bot account for a new one.

    An empty tenant (a channel named in app.yaml, which says no tenant) means any tenant the bot is in.
    """
    query = select(msteams_conversations).order_by(msteams_conversations.c.created_at.desc()).limit(1)
    if tenant_id:
        query = query.where(msteams_conversations.c.tenant_id == tenant_id)
    row = (await conn.execute(query)).first()
    return _conversation(row) if row else None


async def known_time_zones(conn: AsyncConnection, tenant_id: str, user_ids: list[str]) -> dict[str, str]:
    """Time zones Teams told us with people's own messages: its roster API does not give them."""
    if not user_ids:
        return {}
    rows = await conn.execute(
        select(people.c.user_id, people.c.tz).where(
            people.c.platform == "msteams", people.c.workspace == tenant_id, people.c.user_id.in_(user_ids),
            people.c.tz.is_not(None),
        )
    )
    return {r.user_id: r.tz for r in rows}
