"""Instances started together on an empty database all come up: migrations take a lock (PostgreSQL: an advisory
lock; SQLite: a file lock beside the database), so they run one after the other instead of colliding."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

import storage.tables  # noqa: F401  (registers every table)
from storage import keys
from storage.db import Database, alembic_config, migration_lock_file
from storage.schema import metadata
from tests.process_support import empty_postgres, running

INSTANCES = 3


async def migrate_at_once(url: str, folder: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "HUZZAH_"))}
    env.update(DATABASE_URL=url, HUZZAH_CONFIG="", HUZZAH_SECRET_KEY=os.environ[keys.ENV])  # one key, every instance
    async with running(env, folder) as procs:
        started = [await procs.start("db", "upgrade") for _ in range(INSTANCES)]
        codes = await asyncio.gather(*(p.exited() for p in started))
        logs = "\n".join(p.text() for p in started)
    assert codes == [0] * INSTANCES, logs
    assert logs.count("up to date") == INSTANCES and "Traceback" not in logs, logs

    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            versions = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await db.close()
    assert versions == list(ScriptDirectory.from_config(alembic_config()).get_heads())
    assert tables >= {t.name for t in metadata.sorted_tables}


async def test_three_processes_migrate_an_empty_postgresql_at_once(tmp_path: Path) -> None:
    async with empty_postgres() as url:
        await migrate_at_once(url, tmp_path)


async def test_three_processes_migrate_one_new_sqlite_file_at_once(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/huzzah.db"
    await migrate_at_once(url, tmp_path)
    assert migration_lock_file(url) == Path(f"{tmp_path}/huzzah.db.migrate.lock")


@pytest.mark.parametrize(("url", "lock"), [
    ("sqlite:///relative/huzzah.db", "relative/huzzah.db.migrate.lock"),
    ("sqlite+aiosqlite:////var/lib/huzzah/huzzah.db", "/var/lib/huzzah/huzzah.db.migrate.lock"),
    ("sqlite+aiosqlite:///:memory:", None),
    ("sqlite+aiosqlite://", None),
    ("postgresql://huzzah@db/huzzah", None),
])
def test_the_sqlite_lock_file_sits_beside_the_database(url: str, lock: str | None) -> None:
    assert migration_lock_file(url) == (Path(lock) if lock else None)
