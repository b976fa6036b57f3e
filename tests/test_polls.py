"""Micro-polls end to end through the console adapter, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession, Shown
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.features import FEATURES
from bot.features.polls.report import closed_polls
from bot.features.polls.views import ANONYMOUS_LINE, NAMED_LINE
from bot.help import help_message
from bot.messages import plain_text
from storage.db import Database
from storage.schema import metadata
from storage.tables.delivery import outbox
from storage.tables.people import people
from storage.tables.polls import poll_ballots, poll_votes, polls
from tests.conftest import TEAM

SHIFTS = 'poll "Which shift pattern for December?" "4x10" "5x8" "Flexible"'
LUNCH = 'poll "Where should the team lunch be?" "Tacos" "Ramen" "Salad"'


def at(shown: list[Shown], place: str) -> list[str]:
    return [s.text for s in shown if s.where == place]


def latest(console: ConsoleSession, place: str = "#support") -> str:
    """The poll message as the channel shows it now: the newest post or edit there."""
    return [s.text for s in console.messenger.shown if s.where in (place, f"(edited) {place}")][-1]


async def settle(console: ConsoleSession, clock: FakeClock) -> None:
    """Let the one-edit-per-second gap pass and deliver what is due."""
    clock.advance(seconds=2)
    await console.core.outbox.drain()


async def count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    async with db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


# --- creating and voting ---------------------------------------------------------------------------------------

async def test_three_options_five_voters_and_one_change_give_the_right_tally_on_the_message(
    console: ConsoleSession, clock: FakeClock
) -> None:
    shown = await console.say("carol", SHIFTS + ' --closes "fri 17:00"')
    assert "Your poll is up in #support" in at(shown, "only @carol")[0]
    assert "closes Fri 20 Nov, 17:00 UTC" in at(shown, "#support")[0]
    for name, choice in (("alice", "4x10"), ("bob", "5x8"), ("dave", "4x10"), ("erin", "Flexible"), ("frank", "4x10")):
        told = await console.press(name, choice)
        assert at(told, f"only @{name}") == [f"✅ Your vote for {choice} counted."]
    changed = await console.press("alice", "5x8")
    assert at(changed, "only @alice") == ["✅ Changed — your vote is now 5x8."]
    await settle(console, clock)

    message = latest(console)
    assert "4x10\n████░░░░░░  2 votes · 40%  —  @dave and @frank" in message
    assert "5x8\n████░░░░░░  2 votes · 40%  —  @alice and @bob" in message
    assert "Flexible\n██░░░░░░░░  1 vote · 20%  —  @erin" in message
    assert NAMED_LINE in message and "[4x10]" in message
    assert await count(console.core.ctx.db, poll_votes) == 5


async def test_pressing_your_own_choice_again_changes_nothing(console: ConsoleSession, clock: FakeClock) -> None:
    await console.say("carol", SHIFTS)
    await console.press("alice", "5x8")
    again = await console.press("alice", "5x8")
    assert "You've already voted for 5x8" in at(again, "only @alice")[0]
    assert await count(console.core.ctx.db, poll_votes) == 1


async def test_multiple_choice_toggles_each_option(console: ConsoleSession, clock: FakeClock) -> None:
    await console.say("carol", LUNCH + " --multi")
    await console.press("alice", "Tacos")
    both = await console.press("alice", "Ramen")
    assert at(both, "only @alice") == ["✅ Counted. Your picks: Tacos, Ramen."]
    back = await console.press("alice", "Tacos")
    assert at(back, "only @alice") == ["↩️ You took back Tacos. Your picks: Ramen."]
    await console.press("bob", "Ramen")
    await settle(console, clock)
    message = latest(console)
    assert "Pick as many as you like" in message
    assert "Ramen\n██████████  2 votes · 100%  —  @alice and @bob" in message
    assert "Tacos\n░░░░░░░░░░  0 votes · 0%" in message


async def test_hidden_results_show_no_counts_until_the_poll_closes(console: ConsoleSession, clock: FakeClock) -> None:
    await console.say("carol", LUNCH + " --hide-results")
    told = await console.press("alice", "Tacos")
    assert at(told, "only @alice") == ["✅ Your vote for Tacos counted. Results are hidden until the poll closes."]
    await console.press("bob", "Tacos")
    await settle(console, clock)
    open_message = latest(console)
    assert "Results stay hidden until the poll closes" in open_message and "2 people have voted so far" in open_message
    assert "vote ·" not in open_message and "votes ·" not in open_message and "@alice" not in open_message
    edits = len(console.messenger.shown)
    changed = await console.press("bob", "Ramen")
    await settle(console, clock)
    assert len(console.messenger.shown) == edits + 1, "a changed vote on a hidden poll changes nothing on show"
    assert "Results are hidden" in at(changed, "only @bob")[0]
    await console.press("bob", "Tacos")

    await console.press("carol", "Close poll")
    await settle(console, clock)
    closed = latest(console)
    assert "closed" in closed and "🏆 Tacos\n██████████  2 votes · 100%  —  @alice and @bob" in closed


async def test_a_poll_in_a_direct_message_is_sent_back_to_a_channel(console: ConsoleSession) -> None:
    shown = await console.say("carol", SHIFTS, channel="@")
    assert "Polls are for channels" in at(shown, "only @carol")[0]
    assert await count(console.core.ctx.db, polls) == 0


async def test_help_lists_the_poll_command(settings: Settings) -> None:
    words = plain_text(help_message(settings, [e for f in FEATURES for e in f.help], "/huzzah "))
    assert '/huzzah poll "question" "option" "option"…' in words
    assert '--closes "fri 17:00"' in words


# --- closing -----------------------------------------------------------------------------------------------------

async def test_only_the_asker_can_close_and_the_results_go_to_the_thread_once(
    console: ConsoleSession, clock: FakeClock
) -> None:
    await console.say("carol", SHIFTS)
    await console.press("alice", "4x10")
    await console.press("bob", "4x10")
    await console.press("dave", "5x8")

    refused = await console.press("alice", "Close poll")
    assert at(refused, "only @alice")[0].startswith("Only the person who asked can close it — that's @carol")
    assert not at(refused, "#support (thread)")

    closed = await console.press("carol", "Close poll")
    assert at(closed, "only @carol") == ["🏁 Closed. The results are posted in the poll's thread."]
    [results] = at(closed, "#support (thread)")
    assert "The poll has closed: Which shift pattern for December?" in results
    assert "🏆 4x10 wins with 2 of 3 votes" in results
    assert "@alice, @bob" in results
    again = await console.press("carol", "Close poll")
    assert "already closed" in at(again, "only @carol")[0]
    await settle(console, clock)

    message = latest(console)
    assert "—  closed" in message and "Closed by @carol" in message
    assert "[4x10]" not in message and "[Close poll]" not in message
    late = await console.press("erin", "4x10")
    assert "This poll has closed" in at(late, "only @erin")[0]
    assert len([s for s in console.messenger.shown if s.where == "#support (thread)"]) == 1
    assert await count(console.core.ctx.db, poll_votes) == 3


async def test_the_deadline_closes_the_poll_once_however_often_and_wherever_the_tick_runs(
    core: Huzzah, console: ConsoleSession, clock: FakeClock, settings: Settings
) -> None:
    await console.say("carol", SHIFTS + " --closes 2h")
    await console.press("alice", "Flexible")
    clock.advance(hours=1)
    await core.tick()
    assert not [s for s in console.messenger.shown if s.where == "#support (thread)"]

    clock.advance(hours=1, minutes=1)
    other = Huzzah(settings, core.ctx.db, clock)  # a second instance on the same database
    other.outbox.attach(console.messenger)
    await asyncio.gather(core.tick(), other.tick(), core.tick())
    await core.outbox.drain()
    await other.outbox.drain()
    await settle(console, clock)

    threads = [s.text for s in console.messenger.shown if s.where == "#support (thread)"]
    assert len(threads) == 1 and "🏆 Flexible wins with 1 of 1 vote" in threads[0]
    assert "Closed at its deadline, Mon 16 Nov, 11:00 UTC" in latest(console)


async def test_a_deadline_missed_while_huzzah_was_down_closes_the_poll_on_start(
    core: Huzzah, console: ConsoleSession, clock: FakeClock, settings: Settings
) -> None:
    await console.say("carol", SHIFTS + " --closes 30m")
    await console.press("alice", "5x8")
    clock.advance(days=2)  # the process was stopped over the deadline

    restarted = Huzzah(settings, core.ctx.db, clock)
    restarted_console = ConsoleSession(restarted, ConsoleDirectory(TEAM), channel="#support")
    await restarted.tick()  # what the scheduler does on start
    await restarted.outbox.drain()
    await restarted.tick()
    await restarted.outbox.drain()

    threads = [s.text for s in restarted_console.messenger.shown if s.where == "#support (thread)"]
    assert len(threads) == 1 and "5x8 wins" in threads[0]
    async with core.ctx.db.transaction() as conn:
        closed_at = (await conn.execute(select(polls.c.closed_at))).scalar_one()
    assert closed_at == datetime(2026, 11, 16, 9, 30, tzinfo=UTC), "it closed as of its deadline"


async def test_a_vote_after_the_deadline_is_refused_and_closes_the_poll(
    console: ConsoleSession, clock: FakeClock
) -> None:
    await console.say("carol", SHIFTS + " --closes 10m")
    clock.advance(minutes=11)
    late = await console.press("alice", "4x10")
    assert "This poll has closed" in at(late, "only @alice")[0]
    assert len(at(late, "#support (thread)")) == 1
    assert await count(console.core.ctx.db, poll_votes) == 0


# --- anonymous polls ---------------------------------------------------------------------------------------------

WORLD_A = (("alice", "Tacos"), ("bob", "Ramen"), ("dave", "Salad"), ("erin", "Tacos"), ("frank", "Ramen"),
           ("alice", "Ramen"))
WORLD_B = (("alice", "Salad"), ("bob", "Tacos"), ("dave", "Ramen"), ("erin", "Ramen"), ("frank", "Salad"),
           ("alice", "Ramen"))
"""The same people press in the same order at the same moments, and the totals end equal (1 / 3 / 1);
only who chose what differs."""


OUTBOX_TIMING = frozenset({"created_at", "not_before", "sent_at", "claimed_until", "attempts", "version",
                           "last_error"})
"""When a request was handled or a background worker happened to send an edit, on a test clock that jumps: it
races the test, not the votes. Both worlds act at the same moments, so these times could not tell them apart;
what each delivery is, says and where it went is still compared."""


async def dump(db: Database, *, skip_outbox_timing: bool = False) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in key order and in the order the database hands them out."""
    out: dict[str, list[tuple[object, ...]]] = {}
    async with db.transaction() as conn:
        for table in metadata.sorted_tables:
            skipped = OUTBOX_TIMING if skip_outbox_timing and table.name == "outbox" else frozenset()
            columns = [c for c in table.columns if c.name not in skipped]
            query = select(*columns)
            out[table.name] = [tuple(r) for r in await conn.execute(query.order_by(*table.primary_key))]
            out[f"{table.name} (as stored)"] = [tuple(r) for r in await conn.execute(query)]
    return out


