"""Real `huzzah scheduler` processes: two on one PostgreSQL post one digest per team, not two; one on its own
talks to Slack as `huzzah serve` does, so the check-in invitations it opens reach the channel's members."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, time
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import WEEKDAYS
from bot.features.digest.week import Week, at
from bot.settings import load_settings
from storage.db import Database
from storage.tables.delivery import outbox
from storage.tables.digest import digest_runs
from tests.conftest import TEAM
from tests.fakes.slack_api import FakeSlackAPI

ROOT = Path(__file__).resolve().parents[1]
STARTED = "scheduler running"
PATIENCE = 120.0  # seconds: generous, a safety net for a hung process, never a measurement


def config_due_today() -> str:
    """Digest time set to 00:00 today (UTC): it has passed, and we are within the grace window.

    The processes read the real clock, later than the test did: a grace of 48 h keeps last week's digest due
    for them even when midnight (or Sunday night, which starts a new week) falls between the two readings.
    """
    today = WEEKDAYS[datetime.now(UTC).weekday()]
    return f"""
timezone: UTC
teams:
  - {{name: Support, channels: ["console:#support"]}}
  - {{name: Billing, channels: ["console:#billing"]}}
digest: {{day: {today}, time: "00:00", grace_hours: 48, channels: ["console:#leads"]}}
"""


async def wait_until_started(process: asyncio.subprocess.Process, log: list[str]) -> None:
    """Read the process's log until it says its scheduler runs — after its first tick has finished."""
    assert process.stderr is not None
    while True:
        line = (await process.stderr.readline()).decode()
        if not line:
            raise AssertionError("the scheduler process ended early:\n" + "".join(log))
        log.append(line)
        if STARTED in line:
            return


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_two_scheduler_processes_post_one_digest_per_team(db: Database, tmp_path: Path) -> None:
    config = tmp_path / "app.yaml"
    config.write_text(config_due_today(), encoding="utf-8")
    last_week = Week.of(datetime.now(UTC), UTC).before()
    core = Huzzah(load_settings(config), db, FakeClock(at(last_week.day(2), time(12), UTC)))
    console = ConsoleSession(core, ConsoleDirectory(TEAM))
    await console.say("alice", "@bob thanks for the outage call", "#support")
    await console.say("grace", "@heidi thanks for the invoice fix", "#billing")

    env = {**os.environ, "HUZZAH_CONFIG": str(config), "DATABASE_URL": db.url}
    processes = [
        await asyncio.create_subprocess_exec(sys.executable, "-m", "huzzah.cli", "scheduler", cwd=ROOT, env=env,
                                             stderr=asyncio.subprocess.PIPE)
        for _ in range(2)
    ]
    logs: list[list[str]] = [[], []]
    try:
        await asyncio.wait_for(
            asyncio.gather(*(wait_until_started(p, log) for p, log in zip(processes, logs, strict=True))), PATIENCE
        )
    finally:
        for p in processes:
            p.terminate()
            await p.wait()

    async with db.transaction() as conn:
        runs = sorted((r.team, r.week, r.outcome) for r in await conn.execute(select(digest_runs)))
        keys = sorted((await conn.execute(select(outbox.c.key).where(outbox.c.key.like("digest:%")))).scalars())
    assert runs == [("Billing", last_week.label, "posted"), ("Support", last_week.label, "posted")]
    assert keys == [f"digest:{team}:{last_week.label}:post:console:#leads" for team in ("Billing", "Support")]
    queued = [line for log in logs for line in log if "weekly digest for" in line and "queued" in line]
    assert len(queued) == 2, "".join(logs[0] + logs[1])


async def test_a_scheduler_process_on_its_own_invites_the_slack_channel_to_check_in(
    tmp_path: Path, fake_slack_api: FakeSlackAPI
) -> None:
    """Only the bot token: a process that never receives requests needs no signing secret."""
    for user in fake_slack_api.users.values():
        user["tz"] = "UTC"
    today = WEEKDAYS[datetime.now(UTC).weekday()]
    config = tmp_path / "app.yaml"
    config.write_text(f"""
timezone: UTC
teams:
  - {{name: Support, channels: ["slack:#support"]}}
checkins: {{day: {today}, time: "00:00"}}
""", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_"))}
    env.update(HUZZAH_CONFIG=str(config), DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/huzzah.db",
               SLACK_BOT_TOKEN="xoxb-test", SLACK_API_URL=fake_slack_api.base_url)
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "huzzah.cli", "scheduler", cwd=ROOT,
                                                   env=env, stderr=asyncio.subprocess.PIPE)
    humans = {"UALICE", "UBOB", "UCAROL", "UDAVE"}

    def invited() -> set[str]:
        return {m["channel"] for m in fake_slack_api.messages if m["channel"].startswith("D")}

    log: list[str] = []
    try:
        await asyncio.wait_for(wait_until_started(process, log), PATIENCE)
        async with asyncio.timeout(PATIENCE):
            while len(invited()) < len(humans):
                await asyncio.sleep(0.1)
    finally:
        process.terminate()
        await process.wait()
    assert invited() == {fake_slack_api.dm_channel(user) for user in humans}, "".join(log)
    assert all("How was your week" in m["text"] for m in fake_slack_api.messages), fake_slack_api.messages
