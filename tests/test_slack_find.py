"""Finding a delivery on Slack by its key: every post carries it as message metadata, and `find` reads it back
from the conversation's history within the time window — against the fake Web API, which keeps metadata and
answers conversations.history / conversations.replies as Slack does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import messenger as slack_messenger
from adapters.slack.client import make_client
from adapters.slack.config import SlackConfig
from adapters.slack.directory import SlackDirectory
from adapters.slack.messenger import DELIVERY_EVENT, SlackMessenger
from bot.messages import say
from bot.people import Channel, Person
from tests.fakes.slack_api import TEAM_ID, FakeSlackAPI

KUDOS = Channel("slack", TEAM_ID, "#kudos", name="#kudos")
BOB = Person("slack", TEAM_ID, "UBOB", "bob")
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


@pytest.fixture
async def client(fake_slack_api: FakeSlackAPI) -> AsyncIterator[AsyncWebClient]:
    client = make_client(SlackConfig("xoxb-test", "secret", fake_slack_api.base_url))
    yield client
    await client.close()


@pytest.fixture
async def messenger(client: AsyncWebClient) -> AsyncIterator[SlackMessenger]:
    yield SlackMessenger(client, SlackDirectory(client), TEAM_ID)


async def test_every_post_and_dm_carries_its_delivery_key_as_metadata(
    messenger: SlackMessenger, fake_slack_api: FakeSlackAPI
) -> None:
    await messenger.post(KUDOS, say("huzzah"), None, key="kudos:1:post")
    await messenger.direct(BOB, say("thanked"), key="kudos:1:dm:2")
    await messenger.post(KUDOS, say("a private answer has no key"), None)
    sent = fake_slack_api.calls_to("chat.postMessage")
    assert [c.get("metadata") for c in sent] == [
        {"event_type": DELIVERY_EVENT, "event_payload": {"key": "kudos:1:post"}},
        {"event_type": DELIVERY_EVENT, "event_payload": {"key": "kudos:1:dm:2"}},
        None,
    ]


async def test_find_returns_the_tagged_message_in_a_channel_a_dm_or_a_thread(messenger: SlackMessenger) -> None:
    since = datetime.now(UTC)
    posted = await messenger.post(KUDOS, say("huzzah"), None, key="kudos:1:post")
    await messenger.post(KUDOS, say("another"), None, key="kudos:2:post")
    reply = await messenger.post(KUDOS, say("results"), posted, key="poll:1:results")
    dm = await messenger.direct(BOB, say("thanked"), key="kudos:1:dm:2")

    assert await messenger.find(KUDOS, "kudos:1:post", since) == posted
    assert await messenger.find(BOB, "kudos:1:dm:2", since) == dm
    assert await messenger.find(KUDOS, "poll:1:results", since, posted) == reply
    assert await messenger.find(KUDOS, "poll:1:results", since) is None, "a reply is not in the channel's history"
    assert await messenger.find(KUDOS, "kudos:3:post", since) is None


async def test_find_looks_only_from_the_unsure_attempt_on(
    messenger: SlackMessenger, fake_slack_api: FakeSlackAPI
) -> None:
    await messenger.post(KUDOS, say("huzzah"), None, key="kudos:1:post")
    later = datetime.now(UTC) + timedelta(seconds=slack_messenger.SLACK_FIND_SKEW_SECONDS + 5)
    assert await messenger.find(KUDOS, "kudos:1:post", later) is None
    [looked] = fake_slack_api.calls_to("conversations.history")
    assert float(looked["oldest"]) == pytest.approx(later.timestamp() - slack_messenger.SLACK_FIND_SKEW_SECONDS)


async def test_find_reads_page_after_page_within_its_bound(
    messenger: SlackMessenger, fake_slack_api: FakeSlackAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slack_messenger, "SLACK_FIND_PAGE", 2)
    monkeypatch.setattr(slack_messenger, "SLACK_FIND_PAGES", 3)
    first = await messenger.post(KUDOS, say("the one"), None, key="wanted")
    for i in range(4):
        await messenger.post(KUDOS, say(f"chatter {i}"), None, key=f"other:{i}")
    assert await messenger.find(KUDOS, "wanted", LONG_AGO) == first  # on the third page (newest first)
    assert len(fake_slack_api.calls_to("conversations.history")) == 3

    for i in (5, 6):
        await messenger.post(KUDOS, say("more chatter"), None, key=f"other:{i}")
    assert await messenger.find(KUDOS, "wanted", LONG_AGO) is None, "beyond the bound: cannot tell, send again"


async def test_a_conversation_huzzah_cannot_read_is_cannot_tell_not_a_failure(
    messenger: SlackMessenger, fake_slack_api: FakeSlackAPI
) -> None:
    fake_slack_api.add_channel("CELSEWHERE", "elsewhere", members=["UALICE"])  # posted via chat:write.public
    elsewhere = Channel("slack", TEAM_ID, "CELSEWHERE", name="elsewhere")
    await messenger.post(elsewhere, say("huzzah"), None, key="kudos:1:post")
    assert await messenger.find(elsewhere, "kudos:1:post", LONG_AGO) is None
    fake_slack_api.script("conversations.history", body={"ok": False, "error": "missing_scope"})
    assert await messenger.find(KUDOS, "kudos:1:post", LONG_AGO) is None


async def test_the_fake_answers_history_as_slack_does(client: AsyncWebClient, fake_slack_api: FakeSlackAPI) -> None:
    """Newest first, top-level messages only, `oldest` exclusive, metadata only when asked for, cursors."""
    sent = [await client.chat_postMessage(channel="CKUDOS", text=f"m{i}",
                                          metadata={"event_type": "t", "event_payload": {"i": i}}) for i in range(3)]
    await client.chat_postMessage(channel="CKUDOS", text="reply", thread_ts=sent[0]["ts"])
    page = await client.conversations_history(channel="CKUDOS", oldest=sent[0]["ts"], limit=1)
    assert [m["text"] for m in page["messages"]] == ["m2"] and page["has_more"] is True
    assert "metadata" not in page["messages"][0]
    rest = await client.conversations_history(channel="CKUDOS", oldest=sent[0]["ts"], limit=5,
                                              cursor=page["response_metadata"]["next_cursor"],
                                              include_all_metadata=True)
    assert [m["text"] for m in rest["messages"]] == ["m1"] and rest["has_more"] is False
    assert rest["messages"][0]["metadata"] == {"event_type": "t", "event_payload": {"i": 1}}
    thread = await client.conversations_replies(channel="CKUDOS", ts=sent[0]["ts"])
    assert [m["text"] for m in thread["messages"]] == ["m0", "reply"]
    assert float(sent[0]["ts"]) < float(sent[1]["ts"]) < float(sent[2]["ts"])
