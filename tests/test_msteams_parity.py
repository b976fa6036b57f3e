"""Teams parity with Slack: a reaction thanks a message's author (and removing it takes it back), the "Give a
huzzah" message action (fetchTask → form, submitAction → kudos), the home card, and time zones from activities.
Driven through botbuilder's CloudAdapter with a fake Bot Connector on loopback."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from storage.tables.kudos import kudos
from storage.tables.people import people
from tests.msteams_support import (
    BOT,
    CHANNEL_ID,
    MsTeamsWorld,
    channel_message,
    personal_conversation,
    personal_message,
    roster_entry,
    user,
    world_fixture,
)

msteams = world_fixture("msteams")

ALICE, BOB, CAROL = user("Alice"), user("Bob"), user("Carol")


async def count(world: MsTeamsWorld) -> int:
    async with world.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(kudos))).scalar_one()


def reaction(world: MsTeamsWorld, sender: dict[str, str], message_id: str, kind: str = "heart", *,
             removed: bool = False) -> dict[str, Any]:
    """`messageReaction` as Teams sends it: who reacted, where, and the id of the message reacted to."""
    activity = channel_message(world.service_url, sender, "", [])
    del activity["text"], activity["textFormat"]
    activity.update({"type": "messageReaction", "replyToId": message_id,
                     "reactionsRemoved" if removed else "reactionsAdded": [{"type": kind}]})
    return activity


async def invoke(world: MsTeamsWorld, activity: dict[str, Any]) -> dict[str, Any]:
    """POST an invoke; returns the body of its invoke response (after the answers went out)."""
    async with world.http.post(f"{world.url}/api/messages", json=activity) as response:
        assert response.status == 200
        body = await response.json() if response.content_length else {}
    await world.msteams.bot.settle()
    await world.core.outbox.drain()
    return body


def action(world: MsTeamsWorld, sender: dict[str, str], name: str, value: dict[str, Any]) -> dict[str, Any]:
    activity = channel_message(world.service_url, sender, "", [])
    del activity["text"], activity["textFormat"]
    activity.update({"type": "invoke", "name": name, "value": value})
    return activity


def message_payload(author: dict[str, str]) -> dict[str, Any]:
    """The message a message action was picked on: its author named by their Entra object id, as Teams does."""
    return {"id": "1700000000999", "messageType": "message", "createdDateTime": "2026-11-16T09:00:00.000Z",
            "from": {"user": {"id": author["aadObjectId"], "displayName": author["name"],
                              "userIdentityType": "aadUser"}},
            "body": {"contentType": "html", "content": "<p>Fixed the webhook</p>"},
            "linkToMessage": "https://teams.microsoft.com/l/message/19:support-general@thread.tacv2/1700000000999"}


async def test_the_configured_reaction_on_a_message_thanks_its_author_and_removing_it_takes_it_back(
        msteams: MsTeamsWorld) -> None:
    heard = channel_message(msteams.service_url, ALICE, "<at>Huzzah</at> stats", [BOT])
    await msteams.send(heard)
    await msteams.send(reaction(msteams, BOB, heard["id"], "like"))  # not the configured reaction
    assert await count(msteams) == 0

    await msteams.send(reaction(msteams, BOB, heard["id"]))
    [post] = [s for s in msteams.connector.to(CHANNEL_ID) if "Huzzah for" in s.words]
    assert "<at>Alice</at>" in post.words and "from <at>Bob</at>" in post.words
    assert "thanked you" in msteams.connector.to(personal_conversation(ALICE))[-1].words
    assert await count(msteams) == 1

    await msteams.send(reaction(msteams, BOB, heard["id"], removed=True))
    assert msteams.connector.deleted == [(CHANNEL_ID, post.id)]
    assert "took back" in msteams.connector.to(personal_conversation(ALICE))[-1].words
    assert await count(msteams) == 0


async def test_a_reaction_on_a_message_huzzah_never_heard_does_nothing(msteams: MsTeamsWorld) -> None:
    await msteams.send(reaction(msteams, BOB, "1700000000123"))
    assert await count(msteams) == 0 and msteams.connector.sent == []


async def test_the_message_action_opens_the_form_for_the_author_and_its_submission_gives_kudos(
        msteams: MsTeamsWorld) -> None:
    msteams.connector.members[CHANNEL_ID] = [roster_entry(ALICE), roster_entry(BOB)]
    fetched = await invoke(msteams, action(msteams, BOB, "composeExtension/fetchTask", {
        "commandId": "kudos.give", "commandContext": "message", "messagePayload": message_payload(ALICE)}))

    task = fetched["task"]
    assert task["type"] == "continue" and task["value"]["title"] == "Give a huzzah"
    card = task["value"]["card"]["content"]
    assert card["type"] == "AdaptiveCard"
    assert {"type": "mention", "text": "<at>Alice</at>", "mentioned": {"id": ALICE["id"], "name": "Alice"}} in (
        card["msteams"]["entities"]), "addressed to the author's Bot Framework account, found in the roster"
    submit = card["actions"][0]["data"]

    done = await invoke(msteams, action(msteams, BOB, "composeExtension/submitAction", {
        "commandId": "kudos.give", "commandContext": "message",
        "data": {**submit, "field:reason": "thanks for fixing the webhook", "field:values": "teamwork"}}))

    assert done == {}  # the dialog closes; the confirmation goes to the personal chat
    [post] = msteams.connector.to(CHANNEL_ID)
    assert "<at>Alice</at>" in post.words and "thanks for fixing the webhook" in post.words
    assert "Sent!" in msteams.connector.to(personal_conversation(BOB))[-1].words
    assert await count(msteams) == 1


async def test_a_refused_submission_shows_the_form_again_with_the_problem(msteams: MsTeamsWorld) -> None:
    msteams.connector.members[CHANNEL_ID] = [roster_entry(ALICE)]
    fetched = await invoke(msteams, action(msteams, BOB, "composeExtension/fetchTask", {
        "commandId": "kudos.give", "commandContext": "message", "messagePayload": message_payload(ALICE)}))
    submit = fetched["task"]["value"]["card"]["content"]["actions"][0]["data"]
    again = await invoke(msteams, action(msteams, BOB, "composeExtension/submitAction", {
        "commandId": "kudos.give", "data": {**submit, "field:reason": "  "}}))
    assert again["task"]["type"] == "continue"
    assert "Say why" in str(again["task"]["value"]["card"]["content"]["body"])
    assert await count(msteams) == 0


async def test_the_message_action_on_your_own_message_says_why_not(msteams: MsTeamsWorld) -> None:
    msteams.connector.members[CHANNEL_ID] = [roster_entry(BOB)]
    fetched = await invoke(msteams, action(msteams, BOB, "composeExtension/fetchTask", {
        "commandId": "kudos.give", "commandContext": "message", "messagePayload": message_payload(BOB)}))
    assert fetched["task"]["type"] == "message" and "can't give yourself" in fetched["task"]["value"]


async def test_home_in_the_personal_chat_shows_your_stats(msteams: MsTeamsWorld) -> None:
    await msteams.send(channel_message(msteams.service_url, ALICE, "<at>Huzzah</at> <at>Bob</at> thanks for the save",
                                       [BOT, BOB]))
    await msteams.send(personal_message(msteams.service_url, BOB, "home"))
    page = msteams.connector.to(personal_conversation(BOB))[-1]
    assert "Your huzzahs" in page.words and "received 1 · given 0" in page.words


async def test_the_time_zone_comes_from_the_activity_or_its_client_info(msteams: MsTeamsWorld) -> None:
    told = personal_message(msteams.service_url, CAROL, "kudos <at>Bob</at> thanks for the handover", [BOB])
    del told["localTimezone"]
    told["entities"].append({"type": "clientInfo", "locale": "vi-VN", "timezone": "Asia/Ho_Chi_Minh"})
    await msteams.send(told)
    await msteams.send(personal_message(msteams.service_url, ALICE, "kudos <at>Bob</at> thanks again", [BOB]))
    async with msteams.core.ctx.db.transaction() as conn:
        zones = dict((await conn.execute(select(people.c.user_id, people.c.tz))).all())
    assert zones[CAROL["id"]] == "Asia/Ho_Chi_Minh" and zones[ALICE["id"]] == "Europe/London"
