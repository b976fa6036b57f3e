"""The engine, transactions and migrations; the only place that knows which database we are on."""

from __future__ import annotations

import asyncio
import logging
import socket
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

from sqlalchemy import Table, event, insert, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, Connection, CursorResult, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

import migrations
from bot.config import ConfigError
from storage.keys import ServerKey, load_server_key

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(migrations.__file__).parent
MIGRATION_LOCK = 0x6875_7A7A_6168
"""The PostgreSQL advisory lock every instance takes around migrating ("huzzah" in ASCII), so instances starting
together on an empty database migrate one after the other instead of colliding on CREATE TABLE."""
LOCK_POLL_SECONDS = 0.05
_WRITES = "huzzah.writes"
"""Per DBAPI connection: how many INSERT/UPDATE/DELETE statements it has run (see `Database.ride_along`)."""

log = logging.getLogger(__name__)
T = TypeVar("T")


class _NoData(logging.Filter):
    """Drops the debug lines that carry data: aiosqlite logs each call with its parameters, SQLAlchemy each
    fetched row — either would put anonymous answers in the logs, whatever level someone turns logging to."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "aiosqlite":
            return record.levelno > logging.DEBUG
        return not (isinstance(record.msg, str) and record.msg.startswith("Row "))


logging.getLogger("aiosqlite").addFilter(_NoData())
logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoData())


DRIVERS = {
    "postgres": "postgresql+asyncpg", "postgresql": "postgresql+asyncpg", "postgresql+asyncpg": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite", "sqlite+aiosqlite": "sqlite+aiosqlite",
}
"""The URL schemes people write, and the async driver Huzzah ships for each; any other is refused at start."""
HOW_TO_WRITE = "write postgresql://user:password@host/database or sqlite:///path/to/huzzah.db"
CONNECT_TIMEOUT_SECONDS = 10
PG_RECYCLE_SECONDS = 1800
"""How long a PostgreSQL connection attempt may take (asyncpg's own default is a minute of silence at start)."""


def parse_url(raw: str) -> URL:
    """The URL with Huzzah's async driver, or ConfigError naming what to write instead.

    Only PostgreSQL (asyncpg) and SQLite (aiosqlite) are installed and tested; another scheme or driver would
    otherwise fail deep inside SQLAlchemy with "No module named MySQLdb" or a plugin name.
    """
    try:
        url = make_url(raw.strip())
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL is not a database URL — {HOW_TO_WRITE}") from None
    driver = DRIVERS.get(url.drivername)
    if driver is None:
        written = url.render_as_string(hide_password=True)
        raise ConfigError(f"DATABASE_URL={written}: Huzzah runs on PostgreSQL or SQLite with its own drivers, "
                          f"not {url.drivername} — {HOW_TO_WRITE}")
    return url.set(drivername=driver)


def normalize_url(url: str) -> str:
    """Accept the URLs people paste (postgres://, postgresql://, sqlite:///) and pick the async driver."""
    return parse_url(url).render_as_string(hide_password=False)


def shown(url: str | URL) -> str:
    """A database URL fit for a terminal or a log, as people write it: the password masked, no driver name."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(not a URL)"
    return parsed.set(drivername=parsed.get_backend_name()).render_as_string(hide_password=True)


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
        # Measured against four connections each taking the write lock at BEGIN IMMEDIATE (bench/RESULTS.md): at
        # most ~15% more write transactions a second, and `forget_page_history`'s checkpoint then fails while
        # another connection writes — which would leave an anonymous answer's page history behind.
        engine = create_async_engine(
            url, poolclass=AsyncAdaptedQueuePool, pool_size=1, max_overflow=0, hide_parameters=True
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        # No pre-ping (three round trips on every checkout): a connection the server dropped fails its one
        # statement and is discarded (SQLAlchemy invalidates the pool on a disconnect error); what it was doing is
        # retried — the outbox and the inbox both pick work up again — and connections are renewed every half hour
        # before a firewall's idle timeout can cut them.
        engine = create_async_engine(url, pool_size=10, max_overflow=10, pool_recycle=PG_RECYCLE_SECONDS,
                                     hide_parameters=True, connect_args={"timeout": CONNECT_TIMEOUT_SECONDS})
    event.listen(engine.sync_engine, "before_execute", _count_writes)
    return engine


Step = Callable[[AsyncConnection], Awaitable[None]]


class SharedStep(ABC):
    """A ride-along step that the rides of one batch (`GroupCommit`) take together, in one statement."""

    async def __call__(self, conn: AsyncConnection) -> None:
        [failure] = await self.take_all(conn, [self])
        if failure is not None:
            raise failure

    @classmethod
    @abstractmethod
    async def take_all(cls, conn: AsyncConnection, steps: Sequence[Self]) -> list[Exception | None]:
        """What each step failed with (None: it is done), in their order; a step that fails writes nothing."""


@dataclass
class Ride:
    """A step that commits with the first transaction that writes while it rides (`Database.ride_along`)."""

    db: Database
    step: Step
    done: bool = False
    """The step ran in a transaction that committed."""


_RIDE: ContextVar[Ride | None] = ContextVar("huzzah_ride", default=None)


class Database:
    def __init__(self, url: str, key: ServerKey | None = None) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url)
        self._key = key

    @property
    def key(self) -> ServerKey:
        """The server key (`storage.keys`), found the first time it is needed: at the latest, by `migrate`."""
        if self._key is None:
            self._key = load_server_key(self.url)
        return self._key

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncConnection]:
        ride = self.riding()
        riding = False
        async with self.engine.begin() as conn:
            writes = conn.info.get(_WRITES, 0)
            yield conn
            if ride is not None and conn.info.get(_WRITES, 0) > writes:
                riding = True
                await ride.step(conn)  # may raise: then nothing of this transaction commits
        if riding and ride is not None:
            ride.done = True

    def riding(self) -> Ride | None:
        """The ride-along of the current task that has not committed yet (`GroupCommit` takes it along)."""
        ride = _RIDE.get()
        return ride if ride is not None and not ride.done and ride.db is self else None

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

    async def scrub(self, tables: Iterable[str]) -> None:
        """Leave no old row version of these tables readable: after a check-in round closes.

        SQLite zeroes deleted rows already (secure_delete), so emptying the write-ahead log is enough. PostgreSQL
        keeps each row's earlier versions in its pages until VACUUM (autovacuum rarely visits small tables), so
        this vacuums them — outside any transaction, as VACUUM must run.
        """
        if self.dialect == "sqlite":
            await self.forget_page_history()
            return
        async with self.engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            for table in tables:
                await auto.exec_driver_sql(f'VACUUM "{table}"')

    @property
    def described(self) -> str:
        """Which database this is, for a person: the SQLite file's full path, or the URL with the password
        masked."""
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite":
            return f"the SQLite file {Path(url.database).resolve()}" if url.database else "an in-memory SQLite database"
        return f"the PostgreSQL database {shown(url)}"

    async def reach(self) -> None:
        """Connect once, or raise ConfigError saying in one line why not and what to fix (start-up only: a
        database lost later is the health check's and the outbox's business)."""
        url = make_url(self.url)
        if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).parent.is_dir():
            # said before any connection is tried: a failed one leaves a driver thread that outlives the loop
            raise ConfigError(f"database {shown(url)}: cannot open the SQLite file {url.database} — does its folder "
                              "exist, and may Huzzah write there?")
        try:
            await self.ping()
        except (OSError, SQLAlchemyError) as exc:
            raise ConfigError(unreachable(make_url(self.url), exc)) from None

    async def migrate(self) -> tuple[str | None, str | None]:
        """Bring the schema to the newest revision; safe to run on every start, by any number of instances at
        once (PostgreSQL: an advisory lock inside the migration's transaction; SQLite: a file lock). Returns
        the revision before and after. A database that cannot be reached is a ConfigError (see `reach`)."""
        await self.reach()
        key = self.key  # a missing key stops the start here, in one line
        async with sqlite_migration_lock(self.url), self.engine.begin() as conn:
            return await conn.run_sync(_upgrade, key)

    async def close(self) -> None:
        await self.engine.dispose()


def alembic_config(connection: Connection | None = None, key: ServerKey | None = None) -> Config:
    """`key`: the server key, for the revisions that seal or key data already stored (0010). Alembic is imported
    here, not at the top: only a process that migrates loads it (`huzzah --help` or a start-up mistake need not)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = connection
    cfg.attributes["server_key"] = key
    return cfg


def _upgrade(connection: Connection, key: ServerKey) -> tuple[str | None, str | None]:
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    before = MigrationContext.configure(connection).get_current_revision()
    command.upgrade(alembic_config(connection, key), "head")
    return before, MigrationContext.configure(connection).get_current_revision()


def unreachable(url: URL, exc: BaseException) -> str:
    """Why the database at `url` could not be opened, as one line that says what to fix."""
    where = f"database {shown(url)}"
    reason = _first_line(getattr(exc, "orig", None) or exc)
    if url.get_backend_name() == "sqlite":
        if "unable to open" in reason:
            return (f"{where}: cannot open the SQLite file {url.database} — does its folder exist, and may Huzzah "
                    "write there?")
        return f"{where}: {reason} — fix the file or point DATABASE_URL at another"
    address = f"{url.host or 'localhost'}:{url.port or 5432}"
    if isinstance(exc, socket.gaierror):
        return f"{where}: unknown host {url.host!r} — check the host name in DATABASE_URL"
    if isinstance(exc, ConnectionRefusedError) or (isinstance(exc, OSError) and "Connect call failed" in str(exc)):
        return (f"{where}: nothing accepts connections at {address} — start PostgreSQL there, or fix the host and "
                "port in DATABASE_URL")
    if isinstance(exc, TimeoutError):
        return (f"{where}: no answer from {address} within {CONNECT_TIMEOUT_SECONDS} s — check the host, the port "
                "and any firewall between")
    if isinstance(exc, OSError):
        return f"{where}: cannot reach {address} ({exc.strerror or _first_line(exc)}) — check DATABASE_URL"
    code = getattr(getattr(exc, "orig", None), "sqlstate", None) if isinstance(exc, DBAPIError) else None
    if code == "3D000":
        return (f"{where}: PostgreSQL at {address} has no database {url.database!r} — create it "
                f"(createdb {url.database}) or fix its name in DATABASE_URL")
    if code in ("28000", "28P01"):
        return f"{where}: PostgreSQL refused user {url.username!r} — check the user and password in DATABASE_URL"
    if code == "53300":
        return f"{where}: PostgreSQL at {address} has no free connections — raise max_connections or wait"
    return f"{where}: cannot connect ({reason}) — check DATABASE_URL"


def _first_line(exc: object) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


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


def per_dialect(build: Callable[[Any], T]) -> Callable[[AsyncConnection], T]:
    """A statement built once for each dialect from that dialect's INSERT, then picked for a connection.

    For hot paths: SQLAlchemy caches the compiled SQL, but building the statement again on every call (its
    clauses and bound parameters) is what costs there; a prebuilt one is executed with plain parameter dicts.
    """
    built = {insert: build(insert) for insert in (postgresql.insert, sqlite.insert)}

    def pick(conn: AsyncConnection) -> T:
        return built[insert_for(conn)]

    return pick


async def insert_all(conn: AsyncConnection, table: Table, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert `rows` in one statement and return their new ids, in the rows' order.

    PostgreSQL orders RETURNING by the rows given (SQLAlchemy's `sort_by_parameter_order`). SQLAlchemy would do
    that one row at a time on SQLite, where RETURNING comes in no promised order; but one multi-row INSERT there
    numbers its rows upward in the order given (each new rowid is one above the largest before it), so the ids
    it returns, sorted, are the rows' ids in order.
    """
    if not rows:
        return []
    if conn.dialect.name == "postgresql":
        result = await conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        return list(result.scalars())
    return sorted((await conn.execute(insert(table).values(list(rows)).returning(table.c.id))).scalars())


def inserted_id(result: CursorResult[Any]) -> int:
    """The id of the one row a single-row INSERT just wrote."""
    key = result.inserted_primary_key
    if key is None:  # only an executemany or a non-INSERT has none
        raise RuntimeError("the INSERT reported no primary key")
    row_id: int = key[0]
    return row_id