async def wipe(db: Database) -> None:
    async with db.transaction() as conn:
        if db.dialect == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                await conn.execute(table.delete())


async def play(settings: Settings, db: Database, world: tuple[tuple[str, str], ...], flag: str) -> str:
    clock = FakeClock(datetime(2026, 11, 16, 9, 0, tzinfo=UTC))
    console = ConsoleSession(Huzzah(settings, db, clock), ConsoleDirectory(TEAM), channel="#support")
    await console.say("carol", LUNCH + flag)
    for name, choice in world:
        clock.advance(minutes=3)
        await console.press(name, choice)
    clock.advance(minutes=3)
    await console.press("carol", "Close poll")
    await settle(console, clock)
    return latest(console)


async def test_after_an_anonymous_poll_closes_no_row_anywhere_tells_who_chose_what(
    db: Database, settings: Settings
) -> None:
    shown_a = await play(settings, db, WORLD_A, " --anonymous")
    rows_a = await dump(db)
    await wipe(db)
    shown_b = await play(settings, db, WORLD_B, " --anonymous")
    rows_b = await dump(db)

    assert shown_a == shown_b and "🏆 Ramen\n██████░░░░  3 votes · 60%" in shown_a
    assert ANONYMOUS_LINE in shown_a and "@bob" not in shown_a
    for table in rows_a:
        assert rows_a[table] == rows_b[table], f"{table} differs between two votes with different choices"
    assert await count(db, poll_ballots) == 0
    async with db.transaction() as conn:
        assert (await conn.execute(select(polls.c.secret))).scalar_one() is None
        names = set((await conn.execute(select(people.c.user_id))).scalars())
    assert names == {"carol"}, "voters of an anonymous poll are never recorded as people"


