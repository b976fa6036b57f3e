"""The scheduler does each job exactly once: two schedulers racing on one PostgreSQL, restarts, downtime, crashes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleMessenger, ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings, TeamSettings
from bot.features.digest.settings import DigestSettings
from huzzah.scheduler import Scheduler
from storage.db import Database
from storage.digest import SKIPPED, claim_run
from storage.tables.delivery import outbox
from storage.tables.digest import digest_runs
from tests.conftest import TEAM

DUE = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 09:00: the digest of 2026-W47 falls due
WEEK_BEFORE = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
TEAMS = ("Support", "Billing")


@pytest.fixture
def digest_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={
        "digest": DigestSettings(day="mon", channels=["console:#leads"], managers=["console:carol"], grace_hours=24),
        "teams": [TeamSettings(name=t, channels=[f"console:#{t.casefold()}"]) for t in TEAMS],
    })


async def some_kudos(core: Huzzah, clock: FakeClock) -> None:
    clock.set(WEEK_BEFORE)
    console = ConsoleSession(core, ConsoleDirectory(TEAM))
    await console.say("alice", "@bob thanks for the outage call #ownership", "#support")
    await console.say("grace", "@heidi thanks for the invoice fix #teamwork", "#billing")


async def digest_rows(db: Database) -> list[str]:
    async with db.transaction() as conn:
        return sorted((await conn.execute(select(outbox.c.key).where(outbox.c.key.like("digest:%")))).scalars())


async def runs(db: Database) -> list[tuple[str, str, str]]:
    async with db.transaction() as conn:
        rows = await conn.execute(select(digest_runs.c.team, digest_runs.c.week, digest_runs.c.outcome))
        return sorted((r.team, r.week, r.outcome) for r in rows)


async def started_and_stopped(core: Huzzah) -> None:
    """A real scheduler started (it catches up at once) and stopped again."""
    scheduler = Scheduler(core)
    await scheduler.start()
    assert scheduler.aps.get_job("huzzah.tick") is not None
    scheduler.stop()


EXPECTED_KEYS = sorted(
    f"digest:{team}:2026-W47:{kind}" for team in TEAMS for kind in ("post:console:#leads", "dm:console:carol")
)


async def test_started_within_grace_after_downtime_posts_once_and_restarts_do_not_repeat(
    digest_settings: Settings, db: Database, clock: FakeClock
) -> None:
    core = Huzzah(digest_settings, db, clock)
    await some_kudos(core, clock)
    clock.set(DUE.replace(hour=20))  # down across 09:00, back 11 hours later
    await started_and_stopped(core)
    await started_and_stopped(Huzzah(digest_settings, db, clock))  # a restart
    clock.advance(hours=2)
    await core.tick()

    assert await digest_rows(db) == EXPECTED_KEYS
    assert await runs(db) == [("Billing", "2026-W47", "posted"), ("Support", "2026-W47", "posted")]


async def test_nothing_is_due_before_digest_time(digest_settings: Settings, db: Database, clock: FakeClock) -> None:
    core = Huzzah(digest_settings, db, clock)
    await some_kudos(core, clock)
    clock.set(DUE.replace(hour=8, minute=59))
    await core.tick()
    assert await digest_rows(db) == [] and await runs(db) == []


async def test_started_after_the_grace_window_posts_nothing_and_says_so_once(
    digest_settings: Settings, db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    core = Huzzah(digest_settings, db, clock)
    clock.set(DUE.replace(day=16, minute=5))  # running at 2026-W46's digest time: it goes out
    await core.tick()
    await some_kudos(core, clock)
    clock.set(DUE.replace(day=24, minute=1))  # then down across 2026-W47's, back 24 h 1 min late
    with caplog.at_level(logging.WARNING, logger="bot.features.digest.weekly"):
        await started_and_stopped(core)
        await core.tick()

    assert [k for k in await digest_rows(db) if "2026-W47" in k] == []
    assert [r for r in await runs(db) if r[1] == "2026-W47"] == [
        ("Billing", "2026-W47", SKIPPED), ("Support", "2026-W47", SKIPPED),
    ]
    skipped = [r for r in caplog.records if "skipped, too late" in r.getMessage()]
    assert len(skipped) == 2 and all(r.levelno == logging.WARNING for r in skipped)
    assert "weekly digest for Support 2026-W47 skipped, too late: it was due 2026-11-23 09:00 UTC" in " ".join(
        r.getMessage() for r in skipped
    )
    assert "past the 24h grace window (digest.grace_hours in app.yaml)" in skipped[0].getMessage()


async def test_a_fresh_installation_posts_nothing_for_weeks_before_anyone_used_it(
    digest_settings: Settings, db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.set(DUE.replace(day=25))  # first ever start, two days after 2026-W47's digest time
    core = Huzzah(digest_settings, db, clock)
    with caplog.at_level(logging.INFO, logger="bot.features.digest.weekly"):
        await core.tick()
        await some_kudos(core, clock)  # first use, in 2026-W47 (the clock goes back to it)
        clock.set(DUE.replace(day=30, minute=5))  # 2026-W48's digest time
        await core.tick()

    assert await runs(db) == [("Billing", "2026-W48", "posted"), ("Support", "2026-W48", "posted")]
    assert await digest_rows(db) and all(":2026-W48:" in key for key in await digest_rows(db))
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


async def test_a_crash_after_claiming_is_resumed_not_repeated(
    digest_settings: Settings, db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim and the per-recipient outbox rows commit together: a crash midway leaves neither."""
    import bot.features.digest.weekly as weekly

    core = Huzzah(digest_settings, db, clock)
    await some_kudos(core, clock)
    clock.set(DUE.replace(minute=5))
    real = weekly.send_later
    calls = 0

    async def crash_on_the_second_recipient(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 2:
            raise ConnectionError("process killed")
        return await real(*args, **kwargs)

    monkeypatch.setattr(weekly, "send_later", crash_on_the_second_recipient)
    await core.tick()  # the Support run crashes after claiming; Billing goes through
    assert ("Support", "2026-W47", "posted") not in await runs(db)
    assert [k for k in await digest_rows(db) if "Support" in k] == []

    monkeypatch.setattr(weekly, "send_later", real)
    await core.tick()
    await core.tick()
    assert await digest_rows(db) == EXPECTED_KEYS


@pytest.fixture
async def pg_pair(db: Database) -> AsyncIterator[tuple[Database, Database]]:
    """Two engines — two pools of connections, as two processes would have — on one PostgreSQL database."""
    second = Database(db.url)
    yield db, second
    await second.close()


ON_POSTGRESQL = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@ON_POSTGRESQL
async def test_two_schedulers_on_one_postgresql_post_exactly_one_digest_per_team(
    digest_settings: Settings, pg_pair: tuple[Database, Database]
) -> None:
    first_db, second_db = pg_pair
    clocks = FakeClock(WEEK_BEFORE), FakeClock(WEEK_BEFORE)
    cores = Huzzah(digest_settings, first_db, clocks[0]), Huzzah(digest_settings, second_db, clocks[1])
    await some_kudos(cores[0], clocks[0])
    messengers = ConsoleMessenger(), ConsoleMessenger()
    for core, messenger, clock in zip(cores, messengers, clocks, strict=True):
        core.outbox.attach(messenger)
        clock.set(DUE.replace(second=30))
    schedulers = [Scheduler(core) for core in cores]

    try:
        await asyncio.gather(*(s.start() for s in schedulers))
        await asyncio.gather(*(core.tick() for core in cores))
        await asyncio.gather(*(core.outbox.drain() for core in cores))
    finally:
        for s in schedulers:
            s.stop()

    assert await digest_rows(first_db) == EXPECTED_KEYS
    delivered = sorted(
        (s.where, "Support" if "Support" in s.text else "Billing")
        for m in messengers for s in m.shown if "weekly digest" in s.text
    )
    assert delivered == sorted((where, team) for team in TEAMS for where in ("#leads", "DM @carol"))
    async with first_db.transaction() as conn:
        sent = (await conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.key.like("digest:%"), outbox.c.status == "sent")
        )).scalar_one()
    assert sent == 4


