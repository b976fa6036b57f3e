"""Conversations' addresses, as plain data: each adapter (de)serializes its platform's own objects."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select

from bot.clock import Clock
from bot.incoming import MessageRef
from bot.people import Person
from bot.ports import Conversation
from storage.db import Database, insert_for
from storage.tables.authors import message_authors
from storage.tables.conversations import conversations
from storage.tables.people import people

PERSONAL = "personal"
AUTHORS_KEPT = timedelta(days=7)
"""How long who wrote which message is kept: a reaction later than that gives no kudos."""


def _conversation(row: Any) -> Conversation:
    return Conversation(row.platform, row.id, row.workspace, row.kind, row.user_id, row.endpoint, row.reference)


class StoredConversations:
    """One platform's conversations (the `Conversations` port), in the `conversations` table."""

    def __init__(self, db: Database, clock: Clock, platform: str) -> None:
        self.db = db
        self.clock = clock
        self.platform = platform

    async def save(self, conversation: Conversation) -> None:
        async with self.db.transaction() as conn:
            stmt = insert_for(conn)(conversations).values(
                id=conversation.id, platform=self.platform, workspace=conversation.workspace, kind=conversation.kind,
                user_id=conversation.user_id, endpoint=conversation.endpoint, reference=conversation.reference,
                created_at=self.clock.now(),
            )
            await conn.execute(stmt.on_conflict_do_update(
                index_elements=["id"], set_={"endpoint": conversation.endpoint, "reference": conversation.reference},
            ))

    async def get(self, conversation_id: str) -> Conversation | None:
        return await self._first(select(conversations).where(conversations.c.id == conversation_id))

    async def personal(self, workspace: str, user_id: str) -> Conversation | None:
        return await self._first(select(conversations).where(
            conversations.c.workspace == workspace, conversations.c.kind == PERSONAL,
            conversations.c.user_id == user_id,
        ).limit(1))

    async def any_in(self, workspace: str) -> Conversation | None:
        query = select(conversations).order_by(conversations.c.created_at.desc()).limit(1)
        if workspace:
            query = query.where(conversations.c.workspace == workspace)
        return await self._first(query)

    async def time_zones(self, workspace: str, user_ids: list[str]) -> dict[str, str]:
        if not user_ids:
            return {}
        async with self.db.transaction() as conn:
            rows = await conn.execute(select(people.c.user_id, people.c.tz).where(
                people.c.platform == self.platform, people.c.workspace == workspace,
                people.c.user_id.in_(user_ids), people.c.tz.is_not(None),
            ))
            return {r.user_id: r.tz for r in rows}

    async def remember_author(self, message: MessageRef, author: Person) -> None:
        now = self.clock.now()
        async with self.db.transaction() as conn:
            await conn.execute(delete(message_authors).where(message_authors.c.created_at < now - AUTHORS_KEPT))
            stmt = insert_for(conn)(message_authors).values(
                platform=self.platform, conversation=message.channel, message_id=message.id,
                workspace=author.workspace, user_id=author.user_id, name=author.name, created_at=now,
            )
            await conn.execute(stmt.on_conflict_do_nothing())

    async def author_of(self, message: MessageRef) -> Person | None:
        async with self.db.transaction() as conn:
            row = (await conn.execute(select(message_authors).where(
                message_authors.c.platform == self.platform, message_authors.c.conversation == message.channel,
                message_authors.c.message_id == message.id,
                message_authors.c.created_at >= self.clock.now() - AUTHORS_KEPT,
            ))).first()
        return Person(self.platform, row.workspace, row.user_id, row.name) if row else None

    async def _first(self, query: Any) -> Conversation | None:
        async with self.db.transaction() as conn:
            row = (await conn.execute(query.where(conversations.c.platform == self.platform))).first()
        return _conversation(row) if row else None
