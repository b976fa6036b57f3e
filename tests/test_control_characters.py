"""NUL and other control characters: accepted from any platform on both databases (stripped at the core's
edge, bot/edge.py), and never sent raw to the terminal of whoever runs the console."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from adapters.console.render import render, visible
from adapters.console.session import ConsoleSession
from adapters.slack.roster import SlackRoster
from bot.edge import admitted, printable
from bot.incoming import Said
from bot.limits import MAX_NAME_CHARS, MAX_ZONE_CHARS
from bot.messages import say
from bot.people import Channel, Person
from storage.tables.checkins import checkin_vents
from storage.tables.people import people
from storage.tables.polls import poll_options, polls
from tests.slack_support import SlackHarness, view_submission

CONTROLS = "\x00\x01\x07\x08\x0b\x0c\r\x1b\x1f"


async def stored(slack: SlackHarness, column: Any) -> list[Any]:
    async with slack.core.ctx.db.transaction() as conn:
        return list((await conn.execute(select(column))).scalars())


async def test_a_poll_with_nul_in_its_question_and_an_option_is_posted_and_stored(slack: SlackHarness) -> None:
    status, _ = await slack.command('poll "Lunch\x00 today?" "Ta\x00cos" "Ramen\x1b[2J"')
    await slack.settle()

    assert status == 200
    [poll] = slack.api.posts_in("CSUPPORT")
    shown = str(poll["blocks"])
    assert "Lunch today?" in shown and "Tacos" in shown and "Ramen[2J" in shown and "\x00" not in shown
    assert await stored(slack, polls.c.question) == ["Lunch today?"]
    assert await stored(slack, poll_options.c.label) == ["Tacos", "Ramen[2J"]
    assert "Sorry" not in str(slack.api.ephemerals("UCAROL")) + str(slack.api.ephemerals("UALICE"))


async def test_a_vent_with_nul_is_kept(slack: SlackHarness) -> None:
    slack.core.rosters["slack"] = SlackRoster(slack.adapter.client, slack.adapter.directory)  # alice's team
    await slack.command("vent")
    await slack.settle()
    opened = slack.api.calls_to("views.open")[-1]["view"]

    status, body = await slack.interact(view_submission(
        opened, {"text": "the queue\x00 is drowning us\x1b]0;owned\x07", "discard": ()}, user="UALICE", name="alice"))
    await slack.settle()

    assert status == 200 and "Thank you for sharing" in body
    assert await stored(slack, checkin_vents.c.body) == [], "sealed until its round closes"
    slack.core.ctx.clock.advance(days=8)  # type: ignore[attr-defined]
    await slack.core.tick()  # the close opens the round's answers
    assert await stored(slack, checkin_vents.c.body) == ["the queue is drowning us]0;owned"]


async def test_names_and_time_zones_from_a_platform_are_kept_to_what_the_database_holds(slack: SlackHarness) -> None:
    slack.api.users["UALICE"]["profile"]["display_name"] = "Al\x00ice" + "e" * 300
    slack.api.users["UALICE"]["tz"] = "Europe/" + "X" * 100
    await slack.command("<@UBOB> thanks for the save")
    await slack.settle()

    names = {row.user_id: (row.name, row.tz) for row in await _people(slack)}
    assert names["UALICE"] == ("Alice" + "e" * (MAX_NAME_CHARS - 5), None)
    assert len(slack.api.posts_in("CKUDOS")) == 1


async def _people(slack: SlackHarness) -> list[Any]:
    async with slack.core.ctx.db.transaction() as conn:
        return list(await conn.execute(select(people)))


def test_the_edge_keeps_tabs_and_newlines_strips_other_controls_and_replaces_lone_surrogates() -> None:
    assert printable(f"a{CONTROLS}\tb\nc\ud800d") == "a\tb\nc\ufffdd"
    said = Said(Person("slack", "T1", "U1", "Bo\x00b"), Channel("slack", "T1", "C1", name="sup\x1bport"),
                ("thanks\x00", Person("slack", "T1", "U2", "Ca\x07rol", tz="x" * (MAX_ZONE_CHARS + 1))))
    cleaned = admitted(said)
    assert cleaned.sender.name == "Bob" and cleaned.channel.name == "support"
    assert cleaned.parts[0] == "thanks" and cleaned.parts[1].name == "Carol" and cleaned.parts[1].tz is None


async def test_an_id_with_a_control_character_is_refused_not_rewritten(console: ConsoleSession) -> None:
    """Stripping would make `U1\\x00` into another account, `U1`."""
    said = Said(Person("console", "local", "alice\x00"), Channel("console", "local", "#support"), ("stats",))
    answer = await console.core.handle(said)
    assert "couldn't tell who or where that came from" in str(answer.replies[0])


def test_the_console_writes_control_characters_out() -> None:
    shown = render(say("before\x1b[2J\x1b]0;pwned\x07after\x9b31m\tand\nnext"))
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert shown == "before\\x1b[2J\\x1b]0;pwned\\x07after\\x9b31m\tand\nnext"
    assert visible(shown) == shown, "escaping twice changes nothing"


@pytest.mark.parametrize("name", ["Mal\x1b[31mlory", "Mal\x07lory\x9b2J"])
async def test_nothing_the_console_prints_holds_a_raw_control_character(console: ConsoleSession, name: str) -> None:
    """A name from the team's config goes straight into "only @…" labels, past the core's edge."""
    console.directory.people["mallory"] = Person("console", "local", "mallory", name)
    shown = await console.say("mallory", "@bob thanks \x1b[2J for the fix")
    printed = "\n".join(str(s) for s in shown)
    assert "only @Mal" in printed and "Huzzah for @bob" in printed
    assert not any(c in printed for c in "\x1b\x07\x9b")