async def test_the_same_check_does_tell_named_votes_apart(db: Database, settings: Settings) -> None:
    """A control for the test above: it would notice a difference if one existed."""
    await play(settings, db, WORLD_A, "")
    rows_a = await dump(db)
    await wipe(db)
    await play(settings, db, WORLD_B, "")
    assert rows_a["poll_votes"] != (await dump(db))["poll_votes"]


async def test_while_open_an_anonymous_ballot_is_filed_under_a_keyed_hash_only(console: ConsoleSession) -> None:
    await console.say("carol", LUNCH + " --anonymous")
    await console.press("alice", "Tacos")
    changed = await console.press("alice", "Ramen")
    assert "your vote is now Ramen" in at(changed, "only @alice")[0]
    assert "No one else can see what you picked" in at(changed, "only @alice")[0]
    async with console.core.ctx.db.transaction() as conn:
        [ballot] = (await conn.execute(select(poll_ballots))).all()
        payloads = (await conn.execute(select(outbox.c.payload))).scalars().all()
    assert len(ballot.voter) == 64 and "alice" not in ballot.voter
    assert set(ballot._mapping) == {"poll_id", "voter", "slot", "position"}, "no time, no serial id"
    assert "alice" not in repr(payloads)


async def test_on_sqlite_the_wiped_secret_and_ballots_are_gone_from_the_files_too(console: ConsoleSession) -> None:
    db = console.core.ctx.db
    if db.dialect != "sqlite":
        pytest.skip("SQLite's own files; PostgreSQL keeps old row versions out of reach of SQL")
    await console.say("carol", LUNCH + " --anonymous")
    await console.press("alice", "Tacos")
    async with db.transaction() as conn:
        secret = (await conn.execute(select(polls.c.secret))).scalar_one()
        ballot = (await conn.execute(select(poll_ballots.c.voter))).scalar_one()
    await console.press("carol", "Close poll")
    path = Path(db.url.split(":///", 1)[1])
    files = [f for f in (path, path.with_name(path.name + "-wal")) if f.exists()]
    assert files
    for file in files:
        raw = file.read_bytes()
        assert secret not in raw and ballot.encode() not in raw, f"{file.name} still holds them"


