"""Which language each person reads: their own choice (`language zh-TW`), else what their platform says,
else the workspace's (app.yaml `language:`)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.i18n import language_of, workspace_language
from bot.people import Person
from storage.db import Database
from storage.people import StoredPerson, stored_language


async def language_in(conn: AsyncConnection, person: Person) -> str:
    """Inside a transaction that is already open (a feature writing a DM to someone)."""
    chosen, locale = await stored_language(conn, person)
    return reading(chosen, person.locale or locale)


def language_stored(stored: StoredPerson) -> str:
    """For a person just upserted: their row already holds the newest locale their platform gave."""
    return reading(stored.language, stored.person.locale)


def reading(chosen: str | None, locale: str | None) -> str:
    return chosen or language_of(locale) or workspace_language()


async def language_for(db: Database, person: Person) -> str:
    async with db.transaction() as conn:
        return await language_in(conn, person)
