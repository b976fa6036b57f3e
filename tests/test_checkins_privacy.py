"""`huzzah privacy` / `huzzah forget`, and the check-in part of `huzzah demo`."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.console.session import Shown
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings, load_settings
from huzzah.demo import run_demo
from huzzah.privacy import erase, show
from storage import checkins as repo
from storage.db import Database
from storage.tables.checkins import checkin_answered, checkin_vents
from storage.tables.delivery import outbox
from storage.tables.kudos import kudos
from storage.tables.people import people
from tests.checkin_support import FRIDAY, answer, count, dump, open_round, session

ROOT = Path(__file__).resolve().parents[1]
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
    return core


async def test_privacy_prints_everything_about_a_person_but_no_answer(
    history: Huzzah, settings: Settings, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await show(settings, "@alice", url=db_url) == 0
    printed = capsys.readouterr().out

    for table in ("people —", "kudos —", "checkin_prefs —", "checkin_invites —",
                  "checkin_answered —", "kudos (mentioned in the reason)", "outbox (messages to or about them)"):
        assert table in printed
    assert "day=fri, time=14:00" in printed
    assert "they are stored with no link to the person" in printed
    assert SECRET not in printed and "checkin_moods" not in printed and "checkin_vents" not in printed


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
    assert await count(db, checkin_answered) == 5 and await count(db, checkin_vents) == 1
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


async def test_the_demo_runs_polls_a_check_in_round_and_ends_with_the_digest(tmp_path: Path) -> None:
    shown: list[Shown] = []
    await run_demo(load_settings(ROOT / "app.yaml"), f"sqlite+aiosqlite:///{tmp_path}/demo.db", shown.append)

    text = "\n".join(str(s) for s in shown)
    assert text.count("🏁 The poll has closed") == 2
    assert "—— Anonymous check-in ——" in text and "Still time to check in" in text
    asked_heidi = [s for s in shown if s.where == "DM @heidi" and "How was your week?" in s.text]
    assert len(asked_heidi) == 1 and "Answers close Tuesday 24 Nov at 10:00" in asked_heidi[0].text
    assert "This round has closed" in text
    digest = shown[-1]
    assert digest.where == "#support-leads" and "Support — weekly digest" in digest.text
    assert "Participation: 8 of 8 answered" in digest.text and "Mood: 3.5 / 5" in digest.text
    assert "Vents withheld — comments need at least 10 answers" in digest.text
    assert "Which macro should we fix first?" in digest.text
