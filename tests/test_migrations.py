"""The migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

import storage.tables  # noqa: F401  (registers every table)
from storage.db import Database, alembic_config
from storage.schema import metadata


async def test_upgrade_on_an_empty_database_leaves_no_drift_from_the_models(db: Database) -> None:
    def diff(sync_conn):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with db.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == []


async def test_migrating_twice_is_harmless(db: Database) -> None:
    await db.migrate()
    await db.migrate()


def test_the_revisions_form_one_line_of_history() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several heads {heads}: give the newest revision the previous head as down_revision"
