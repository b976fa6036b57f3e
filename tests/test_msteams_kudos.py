"""Kudos on Microsoft Teams, end to end through botbuilder's CloudAdapter and a fake Bot Connector."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.clock import FakeClock
from storage.tables.conversations import conversations
from storage.tables.delivery import once_keys
from storage.tables.kudos import kudos, kudos_recipients
from tests.msteams_support import (
    BOT,
    CHANNEL_ID,
    TENANT,
    MsTeamsWorld,
    bot_added_to_team,
    channel_message,
    installed_personally,
    personal_conversation,
    personal_message,
    user,
    world_fixture,
)

msteams = world_fixture("msteams")

ALICE, BOB, CAROL = user("Alice"), user("Bob"), user("Carol")


async def rows(world: MsTeamsWorld, table) -> list:  # type: ignore[no-untyped-def]
    async with world.core.ctx.db.transaction() as conn:
        return list(await conn.execute(select(table)))


async def test_a_channel_mention_gives_kudos_answered_with_an_adaptive_card(msteams: MsTeamsWorld) -> None:
    text = "<at>Huzzah</at> <at>Bob</at> thanks for taking the angry caller &amp; calming him down #ownership"
    status = await msteams.send(channel_message(msteams.service_url, ALICE, text, [BOT, BOB]))

    assert status in (200, 201)
    post = msteams.connector.to(CHANNEL_ID)
    assert len(post) == 1
    card = post[0].card
    assert card and card["type"] == "AdaptiveCard"
    assert "<at>Bob</at>" in post[0].words and "thanks for taking the angry caller & calming him down" in post[0].words
    assert {"type": "mention", "text": "<at>Bob</at>", "mentioned": {"id": BOB["id"], "name": "Bob"}} in (
        card["msteams"]["entities"])
    assert "[🙌 Me too]" in post[0].words
    assert post[0].activity["summary"].startswith("🎉 Huzzah for @Bob")

    to_bob = msteams.connector.to(personal_conversation(BOB))
    assert len(to_bob) == 1 and "thanked you" in to_bob[0].words
    created = {c["members"][0]["id"]: c for c in msteams.connector.created}
    assert created[BOB["id"]]["members"] == [{"id": BOB["id"], "name": "Bob"}]
    assert created[BOB["id"]]["channelData"] == {"tenant": {"id": TENANT}} and created[BOB["id"]]["isGroup"] is False
    to_alice = msteams.connector.to(personal_conversation(ALICE))
    assert len(to_alice) == 1 and "Sent!" in to_alice[0].words

    async with msteams.core.ctx.db.transaction() as conn:
        assert (await conn.execute(select(func.count()).select_from(kudos))).scalar_one() == 1
        assert (await conn.execute(select(func.count()).select_from(kudos_recipients))).scalar_one() == 1


async def test_a_message_delivered_twice_gives_one_kudos(msteams: MsTeamsWorld) -> None:
    activity = channel_message(msteams.service_url, ALICE, "<at>Huzzah</at> <at>Bob</at> thanks!", [BOT, BOB])
    assert await msteams.send(activity) in (200, 201)
    assert await msteams.send(activity) in (200, 201)
    assert len(msteams.connector.to(CHANNEL_ID)) == 1
    assert len(msteams.connector.to(personal_conversation(BOB))) == 1


async def test_message_ids_are_forgotten_after_a_day(msteams: MsTeamsWorld, clock: FakeClock) -> None:
    """The Bot Connector only redelivers within minutes: a day later the claim is dropped, the kudos kept."""
    await msteams.send(channel_message(msteams.service_url, ALICE, "<at>Huzzah</at> <at>Bob</at> thanks!", [BOT, BOB]))
    assert [k for (k,) in await rows(msteams, once_keys.c.key) if k.startswith("msteams:")]
    clock.advance(hours=25)
    await msteams.core.tick()
    assert not [k for (k,) in await rows(msteams, once_keys.c.key) if k.startswith("msteams:")]
    assert len(await rows(msteams, kudos)) == 1


async def test_kudos_in_the_personal_chat(msteams: MsTeamsWorld) -> None:
    await msteams.send(bot_added_to_team(msteams.service_url, ALICE))
    status = await msteams.send(personal_message(
        msteams.service_url, ALICE, "kudos <at>Bob</at> <at>Carol</at> thanks for the handover #teamwork",
        [BOB, CAROL]))

    assert status in (200, 201)
    mine = msteams.connector.to(personal_conversation(ALICE))
    [post] = [s for s in mine if "Huzzah for" in s.words]
    assert "<at>Bob</at>" in post.words and "<at>Carol</at>" in post.words
    assert len(msteams.connector.to(personal_conversation(BOB))) == 1
    assert len(msteams.connector.to(personal_conversation(CAROL))) == 1


async def test_me_too_from_the_card_edits_the_post_in_place(msteams: MsTeamsWorld) -> None:
    from tests.msteams_support import card_submit

    await msteams.send(channel_message(msteams.service_url, ALICE, "<at>Huzzah</at> <at>Bob</at> thanks for the save",
                                     [BOT, BOB]))
    [post] = msteams.connector.to(CHANNEL_ID)
    data = post.card["body"][-1]["actions"][0]["data"]  # type: ignore[index]
    await msteams.send(card_submit(msteams.service_url, CAROL, f"{CHANNEL_ID};messageid={post.id}", post.id, data))

    assert [u.id for u in msteams.connector.updates] == [post.id]
    assert "with <at>Carol</at>" in msteams.connector.updates[0].words
    assert "joined the thanks" in msteams.connector.to(personal_conversation(CAROL))[-1].words


async def test_conversation_references_are_saved_without_activity_ids(msteams: MsTeamsWorld) -> None:
    await msteams.send(bot_added_to_team(msteams.service_url, ALICE))
    await msteams.send(personal_message(msteams.service_url, ALICE, "help"))

    saved = {r.id: r for r in await rows(msteams, conversations)}
    assert saved[personal_conversation(ALICE)].user_id == ALICE["id"]
    assert saved[personal_conversation(ALICE)].kind == "personal"
    assert all(r.reference.get("activityId") is None for r in saved.values())
    help_card = msteams.connector.to(personal_conversation(ALICE))[-1]
    assert "Here's what I understand" in help_card.words


async def test_installing_the_app_personally_gets_a_welcome_with_what_to_type(msteams: MsTeamsWorld) -> None:
    await msteams.send(installed_personally(msteams.service_url, ALICE))

    [welcome] = msteams.connector.to(personal_conversation(ALICE))
    assert "Here's what I understand" in welcome.words and "e.g. @" in welcome.words
    assert msteams.connector.created == [], "the install gave us the personal chat's address"


async def test_unknown_mention_and_gibberish_get_a_clear_private_answer(msteams: MsTeamsWorld) -> None:
    await msteams.send(channel_message(msteams.service_url, ALICE, "<at>Huzzah</at> <at>Zed</at> thanks", [BOT]))
    [answer] = msteams.connector.to(personal_conversation(ALICE))
    assert "@Zed" in answer.words
    assert msteams.connector.to(CHANNEL_ID) == []


@pytest.mark.parametrize("sender", [
    pytest.param({"id": "28:deploy-bot-app-id", "name": "Deploy bot"}, id="a bot account"),
    pytest.param({"id": "29:1deploy-bot", "name": "Deploy bot", "role": "bot"}, id="the bot role"),
])
async def test_another_bots_mention_gives_no_kudos(msteams: MsTeamsWorld, sender: dict[str, str]) -> None:
    status = await msteams.send(channel_message(msteams.service_url, sender,
                                                "<at>Huzzah</at> <at>Bob</at> thanks for the deploy #ownership",
                                                [BOT, BOB]))
    assert status in (200, 201)
    assert await rows(msteams, kudos) == []
    assert msteams.connector.sent == [] and msteams.connector.created == []