# --- the rules ---------------------------------------------------------------------------------------------------

LONG_QUESTION = "Q" * 201
LONG_OPTION = "O" * 76


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ('poll "Lunch?" "Tacos"', "A poll needs at least 2 options and this one has 1"),
        ('poll "Lunch?"', "A poll needs at least 2 options and this one has 0"),
        ('poll "Lunch?" ' + " ".join(f'"o{i}"' for i in range(11)), "A poll can offer at most 10 options"),
        ('poll "Lunch?" "Tacos" "tacos"', "“tacos” is listed twice (capitals don't count)"),
        ('poll "Lunch?" "Tacos" "  TACOS "', "“TACOS” is listed twice"),
        (f'poll "{LONG_QUESTION}" "a" "b"', "The question is 201 characters — shorten it to 200 or fewer."),
        (f'poll "Lunch?" "a" "{LONG_OPTION}"', "Option 2 (“OOOOOOOOOOOOOOOOOOOOOOOOOOOOO…”) is 76 characters"),
        ('poll "Lunch?" "a" "" "b"', "Option 2 is empty"),
        ('poll "" "a" "b"', "Write the question first"),
        ('poll "Lunch?" "a" "b" --closes "today 08:00"', "That deadline (Mon 16 Nov, 08:00 UTC) has already passed"),
        ('poll "Lunch?" "a" "b" --closes 0m', "has already passed"),
        ('poll "Lunch?" "a" "b" --closes 45d', "A poll can stay open at most 30 days — pick a deadline before"),
        ('poll "Lunch?" "a" "b" --closes "2026-11-16 09:00"', "has already passed"),
        ('poll "Lunch?" "a" "b" --closes whenever', "I can't read “whenever” as a deadline"),
        ('poll "Lunch?" "a" "b" --closes', "Say when the poll closes after --closes"),
        ('poll "Lunch? a b', "is never closed — add a closing quote mark"),
        ("poll Lunch? a b", "Put the question in quotes"),
        ("poll --anonymous", "Write the question and the options in quotes"),
        ('poll "Lunch?" "a" "b" --secret', "I don't know the option “--secret”"),
    ],
)
async def test_each_mistake_gets_one_line_saying_what_to_fix(console: ConsoleSession, typed: str, line: str) -> None:
    shown = await console.say("carol", typed)
    [answer] = at(shown, "only @carol")
    assert line in answer
    assert len(answer.splitlines()) == 1
    assert await count(console.core.ctx.db, polls) == 0


