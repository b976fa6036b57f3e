"""`huzzah privacy` / `huzzah forget`: everything about a person, and never an anonymous answer."""

from __future__ import annotations

import pytest

from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from huzzah.privacy import erase, show
from storage import checkins as repo
from storage.db import Database
from storage.tables.checkins import checkin_vents
from storage.tables.delivery import outbox
from storage.tables.kudos import kudos
from storage.tables.people import people
from tests.checkin_support import FRIDAY, answer, close_round, count, dump, open_round, session

TEAM = ("alice", "bob", "carol", "dave", "erin", "frank")
SECRET = "the night shift rota is breaking me"


@pytest.fixture
async def history(core: Huzzah, clock: FakeClock) -> Huzzah:
    """alice thanked bob, was mentioned by carol, moved her check-in, and answered one round with a vent."""
    console = session(core, TEAM)
    clock.set(FRIDAY.replace(hour=9))
    await console.say("alice", "@bob thanks for the handover notes #teamwork", channel="#support")
    await console.say("carol", "@dave thanks for pairing with @alice on the outage #teamwork")
    await console.say("alice", "checkin at fri 14:00")
    await open_round(console, clock, FRIDAY)
    await answer(console, "alice", 2, SECRET)
    for name in TEAM[1:]:
        await answer(console, name, 4)
    await close_round(console)
    return core


async def test_privacy_prints_everything_about_a_person_but_no_answer(
    history: Huzzah, settings: Settings, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await show(settings, "@alice", url=db_url) == 0
    printed = capsys.readouterr().out

    for table in ("people —", "kudos —", "checkin_prefs —", "checkin_invites —", "kudos (mentioned in the reason)",
                  "outbox (messages to or about them)"):
        assert table in printed
    assert "day=fri, time=14:00" in printed
    assert "they are stored with no link to the person" in printed
    assert SECRET not in printed and "checkin_moods" not in printed and "checkin_vents" not in printed
    assert "checkin_answered —" not in printed and "checkin_sealed" not in printed  # keyed and sealed: no one's


async def test_forget_erases_the_person_and_leaves_anonymous_answers_alone(
    history: Huzzah, settings: Settings, db: Database, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    async with db.transaction() as conn:
        [before] = await repo.figures_for_week(conn, "2026-W47")

    assert await erase(settings, "alice", yes=True, url=db_url) == 0
    assert "Erased alice" in capsys.readouterr().out

    everything = str(await dump(db))
    assert "'alice'" not in everything
    assert await count(db, people) == len(TEAM) - 1
    async with db.transaction() as conn:
        [after] = await repo.figures_for_week(conn, "2026-W47")
        reasons = [r.reason for r in await conn.execute(kudos.select())]
    assert await count(db, checkin_vents) == 1 and after.answered == 6
    assert after.distribution == before.distribution  # answers can't be found, so they stay counted
    assert reasons == [["thanks for pairing with ", "someone", " on the outage"]]
    assert await count(db, outbox) > 0  # others' deliveries remain


async def test_privacy_asks_which_person_when_a_name_is_ambiguous_or_unknown(
    history: Huzzah, settings: Settings, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await show(settings, "@nobody", url=db_url) == 2
    assert "no one called @nobody is stored" in capsys.readouterr().err
    assert await erase(settings, "console:alice", yes=False, url=db_url) == 2  # no terminal to confirm in
    assert "add --yes to confirm" in capsys.readouterr().err
