"""Slack's side of reliability: verified requests only, repeated deliveries handled once, 429s and outages
survived without losing or doubling a kudos — all through the real server and the fake Web API."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import quote_plus, urlencode

import aiohttp
import pytest
from sqlalchemy import func, select

from adapters.slack.app import SlackAdapter
from adapters.slack.config import SlackConfig
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from huzzah.server import build_web_app, listening
from storage.db import Database
from storage.tables.delivery import once_keys, outbox
from storage.tables.kudos import kudos, kudos_cogivers
from storage.tables.polls import poll_votes
from tests.slack_support import (
    BOT_TOKEN,
    FORM,
    JSON,
    SIGNING_SECRET,
    SlackHarness,
    app_mention,
    block_actions,
    event_callback,
    message_action,
    reaction_added,
    signed_headers,
    slash_command,
    view_submission,
)


async def count(slack: SlackHarness, table=kudos) -> int:  # type: ignore[no-untyped-def]
    async with slack.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


def _signed_as(body: str, timestamp: str) -> dict[str, str]:
    """Headers whose HMAC is right for `timestamp` as written — what an attacker who knows int()'s leniency sends."""
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Signature": f"v0={digest}", "X-Slack-Request-Timestamp": timestamp}


def command_body(slack: SlackHarness) -> str:
    command = slash_command("<@UBOB> thanks for the save #ownership", response_url=slack.api.response_url("UALICE"))
    return urlencode(command)


@pytest.mark.parametrize("headers", [
    pytest.param(lambda body: signed_headers(body, secret="not-the-secret"), id="wrong-signature"),
    pytest.param(lambda body: signed_headers(body, timestamp=int(time.time()) - 3600), id="an-hour-old"),
    pytest.param(lambda body: signed_headers(body, timestamp=int(time.time()) - 301), id="just-over-5-minutes"),
    pytest.param(lambda body: {}, id="unsigned"),
    pytest.param(lambda body: {**signed_headers(body), "X-Slack-Request-Timestamp": "soon"}, id="garbled-timestamp"),
    pytest.param(lambda body: _signed_as(body, "²"), id="superscript-two-timestamp"),
    pytest.param(lambda body: _signed_as(body, "١٧٦٣٢٨٠٠٠٠"), id="arabic-indic-digits-timestamp"),
    pytest.param(lambda body: _signed_as(body, f" {int(time.time())}"), id="timestamp-with-a-space"),
    pytest.param(lambda body: _signed_as(body, f"{int(time.time()):_}"), id="timestamp-with-underscores"),
    pytest.param(lambda body: {**signed_headers(body), "X-Slack-Signature": "v0=" + "é" * 64},
                 id="non-ascii-signature"),
])
async def test_a_request_slack_did_not_sign_gets_401_and_changes_nothing(  # type: ignore[no-untyped-def]
    slack: SlackHarness, headers
) -> None:
    body = command_body(slack)
    status, _ = await slack.post(body, FORM, headers(body))
    assert status == 401
    await slack.settle()
    assert slack.api.calls == [] and slack.api.responses == []
    assert await count(slack) == 0 and await count(slack, outbox) == 0


@pytest.mark.parametrize(("body", "content_type"), [
    pytest.param(b"\xff\xfe payload=%7B", FORM, id="not-utf-8"),
    pytest.param(b"[" * 50_000, JSON, id="nested-past-the-parser"),
    pytest.param(b'{"type": "event_callback", "event": []}', JSON, id="event-not-an-object"),
    pytest.param(b"payload=%7B%22type%22%3A%22block_actions%22%7D", "text/plain", id="odd-content-type"),
])
async def test_a_wrongly_signed_body_is_refused_before_it_is_read(
    slack: SlackHarness, body: bytes, content_type: str
) -> None:
    forged = signed_headers(body.decode("latin-1"), secret="not-the-secret")
    async with slack.http.post(slack.events_url, data=body, headers={"Content-Type": content_type, **forged}) as resp:
        assert resp.status == 401
    assert slack.api.calls == [] and await count(slack) == 0


async def test_a_tampered_body_is_refused(slack: SlackHarness) -> None:
    body = command_body(slack)
    headers = signed_headers(body)
    status, _ = await slack.post(body.replace("UBOB", "UCAROL"), FORM, headers)
    assert status == 401
    assert slack.api.calls == [] and await count(slack) == 0