async def test_several_mistakes_get_a_line_each(console: ConsoleSession) -> None:
    shown = await console.say("carol", f'poll "{LONG_QUESTION}" "Tacos" "TACOS" --closes "today 08:00"')
    lines = at(shown, "only @carol")[0].splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("The question is 201") and "listed twice" in lines[1] and "already passed" in lines[2]


async def test_a_deadline_under_a_minute_away_is_refused(console: ConsoleSession, clock: FakeClock) -> None:
    clock.advance(seconds=30)
    shown = await console.say("carol", 'poll "Lunch?" "a" "b" --closes "09:01"')
    assert "leaves people under 1 minute to vote" in at(shown, "only @carol")[0]


@pytest.mark.parametrize(
    ("typed", "closes"),
    [
        ('poll “Which shift?” “4x10” “5x8” —closes “fri 17:00”', "closes Fri 20 Nov, 17:00 UTC"),
        ("poll „Welche Schicht?“ „4x10“ „5x8“ --closes 2h", "closes Mon 16 Nov, 11:00 UTC"),
        ('poll "Which shift?" 4x10 5x8 --closes tomorrow 9am', "closes Tue 17 Nov, 09:00 UTC"),
        ('poll "Which shift?" "4x10" "5x8" --closes=1h30m', "closes Mon 16 Nov, 10:30 UTC"),
        ('poll "Which shift?" "4x10" "5x8" --closes mon', "closes Mon 16 Nov, 17:00 UTC"),
        ('poll "Which shift?" "4x10" "5x8" --closes 08:00', "closes Tue 17 Nov, 08:00 UTC"),
        ('poll "Which shift?" "4x10" "5x8"', "closes Tue 17 Nov, 09:00 UTC"),
    ],
)
async def test_quotes_and_deadlines_are_read_the_way_people_type_them(
    console: ConsoleSession, typed: str, closes: str
) -> None:
    shown = await console.say("carol", typed)
    [post] = at(shown, "#support")
    assert "[4x10]  [5x8]  [Close poll]" in post and closes in post


async def test_a_deadline_is_read_in_the_askers_time_zone(core: Huzzah, clock: FakeClock) -> None:
    console = ConsoleSession(core, ConsoleDirectory(TEAM, tz="America/New_York"), channel="#support")
    shown = await console.say("carol", 'poll "Lunch?" "a" "b" --closes "fri 17:00"')
    assert "closes Fri 20 Nov, 22:00 UTC" in at(shown, "#support")[0]
    assert "It closes Fri 20 Nov, 17:00 EST" in at(shown, "only @carol")[0]


# --- the builder form --------------------------------------------------------------------------------------------

