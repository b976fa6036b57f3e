"""Hostile input against the real endpoints, over loopback: Slack's /slack/events and Teams' /api/messages.

Generated from every payload type Huzzah handles, broken field by field and byte by byte (tests/hostile.py):
an authentic request (validly signed, or carrying a valid Bot Framework token) is never answered with a 5xx
and never leaves a traceback in the log, and what people wrote never reaches the log; an unsigned or wrongly
signed one is always a 401 and changes nothing — no row, no Web API call, no message.

Bounded and deterministic (derandomized, no example database), so it runs the same in CI every time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select

from adapters.slack.render import modal
from bot.config import CompanyValue, Settings
from bot.features.checkins.views import vent_form
from bot.features.kudos.views import give_form
from bot.features.polls.builder import builder_form
from bot.features.polls.settings import PollSettings
from bot.people import Channel, Person
from storage.db import Database
from storage.schema import metadata
from tests.fakes.slack_api import TEAM_ID
from tests.hostile import (
    ACTIVITY_ID,
    EVENT_ID,
    RESPONSE_URL,
    SERVICE_URL,
    TRIGGER,
    TS,
    Hostile,
    fresh,
    requests,
)
from tests.msteams_support import (
    APP_ID,
    BOT,
    CHANNEL_ID,
    MsTeamsWorld,
    bot_added_to_team,
    card_submit,
    channel_message,
    installed_personally,
    personal_conversation,
    personal_message,
    user,
    world_fixture,
)
from tests.slack_support import (
    SIGNING_SECRET,
    SlackHarness,
    app_home_opened,
    app_mention,
    block_actions,
    direct_message,
    event_callback,
    message_action,
    reaction_added,
    slash_command,
    view_submission,
)

CONFIDENCE = "my manager shouted at me again"
"""Written into every template's free text: it must never show up in the log, whatever happens."""


def bounded(examples: int) -> Any:
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


def assert_a_clean_log(caplog: pytest.LogCaptureFixture) -> None:
    """No traceback, no exception attached to any record, nothing anyone wrote."""
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []
    assert "Traceback" not in caplog.text
    assert CONFIDENCE not in caplog.text


async def nothing_stored(db: Database) -> bool:
    async with db.transaction() as conn:
        present = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
        for table in metadata.sorted_tables:
            if table.name in present and (await conn.execute(select(func.count()).select_from(table))).scalar_one():
                return False
    return True


# ---- Slack ----------------------------------------------------------------------------------------------

SETTINGS = Settings(timezone="UTC", values=[CompanyValue(name="ownership", emoji="🦉", meaning="We see it through.")])
ALICE = {"id": "UALICE", "username": "alice", "name": "alice", "team_id": TEAM_ID}


def _event(event: dict[str, Any]) -> dict[str, Any]:
    return {**event_callback(event), "event_id": EVENT_ID}


def _command(text: str) -> dict[str, str]:
    return {**slash_command(text), "response_url": RESPONSE_URL, "trigger_id": TRIGGER}


def _press(action_id: str, value: str, channel: str = "CKUDOS") -> dict[str, Any]:
    pressed = block_actions(user="UCAROL", name="carol", action_id=action_id, value=value, channel=channel,
                            message={"ts": TS, "text": "🎉 Huzzah for @bob!", "user": "UHUZZAHBOT"},
                            response_url=RESPONSE_URL)
    return {**pressed, "trigger_id": TRIGGER}


def _submit(form: Any, meta: dict[str, str], values: dict[str, Any]) -> dict[str, Any]:
    return {**view_submission(modal(form, meta), values, user="UALICE", name="alice"), "trigger_id": TRIGGER}


_VENT = _submit(vent_form(SETTINGS), {"context": "", "channel": "DUALICE"}, {"vent": CONFIDENCE, "discard": ()})
_BOB = Person("slack", TEAM_ID, "UBOB", "bob")
_GIVE = _submit(give_form(SETTINGS, _BOB, "", json.dumps({"to": 2, "link": ""})),
                {"context": json.dumps({"to": 2, "link": ""}), "channel": "CSUPPORT"},
                {"reason": CONFIDENCE, "values": ("ownership",)})
_SUPPORT = Channel("slack", TEAM_ID, "CSUPPORT", name="support")
_BUILDER = builder_form(_SUPPORT, PollSettings())
_POLL = _submit(_BUILDER, {"context": _BUILDER.context, "channel": "CSUPPORT"},
                {"question": "Lunch?", "options": "Tacos\nRamen", "closes": "", "settings": ()})

