"""A scratch PostgreSQL database for one bench run: made on the server the URL names, dropped afterwards."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

import asyncpg
from sqlalchemy.engine import make_url

from storage.db import normalize_url


@contextlib.asynccontextmanager
async def scratch_postgres(server_url: str | None) -> AsyncIterator[str | None]:
    """The scratch database's URL (None when no server was given: the run is SQLite only)."""
    if not server_url:
        yield None
        return
    url = make_url(normalize_url(server_url))
    name = f"huzzah_requests_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                                 database=url.database)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
