"""`huzzah demo`: a pretend support team's week, through the real core, the console adapter and the scheduler.

It runs with its own team (`demo_team.yaml`, shipped in the package) whatever ./app.yaml or $HUZZAH_CONFIG
hold, so it works the same from any folder and from an installed wheel; `huzzah --config FILE demo` runs it
with FILE instead. The story: Monday's kudos in full, Me too and a refusal, the rest of the week's kudos one
line each, a poll on Tuesday, Friday's anonymous check-in round, and the managers' digest the Tuesday after.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from importlib import resources

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession, Shown
from bot.clock import FakeClock
from bot.config import WEEKDAYS, Settings
from bot.features.digest.settings import DigestSettings
from bot.settings import load_settings
from huzzah.demo_checkins import checkin_round
from huzzah.demo_kudos import first_huzzah, stats, thank_yous
from huzzah.demo_narrator import Echo, Narrator
from huzzah.demo_polls import poll_scene
from huzzah.demo_stage import Stage
from huzzah.wiring import running_core

TEAM = ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
MONDAY = date(2026, 11, 16)
"""The demo week's Monday (ISO week 2026-W47)."""


def demo_settings() -> Settings:
    """The demo team's settings, read from the package (not from the current folder)."""
    with resources.as_file(resources.files("huzzah") / "demo_team.yaml") as path:
        return load_settings(path)


async def run_demo(settings: Settings, url: str, echo: Echo = print) -> None:
    """Play the week on a fresh database at `url`, handing each line of the transcript to `echo`."""
    clock = FakeClock(datetime.combine(MONDAY, time(8, 0), settings.zone).astimezone(UTC))
    async with running_core(settings, url, clock) as core:
        session = ConsoleSession(core, ConsoleDirectory(TEAM), channel=_team_channel(settings))
        stage = Stage(core, session, clock, Narrator(session, echo), MONDAY)
        echo(Shown("demo", f"A week of a pretend support team — {', '.join(TEAM[:-1])} and {TEAM[-1]} — in "
                           f"{settings.timezone} time.\nEach line starts with where the bot put it; what it already "
                           "showed in the same words is left out (⋯)."))
        await first_huzzah(stage)
        await thank_yous(stage, 0)
        await stage.at(1, "09:00")
        stage.start_scheduler()
        await thank_yous(stage, 1)
        await poll_scene(stage)
        for day in (2, 3, 4):
            await thank_yous(stage, day)
        await stats(stage)
        await checkin_round(stage)
        await _weekly_digest(stage)


def _team_channel(settings: Settings) -> str:
    for team in settings.teams:
        for ref in settings.channels_for(team.channels, "console"):
            return ref
    return "#support"


def digest_due(settings: Settings, monday: date) -> datetime:
    """When the scheduler posts the demo week's digest: `digest.day` and `digest.time` of the week after."""
    digest = settings.section(DigestSettings)
    hours, minutes = (int(part) for part in digest.time.split(":"))
    return datetime.combine(monday + timedelta(days=7 + WEEKDAYS.index(digest.day)), time(hours, minutes),
                            settings.zone)


async def _weekly_digest(stage: Stage) -> None:
    """The scheduler's work until the digest is due: the round closes, then the managers get their week."""
    if not await stage.until(digest_due(stage.settings, MONDAY)):
        stage.note("(No digest is shown here: it is switched off, or digest.channels names no console: channel.)")
