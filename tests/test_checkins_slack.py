"""Check-ins on Slack, end to end: the real server and SDKs against the fake Web API on loopback.

What Slack keeps (exports, legal holds) is what went through its Web API, so the fake's record of every call
is the proof that no mood and no vent ever became a message there.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.slack.roster import SlackRoster
from bot.clock import FakeClock
from bot.people import Channel
from tests.checkin_support import dump
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack_support import BOT_USER_ID, SlackHarness, app_mention, block_actions, direct_message, view_submission

FRIDAY_EVENING = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
"""Friday 15:00 has come in London, Berlin, Tokyo and New York."""
VENT = "The escalation queue is drowning us and the new lead never listens"
CRISIS = "some nights I think about how to end my life"
PEOPLE = {"UALICE": "alice", "UBOB": "bob", "UCAROL": "carol", "UDAVE": "dave"}


@pytest.fixture
def with_roster(slack: SlackHarness) -> SlackHarness:
    slack.core.rosters["slack"] = SlackRoster(slack.adapter.client, slack.adapter.directory)
    slack.api.channels["CSUPPORT"]["members"] += ["UOTHERBOT", "UGONE"]
    return slack


async def fan_out(slack: SlackHarness, clock: FakeClock) -> dict[str, dict[str, Any]]:
    """Open the round; the DM each person got, as Slack stored it."""
    clock.set(FRIDAY_EVENING)
    await slack.core.tick()
    await slack.settle()
    return {m["channel"][1:]: m for m in slack.api.messages if m["channel"].startswith("D")}


def button(message: dict[str, Any], label_end: str) -> dict[str, Any]:
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["text"]["text"].endswith(label_end):
                return element
    raise AssertionError(f"no button ending {label_end!r}")


async def press_mood(slack: SlackHarness, user: str, dm: dict[str, Any], mood: int) -> dict[str, Any]:
    chosen = button(dm, f" {mood}")
    payload = block_actions(user=user, name=PEOPLE[user], action_id=chosen["action_id"], value=chosen["value"],
                            channel=dm["channel"], message=dm, response_url=slack.api.response_url(user))
    status, _ = await slack.interact(payload)
    assert status == 200
    await slack.settle()
    return chosen


async def submit_vent(slack: SlackHarness, user: str, words: str, *, discard: bool = False) -> dict[str, Any]:
    opened = slack.api.calls_to("views.open")[-1]["view"]
    assert opened["callback_id"] == "checkin.vent"
    values = {"text": words, "discard": ("discard",) if discard else ()}
    status, body = await slack.interact(view_submission(opened, values, user=user, name=PEOPLE[user]))
    assert status == 200
    await slack.settle()
    return json.loads(body)


def every_outgoing(api: FakeSlackAPI) -> list[str]:
    """Everything Huzzah sent Slack: Web API calls and response_url posts, as text."""
    return [json.dumps(c.params, ensure_ascii=False) for c in api.calls] + [
        json.dumps(r, ensure_ascii=False) for r in api.responses
    ]


async def test_roster_pages_through_members_and_flags_bots_and_deactivated_people(
    with_roster: SlackHarness,
) -> None:
    with_roster.api.script("conversations.members", body={
        "ok": True, "members": ["UALICE", "UOTHERBOT"], "response_metadata": {"next_cursor": "dXNlcjpVMDYxTkZUVDI="},
    })
    roster = with_roster.core.rosters["slack"]
    members = await roster.members(Channel("slack", "", "#support", name="#support"))

    pages = with_roster.api.calls_to("conversations.members")
    assert [p.get("cursor") for p in pages] == [None, "dXNlcjpVMDYxTkZUVDI="]
    assert all(p["channel"] == "CSUPPORT" for p in pages)
    by_id = {p.user_id: p for p in members}
    assert by_id["UOTHERBOT"].is_bot and not by_id["UGONE"].active
    assert by_id["UDAVE"].tz == "Asia/Tokyo" and by_id["UALICE"].workspace == "T0HUZZAH"


async def test_a_check_in_on_slack_never_sends_an_answer_back_through_the_web_api(
    with_roster: SlackHarness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    slack = with_roster
    dms = await fan_out(slack, clock)
    assert set(dms) == set(PEOPLE)  # not the bots, not the deactivated account
    assert "How was your week?" in dms["UBOB"]["text"]
    calls_before_answers = len(slack.api.calls)

    chosen = await press_mood(slack, "UBOB", dms["UBOB"], 4)
    thanks = slack.api.ephemerals("UBOB")
    assert len(thanks) == 1 and "Thanks — recorded" in json.dumps(thanks, ensure_ascii=False)
    assert thanks[0].get("replace_original") in (None, False)
    kept = await submit_vent(slack, "UBOB", VENT)
    assert kept["response_action"] == "update" and "Thank you for sharing" in json.dumps(kept, ensure_ascii=False)

    await press_mood(slack, "UCAROL", dms["UCAROL"], 2)
    crisis = await submit_vent(slack, "UCAROL", CRISIS)
    shown = json.dumps(crisis, ensure_ascii=False)
    assert "You don't have to carry this alone" in shown and "findahelpline.com" in shown

    again = await press_mood(slack, "UBOB", dms["UBOB"], 1)
    assert "already answered" in json.dumps(slack.api.ephemerals("UBOB")[-1], ensure_ascii=False)

    after = slack.api.calls[calls_before_answers:]
    assert {c.method for c in after} <= {"auth.test", "users.info", "conversations.info", "views.open"}  # no post
    sent = every_outgoing(slack.api)
    for words in (VENT, CRISIS):
        assert not any(words in s for s in sent)
    answered_values = (chosen["value"], again["value"])
    assert not any(v in json.dumps(c.params) for c in after for v in answered_values)
    for reply in slack.api.responses:
        assert "🙂" not in json.dumps(reply, ensure_ascii=False) and "😫" not in json.dumps(reply, ensure_ascii=False)
    assert not slack.api.calls_to("chat.update")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert VENT not in logged and CRISIS not in logged
    stored = await dump(slack.core.ctx.db)
    assert [t for t, rows in stored.items() if VENT in str(rows) or CRISIS in str(rows)] == []  # sealed while open


@pytest.mark.parametrize("typed", ["dm", "mention"])
async def test_vent_typed_in_a_dm_or_after_a_mention_answers_privately_with_a_button_that_opens_the_form(
    with_roster: SlackHarness, clock: FakeClock, typed: str
) -> None:
    slack = with_roster
    await fan_out(slack, clock)
    event = direct_message("vent", user="UBOB") if typed == "dm" else app_mention(f"<@{BOT_USER_ID}> vent",
                                                                                   user="UBOB")
    status, _ = await slack.event(event)
    assert status == 200
    await slack.settle()

    private = slack.api.ephemerals("UBOB") if typed == "mention" else [
        m for m in slack.api.messages if m["channel"] == "DUBOB" and "Get it off your chest" in json.dumps(m)]
    [offer] = private
    assert "only you will see it" in json.dumps(offer, ensure_ascii=False)
    opener = button(offer, "Get it off your chest")
    payload = block_actions(user="UBOB", name="bob", action_id=opener["action_id"], value=opener["value"],
                            channel=offer.get("channel", "CSUPPORT"), message={"ts": "1763280000.000001", **offer},
                            response_url=slack.api.response_url("UBOB"))
    status, _ = await slack.interact(payload)
    assert status == 200
    kept = await submit_vent(slack, "UBOB", VENT)
    assert "Thank you for sharing" in json.dumps(kept, ensure_ascii=False)
    assert not any(VENT in s for s in every_outgoing(slack.api))


async def test_a_rate_limit_mid_round_holds_every_invitation_until_slack_said_then_each_arrives_once(
    with_roster: SlackHarness, clock: FakeClock
) -> None:
    """A 429 is for the app, not for one message: the rest of the fan-out waits instead of hammering Slack."""
    with_roster.api.script("chat.postMessage", status=429, headers={"Retry-After": "120"})
    assert await fan_out(with_roster, clock) == {}
    assert len(with_roster.api.calls_to("chat.postMessage")) == 1

    clock.advance(seconds=121)
    with_roster.core.outbox.kick()
    await with_roster.wait_for(lambda: len(with_roster.api.messages) == len(PEOPLE))
    await with_roster.settle()
    assert sorted(m["channel"] for m in with_roster.api.messages) == sorted(f"D{user}" for user in PEOPLE)


async def test_a_late_press_on_slack_is_refused_kindly(with_roster: SlackHarness, clock: FakeClock) -> None:
    dms = await fan_out(with_roster, clock)
    clock.advance(days=4)
    await with_roster.core.tick()
    await press_mood(with_roster, "UDAVE", dms["UDAVE"], 3)
    assert "this round has closed" in json.dumps(with_roster.api.ephemerals("UDAVE"), ensure_ascii=False).casefold()
