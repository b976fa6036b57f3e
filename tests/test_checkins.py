"""Check-in rounds end to end through the console adapter, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.features import FEATURES
from bot.features.checkins.grammar import MoveCheckin, OpenVent, StartCheckin, SwitchCheckins
from bot.features.checkins.settings import CheckinSettings
from bot.grammar.errors import GrammarError
from bot.incoming import Pressed
from bot.messages import plain_text
from bot.people import Person
from bot.registry import grammar_of
from storage import checkins as repo
from storage.db import Database
from storage.tables.checkins import checkin_answered, checkin_invites, checkin_rounds, checkin_sealed, checkin_vents
from storage.tables.delivery import outbox
from tests.checkin_support import FRIDAY, NAMES, answer, close_round, count, dump, open_round, session, texts

parse = grammar_of(FEATURES).parse

EIGHT = NAMES[:8]


@pytest.fixture
def team(core: Huzzah) -> ConsoleSession:
    return session(core, EIGHT)


def dm_counts(console: ConsoleSession) -> Counter[str]:
    return Counter(s.where for s in console.messenger.shown if s.where.startswith("DM @"))


# --- the round ----------------------------------------------------------------------------------------------

async def test_everyone_in_the_team_channel_is_asked_privately_once_when_their_time_comes(
    team: ConsoleSession, clock: FakeClock
) -> None:
    assert await open_round(team, clock, FRIDAY - timedelta(minutes=1)) == []

    shown = await open_round(team, clock, FRIDAY)

    assert sorted(s.where for s in shown) == sorted(f"DM @{n}" for n in EIGHT)  # not the bot
    question = shown[0].text
    assert "How was your week?" in question and "[😫 1]" in question and "[😄 5]" in question
    assert "Anonymous by design" in question and "Answers close Monday 23 Nov at 15:00" in question
    assert await open_round(team, clock, FRIDAY + timedelta(minutes=5)) == []  # a later tick asks no one again


async def test_each_person_is_asked_at_their_own_time_in_their_own_time_zone(
    team: ConsoleSession, clock: FakeClock
) -> None:
    people = team.directory.people
    people["agent01"] = Person("console", "local", "agent01", "agent01", "Asia/Tokyo")
    people["agent02"] = Person("console", "local", "agent02", "agent02", "America/Los_Angeles")
    await team.say("agent03", "checkin at thu 22:00")

    at_thursday_22 = await open_round(team, clock, FRIDAY - timedelta(hours=17))
    assert [s.where for s in at_thursday_22] == ["DM @agent03"]
    tokyo = await open_round(team, clock, FRIDAY.replace(hour=6))  # 15:00 in Tokyo
    assert [s.where for s in tokyo] == ["DM @agent01"]
    london = await open_round(team, clock, FRIDAY)
    assert len(london) == 5 and "DM @agent02" not in {s.where for s in london}
    los_angeles = await open_round(team, clock, FRIDAY + timedelta(hours=8))  # 15:00 in Los Angeles
    assert [s.where for s in los_angeles if "Still time" not in s.text] == ["DM @agent02"]
    questions = Counter(s.where for s in team.messenger.shown if "👋 How was your week?" in s.text)
    assert questions == Counter({f"DM @{n}": 1 for n in EIGHT})


async def test_opted_out_bots_and_deactivated_people_are_not_asked(team: ConsoleSession, clock: FakeClock) -> None:
    off = await team.say("agent01", "checkin off")
    assert "no more check-ins for you" in texts(off)[0] and "Nobody is told" in texts(off)[0]
    team.directory.people["agent02"] = Person("console", "local", "agent02", "agent02", active=False)
    team.directory.people["agent03"] = Person("console", "local", "agent03", "agent03", is_bot=True)

    shown = await open_round(team, clock)

    assert {s.where for s in shown} == {f"DM @{n}" for n in EIGHT[3:]}
    back = await team.say("agent01", "checkin on")
    assert "Welcome back" in texts(back)[0]
    assert [s.where for s in await open_round(team, clock, FRIDAY + timedelta(minutes=1))] == ["DM @agent01"]


async def test_a_mood_is_recorded_privately_and_never_echoed(team: ConsoleSession, clock: FakeClock) -> None:
    await open_round(team, clock)
    outbox_rows = await count(team.core.ctx.db, outbox)

    shown = await answer(team, "agent01", 4)

    assert [s.where for s in shown] == ["only @agent01", "form for @agent01"]
    assert "Thanks — recorded" in shown[0].text and "4" not in shown[0].text and "🙂" not in shown[0].text
    assert "Anything you want to get off your chest?" in shown[1].text
    assert "Just let it out — don't keep it" in shown[1].text
    assert await count(team.core.ctx.db, outbox) == outbox_rows  # no DM edit, no message of any kind queued
    assert not any(s.where.startswith("(edited)") for s in team.messenger.shown)


async def test_a_second_answer_and_a_late_answer_are_refused_kindly(team: ConsoleSession, clock: FakeClock) -> None:
    await open_round(team, clock)
    await answer(team, "agent01", 2)

    again = await answer(team, "agent01", 5)
    assert [s.where for s in again] == ["only @agent01"]
    assert "already answered this round" in again[0].text

    clock.advance(days=3, minutes=1)
    await team.core.tick()
    late = await answer(team, "agent02", 3)
    assert [s.where for s in late] == ["only @agent02"] and "this round has closed" in late[0].text.casefold()
    async with team.core.ctx.db.transaction() as conn:
        [figures] = await repo.figures_for_week(conn, "2026-W47")
    assert figures.answered == 1 and figures.distribution == (0, 1, 0, 0, 0)


async def test_a_button_from_someone_elses_check_in_counts_for_nothing(
    team: ConsoleSession, clock: FakeClock
) -> None:
    await open_round(team, clock)
    team.directory.people["visitor"] = Person("console", "local", "visitor", "visitor")  # in no team, never asked
    stranger = await team.press("visitor", " 3", where="DM @agent01")
    assert "wasn't sent to you" in stranger[0].text
    assert await count(team.core.ctx.db, checkin_answered) == 0


async def test_checkin_on_demand_asks_now_once_per_round_and_the_schedule_then_skips_you(
    team: ConsoleSession, clock: FakeClock
) -> None:
    asked = await team.say("agent01", "checkin")
    assert [s.where for s in asked] == ["only @agent01"] and "How was your week?" in asked[0].text

    await answer(team, "agent01", 5, where="only @agent01")
    again = await team.say("agent01", "checkin")
    assert "already checked in this round" in again[0].text and "Friday 27 Nov at 15:00" in again[0].text

    fan_out = await open_round(team, clock)
    assert "DM @agent01" not in {s.where for s in fan_out} and len(fan_out) == 7


async def test_checkin_on_demand_answers_last_weeks_round_while_it_is_still_open(
    team: ConsoleSession, clock: FakeClock
) -> None:
    await open_round(team, clock)
    clock.advance(days=2, hours=20)  # Monday 11:00: last week's round closes at 15:00
    asked = await team.say("agent01", "checkin")
    assert "Answers close Monday 23 Nov at 15:00" in asked[0].text


async def test_people_outside_every_team_are_told_why_there_is_no_check_in(
    core: Huzzah, clock: FakeClock
) -> None:
    console = session(core, EIGHT, channels={"#support": EIGHT[1:]})
    shown = await console.say("agent01", "checkin")
    assert "not in any team's channels" in shown[0].text


async def test_one_private_reminder_per_round_only_for_those_who_have_not_answered(
    team: ConsoleSession, clock: FakeClock
) -> None:
    await open_round(team, clock)
    await answer(team, "agent01", 3)
    await team.say("agent02", "checkin off")

    reminded = await open_round(team, clock, FRIDAY + timedelta(hours=24))
    again = await open_round(team, clock, FRIDAY + timedelta(hours=30))

    assert {s.where for s in reminded} == {f"DM @{n}" for n in EIGHT[2:]}
    assert all("Still time to check in" in s.text for s in reminded)
    assert again == []


@pytest.mark.parametrize("reminder", [True, False])
async def test_reminders_switched_off_in_app_yaml_are_never_sent(
    db: Database, clock: FakeClock, settings: Settings, reminder: bool
) -> None:
    """`checkins.reminder: false` is a promise to people who don't want nudging: the question, and nothing after."""
    checkins = settings.section(CheckinSettings).model_copy(update={"reminder": reminder})
    team = session(Huzzah(settings.model_copy(update={"checkins": checkins}), db, clock), EIGHT)
    await open_round(team, clock)

    later = [s for hours in (24, 30, 48, 71) for s in await open_round(team, clock, FRIDAY + timedelta(hours=hours))]

    assert sorted(s.where for s in later) == ([f"DM @{n}" for n in EIGHT] if reminder else [])
    assert all("Still time to check in" in s.text for s in later)


