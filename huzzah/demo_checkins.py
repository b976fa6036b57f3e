"""The check-in part of `huzzah demo`: a round asked on Friday, answered anonymously, a reminder, and a late
answer refused once the round has closed. Managers see its figures in the digest that ends the demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from adapters.console.session import ConsoleSession, Shown
from bot.app import Huzzah
from bot.calendar import iso_week
from bot.clock import FakeClock
from bot.features.checkins.schedule import Slot
from storage import checkins as repo

Echo = Callable[[Shown], None]
ANSWERS = (  # who, mood, what they vent (None: nothing), and whether to keep it
    ("alice", 4, "Busy week but the team had my back on the outage.", True),
    ("bob", 5, None, True),
    ("carol", 2, "The new ticket tool keeps eating my drafts and nobody seems to care.", True),
    ("dave", 3, "Honestly I just need to say that the VIP account is exhausting.", False),
    ("erin", 4, None, True),
    ("frank", 3, "Too many escalations landed on the evening shift again.", True),
)


async def checkin_round(core: Huzzah, session: ConsoleSession, clock: FakeClock, echo: Echo,
                        week_start: datetime) -> str:
    """Friday to Saturday: everyone asked at their own time, a few answers and vents, one reminder."""
    settings = core.settings
    friday = Slot(settings.checkins.day, settings.checkins.time, settings.zone).in_week_of(week_start)
    echo(Shown("demo", "—— Anonymous check-in ——"))
    echo(Shown("heidi types", "checkin at sat 10:00   (she works weekends)"))
    await session.say("heidi", "checkin at sat 10:00")

    await _at(core, clock, echo, max(clock.now(), friday))
    for name, mood, vent, keep in ANSWERS:
        echo(Shown(f"{name} presses", f"a mood in their DM{' and writes in the form' if vent else ''}"))
        await session.press(name, f" {mood}", where=f"DM @{name}")
        if vent is not None:
            await session.submit(name, {"text": vent, "discard": () if keep else ("discard",)})
    echo(Shown("bob presses", "another mood in the same DM"))
    await session.press("bob", " 1", where="DM @bob")

    await _at(core, clock, echo, friday + timedelta(hours=19))  # Saturday 10:00: heidi's own time
    await session.press("heidi", " 4", where="DM @heidi")
    await _at(core, clock, echo, friday + timedelta(hours=settings.checkins.reminder_after_hours))
    await session.press("grace", " 3", where="DM @grace")
    return iso_week(friday, settings.zone)


async def late_answer(core: Huzzah, session: ConsoleSession, clock: FakeClock, echo: Echo, week: str) -> None:
    """A click after the round closed is refused kindly (the scheduler's next tick comes with the digest)."""
    async with core.ctx.db.transaction() as conn:
        closes = max([r.closes_at for r in await repo.rounds_of_week(conn, week)], default=clock.now())
    await _at(core, clock, echo, closes, tick=False)
    echo(Shown("frank presses", "a mood in last week's DM"))
    await session.press("frank", " 2", where="DM @frank")


async def _at(core: Huzzah, clock: FakeClock, echo: Echo, moment: datetime, *, tick: bool = True) -> None:
    clock.set(max(clock.now(), moment))
    echo(Shown("demo", f"({clock.now().astimezone(core.settings.zone):%A %H:%M})"))
    if tick:
        await core.tick()
        await core.outbox.drain()
