"""`huzzah demo`: a simulated support team's week, through the real core and the console adapter."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime

from adapters.console.session import ConsoleDirectory, ConsoleSession, Shown
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.features.digest.week import Week
from huzzah.demo_checkins import checkin_round, late_answer
from huzzah.demo_polls import poll_scene
from huzzah.wiring import running_core

TEAM = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
REASONS = (
    ("for taking the angry caller off my hands", "ownership"),
    ("for the macro that cut our refund replies in half", "craft"),
    ("for staying late with the outage customer", "ownership"),
    ("for covering my shift when my kid was sick", "teamwork"),
    ("for the calm explanation to a very confused customer 🙏", "empathy"),
    ("for spotting the billing bug before it hit everyone", "craft"),
    ("pour la patience infinie avec le client de Lyon", "empathy"),
    ("for onboarding the new folks so kindly", "teamwork"),
    ("谢谢你帮我处理那个紧急工单", "teamwork"),
)
WEEK_START = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


async def run_demo(settings: Settings, url: str, echo: Callable[[Shown], None] = print, seed: int = 7) -> None:
    rng = random.Random(seed)
    clock = FakeClock(WEEK_START)
    async with running_core(settings, url, clock) as core:
        session = ConsoleSession(core, ConsoleDirectory(TEAM), echo=echo, channel=_team_channel(settings))
        values = {v.name for v in settings.values}
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
            echo(Shown("demo", f"—— {day} ——"))
            for _ in range(rng.randint(2, 3)):
                giver, *others = rng.sample(TEAM, 3)
                recipients = others[: rng.randint(1, 2)]
                reason, value = rng.choice(REASONS)
                tag = f" #{value}" if value in values else ""
                line = " ".join(f"@{r}" for r in recipients) + f" {reason}{tag}"
                echo(Shown(f"{giver} types", line))
                await session.say(giver, line)
                clock.advance(hours=2)
            if day == "Tuesday":
                await poll_scene(core, session, clock, echo)
            if day == "Wednesday":
                echo(Shown("frank types", "@frank thanks me for being awesome"))
                await session.say("frank", "@frank thanks me for being awesome")
                await session.press("grace", "Me too")
            clock.advance(hours=14)
        echo(Shown("demo", "—— Everyone's stats ——"))
        for name in TEAM:
            await session.say(name, "stats")
        week = await checkin_round(core, session, clock, echo, WEEK_START)
        await late_answer(core, session, clock, echo, week)
        await _weekly_digest(core, clock, echo)


def _team_channel(settings: Settings) -> str:
    for team in settings.teams:
        for ref in settings.channels_for(team.channels, "console"):
            return ref
    return "#support"


async def _weekly_digest(core: Huzzah, clock: FakeClock, echo: Callable[[Shown], None]) -> None:
    """The scheduler's tick posts last week's digest to the managers, as in production: the demo's last word."""
    due = core.digest.due(Week.of(WEEK_START, core.settings.zone))
    clock.set(max(clock.now(), due))
    echo(Shown("demo", f"—— {clock.now().astimezone(core.settings.zone):%A %H:%M}: the weekly digest ——"))
    if not core.settings.channels_for(core.settings.digest.channels, "console"):
        echo(Shown("demo", "(digest.channels in app.yaml names no console: channel, so nothing is shown here)"))
    await core.tick()
    await core.outbox.drain()