async def test_a_round_interrupted_halfway_reaches_everyone_exactly_once_after_a_restart(
    settings: Settings, db: Database, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = session(Huzzah(settings, db, clock), EIGHT)
    real_add_invite = repo.add_invite
    invited = 0

    async def crash_after_four(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal invited
        if invited == 4:
            raise ConnectionError("the process died here")
        invited += 1
        return await real_add_invite(*args, **kwargs)

    monkeypatch.setattr(repo, "add_invite", crash_after_four)
    clock.set(FRIDAY)
    await first.core.tick()
    await first.core.outbox.deliver_due(limit=2)  # and only two of the four queued DMs went out
    assert sum(dm_counts(first).values()) == 2

    monkeypatch.setattr(repo, "add_invite", real_add_invite)
    second = session(Huzzah(settings, db, clock), EIGHT)  # restarted, same database
    second.messenger.shown[:0] = first.messenger.shown
    clock.advance(minutes=1)
    await second.core.tick()
    await second.core.tick()
    await second.core.outbox.drain()

    assert dm_counts(second) == Counter({f"DM @{n}": 1 for n in EIGHT})
    assert await count(db, checkin_invites) == 8


async def test_two_instances_ticking_together_ask_everyone_once(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    one, two = (session(Huzzah(settings, db, clock), EIGHT) for _ in range(2))
    clock.set(FRIDAY)
    await one.core.tick()
    await two.core.tick()
    await one.core.outbox.drain()
    await two.core.outbox.drain()
    assert sum(dm_counts(one).values()) + sum(dm_counts(two).values()) == 8


async def test_rounds_older_than_the_retention_setting_are_erased(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    core = Huzzah(settings.model_copy(update={"retention_weeks": 2}), db, clock)
    team = session(core, EIGHT)
    await open_round(team, clock)
    await answer(team, "agent01", 3, "the old printer again")
    await open_round(team, clock, FRIDAY + timedelta(weeks=2))
    assert await count(db, checkin_vents) == 1

    await open_round(team, clock, FRIDAY + timedelta(weeks=2, days=4))

    async with db.transaction() as conn:
        assert await repo.round_for(conn, "Support", "2026-W47") is None
        assert await repo.round_for(conn, "Support", "2026-W49") is not None
    assert await count(db, checkin_vents) == 0 and await count(db, checkin_rounds) == 1


# --- moving and switching --------------------------------------------------------------------------------------

async def test_moving_your_check_in_says_when_the_next_one_is(team: ConsoleSession, clock: FakeClock) -> None:
    shown = await team.say("agent01", "checkin at Thursday 10pm")
    assert "Thursdays at 22:00 (UTC)" in shown[0].text and "Next one: Thursday 19 Nov at 22:00" in shown[0].text
    assert "I don't know your time zone" in shown[0].text

    bad = await team.say("agent01", "checkin at thu 25:00")
    assert "couldn't read “25:00” as a time of day" in bad[0].text and "checkin at thu 22:00" in bad[0].text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("checkin", StartCheckin()),
        ("check-in now", StartCheckin()),
        ("checkin at thu 22:00", MoveCheckin("thu", "22:00")),
        ("checkin at Friday 3pm", MoveCheckin("fri", "15:00")),
        ("checkin mon 7:30", MoveCheckin("mon", "07:30")),
        ("checkin at sun 12am", MoveCheckin("sun", "00:00")),
        ("checkin off", SwitchCheckins(on=False)),
        ("checkin ON", SwitchCheckins(on=True)),
        ("vent", OpenVent()),
        ("vent my day was awful", OpenVent(typed=True)),
    ],
)
def test_checkin_grammar(line: str, expected: object) -> None:
    assert parse((line,)) == expected


@pytest.mark.parametrize("line", ["checkin at", "checkin at someday 10:00", "checkin at thu noonish", "checkin x"])
def test_checkin_grammar_errors_say_what_to_type(line: str) -> None:
    error = parse((line,))
    assert isinstance(error, GrammarError) and "`checkin" in error.message


# --- venting -------------------------------------------------------------------------------------------------

async def test_vent_opens_a_private_form_any_time_and_keeps_it_anonymously(
    team: ConsoleSession, clock: FakeClock
) -> None:
    opened = await team.say("agent01", "vent")
    assert [s.where for s in opened] == ["form for @agent01"]

    kept = await team.submit("agent01", {"text": "The queue tool crashed nine times today.", "discard": ()})

    assert [s.where for s in kept] == ["only @agent01"] and "Thank you for sharing" in kept[0].text
    assert "queue tool" not in kept[0].text
    assert await count(team.core.ctx.db, checkin_sealed) == 1  # sealed to its round until the round closes
    assert "queue tool" not in str(await dump(team.core.ctx.db))


@pytest.mark.parametrize("vent", [None, "The queue tool crashed nine times today."])
async def test_on_sqlite_an_answer_leaves_no_before_and_after_pages_in_the_write_ahead_log(
    team: ConsoleSession, clock: FakeClock, vent: str | None
) -> None:
    """Until a checkpoint, SQLite's log keeps the pages one answer wrote: its author's mark beside the tally."""
    db = team.core.ctx.db
    if db.dialect != "sqlite":
        pytest.skip("SQLite's own files; PostgreSQL's write-ahead log is the server operator's to protect")
    await open_round(team, clock)
    file = Path(db.url.split(":///", 1)[1])
    wal = file.with_name(file.name + "-wal")
    assert wal.stat().st_size > 0, "the round's invitations went through the log"

    await answer(team, "agent02", 4, vent)

    assert wal.stat().st_size == 0
    if vent:
        assert vent.encode() not in file.read_bytes()  # sealed: not even the file's bytes hold it


async def test_words_typed_after_vent_in_the_chat_are_not_kept(team: ConsoleSession) -> None:
    shown = await team.say("agent01", "vent my lead ignored me again")
    assert "I didn't keep what you typed" in shown[0].text and "my lead" not in shown[0].text
    assert shown[1].where == "form for @agent01"
    assert await count(team.core.ctx.db, checkin_sealed) == 0


async def test_an_empty_or_too_long_vent_is_not_kept_and_says_why(team: ConsoleSession) -> None:
    await team.say("agent01", "vent")
    assert "box was empty" in texts(await team.submit("agent01", {"text": "   ", "discard": ()}))[0]
    await team.say("agent01", "vent")
    assert "shorten it" in texts(await team.submit("agent01", {"text": "x" * 3001, "discard": ()}))[0]
    assert await count(team.core.ctx.db, checkin_sealed) == 0


async def test_checkins_switched_off_in_app_yaml_ask_no_one(
    db: Database, clock: FakeClock, settings: Settings
) -> None:
    off = settings.model_copy(update={"checkins": CheckinSettings(enabled=False)})
    team = session(Huzzah(off, db, clock), EIGHT)
    assert await open_round(team, clock) == []
    assert "switched off" in texts(await team.say("agent01", "checkin"))[0]


def mood_presses(console: ConsoleSession) -> list[Pressed]:
    """Each of NAMES pressing a mood in their check-in DM, moods 1 to 5 in turn."""
    presses = []
    for i, name in enumerate(NAMES):
        dm = next(s for s in console.messenger.shown if s.where == f"DM @{name}")
        [buttons] = [b for b in dm.message.blocks if getattr(b, "buttons", None) and len(b.buttons) == 5]
        presses.append(Pressed(console.person(name), console.where(f"@{name}"), buttons.buttons[i % 5].action,
                               buttons.buttons[i % 5].value))
    return presses


async def test_many_people_answering_at_the_same_moment_are_all_counted_once(
    core: Huzzah, clock: FakeClock
) -> None:
    console = session(core, NAMES)
    await open_round(console, clock)
    presses = mood_presses(console)
    presses += presses[:3]  # three double clicks

    answers = await asyncio.gather(*(core.handle(p) for p in presses))

    assert sum("Thanks — recorded" in plain_text(a.replies[0]) for a in answers) == len(NAMES)
    await close_round(console)
    async with core.ctx.db.transaction() as conn:
        [figures] = await repo.figures_for_week(conn, "2026-W47")
    assert figures.answered == len(NAMES) and figures.distribution == (4, 4, 4, 3, 3)


async def test_a_close_racing_many_answers_counts_exactly_the_answers_it_thanked(
    core: Huzzah, clock: FakeClock
) -> None:
    """Whatever the interleaving: an answer thanked is in the closed round's figures, one refused is not."""
    console = session(core, NAMES)
    await open_round(console, clock)
    presses = mood_presses(console)
    async with core.ctx.db.transaction() as conn:
        found = await repo.round_for(conn, "Support", "2026-W47")
    assert found is not None

    async def close() -> None:
        async with core.ctx.db.transaction() as conn:
            await repo.close_round(conn, core.ctx.db.key, found.id)

    results = await asyncio.gather(*(core.handle(p) for p in presses[:9]), close(),
                                   *(core.handle(p) for p in presses[9:]))
    thanked = sum("Thanks — recorded" in plain_text(a.replies[0]) for a in results if a is not None)
    async with core.ctx.db.transaction() as conn:
        [figures] = await repo.figures_for_week(conn, "2026-W47")
    assert figures.answered == thanked and sum(figures.distribution) == thanked


# --- catching up after downtime -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("back", "asked"),
    [
        (timedelta(hours=20), True),  # Saturday 11:00
        (timedelta(days=2, hours=23), True),  # Monday 14:00: the last hour of the window
        (timedelta(days=3), False),  # Monday 15:00: the window has closed
        (timedelta(days=5), False),
    ],
)
async def test_a_scheduler_down_at_check_in_time_catches_up_only_while_the_window_is_open(
    team: ConsoleSession, clock: FakeClock, back: timedelta, asked: bool
) -> None:
    """A missed Friday still reaches everyone once if the bot is back in time, and never asks into a closed round."""
    assert await open_round(team, clock, FRIDAY - timedelta(minutes=1)) == []  # the last tick before the outage

    caught_up = await open_round(team, clock, FRIDAY + back)
    later = await open_round(team, clock, FRIDAY + back + timedelta(minutes=5))

    if asked:
        assert sorted(s.where for s in caught_up) == sorted(f"DM @{n}" for n in EIGHT)
        assert all("👋 How was your week?" in s.text for s in caught_up)
        assert all("Answers close Monday 23 Nov at 15:00" in s.text for s in caught_up)
        assert later == []
    else:
        assert caught_up == [] and later == []
        async with team.core.ctx.db.transaction() as conn:
            assert await repo.round_for(conn, "Support", "2026-W47") is None
        next_week = await open_round(team, clock, FRIDAY + timedelta(weeks=1))  # the schedule itself goes on
        assert sorted(s.where for s in next_week) == sorted(f"DM @{n}" for n in EIGHT)
        assert all("Answers close Monday 30 Nov at 15:00" in s.text for s in next_week)