async def test_one_app_mention_delivered_three_times_posts_once(slack: SlackHarness) -> None:
    body = event_callback(app_mention("<@UHUZZAHBOT> <@UBOB> thanks for the save #ownership"))
    for retry in (0, 1, 2):
        status, _ = await slack.event({}, body=body, retry=retry)
        assert status == 200
    await slack.settle()
    assert len(slack.api.posts_in("CKUDOS")) == 1
    assert len(slack.api.calls_to("chat.postEphemeral")) == 1
    assert await count(slack) == 1


async def test_a_retry_that_arrives_while_the_first_is_still_working_posts_once(slack: SlackHarness) -> None:
    body = event_callback(app_mention("<@UHUZZAHBOT> <@UBOB> thanks for the save"))
    await slack.event({}, body=body)
    await slack.event({}, body=body, retry=1)
    await slack.settle()
    assert len(slack.api.posts_in("CKUDOS")) == 1 and await count(slack) == 1


async def test_429_with_retry_after_is_waited_out_and_delivered_once(slack: SlackHarness) -> None:
    slack.api.script("chat.postMessage", status=429, headers={"Retry-After": "1"})
    await slack.command("<@UBOB> thanks for the save #ownership")
    await slack.settle()
    posts = [c for c in slack.api.calls if c.method == "chat.postMessage" and c.params["channel"] == "CKUDOS"]
    assert len(posts) == 2  # the refused attempt and the one that landed
    assert posts[1].at - posts[0].at >= 1.0, "Retry-After: 1 was waited out"
    assert len([m for m in slack.api.messages if m["channel"] == "CKUDOS"]) == 1
    async with slack.core.ctx.db.transaction() as conn:
        statuses = (await conn.execute(select(outbox.c.status))).scalars().all()
    assert statuses == ["sent", "sent"]


async def test_a_long_rate_limit_is_left_to_the_outbox_which_retries_when_slack_said(
    slack: SlackHarness, clock: FakeClock
) -> None:
    slack.api.script("chat.postMessage", status=429, headers={"Retry-After": "120"})
    await slack.command("<@UBOB> thanks for the save")
    await slack.settle()
    assert [m for m in slack.api.messages if m["channel"] == "CKUDOS"] == []
    async with slack.core.ctx.db.transaction() as conn:
        row = (await conn.execute(select(outbox).where(outbox.c.key == "kudos:1:post"))).one()
    assert row.status == "pending" and (row.not_before - clock.now()).total_seconds() == 120

    clock.advance(seconds=121)
    slack.core.outbox.kick()
    await slack.wait_for(lambda: any(m["channel"] == "CKUDOS" for m in slack.api.messages))
    await slack.settle()
    assert len([m for m in slack.api.messages if m["channel"] == "CKUDOS"]) == 1


async def test_when_slack_stays_down_the_kudos_is_kept_and_delivered_later(
    slack: SlackHarness, clock: FakeClock
) -> None:
    slack.api.script("chat.postMessage", status=503, body={"ok": False, "error": "service_unavailable"}, times=6)
    status, _ = await slack.command("<@UBOB> thanks for the save")
    assert status == 200
    await slack.settle()
    assert await count(slack) == 1
    assert slack.api.messages == []
    assert "Sent!" in slack.api.ephemerals("UALICE")[0]["text"]

    clock.advance(hours=2)
    slack.core.outbox.kick()
    await slack.wait_for(lambda: len(slack.api.messages) == 2)  # the post and the DM, once each
    await slack.settle()
    assert sorted(m["channel"] for m in slack.api.messages) == ["CKUDOS", "DUBOB"]


async def test_a_channel_that_does_not_exist_is_given_up_at_once_and_the_giver_is_told(
    slack: SlackHarness, settings: Settings
) -> None:
    slack.api.channels.pop("CKUDOS")
    await slack.command("<@UBOB> thanks for the save")
    await slack.settle()
    async with slack.core.ctx.db.transaction() as conn:
        row = (await conn.execute(select(outbox).where(outbox.c.key == "kudos:1:post"))).one()
    assert row.status == "failed" and "#kudos" in row.last_error
    assert await count(slack) == 1  # the kudos itself is kept
    to_bob, to_alice = (slack.api.posts_in(slack.api.dm_channel(u)) for u in ("UBOB", "UALICE"))
    assert len(to_bob) == 1 and "thanked you" in to_bob[0]["text"]
    [notice] = to_alice
    assert "couldn't post your huzzah" in notice["text"]
    assert "create it or fix the channel in app.yaml" in json.dumps(notice["blocks"])