async def test_poll_alone_opens_a_builder_that_keeps_what_was_typed_when_something_needs_fixing(
    console: ConsoleSession,
) -> None:
    shown = await console.say("carol", "poll")
    [form] = at(shown, "form for @carol")
    assert "New poll" in form and "Options, one per line" in form and "Anonymous" in form

    again = await console.submit("carol", {
        "question": "Which macro should we fix first?", "options": "Refund\nrefund\n", "closes": "someday",
        "settings": ("anonymous",),
    })
    [form] = at(again, "form for @carol")
    assert "I can't read “someday” as a deadline" in form and "“refund” is listed twice" in form
    reopened = console.open_forms["carol"]
    initial = {f.name: getattr(f, "initial", None) for f in reopened.fields if hasattr(f, "name")}
    assert initial["question"] == "Which macro should we fix first?"
    assert initial["settings"] == ("anonymous",), "the anonymous box stays ticked"
    assert await count(console.core.ctx.db, polls) == 0

    done = await console.submit("carol", {
        "question": "Which macro should we fix first?", "options": "Refund\nShipping delay\nPassword reset",
        "closes": "2h", "settings": ("anonymous", "hide_results"),
    })
    [post] = at(done, "#support")
    assert "[Refund]  [Shipping delay]  [Password reset]  [Close poll]" in post
    assert ANONYMOUS_LINE in post and "Results stay hidden" in post and "closes Mon 16 Nov, 11:00 UTC" in post


async def test_a_builder_opened_in_one_channel_posts_there(console: ConsoleSession) -> None:
    await console.say("carol", "poll", channel="#ops")
    console.channel = "#elsewhere"
    done = await console.submit("carol", {"question": "Lunch?", "options": "Tacos, Ramen", "closes": "",
                                          "settings": ()})
    assert not at(done, "#elsewhere")
    [post] = at(done, "#ops")
    assert "[Tacos]  [Ramen]  [Close poll]" in post, "one line with commas is a list of options"


# --- the digest's view -------------------------------------------------------------------------------------------

async def test_closed_polls_reports_the_teams_polls_closed_in_the_window(
    core: Huzzah, console: ConsoleSession, clock: FakeClock
) -> None:
    await console.say("carol", LUNCH + " --anonymous --closes 1h")
    for name, pick in (("alice", "Tacos"), ("bob", "Ramen"), ("dave", "Ramen"), ("erin", "Ramen"), ("frank", "Salad")):
        await console.press(name, pick)
    await console.say("carol", SHIFTS, channel="#random")
    await console.press("carol", "Close poll")
    await console.say("carol", SHIFTS + " --closes 3d")
    clock.advance(hours=2)
    await core.tick()

    week = (datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))
    random, lunch = await closed_polls(core.ctx, "Support", *week)
    assert random.question == "Which shift pattern for December?", "a channel of no team counts for the default team"
    assert lunch.question == "Where should the team lunch be?"
    assert lunch.options == (("Tacos", 1), ("Ramen", 3), ("Salad", 1))  # five voters: the minimum group
    assert lunch.voters == 5 and lunch.anonymous and lunch.closed_at == datetime(2026, 11, 16, 10, 0, tzinfo=UTC)
    assert await closed_polls(core.ctx, "Billing", *week) == []
    assert len(await closed_polls(core.ctx, "Support", week[0], datetime(2026, 11, 16, 9, 30, tzinfo=UTC))) == 1
    assert await closed_polls(core.ctx, "Support", week[1], week[1] + timedelta(days=7)) == []


@pytest.mark.parametrize("flags", ["", " --multi", " --anonymous", " --anonymous --multi"])
async def test_a_long_random_run_of_votes_changes_and_take_backs_ends_with_the_right_tally(
    console: ConsoleSession, clock: FakeClock, flags: str
) -> None:
    rng = random.Random(f"polls{flags}")
    await console.say("carol", LUNCH + flags)
    options = ("Tacos", "Ramen", "Salad")
    picks: dict[str, set[str]] = {}
    for _ in range(60):
        name, choice = rng.choice(TEAM), rng.choice(options)
        await console.press(name, choice)
        mine = picks.setdefault(name, set())
        if "--multi" not in flags:
            mine.clear()
            mine.add(choice)
        elif choice in mine:
            mine.remove(choice)
        else:
            mine.add(choice)
    await console.press("carol", "Close poll")
    await settle(console, clock)

    voters = sum(1 for chosen in picks.values() if chosen)
    async with console.core.ctx.db.transaction() as conn:
        assert (await conn.execute(select(polls.c.voters))).scalar_one() == voters
    week = (datetime(2026, 11, 16, tzinfo=UTC), datetime(2026, 11, 23, tzinfo=UTC))
    [result] = await closed_polls(console.core.ctx, "Support", *week)
    assert result.options == tuple((o, sum(o in chosen for chosen in picks.values())) for o in options)
    assert result.voters == voters
