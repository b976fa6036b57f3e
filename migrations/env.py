"""Alembic environment: reuses the app's connection when given one, else connects to $DATABASE_URL."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

import storage.tables  # noqa: F401  (registers every table)
from bot.config import database_url
from storage.db import lock_for_migrations, make_engine, sqlite_migration_lock
from storage.schema import metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        lock_for_migrations(connection)  # PostgreSQL: instances starting together migrate one after the other
        context.run_migrations()


async def _run_online() -> None:
    url = context.config.get_main_option("sqlalchemy.url") or database_url()
    engine = make_engine(url)
    async with sqlite_migration_lock(url), engine.begin() as conn:
        await conn.run_sync(_run)
    await engine.dispose()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    asyncio.run(_run_online())
