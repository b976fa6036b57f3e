"""The engine, transactions and migrations; the only place that knows which database we are on."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

import migrations

MIGRATIONS_DIR = Path(migrations.__file__).parent
MIGRATION_LOCK = 0x6875_7A7A_6168
"""The PostgreSQL advisory lock every instance takes around migrating ("huzzah" in ASCII), so instances starting
together on an empty database migrate one after the other instead of colliding on CREATE TABLE."""
LOCK_POLL_SECONDS = 0.05
_WRITES = "huzzah.writes"
"""Per DBAPI connection: how many INSERT/UPDATE/DELETE statements it has run (see `Database.ride_along`)."""

log = logging.getLogger(__name__)


class _NoData(logging.Filter):
    """Drops the debug lines that carry data: aiosqlite logs each call with its parameters, SQLAlchemy each
    fetched row — either would put anonymous answers in the logs, whatever level someone turns logging to."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "aiosqlite":
            return record.levelno > logging.DEBUG
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


logging.getLogger("aiosqlite").addFilter(_NoData())
logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoData())


def normalize_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://, sqlite:///) and pick the async driver."""
    for plain, driver in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return driver + url.removeprefix(plain)
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")  # first: switching to WAL waits for other processes too
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA secure_delete=ON")  # erased answers and forgotten people are zeroed on disk
    cursor.close()


def _count_writes(conn: Connection, clause: Any, *_: Any) -> None:
    if getattr(clause, "is_dml", False):
        conn.info[_WRITES] = conn.info.get(_WRITES, 0) + 1


def make_engine(url: str) -> AsyncEngine:
    """`hide_parameters`: statement logging and database errors must never quote what people wrote (vents)."""
    url = normalize_url(url)
    if url.startswith("sqlite"):
        # One connection: SQLite has one writer anyway, and a shared connection never meets "database is locked".
        engine = create_async_engine(
            url, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=0, hide_parameters=True
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        engine = create_async_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10, hide_parameters=True)
    event.listen(engine.sync_engine, "before_execute", _count_writes)
    return engine


Step = Callable[[AsyncConnection], Awaitable[None]]


@dataclass
class Ride:
    """A step that commits with the first transaction that writes while it rides (`Database.ride_along`)."""

    db: Database
    step: Step
    done: bool = False
    """The step ran in a transaction that committed."""


_RIDE: ContextVar[Ride | None] = ContextVar("huzzah_ride", default=None)


class Database:
    def __init__(self, url: str) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        ride = _RIDE.get()
        if ride is not None and (ride.done or ride.db is not self):
            ride = None
        riding = False
        async with self.engine.begin() as conn:
            writes = conn.info.get(_WRITES, 0)
            yield conn
            if ride is not None and conn.info.get(_WRITES, 0) > writes:
                riding = True
                await ride.step(conn)  # may raise: then nothing of this transaction commits
        if riding and ride is not None:
            ride.done = True

    @contextmanager
    def ride_along(self, step: Step) -> Iterator[Ride]:
        """Run `step` inside the first transaction that writes anything while the block runs (in this task and
        the tasks it starts), so the two commit together or not at all.

        This is how finishing an inbox row is tied to the effect of the work it describes (`bot.inbox`) without
        every feature passing a connection around: the kudos and "this request is done" are one commit. A
        step that raises rolls that transaction back. `done` says whether the step committed.
        """
        ride = Ride(self, step)
        token = _RIDE.set(ride)
        try:
            yield ride
        finally:
            _RIDE.reset(token)

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def forget_page_history(self) -> None:
        """Leave no before-and-after copies of pages behind an anonymous write (SQLite only).

        SQLite's write-ahead log keeps every page a transaction wrote until a checkpoint: the frames of one
        check-in answer hold both its author's "answered" mark and the mood tally it raised. This checkpoints
        and empties the log; deleted rows are already zeroed in the database file (secure_delete).
        PostgreSQL's write-ahead log is beyond SQL's reach: protecting it is the server operator's part.
        """
        if self.dialect == "sqlite":
            async with self.engine.connect() as conn:
                await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    async def migrate(self) -> None:
        """Bring the schema to the newest revision; safe to run on every start, by any number of instances at
        once (PostgreSQL: an advisory lock inside the migration's transaction; SQLite: a file lock)."""
        async with sqlite_migration_lock(self.url), self.engine.begin() as conn:
            await conn.run_sync(_upgrade)

    async def close(self) -> None:
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    return cfg


def _upgrade(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


def lock_for_migrations(connection: Connection) -> None:
    """Wait for any other instance's migration to commit (PostgreSQL), inside the migration's transaction: the
    lock is released at its commit, after which the next instance finds the schema up to date."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def migration_lock_file(url: str) -> Path | None:
    """`<database file>.migrate.lock` beside a SQLite file; None for other databases and in-memory SQLite."""
    parsed = make_url(normalize_url(url))
    name = parsed.database or ""
    if not parsed.drivername.startswith("sqlite") or name in ("", ":memory:") or name.startswith("file:"):
        return None
    return Path(f"{name}.migrate.lock")


@asynccontextmanager
async def sqlite_migration_lock(url: str) -> AsyncIterator[None]:
    """Hold an exclusive file lock beside a SQLite database while the block runs (other databases: nothing).

    SQLite's own locks do not serialize migrations: a second process that read the empty schema before the
    first committed fails instead of waiting. The lock is polled, so waiting never blocks the event loop; the
    file stays (removing it would let two processes lock two different files).
    """
    path = migration_lock_file(url)
    if path is None:
        yield
        return
    import fcntl

    with open(path, "a") as handle:
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    log.info("waiting for another instance to finish migrating the database")
                    waited = True
                await asyncio.sleep(LOCK_POLL_SECONDS)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def insert_for(conn: AsyncConnection) -> Any:
    """The dialect's INSERT, which knows ON CONFLICT on both SQLite and PostgreSQL."""
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