@ON_POSTGRESQL
async def test_a_second_claimant_waits_for_the_first_and_takes_over_only_if_it_rolled_back(
    pg_pair: tuple[Database, Database],
) -> None:
    first, second = pg_pair
    now = DUE
    claimed, release = asyncio.Event(), asyncio.Event()

    async def claim_in(db: Database, crash: bool) -> bool:
        try:
            async with db.transaction() as conn:
                won = await claim_run(conn, "Support", "2026-W47", "posted", 1, now)
                if crash:
                    claimed.set()  # the row is taken and its transaction still open
                    await release.wait()
                    raise ConnectionError("killed")
                return won
        except ConnectionError:
            return won

    holder = asyncio.ensure_future(claim_in(first, crash=True))
    await asyncio.wait_for(claimed.wait(), PATIENCE)
    waiter = asyncio.ensure_future(claim_in(second, crash=False))
    await until_waiting_on_a_lock(second, 1)
    assert not waiter.done(), "the second claimant must wait for the first transaction"
    release.set()
    assert await holder is True  # it claimed, then crashed before committing
    assert await waiter is True  # so the second took over
    assert await runs(second) == [("Support", "2026-W47", "posted")]


PATIENCE = 60.0
"""Seconds: a safety net for a hung test, never a measurement."""


async def until_waiting_on_a_lock(db: Database, sessions: int) -> None:
    """Until this many sessions of the test database wait on a lock (pg_stat_activity): no sleeping blind, and no
    guess at how long a busy machine takes to get there."""
    async with asyncio.timeout(PATIENCE):
        while True:
            async with db.transaction() as conn:
                waiting = (await conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock'"
                ))).scalar_one()
            if waiting >= sessions:
                return
            await asyncio.sleep(0.01)


async def test_the_real_apscheduler_keeps_ticking_after_the_first_catch_up(
    digest_settings: Settings, db: Database, clock: FakeClock
) -> None:
    core = Huzzah(digest_settings, db, clock)
    ticks = 0
    twice = asyncio.Event()

    async def counting() -> None:
        nonlocal ticks
        ticks += 1
        if ticks >= 3:
            twice.set()

    core.tickers.append(counting)
    scheduler = Scheduler(core, every=0.01)
    try:
        await scheduler.start()
        assert ticks == 1  # the catch-up tick ran before start() returned
        await asyncio.wait_for(twice.wait(), 60)  # then APScheduler's interval job ran it again
    finally:
        scheduler.stop()
