"""Polls through the real Slack HTTP path: signed slash commands and button presses into `huzzah serve`,
Block Kit out to the fake Web API — on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
import json
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import func, select

from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.outbox import UPDATE_GAP
from huzzah.scheduler import Scheduler
from storage.db import Database
from storage.tables.people import people
from storage.tables.polls import poll_ballots, poll_votes, polls
from tests.conftest import MONDAY
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack_support import (
    FORM,
    SlackHarness,
    block_actions,
    serving,
    slash_command,
    view_submission,
)
from tests.test_polls import dump, wipe

SHIFTS = 'poll "Which shift pattern for December?" "4x10" "5x8" "Flexible"'
VOTERS = {"UALICE": "alice", "UBOB": "bob", "UDAVE": "dave", "UERIN": "erin", "UFRANK": "frank"}


async def ask(slack: SlackHarness, text: str, *, user: str = "UCAROL", trigger: str = "") -> dict[str, Any]:
    """Carol (by default) types `/huzzah <text>` in #support; returns the poll message as Slack stored it."""
    form = slash_command(text, user=user, user_name=slack.api.users[user]["name"], channel="CSUPPORT",
                         response_url=slack.api.response_url(user))
    if trigger:
        form["trigger_id"] = trigger
    status, _ = await slack.signed(urlencode(form), FORM)
    assert status == 200
    await slack.settle()
    return [m for m in slack.api.messages if m["channel"] == "CSUPPORT" and "thread_ts" not in m][-1]


