"""Which language each person reads: their own choice (`language zh-TW`), else what their platform says,
else the workspace's (app.yaml `language:`)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.i18n import language_of, workspace_language
from bot.people import Person
from storage.db import Database
from storage.people import StoredPerson, stored_languages


async def language_in(conn: AsyncConnection, person: Person) -> str:
    """Inside a transaction that is already open (a feature writing a DM to someone)."""
    return (await languages_in(conn, [person]))[person]


async def languages_in(conn: AsyncConnection, persons: Iterable[Person]) -> dict[Person, str]:
    """`language_in` for several people in one statement (the senders of requests acknowledged together)."""
    wanted = list(persons)
    stored = await stored_languages(conn, wanted)
    return {p: _reads(p, *stored.get(p, (None, None))) for p in wanted}


def language_stored(stored: StoredPerson) -> str:
    """For a person just upserted: their row already holds the newest locale their platform gave."""
    return _reads(stored.person, stored.language, None)


def _reads(person: Person, chosen: str | None, locale: str | None) -> str:
    return chosen or language_of(person.locale or locale) or workspace_language()


async def language_for(db: Database, person: Person) -> str:
    async with db.transaction() as conn:
        return await language_in(conn, person)
