"""Polls on Teams: an Adaptive Card with a button per option, edited in place (update_activity) as votes come in,
closed by its creator or by its deadline."""

from __future__ import annotations

from tests.fakes.bot_connector import Sent
from tests.msteams_support import (
    BOT,
    CHANNEL_ID,
    MsTeamsWorld,
    card_submit,
    channel_message,
    personal_conversation,
    user,
    world_fixture,
)

msteams = world_fixture("msteams")
ALICE, BOB, CAROL = user("Alice"), user("Bob"), user("Carol")
ASK = '<at>Huzzah</at> poll "Where should the team lunch be?" "Tacos" "Pizza" "Sushi" --closes 2h'


def press(world: MsTeamsWorld, card: Sent, who: dict[str, str], title: str) -> dict:  # type: ignore[type-arg]
    assert card.card
    data = next(a["data"] for e in card.card["body"] for a in e.get("actions", []) if a["title"] == title)
    return card_submit(world.service_url, who, f"{CHANNEL_ID};messageid={card.id}", card.id, data)


async def ask(world: MsTeamsWorld) -> Sent:
    assert await world.send(channel_message(world.service_url, ALICE, ASK, [BOT])) in (200, 201)
    [card] = world.connector.to(CHANNEL_ID)
    return card


async def test_a_poll_card_is_updated_in_place_after_votes(msteams: MsTeamsWorld) -> None:
    card = await ask(msteams)
    assert "Where should the team lunch be?" in card.words
    assert {"[Tacos]", "[Pizza]", "[Sushi]", "[Close poll]"} <= set(card.words.splitlines())

    await msteams.send(press(msteams, card, BOB, "Tacos"))
    msteams.core.ctx.clock.advance(seconds=2)  # type: ignore[attr-defined]
    await msteams.send(press(msteams, card, CAROL, "Tacos"))
    msteams.core.ctx.clock.advance(seconds=2)  # type: ignore[attr-defined]
    await msteams.core.outbox.drain()

    assert msteams.connector.updates, "the card was edited"
    assert {u.id for u in msteams.connector.updates} == {card.id}
    assert {u.conversation for u in msteams.connector.updates} == {CHANNEL_ID}
    assert len(msteams.connector.to(CHANNEL_ID)) == 1, "edited in place, never posted again"
    latest = msteams.connector.updates[-1].words
    assert "2 votes · 100%  —  <at>Bob</at> and <at>Carol</at>" in latest
    assert "[Tacos]" in latest, "still open for votes"
    mentioned = {e["mentioned"]["id"] for e in msteams.connector.updates[-1].card["msteams"]["entities"]}  # type: ignore[index]
    assert mentioned == {BOB["id"], CAROL["id"], ALICE["id"]}
    for voter in (BOB, CAROL):
        assert msteams.connector.to(personal_conversation(voter)), "each voter hears privately that it counted"


async def test_the_creator_closes_the_poll_and_the_card_stops_taking_votes(msteams: MsTeamsWorld) -> None:
    card = await ask(msteams)
    await msteams.send(press(msteams, card, BOB, "Pizza"))
    msteams.core.ctx.clock.advance(seconds=2)  # type: ignore[attr-defined]

    await msteams.send(press(msteams, card, ALICE, "Close poll"))
    msteams.core.ctx.clock.advance(seconds=2)  # type: ignore[attr-defined]
    await msteams.core.outbox.drain()

    final = msteams.connector.updates[-1]
    assert final.id == card.id and "[Pizza]" not in final.words and "[Close poll]" not in final.words
    [results] = msteams.connector.to(f"{CHANNEL_ID};messageid={card.id}")
    assert "The poll has closed" in results.words and "**Pizza** wins" in results.words


async def test_the_deadline_closes_the_poll(msteams: MsTeamsWorld) -> None:
    card = await ask(msteams)
    await msteams.send(press(msteams, card, BOB, "Sushi"))

    msteams.core.ctx.clock.advance(hours=2, minutes=1)  # type: ignore[attr-defined]
    await msteams.core.tick()
    await msteams.core.outbox.drain()

    final = msteams.connector.updates[-1]
    assert final.id == card.id and "[Sushi]" not in final.words