SLACK_TEMPLATES: list[tuple[str, str, Any]] = [
    ("slash command", "form", _command(f"<@UBOB> {CONFIDENCE} #ownership")),
    ("slash command: poll", "form", _command('poll "Lunch?" Tacos Ramen --closes 2h')),
    ("slash command: vent", "form", _command("vent")),
    ("app_mention", "json", _event(app_mention(f"<@UHUZZAHBOT> <@UBOB> {CONFIDENCE}", ts=TS))),
    ("message.im", "json", _event({**direct_message("stats"), "ts": TS, "event_ts": TS})),
    ("reaction_added", "json", _event(reaction_added(user="UALICE", item_user="UBOB", ts=TS))),
    ("app_home_opened", "json", _event(app_home_opened())),
    ("url_verification", "json", {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
                                  "type": "url_verification"}),
    ("block_actions: me too", "payload", _press("kudos.metoo", "1")),
    ("block_actions: vote", "payload", _press("poll.vote#0", "1:0", channel="CSUPPORT")),
    ("block_actions: mood", "payload", _press("checkin.mood", "0123456789abcdef:3", channel="DUCAROL")),
    ("view_submission: vent", "payload", _VENT),
    ("view_submission: give", "payload", _GIVE),
    ("view_submission: poll", "payload", _POLL),
    ("view_closed", "payload", {"type": "view_closed", "team": {"id": TEAM_ID}, "user": ALICE, "api_app_id": "A1",
                                "view": _VENT["view"], "is_cleared": False}),
    ("shortcut", "payload", {"type": "shortcut", "callback_id": "kudos.give", "trigger_id": TRIGGER, "user": ALICE,
                             "team": {"id": TEAM_ID}, "action_ts": "1763280000.123456", "token": "x"}),
    ("message_action", "payload", {**message_action(user="UALICE", name="alice", author="UBOB", text=CONFIDENCE,
                                                    response_url=RESPONSE_URL), "trigger_id": TRIGGER}),
]


