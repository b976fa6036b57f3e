"""Build a ready core from settings and the environment, migrating the database first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import Huzzah
from bot.clock import Clock
from bot.config import Settings, database_url
from storage.db import Database


@asynccontextmanager
async def running_core(settings: Settings, url: str | None = None, clock: Clock | None = None) -> AsyncIterator[Huzzah]:
    db = Database(url or database_url())
    try:
        await db.migrate()
        yield Huzzah(settings, db, clock)
    finally:
        await db.close()