async def test_two_instances_on_one_database_handle_a_repeated_event_once(
    slack: SlackHarness, settings: Settings, db: Database, clock: FakeClock
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("several instances share one PostgreSQL")
    second = SlackAdapter(Huzzah(settings, db, clock), SlackConfig(BOT_TOKEN, SIGNING_SECRET, slack.api.base_url))
    second.core.plug(second.platform())
    body = json.dumps(event_callback(app_mention("<@UHUZZAHBOT> <@UBOB> thanks for the save")))
    first_status, _ = await slack.post(body, JSON, signed_headers(body))
    retried = {**signed_headers(body), "Content-Type": JSON, "X-Slack-Retry-Num": "1"}
    async with listening(build_web_app(second.core), "127.0.0.1", 0) as port, \
            slack.http.post(f"http://127.0.0.1:{port}/slack/events", data=body.encode(), headers=retried) as resp:
        assert first_status == 200 and resp.status == 200
        while second.busy:
            await asyncio.sleep(0.02)
    await slack.settle()
    await second.core.drain()
    await second.client.close()
    assert len(slack.api.posts_in("CKUDOS")) == 1 and await count(slack) == 1


async def test_healthz_is_ok_while_the_database_answers(slack: SlackHarness) -> None:
    async with slack.http.get(slack.base_url + "/healthz") as resp:
        assert resp.status == 200 and await resp.json() == {"status": "ok"}


async def test_healthz_is_503_with_a_reason_when_the_database_does_not(  # type: ignore[no-untyped-def]
    tmp_path, settings: Settings
) -> None:
    broken = Database(f"sqlite+aiosqlite:///{tmp_path}/missing/dir/huzzah.db")
    async with listening(build_web_app(Huzzah(settings, broken)), "127.0.0.1", 0) as port, \
            aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/healthz") as resp:
        assert resp.status == 503
        answer = await resp.json()
    assert answer["status"] == "unavailable" and answer["reason"].startswith("database")
    await broken.close()


async def test_delivery_ids_are_forgotten_after_a_day_and_other_claims_are_kept(
    slack: SlackHarness, clock: FakeClock
) -> None:
    await slack.event(reaction_added(user="UALICE", item_user="UBOB"))
    await slack.settle()
    async with slack.core.ctx.db.transaction() as conn:
        before = sorted(k.split(":")[0] + ":" + k.split(":")[1] for k in (await conn.execute(
            select(once_keys.c.key))).scalars())
    assert before == ["kudos:reaction", "slack:event"]
    clock.advance(hours=25)
    await slack.core.tick()
    async with slack.core.ctx.db.transaction() as conn:
        after = (await conn.execute(select(once_keys.c.key))).scalars().all()
    assert [k.split(":")[0] for k in after] == ["kudos"]  # one reaction, one kudos, however late it is re-added


async def test_what_people_wrote_never_reaches_the_log(slack: SlackHarness, caplog) -> None:  # type: ignore[no-untyped-def]
    secret = "my manager shouted at me again"
    body = urlencode(slash_command(f"<@UBOB> {secret}", response_url=slack.api.response_url("UALICE")))
    with caplog.at_level("DEBUG"):
        await slack.post(body, FORM, signed_headers(body, timestamp=int(time.time()) - 3600))  # a stale one
        await slack.command(f"<@UGONE> {secret}")
        await slack.event(app_mention(f"<@UHUZZAHBOT> <@UNOBODY> {secret}"))
        await slack.settle()
    assert secret not in caplog.text and quote_plus(secret) not in caplog.text


async def test_a_command_slack_sent_without_a_user_is_answered_privately_and_does_nothing(slack: SlackHarness) -> None:
    command = slash_command("<@UBOB> thanks for the save", response_url=slack.api.response_url("UALICE"))
    del command["user_id"]
    status, body = await slack.signed(urlencode(command), FORM)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_type"] == "ephemeral" and "user_id is missing" in answer["text"]
    await slack.settle()
    assert slack.api.calls == [] and await count(slack) == 0


@pytest.mark.parametrize("event", [
    pytest.param({**app_mention("<@UHUZZAHBOT> <@UBOB> thanks"), "user": "U" * 201}, id="a 201-character user id"),
    pytest.param({**app_mention("<@UHUZZAHBOT> <@UBOB> thanks"), "channel": ["CSUPPORT"]}, id="a list for a channel"),
    pytest.param({**reaction_added(user="UALICE", item_user="UBOB"), "item": None}, id="a reaction on nothing"),
    pytest.param({"type": "app_home_opened", "tab": "home"}, id="a home tab opened by no one"),
])
async def test_an_event_with_a_field_missing_or_garbled_is_a_400_that_changes_nothing(
    slack: SlackHarness, event: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level("INFO"):
        status, body = await slack.event(event)
    assert status == 400 and "unreadable request" in body
    await slack.settle()
    assert slack.api.calls == [] and await count(slack) == 0
    [line] = [r for r in caplog.records if "cannot be read" in r.getMessage()]
    assert "thanks" not in line.getMessage() and not line.exc_info


async def test_an_event_huzzah_does_not_listen_to_is_acknowledged(slack: SlackHarness) -> None:
    status, _ = await slack.event({"type": "member_joined_channel", "user": "UALICE", "channel": "CSUPPORT"})
    assert status == 200 and slack.api.calls == []


def _posted_button(slack: SlackHarness, channel: str, action: str) -> tuple[dict[str, Any], dict[str, Any]]:
    for message in (m for m in slack.api.messages if m["channel"] == channel):
        for block in message.get("blocks", []):
            for element in block.get("elements", []):
                if element.get("action_id", "").startswith(action):
                    return message, element
    raise AssertionError(f"no {action} button in {channel}")


async def test_buttons_carrying_ids_no_one_made_are_answered_as_out_of_date(slack: SlackHarness) -> None:
    await slack.command("<@UBOB> thanks for the save")
    await slack.command('poll "Lunch?" Tacos Ramen')
    await slack.settle()  # the outbox worker may hold the posts in its batch: wait until they are out
    wanted = (("CKUDOS", "kudos.metoo"), ("CSUPPORT", "poll.vote"), ("CSUPPORT", "poll.close"))
    buttons = [(channel, *_posted_button(slack, channel, action)) for channel, action in wanted]
    for forged in ("²", "12345678901234567890", "1" * 201, "-1", "1:²", "99999999999999999999:0", "1:99"):
        answers = []
        for channel, message, element in buttons:
            status, _ = await slack.interact(block_actions(
                user="UCAROL", name="carol", action_id=element["action_id"], value=forged, channel=channel,
                message=message, response_url=slack.api.response_url("UCAROL")))
            await slack.wait_for(lambda: slack.adapter.busy == 0)
            assert status == 200
            answers.append(slack.api.ephemerals("UCAROL")[-1]["text"])
        assert answers == ["That button is out of date — give your own huzzah instead.",
                           "That poll no longer exists.", "That poll no longer exists."], forged
    assert await count(slack, kudos_cogivers) == 0 and await count(slack, poll_votes) == 0


async def test_a_form_whose_private_metadata_was_forged_is_out_of_date_and_gives_nothing(slack: SlackHarness) -> None:
    await slack.interact(message_action(user="UALICE", name="alice", author="UBOB",
                                        response_url=slack.api.response_url("UALICE")))
    await slack.settle()
    opened = slack.api.calls_to("views.open")[-1]["view"]
    for forged in ('{"context": {"to": 2}}', '{"context": "{\\"to\\": 99999999999999999999}"}', "[1, 2]", "{nope",
                   '{"context": "{\\"to\\": \\"²\\"}"}'):
        submitted = view_submission({**opened, "private_metadata": forged}, {"reason": "for the fix"},
                                    user="UALICE", name="alice")
        status, body = await slack.interact(submitted)
        assert status == 200 and "That form is out of date" in body
    await slack.settle()
    assert await count(slack) == 0 and slack.api.posts_in("CKUDOS") == []
