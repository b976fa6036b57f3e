"""What each person chose about their celebrations (never the dates: those stay in HR's CSV)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.people import Person
from storage.db import insert_for
from storage.tables.celebrations import celebration_choices
from storage.tables.people import people


async def choice_of(conn: AsyncConnection, person_id: int) -> str | None:
    return (await conn.execute(
        select(celebration_choices.c.choice).where(celebration_choices.c.person_id == person_id)
    )).scalar_one_or_none()


async def choose(conn: AsyncConnection, person_id: int, choice: str, at: datetime) -> None:
    stmt = insert_for(conn)(celebration_choices).values(person_id=person_id, choice=choice, created_at=at)
    await conn.execute(stmt.on_conflict_do_update(index_elements=["person_id"], set_={"choice": choice}))


async def account(conn: AsyncConnection, platform: str, user_id: str) -> tuple[int, Person] | None:
    """A person Huzzah has met, by platform account (a CSV names no workspace)."""
    row = (await conn.execute(
        select(people).where(people.c.platform == platform, people.c.user_id == user_id).limit(1)
    )).first()
    if row is None:
        return None
    return row.id, Person(row.platform, row.workspace, row.user_id, row.name, row.tz, row.is_bot, row.active)