def slack_signature(raw: bytes, *, secret: str = SIGNING_SECRET, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp or str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
    return {"X-Slack-Signature": f"v0={digest}", "X-Slack-Request-Timestamp": ts}


async def send_to_slack(slack: SlackHarness, request: Hostile,
                        headers: Any = slack_signature) -> tuple[int, str]:
    def fill(placeholder: str) -> str:
        return slack.api.response_url("UALICE") if placeholder == RESPONSE_URL else fresh(placeholder)

    content_type, raw = request.encode(fill)
    async with slack.http.post(slack.events_url, data=raw,
                               headers={"Content-Type": content_type, **headers(raw)}) as resp:
        return resp.status, await resp.text()


@pytest.fixture
async def busy_slack(slack: SlackHarness) -> SlackHarness:
    """The Slack server after a kudos and a poll, so presses and forms name things that exist."""
    await slack.command("<@UBOB> thanks for the save #ownership")
    await slack.command('poll "Lunch?" Tacos Ramen')
    await slack.wait_for(lambda: slack.adapter.busy == 0)
    await slack.core.drain()
    return slack


@bounded(160)
@given(request=requests(SLACK_TEMPLATES))
async def test_an_authentic_but_malformed_slack_request_gets_a_clear_answer_never_a_5xx_or_a_traceback(
    busy_slack: SlackHarness, caplog: pytest.LogCaptureFixture, request: Hostile
) -> None:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        status, answer = await send_to_slack(busy_slack, request)
        await busy_slack.settle()
    event(f"{request.name}: {status}")
    assert status in (200, 400), (request.name, status, answer)
    assert_a_clean_log(caplog)


FORGERIES = {
    "unsigned": lambda raw: {},
    "signed with another secret": lambda raw: slack_signature(raw, secret="not-the-secret"),
    "an hour old": lambda raw: slack_signature(raw, timestamp=str(int(time.time()) - 3600)),
    "a timestamp of ²": lambda raw: slack_signature(raw, timestamp="²"),
    "Arabic-Indic digits": lambda raw: slack_signature(raw, timestamp="١٧٦٣٢٨٠٠٠٠"),
    "another body's signature": lambda raw: slack_signature(raw + b" "),
    "a garbled signature": lambda raw: {**slack_signature(raw), "X-Slack-Signature": "v0=²" + "0" * 63},
    "no signature": lambda raw: {"X-Slack-Request-Timestamp": str(int(time.time()))},
}


@bounded(100)
@given(request=requests(SLACK_TEMPLATES), forgery=st.sampled_from(sorted(FORGERIES)))
async def test_an_unsigned_or_wrongly_signed_slack_request_is_always_401_and_changes_nothing(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, request: Hostile, forgery: str
) -> None:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        status, _ = await send_to_slack(slack, request, FORGERIES[forgery])
        await slack.settle()
    assert status == 401, (request.name, forgery)
    assert slack.api.calls == [] and slack.api.responses == []
    assert await nothing_stored(slack.core.ctx.db)
    assert_a_clean_log(caplog)


# ---- Microsoft Teams ---------------------------------------------------------------------------------------

secured_msteams = world_fixture("secured_msteams", app_id=APP_ID)
TEAMS_ALICE, TEAMS_BOB = user("Alice"), user("Bob")


def _activity(activity: dict[str, Any]) -> dict[str, Any]:
    return {**activity, "id": ACTIVITY_ID}


_PERSONAL = personal_conversation(TEAMS_ALICE)
_INVOKE = {**personal_message(SERVICE_URL, TEAMS_ALICE, ""), "type": "invoke", "name": "adaptiveCard/action",
           "value": {"action": {"type": "Action.Execute", "verb": "x", "data": {}}}}
TEAMS_TEMPLATES: list[tuple[str, str, Any]] = [
    ("channel mention", "json", _activity(channel_message(
        SERVICE_URL, TEAMS_ALICE, f"<at>Huzzah</at> <at>Bob</at> {CONFIDENCE} #ownership", [BOT, TEAMS_BOB]))),
    ("personal message", "json", _activity(personal_message(SERVICE_URL, TEAMS_ALICE, "help"))),
    ("personal poll", "json", _activity(personal_message(SERVICE_URL, TEAMS_ALICE, 'poll "Lunch?" Tacos Ramen'))),
    ("card press", "json", _activity(card_submit(SERVICE_URL, TEAMS_BOB, CHANNEL_ID, "1",
                                                 {"huzzah": "press", "action": "kudos.metoo", "value": "1"}))),
    ("card choice", "json", _activity(card_submit(SERVICE_URL, TEAMS_BOB, CHANNEL_ID, "1",
                                                  {"huzzah": "choose", "action": "poll.vote", "input": "vote",
                                                   "field:vote": "1:0"}))),
    ("card form", "json", _activity(card_submit(SERVICE_URL, TEAMS_ALICE, _PERSONAL, "1",
                                                {"huzzah": "form", "form": "checkin.vent", "context": "",
                                                 "multi": ["discard"], "field:vent": CONFIDENCE,
                                                 "field:discard": ""}))),
    ("bot added to a team", "json", _activity(bot_added_to_team(SERVICE_URL, TEAMS_ALICE))),
    ("installed personally", "json", _activity(installed_personally(SERVICE_URL, TEAMS_ALICE))),
    ("invoke", "json", _activity(_INVOKE)),
]


async def send_to_msteams(world: MsTeamsWorld, request: Hostile, token: str | None) -> tuple[int, str]:
    def fill(placeholder: str) -> str:
        return world.service_url if placeholder == SERVICE_URL else fresh(placeholder)

    content_type, raw = request.encode(fill)
    headers = {"Content-Type": content_type, **({"Authorization": token} if token else {})}
    async with world.http.post(f"{world.url}/api/messages", data=raw, headers=headers) as resp:
        answer = resp.status, await resp.text()
    await world.msteams.bot.settle()
    await world.core.outbox.drain()
    return answer


@bounded(120)
@given(request=requests(TEAMS_TEMPLATES))
async def test_an_authenticated_but_malformed_teams_activity_gets_a_clear_answer_never_a_5xx_or_a_traceback(
    secured_msteams: MsTeamsWorld, caplog: pytest.LogCaptureFixture, request: Hostile
) -> None:
    issuer = secured_msteams.connector.issuer
    assert issuer
    caplog.clear()
    with caplog.at_level(logging.INFO):
        status, answer = await send_to_msteams(
            secured_msteams, request, f"Bearer {issuer.token(APP_ID, secured_msteams.service_url)}")
    event(f"{request.name}: {status}")
    assert status in (200, 201, 400, 415), (request.name, status, answer)
    assert_a_clean_log(caplog)


_STRANGER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
TOKEN_FORGERIES = ["none", "not a jwt", "Basic", "someone else's key", "another app", "expired", "another issuer"]


def forged_token(world: MsTeamsWorld, forgery: str) -> str | None:
    issuer = world.connector.issuer
    assert issuer
    url = world.service_url
    return {
        "none": None,
        "not a jwt": "Bearer definitely.not.a-token",
        "Basic": "Basic YWxpY2U6c2VjcmV0",
        "someone else's key": f"Bearer {issuer.token(APP_ID, url, key=_STRANGER_KEY)}",
        "another app": f"Bearer {issuer.token('someone-elses-app', url)}",
        "expired": f"Bearer {issuer.token(APP_ID, url, lifetime=-3600)}",
        "another issuer": f"Bearer {issuer.token(APP_ID, url, issuer='https://evil.invalid/issuer')}",
    }[forgery]


@bounded(60)
@given(request=requests(TEAMS_TEMPLATES), forgery=st.sampled_from(TOKEN_FORGERIES))
async def test_a_teams_request_without_a_valid_token_is_always_401_and_changes_nothing(
    secured_msteams: MsTeamsWorld, caplog: pytest.LogCaptureFixture, request: Hostile, forgery: str
) -> None:
    caplog.clear()
    with caplog.at_level(logging.INFO):
        status, _ = await send_to_msteams(secured_msteams, request, forged_token(secured_msteams, forgery))
    assert status == 401, (request.name, forgery)
    assert secured_msteams.connector.sent == [] and secured_msteams.connector.created == []
    assert await nothing_stored(secured_msteams.core.ctx.db)
    assert_a_clean_log(caplog)
