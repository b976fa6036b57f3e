"""`SlackMessenger` against the fake Web API: where things land, charts, and what the outbox is told on failure."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack.client import CountingWebClient, make_client
from adapters.slack.config import SlackConfig
from adapters.slack.directory import SlackDirectory
from adapters.slack.messenger import SlackMessenger
from bot.incoming import MessageRef
from bot.messages import Image, message, say, text
from bot.people import Channel, Person
from bot.ports import DeliveryError
from tests.fakes.slack_api import TEAM_ID, FakeSlackAPI

KUDOS = Channel("slack", TEAM_ID, "#kudos", name="#kudos")
BOB = Person("slack", TEAM_ID, "UBOB", "bob")


@pytest.fixture
async def messenger(fake_slack_api: FakeSlackAPI) -> AsyncIterator[SlackMessenger]:
    client = make_client(SlackConfig("xoxb-test", "secret", fake_slack_api.base_url))
    yield SlackMessenger(client, SlackDirectory(client), TEAM_ID)
    await client.close()


async def test_channels_by_name_are_resolved_once_and_threads_are_kept(
    messenger: SlackMessenger, fake_slack_api: FakeSlackAPI
) -> None:
    first = await messenger.post(KUDOS, say("one"), None)
    reply = await messenger.post(KUDOS, say("two"), first)
    assert first.channel == "CKUDOS" and reply.channel == "CKUDOS"
    assert fake_slack_api.calls_to("chat.postMessage")[1]["thread_ts"] == first.id
    assert len(fake_slack_api.calls_to("conversations.list")) == 1


async def test_a_direct_message_goes_to_the_user_id_with_no_conversation_opened_first(
    messenger: SlackMessenger, fake_slack_api: FakeSlackAPI
) -> None:
    await messenger.direct(BOB, say("hi"))
    ref = await messenger.direct(BOB, say("again"))
    assert ref.channel == "DUBOB"  # where Slack put it: the app's DM with Bob
    assert [p["channel"] for p in fake_slack_api.calls_to("chat.postMessage")] == ["UBOB", "UBOB"]
    assert fake_slack_api.web_api_calls() == ["chat.postMessage", "chat.postMessage"]


async def test_every_call_goes_over_one_http_session(messenger: SlackMessenger, fake_slack_api: FakeSlackAPI) -> None:
    await messenger.post(KUDOS, say("one"), None)
    await messenger.direct(BOB, say("two"))
    await messenger.post(KUDOS, say("three"), None)
    client = messenger.client
    assert isinstance(client, CountingWebClient) and client.session is not None
    assert len({c.peer for c in fake_slack_api.calls}) == 1, "one TCP connection, kept open for every call"


async def test_a_chart_is_uploaded_with_the_files_v2_flow_under_its_message(
    messenger: SlackMessenger, fake_slack_api: FakeSlackAPI
) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    await messenger.post(KUDOS, message(text("Weekly digest"), Image("Mood 3.8 of 5", png=png, title="Mood")), None)
    [posted] = fake_slack_api.calls_to("chat.postMessage")
    assert "Mood 3.8 of 5" in str(posted["blocks"])  # the chart's words are in the message itself
    [asked] = fake_slack_api.calls_to("files.getUploadURLExternal")
    assert asked["filename"] == "chart.png" and int(asked["length"]) == len(png)
    assert list(fake_slack_api.uploads.values()) == [png]
    [completed] = fake_slack_api.calls_to("files.completeUploadExternal")
    assert completed["channel_id"] == "CKUDOS" and completed["files"][0]["title"] == "Mood"


async def test_slack_refusals_become_retry_or_give_up(messenger: SlackMessenger, fake_slack_api: FakeSlackAPI) -> None:
    fake_slack_api.script("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
    with pytest.raises(DeliveryError) as gone:
        await messenger.post(Channel("slack", TEAM_ID, "CDELETED"), say("x"), None)
    assert gone.value.permanent

    fake_slack_api.script("chat.update", status=429, headers={"Retry-After": "600"})
    with pytest.raises(DeliveryError) as limited:
        await messenger.update(MessageRef("slack", TEAM_ID, "CKUDOS", "1.2"), say("x"))
    assert not limited.value.permanent and limited.value.retry_after == 600
    assert len(fake_slack_api.calls_to("chat.update")) == 1  # a long wait is not slept through in place

    fake_slack_api.script("chat.postMessage", body={"ok": False, "error": "not_in_channel"})
    with pytest.raises(DeliveryError, match="invite @Huzzah") as outside:
        await messenger.post(KUDOS, say("x"), None)
    assert not outside.value.permanent


async def test_slack_unreachable_is_worth_retrying(fake_slack_api: FakeSlackAPI) -> None:
    client = make_client(SlackConfig("xoxb-test", "secret", "http://127.0.0.1:9/api/"))
    try:
        with pytest.raises(DeliveryError, match="unreachable") as down:
            await SlackMessenger(client, SlackDirectory(client), TEAM_ID).direct(BOB, say("hi"))
    finally:
        await client.close()
    assert not down.value.permanent
