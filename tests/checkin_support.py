"""Helpers for the check-in and anonymity tests: a team in the console, a round opened, answers given."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from sqlalchemy import func, inspect, select, text

from adapters.console.directory import ConsoleDirectory
from adapters.console.roster import ConsoleRoster
from adapters.console.session import ConsoleSession, Shown
from bot.app import Huzzah
from bot.clock import FakeClock
from storage.db import Database

FRIDAY = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
"""The default check-in time (Friday 15:00) of the test week, in UTC — the tests' settings zone."""
WEEK = "2026-W47"
NAMES = tuple(f"agent{i:02d}" for i in range(1, 19))


def session(core: Huzzah, names: Iterable[str] = NAMES, channels: Mapping[str, Iterable[str]] | None = None,
            tz: str | None = None) -> ConsoleSession:
    console = ConsoleSession(core, ConsoleDirectory(names, tz), channel="#support")
    if channels:
        core.rosters["console"] = ConsoleRoster(console.directory, channels)
    return console


async def open_round(console: ConsoleSession, clock: FakeClock, at: datetime = FRIDAY) -> list[Shown]:
    clock.set(at)
    start = len(console.messenger.shown)
    await console.core.tick()
    await console.core.outbox.drain()
    return console.messenger.shown[start:]


async def answer(console: ConsoleSession, name: str, mood: int, vent: str | None = None, *,
                 discard: bool = False, where: str | None = None) -> list[Shown]:
    """`name` presses a mood in their own DM, then (optionally) fills in the vent form that opens."""
    shown = await console.press(name, f" {mood}", where=where or f"DM @{name}")
    if vent is not None:
        shown += await console.submit(name, {"text": vent, "discard": ("discard",) if discard else ()})
    return shown


async def close_round(console: ConsoleSession) -> None:
    """Past the test round's close (Monday 15:00), and the tick that closes it: only then are there figures."""
    clock = console.core.ctx.clock
    assert isinstance(clock, FakeClock)
    clock.advance(days=4)
    await console.core.tick()


def texts(shown: Iterable[Shown], where: str | None = None) -> list[str]:
    return [s.text for s in shown if where is None or s.where == where]


async def count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    async with db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


async def dump(db: Database) -> dict[str, list[dict]]:
    """Every row of every table actually in the database (whoever's feature made it)."""
    async with db.transaction() as conn:
        names = await conn.run_sync(lambda c: inspect(c).get_table_names())
        out = {}
        for name in names:
            rows = await conn.execute(text(f'SELECT * FROM "{name}"'))
            out[name] = [dict(r._mapping) for r in rows]
        return out
