"""Build a ready core from settings and the environment, migrating the database first."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import Huzzah
from bot.clock import Clock
from bot.config import Settings, database_url
from bot.metrics import Metrics
from storage.db import Database


@asynccontextmanager
async def running_core(settings: Settings, url: str | None = None, clock: Clock | None = None,
                       metrics: Metrics | None = None) -> AsyncIterator[Huzzah]:
    db = Database(url or database_url())
    try:
        await db.migrate()
        yield Huzzah(settings, db, clock, metrics=metrics)
    finally:
        await db.close()
