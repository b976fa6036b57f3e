"""Kudos given at the same moment, on SQLite and on PostgreSQL's real concurrent transactions."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from adapters.console.session import ConsoleSession
from storage.tables.kudos import kudos
from tests.conftest import TEAM


async def stored(console: ConsoleSession) -> int:
    async with console.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(kudos))).scalar_one()


async def test_a_burst_from_one_giver_stays_within_the_daily_allowance(console: ConsoleSession) -> None:
    await asyncio.gather(*(console.say("alice", f"@{name} thanks for today") for name in TEAM[1:]))
    refused = [s for s in console.messenger.shown if "0 of your 5 daily thank-yous left" in s.text]
    assert await stored(console) == 5 and len(refused) == len(TEAM[1:]) - 5


async def test_people_thanking_each_other_at_once_all_get_through(console: ConsoleSession) -> None:
    pairs = list(zip(TEAM[::2], TEAM[1::2], strict=True))
    lines = [(a, f"@{b} thanks for the swap") for a, b in pairs] + [(b, f"@{a} thanks right back") for a, b in pairs]
    await asyncio.gather(*(console.say(who, line) for who, line in lines))
    assert not [s for s in console.messenger.shown if "went wrong" in s.text]
    assert await stored(console) == len(lines)
