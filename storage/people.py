"""People the bot has met, keyed by their platform account."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, func, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.people import Person
from storage.db import per_dialect
from storage.tables.people import people


@dataclass(frozen=True)
class StoredPerson:
    """A person as their row stands after `upsert_people`: what a feature needs without reading it again."""

    id: int
    person: Person
    """As stored: a name, tz or locale the platform did not say this time is the one it said before."""
    language: str | None
    """Their own choice (`language zh-TW`); None: what their platform says."""


def _upsert(insert: Any) -> Any:
    """What the platform says now about being a bot or active always wins; a name, tz or locale only when it says
    one (an empty one keeps what we knew)."""
    stmt = insert(people)

    def said(column: str) -> Any:
        return func.coalesce(func.nullif(stmt.excluded[column], ""), people.c[column])

    return stmt.on_conflict_do_update(
        index_elements=["platform", "workspace", "user_id"],
        set_={"is_bot": stmt.excluded.is_bot, "active": stmt.excluded.active,
              "name": said("name"), "tz": said("tz"), "locale": said("locale")},
    ).returning(people)


_UPSERT = per_dialect(_upsert)


async def upsert_people(conn: AsyncConnection, everyone: Iterable[Person], at: datetime) -> dict[Person, StoredPerson]:
    """Everyone's row, creating it or refreshing what the platform now says about them, in one statement.

    The rows are written, and so locked until commit, in one order (by account): two transactions upserting the
    same people — two givers thanking each other at once — never deadlock on PostgreSQL.
    """
    wanted = sorted(set(everyone), key=lambda p: p.key)
    if not wanted:
        return {}
    rows = await conn.execute(_UPSERT(conn), [
        dict(platform=p.platform, workspace=p.workspace, user_id=p.user_id, name=p.name, tz=p.tz, locale=p.locale,
             is_bot=p.is_bot, active=p.active, first_seen=at)
        for p in wanted
    ])
    stored = {(row.platform, row.workspace, row.user_id): row for row in rows}  # RETURNING keeps no order
    if len(stored) != len(wanted):  # the upsert above wrote them all, in this transaction
        raise RuntimeError("a person just written is not there")
    return {p: StoredPerson(stored[p.key].id, _person(stored[p.key]), stored[p.key].language) for p in wanted}


async def upsert_person(conn: AsyncConnection, person: Person, at: datetime) -> int:
    """The person's row id, creating the row or refreshing what the platform now says about them."""
    return (await upsert_people(conn, [person], at))[person].id


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


async def stored_languages(conn: AsyncConnection, persons: Iterable[Person]
                           ) -> dict[Person, tuple[str | None, str | None]]:
    """The language each chose with `language …` and the locale their platform last gave (each None if unknown),
    in one statement; those never met are left out. A manager named in app.yaml is known only by id, yet reads
    the digest in their own language."""
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
