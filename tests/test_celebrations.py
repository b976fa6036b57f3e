"""Celebrations: a day from HR's CSV marked once, on that day where the person lives; opting out or private."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession, Shown
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.features.celebrations.occasions import Listed, occasions_on, read_listed
from bot.features.celebrations.settings import CelebrationsSettings
from storage.db import Database
from storage.tables.celebrations import celebration_choices
from storage.tables.delivery import outbox
from tests.conftest import TEAM

CSV = """person,birthday,started,timezone
console:alice,11-16,,Asia/Ho_Chi_Minh
console:bob,11-16,2021-11-20,America/Los_Angeles
console:carol,11-16,,Europe/London
console:dave,1990-11-16,,UTC
"""


@pytest.fixture
def hr_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


@pytest.fixture
def celebrating(settings: Settings, db: Database, hr_csv: Path) -> tuple[Huzzah, FakeClock, ConsoleSession]:
    clock = FakeClock(datetime(2026, 11, 15, 12, 0, tzinfo=UTC))
    wanted = settings.model_copy(update={
        "celebrations": CelebrationsSettings(csv=str(hr_csv), channels=["console:#general"], hour=9)})
    core = Huzzah(wanted, db, clock)
    return core, clock, ConsoleSession(core, ConsoleDirectory(TEAM), channel="#support")


def birthdays(console: ConsoleSession) -> list[Shown]:
    return [s for s in console.messenger.shown if "Happy birthday" in s.text and s.where == "#general"]


def notes(console: ConsoleSession, words: str) -> list[Shown]:
    """What Alice got privately that has these words (check-in invitations come too)."""
    return [s for s in console.messenger.shown if s.where == "DM @alice" and words in s.text]


async def hours(core: Huzzah, clock: FakeClock, n: int) -> None:
    """Let `n` hours pass, the scheduler ticking each hour (twice each time: a repeat must do nothing)."""
    for _ in range(n):
        clock.advance(hours=1)
        await core.tick()
        await core.tick()
        await core.drain()


async def test_a_birthday_is_celebrated_once_on_the_local_day_and_never_for_someone_opted_out(
        celebrating: tuple[Huzzah, FakeClock, ConsoleSession]) -> None:
    core, clock, console = celebrating
    await console.say("carol", "celebrate off")

    # 15 Nov 12:00 UTC is 19:00 on the 15th in Ho Chi Minh City (UTC+7) and 04:00 in Los Angeles (UTC-8)
    await hours(core, clock, 13)  # 01:00 UTC on the 16th: 08:00 in Ho Chi Minh City — not yet
    assert birthdays(console) == []

    await hours(core, clock, 1)  # 02:00 UTC: 09:00 on the 16th in Ho Chi Minh City, 18:00 on the 15th in LA
    [alice] = birthdays(console)
    assert "@alice" in alice.text

    await hours(core, clock, 14)  # 16:00 UTC: 08:00 on the 16th in Los Angeles — not yet
    assert len(birthdays(console)) == 1
    await hours(core, clock, 1)  # 17:00 UTC: 09:00 in Los Angeles
    [alice, bob] = birthdays(console)
    assert "@alice" in alice.text and "@bob" in bob.text

    await hours(core, clock, 48)  # the days pass: nothing more, and never anything for carol or dave
    assert len(birthdays(console)) == 2
    assert not [s for s in console.messenger.shown if "@carol" in s.text or "@dave" in s.text]


async def test_say_congrats_turns_into_a_note_for_the_person(
        celebrating: tuple[Huzzah, FakeClock, ConsoleSession]) -> None:
    core, clock, console = celebrating
    await hours(core, clock, 14)
    shown = await console.press("erin", "Say congrats", where="#general")
    assert any("Sent" in s.text for s in shown)
    [note] = notes(console, "says:")
    assert "@erin says: Happy birthday!" in note.text
    again = await console.press("erin", "Say congrats", where="#general")
    assert any("already sent" in s.text for s in again)
    assert len(notes(console, "says:")) == 1


async def test_private_celebrations_are_a_note_to_the_person_only(
        celebrating: tuple[Huzzah, FakeClock, ConsoleSession], db: Database) -> None:
    core, clock, console = celebrating
    await console.say("alice", "celebrate private")
    await hours(core, clock, 14)
    assert birthdays(console) == []
    [note] = notes(console, "Happy birthday")
    assert "Only you see this" in note.text
    async with db.transaction() as conn:
        keys = [k for (k,) in await conn.execute(select(outbox.c.key))]
        choices = list(await conn.execute(select(celebration_choices.c.choice)))
    assert not any("11-16" in k or "birthday" in k for k in keys), "no date or occasion spelled out in storage"
    assert [c for (c,) in choices] == ["private"]


def test_the_csv_holds_day_and_month_only_and_gives_anniversaries_and_first_weeks(hr_csv: Path) -> None:
    listed = {p.user_id: p for p in read_listed(str(hr_csv))}
    assert "dave" not in listed, "a birthday with a year is refused"
    bob = listed["bob"]
    assert [(o.kind, o.years) for o in occasions_on(bob, datetime(2026, 11, 20).date())] == [("anniversary", 5)]
    newcomer = Listed("console", "erin", started=datetime(2026, 11, 16).date())
    assert [o.kind for o in occasions_on(newcomer, datetime(2026, 11, 16).date())] == ["first week"]
    leap = Listed("console", "frank", birthday=(2, 29))
    assert occasions_on(leap, datetime(2027, 2, 28).date()) and not occasions_on(leap, datetime(2028, 2, 28).date())
