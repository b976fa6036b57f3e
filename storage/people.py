"""People the bot has met, keyed by their platform account."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.people import Person
from storage.db import insert_for
from storage.tables.people import people


async def upsert_person(conn: AsyncConnection, person: Person, at: datetime) -> int:
    """The person's row id, creating the row or refreshing what the platform now says about them."""
    fresh: dict[str, bool | str] = {"is_bot": person.is_bot, "active": person.active}
    if person.name:
        fresh["name"] = person.name
    if person.tz:
        fresh["tz"] = person.tz
    if person.locale:
        fresh["locale"] = person.locale
    stmt = insert_for(conn)(people).values(
        platform=person.platform, workspace=person.workspace, user_id=person.user_id,
        name=person.name, tz=person.tz, locale=person.locale, is_bot=person.is_bot, active=person.active, first_seen=at,
    )
    stmt = stmt.on_conflict_do_update(index_elements=["platform", "workspace", "user_id"], set_=fresh)
    await conn.execute(stmt)
    row_id = await person_id(conn, person)
    if row_id is None:  # the upsert above wrote it, in this transaction
        raise RuntimeError("the person just written is not there")
    return row_id


async def person_id(conn: AsyncConnection, person: Person) -> int | None:
    row = (await conn.execute(
        select(people.c.id).where(
            people.c.platform == person.platform,
            people.c.workspace == person.workspace,
            people.c.user_id == person.user_id,
        )
    )).first()
    return row.id if row else None


def _person(row: Row[Any]) -> Person:
    return Person(row.platform, row.workspace, row.user_id, row.name, row.tz, row.is_bot, row.active, row.locale)


async def people_by_id(conn: AsyncConnection, ids: Iterable[int]) -> dict[int, Person]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = await conn.execute(select(people).where(people.c.id.in_(wanted)))
    return {row.id: _person(row) for row in rows}


async def first_seen(conn: AsyncConnection) -> datetime | None:
    """When Huzzah first met anyone: nothing before it is Huzzah's to report."""
    return (await conn.execute(select(func.min(people.c.first_seen)))).scalar_one()


async def stored_language(conn: AsyncConnection, person: Person) -> tuple[str | None, str | None]:
    """The language they chose with `language …` and the locale their platform last gave (each None if unknown):
    a manager named in app.yaml is known only by id, yet reads the digest in their own language."""
    row = (await conn.execute(select(people.c.language, people.c.locale).where(
        people.c.platform == person.platform, people.c.workspace == person.workspace,
        people.c.user_id == person.user_id,
    ))).first()
    return (row.language, row.locale) if row else (None, None)


async def stored_languages(conn: AsyncConnection, persons: Iterable[Person]
                           ) -> dict[Person, tuple[str | None, str | None]]:
    """`stored_language` for several people in one statement (those never met are left out)."""
    wanted = {p.key: p for p in persons}
    if not wanted:
        return {}
    rows = await conn.execute(select(people.c.platform, people.c.workspace, people.c.user_id, people.c.language,
                                     people.c.locale)
                              .where(tuple_(people.c.platform, people.c.workspace, people.c.user_id).in_(list(wanted))))
    return {wanted[(r.platform, r.workspace, r.user_id)]: (r.language, r.locale) for r in rows}


async def choose_language(conn: AsyncConnection, person: Person, language: str | None, at: datetime) -> None:
    """Keep their choice (None: forget it and follow the platform again)."""
    row_id = await upsert_person(conn, person, at)
    await conn.execute(update(people).where(people.c.id == row_id).values(language=language))
