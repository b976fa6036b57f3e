"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from $HUZZAH_TEST_POSTGRES_URL (CI always sets it). Without it those tests are
skipped, and the run says so at the top and in the summary.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import CompanyValue, Settings, TeamSettings
from bot.features.kudos.settings import KudosSettings
from storage import keys
from storage.db import Database, normalize_url
from storage.schema import metadata

pytest_plugins = ["tests.slack_support"]
"""Fixtures other test files share by name: `slack` (the server wired to a fake Slack Web API)."""

PG_ENV = "HUZZAH_TEST_POSTGRES_URL"
os.environ.setdefault(keys.ENV, "the-test-suite-server-key-never-used-in-production")
"""Every database here shares one server key (tests of the key itself unset it)."""
TEAM = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def pytest_report_header(config: pytest.Config) -> str:
    if os.environ.get(PG_ENV):
        return f"PostgreSQL tests: ON ({PG_ENV} is set)"
    return f"PostgreSQL tests: SKIPPED — set {PG_ENV}=postgresql://user@host/db to run them (CI always does)"


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throw-away database on the configured PostgreSQL server, migrated once for the session."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} to run the PostgreSQL half of the suite")
    name = f"huzzah_test_{uuid.uuid4().hex[:10]}"
    admin = make_url(normalize_url(base))

    async def admin_sql(sql: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(
            host=admin.host, port=admin.port or 5432, user=admin.username, password=admin.password,
            database=admin.database,
        )
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    url = admin.set(database=name).render_as_string(hide_password=False)

    async def migrate() -> None:
        db = Database(url)
        await db.migrate()
        await db.close()

    asyncio.run(migrate())
    yield url
    asyncio.run(admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once for the session; each test's SQLite database starts as a copy of it, as
    each PostgreSQL one starts from the session's migrated database (migrating per test cost ~0.3 s each)."""
    path = tmp_path_factory.mktemp("migrated") / "huzzah.db"

    async def migrate() -> None:
        db = Database(f"sqlite+aiosqlite:///{path}")
        await db.migrate()
        await db.close()

    asyncio.run(migrate())
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path}/huzzah.db"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
async def db(db_url: str, sqlite_template: Path) -> AsyncIterator[Database]:
    """A migrated, empty database: PostgreSQL's session database truncated, or a copy of the migrated SQLite file."""
    if make_url(db_url).get_backend_name() == "sqlite":
        shutil.copyfile(sqlite_template, make_url(db_url).database or "")
    database = Database(db_url)
    if database.dialect == "postgresql":
        async with database.transaction() as conn:
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield database
    await database.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(MONDAY)


@pytest.fixture
def settings() -> Settings:
    return Settings(
        timezone="UTC",
        values=[
            CompanyValue(name="ownership", emoji="🦉", meaning="We see it through."),
            CompanyValue(name="teamwork", emoji="🤝", meaning="No one alone."),
            CompanyValue(name="empathy", emoji="💛", meaning="Listen first."),
        ],
        kudos=KudosSettings(channels=["console:#kudos", "slack:#kudos"], daily_allowance=5),
        teams=[TeamSettings(name="Support", channels=["console:#support", "slack:#support"])],
    )


@pytest.fixture
def core(settings: Settings, db: Database, clock: FakeClock) -> Huzzah:
    return Huzzah(settings, db, clock)


@pytest.fixture
def console(core: Huzzah) -> ConsoleSession:
    return ConsoleSession(core, ConsoleDirectory(TEAM), channel="#support")