def button(poll: dict[str, Any], label: str) -> dict[str, Any]:
    return next(e for b in poll["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["text"]["text"] == label)


async def press(slack: SlackHarness, poll: dict[str, Any], user: str, label: str, *, trigger: str = "") -> int:
    element = button(poll, label)
    payload = block_actions(user=user, name=slack.api.users[user]["name"], action_id=element["action_id"],
                            value=element.get("value", ""), channel="CSUPPORT", message=poll,
                            response_url=slack.api.response_url(user))
    if trigger:
        payload["trigger_id"] = trigger
    status, _ = await slack.interact(payload)
    return status


def words(blocks: list[dict[str, Any]]) -> str:
    """What the blocks say: section and context text, one line per block."""
    out = []
    for block in blocks:
        if block["type"] == "section":
            out.append(block["text"]["text"])
        elif block["type"] == "context":
            out.append(" ".join(e.get("text", "") for e in block["elements"]))
        elif block["type"] == "actions":
            out.append("  ".join(f"[{e['text']['text']}]" for e in block["elements"]))
    return "\n".join(out)


def edits_of(api: FakeSlackAPI, poll: dict[str, Any]) -> list[dict[str, Any]]:
    return [u for u in api.calls_to("chat.update") if u["channel"] == "CSUPPORT" and u["ts"] == poll["ts"]]


def replies_to(api: FakeSlackAPI, poll: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in api.calls_to("chat.postMessage") if p.get("thread_ts") == poll["ts"]]


async def let_a_second_pass(slack: SlackHarness, clock: FakeClock) -> None:
    clock.advance(seconds=2)
    slack.core.outbox.kick()
    await slack.settle()


def add_voters(api: FakeSlackAPI) -> None:
    for user_id, name in VOTERS.items():
        if user_id not in api.users:
            api.add_user(user_id, name)


async def test_three_options_five_voters_and_one_change_end_with_the_right_tally_on_the_message(
    slack: SlackHarness, clock: FakeClock
) -> None:
    add_voters(slack.api)
    poll = await ask(slack, SHIFTS + ' --closes "fri 17:00"')
    assert "Which shift pattern for December?" in poll["text"]
    assert [e["text"]["text"] for e in poll["blocks"][-3]["elements"]] == ["4x10", "5x8", "Flexible", "Close poll"]
    assert "closes Fri 20 Nov, 16:00 UTC" in words(poll["blocks"]), "17:00 where Carol is (Berlin)"
    assert "It closes Fri 20 Nov, 17:00 CET" in slack.api.ephemerals("UCAROL")[-1]["text"]

    for user, label in (("UALICE", "4x10"), ("UBOB", "5x8"), ("UDAVE", "4x10"), ("UERIN", "Flexible"),
                        ("UFRANK", "4x10")):
        assert await press(slack, poll, user, label) == 200
    await slack.settle()
    assert await press(slack, poll, "UALICE", "5x8") == 200
    await let_a_second_pass(slack, clock)

    final = words(edits_of(slack.api, poll)[-1]["blocks"])
    assert "*4x10*\n████░░░░░░  2 votes · 40%  —  <@UDAVE> and <@UFRANK>" in final
    assert "*5x8*\n████░░░░░░  2 votes · 40%  —  <@UALICE> and <@UBOB>" in final
    assert "*Flexible*\n██░░░░░░░░  1 vote · 20%  —  <@UERIN>" in final
    assert "[4x10]  [5x8]  [Flexible]  [Close poll]" in final
    told = [e["text"] for e in slack.api.ephemerals("UALICE")]
    assert told == ["✅ Your vote for 4x10 counted.", "✅ Changed — your vote is now 5x8."]
    async with slack.core.ctx.db.transaction() as conn:
        assert (await conn.execute(select(func.count()).select_from(poll_votes))).scalar_one() == 5

    assert await press(slack, poll, "UBOB", "Close poll") == 200
    await slack.settle()
    assert slack.api.ephemerals("UBOB")[-1]["text"].startswith("Only the person who asked can close it")
    assert await press(slack, poll, "UCAROL", "Close poll") == 200
    await let_a_second_pass(slack, clock)
    [results] = replies_to(slack.api, poll)
    assert "🤝 It's a tie: “4x10” and “5x8”, 2 votes · 40% each." in words(results["blocks"])
    assert "@alice, @bob" in words(results["blocks"]) and "<@UALICE>" not in words(results["blocks"]), "no pings"
    closed = words(edits_of(slack.api, poll)[-1]["blocks"])
    assert "—  closed" in closed and "[Close poll]" not in closed


async def test_fifty_simultaneous_votes_are_all_counted_with_at_most_one_chat_update_per_second(
    slack: SlackHarness, clock: FakeClock
) -> None:
    voters = [f"UV{i:03d}" for i in range(50)]
    for user_id in voters:
        slack.api.add_user(user_id, user_id.lower())
    poll = await ask(slack, 'poll "Where should the team lunch be?" "Tacos" "Ramen" "Salad"')
    update_times: list[datetime] = []
    take_update = slack.api._chat_update

    def timed_update(params: dict[str, Any]) -> dict[str, Any]:
        update_times.append(clock.now())
        return take_update(params)

    slack.api._chat_update = timed_update  # type: ignore[method-assign]
    voting = True

    async def time_passes() -> None:
        """The clock moves in small steps while the votes arrive, so edits go out during the burst."""
        while voting:
            clock.advance(seconds=0.1)
            slack.core.outbox.kick()
            await asyncio.sleep(0.005)

    ticking = asyncio.create_task(time_passes())
    statuses = await asyncio.gather(*(press(slack, poll, user, "Ramen") for user in voters))
    await slack.settle()
    voting = False
    await ticking
    await let_a_second_pass(slack, clock)

    assert statuses == [200] * 50
    async with slack.core.ctx.db.transaction() as conn:
        assert (await conn.execute(select(func.count()).select_from(poll_votes))).scalar_one() == 50
    assert all(e["text"] == "✅ Your vote for Ramen counted." for u in voters for e in slack.api.ephemerals(u))
    assert "*Ramen*\n██████████  50 votes · 100%" in words(edits_of(slack.api, poll)[-1]["blocks"])
    assert len(update_times) == len(edits_of(slack.api, poll)) >= 1
    assert all(later - earlier >= UPDATE_GAP for earlier, later in pairwise(update_times)), update_times
    assert len(update_times) <= (update_times[-1] - update_times[0]) / UPDATE_GAP + 1


async def test_a_deadline_that_passes_while_the_server_is_stopped_closes_the_poll_once_on_start(
    db: Database, settings: Settings, clock: FakeClock, fake_slack_api: FakeSlackAPI
) -> None:
    api = fake_slack_api
    add_voters(api)
    async with serving(Huzzah(settings, db, clock), api) as slack:
        poll = await ask(slack, SHIFTS + " --closes 2h")
        for user, label in (("UALICE", "5x8"), ("UBOB", "5x8"), ("UDAVE", "Flexible")):
            assert await press(slack, poll, user, label) == 200
        await slack.settle()
    assert not replies_to(api, poll)

    clock.advance(hours=5)  # Huzzah was down at 11:00; it comes back at 14:00 — as two instances at once
    first, second = Huzzah(settings, db, clock), Huzzah(settings, db, clock)
    async with serving(first, api) as slack, serving(second, api) as other:
        schedulers = [Scheduler(first), Scheduler(second)]
        try:
            await asyncio.gather(*(s.start() for s in schedulers))  # each ticks once on start
            await first.tick()
            slack.core.outbox.kick()
            other.core.outbox.kick()
            await slack.settle()
            await other.settle()
            await let_a_second_pass(slack, clock)
        finally:
            for scheduler in schedulers:
                scheduler.stop()

    [results] = replies_to(api, poll)
    assert "🏆 *5x8* wins with 2 of 3 votes (67%)." in words(results["blocks"])
    final = words(edits_of(api, poll)[-1]["blocks"])
    assert "—  closed" in final and "Closed at its deadline, Mon 16 Nov, 11:00 UTC" in final
    async with db.transaction() as conn:
        closed_at = (await conn.execute(select(polls.c.closed_at))).scalar_one()
    assert closed_at == datetime(2026, 11, 16, 11, 0, tzinfo=UTC)


async def test_a_poll_asked_in_a_private_channel_without_the_bot_tells_its_asker_it_was_not_posted(
    slack: SlackHarness,
) -> None:
    """Slash commands work in any channel; Slack refuses the bot's post where it was never invited."""
    await slack.command(SHIFTS, user="UCAROL", user_name="carol", channel="GSECRET", channel_name="secret")
    await slack.settle()
    assert [m for m in slack.api.messages if m["channel"] == "GSECRET"] == []
    [notice] = slack.api.posts_in(slack.api.dm_channel("UCAROL"))
    assert "couldn't post your poll “Which shift pattern for December?”" in notice["text"]
    assert "invite the bot there" in notice["text"]


async def test_poll_alone_opens_a_builder_modal_whose_submission_posts_the_poll(slack: SlackHarness) -> None:
    form = slash_command("poll", user="UCAROL", user_name="carol", channel="CSUPPORT",
                         response_url=slack.api.response_url("UCAROL"))
    assert (await slack.signed(urlencode(form), FORM))[0] == 200
    await slack.settle()
    [opened] = slack.api.calls_to("views.open")
    view = opened["view"]
    assert view["type"] == "modal" and view["title"]["text"] == "New poll"

    wrong = view_submission(view, {"question": "Lunch?", "options": "Tacos\ntacos", "closes": "",
                                   "settings": ("anonymous",)}, user="UCAROL", name="carol")
    status, body = await slack.interact(wrong)
    answer = json.loads(body)
    assert status == 200 and answer["response_action"] == "update"
    assert "“tacos” is listed twice" in words(answer["view"]["blocks"])
    ticked = next(b for b in answer["view"]["blocks"] if b.get("block_id") == "settings")["element"]
    assert [o["value"] for o in ticked["initial_options"]] == ["anonymous"], "the anonymous box stays ticked"
    assert not [m for m in slack.api.messages if m["channel"] == "CSUPPORT"]

    right = view_submission(answer["view"], {"question": "Lunch?", "options": "Tacos\nRamen", "closes": "2h",
                                             "settings": ("anonymous",)}, user="UCAROL", name="carol")
    status, body = await slack.interact(right)
    assert status == 200 and "Your poll is up" in words(json.loads(body)["view"]["blocks"])
    await slack.settle()
    [poll] = [m for m in slack.api.messages if m["channel"] == "CSUPPORT"]
    assert "🔒 Anonymous" in words(poll["blocks"])


# --- anonymity, checked from the whole database ------------------------------------------------------------

WORLD_A = (("UALICE", "Tacos"), ("UBOB", "Ramen"), ("UDAVE", "Salad"), ("UERIN", "Tacos"), ("UFRANK", "Ramen"),
           ("UALICE", "Ramen"))
WORLD_B = (("UALICE", "Salad"), ("UBOB", "Tacos"), ("UDAVE", "Ramen"), ("UERIN", "Ramen"), ("UFRANK", "Salad"),
           ("UALICE", "Ramen"))


async def play(settings: Settings, db: Database, api: FakeSlackAPI, world: tuple[tuple[str, str], ...]) -> str:
    """One anonymous poll over Slack; Slack's own ids and the clock are the same in every run."""
    api._counter = itertools.count(1)  # Slack hands out the same ids and message ts in both runs
    clock = FakeClock(MONDAY)
    api.now, api._last_ts = (lambda: clock.now().timestamp()), 0
    async with serving(Huzzah(settings, db, clock), api) as slack:
        poll = await ask(slack, 'poll "Where should the team lunch be?" Tacos Ramen Salad --anonymous',
                         trigger="T-ask")
        for i, (user, label) in enumerate(world):
            clock.advance(minutes=3)
            assert await press(slack, poll, user, label, trigger=f"T-{i}") == 200
            await slack.settle()
        clock.advance(minutes=3)
        assert await press(slack, poll, "UCAROL", "Close poll", trigger="T-close") == 200
        await slack.settle()  # closed at this minute in both runs, not whenever a busy machine got round to it
        await let_a_second_pass(slack, clock)
        return words(edits_of(api, poll)[-1]["blocks"])


async def test_after_an_anonymous_slack_poll_closes_no_row_anywhere_tells_who_chose_what(
    db: Database, settings: Settings, fake_slack_api: FakeSlackAPI
) -> None:
    add_voters(fake_slack_api)
    shown_a = await play(settings, db, fake_slack_api, WORLD_A)
    rows_a = await dump(db, skip_outbox_timing=True)
    await wipe(db)
    shown_b = await play(settings, db, fake_slack_api, WORLD_B)
    rows_b = await dump(db, skip_outbox_timing=True)

    assert shown_a == shown_b and "*Ramen*\n██████░░░░  3 votes · 60%" in shown_a and "<@UBOB>" not in shown_a
    for table in rows_a:
        assert rows_a[table] == rows_b[table], f"{table} differs between two polls with different choices"
    assert not any(user in repr(rows_b) for user in VOTERS), "no voter's Slack id is stored anywhere"
    async with db.transaction() as conn:
        assert (await conn.execute(select(func.count()).select_from(poll_ballots))).scalar_one() == 0
        assert set((await conn.execute(select(people.c.user_id))).scalars()) == {"UCAROL"}
