"""Polls on Teams: an Adaptive Card with a button per option, edited in place (update_activity) as votes come in,
closed by its creator or by its deadline."""

from __future__ import annotations

from tests.fakes.bot_connector import Sent
from tests.teams_support import (
    BOT,
    CHANNEL_ID,
    TeamsWorld,
    card_submit,
    channel_message,
    personal_conversation,
    user,
    world_fixture,
)

teams = world_fixture("teams")
ALICE, BOB, CAROL = user("Alice"), user("Bob"), user("Carol")
ASK = '<at>Huzzah</at> poll "Where should the team lunch be?" "Tacos" "Pizza" "Sushi" --closes 2h'


def press(world: TeamsWorld, card: Sent, who: dict[str, str], title: str) -> dict:  # type: ignore[type-arg]
    assert card.card
    data = next(a["data"] for e in card.card["body"] for a in e.get("actions", []) if a["title"] == title)
    return card_submit(world.service_url, who, f"{CHANNEL_ID};messageid={card.id}", card.id, data)


async def ask(world: TeamsWorld) -> Sent:
    assert await world.send(channel_message(world.service_url, ALICE, ASK, [BOT])) in (200, 201)
    [card] = world.connector.to(CHANNEL_ID)
    return card


async def test_a_poll_card_is_updated_in_place_after_votes(teams: TeamsWorld) -> None:
    card = await ask(teams)
    assert "Where should the team lunch be?" in card.words
    assert {"[Tacos]", "[Pizza]", "[Sushi]", "[Close poll]"} <= set(card.words.splitlines())

    await teams.send(press(teams, card, BOB, "Tacos"))
    teams.core.ctx.clock.advance(seconds=2)  # type: ignore[attr-defined]
    await teams.send(press(teams, card, CAROL, "Tacos"))
    teams.core.ctx.clock.advance(seconds=2)  # type: ignore[attr-defined]
    await teams.core.outbox.drain()

    assert teams.connector.updates, "the card was edited"
    assert {u.id for u in teams.connector.updates} == {card.id}
    assert {u.conversation for u in teams.connector.updates} == {CHANNEL_ID}
    assert len(teams.connector.to(CHANNEL_ID)) == 1, "edited in place, never posted again"
    latest = teams.connector.updates[-1].words
    assert "2 votes · 100%  —  <at>Bob</at> and <at>Carol</at>" in latest
    assert "[Tacos]" in latest, "still open for votes"
    mentioned = {e["mentioned"]["id"] for e in teams.connector.updates[-1].card["msteams"]["entities"]}  # type: ignore[index]
    assert mentioned == {BOB["id"], CAROL["id"], ALICE["id"]}
    for voter in (BOB, CAROL):
        assert teams.connector.to(personal_conversation(voter)), "each voter hears privately that it counted"


async def test_the_creator_closes_the_poll_and_the_card_stops_taking_votes(teams: TeamsWorld) -> None:
    card = await ask(teams)
    await teams.send(press(teams, card, BOB, "Pizza"))
    teams.core.ctx.clock.advance(seconds=2)  # type: ignore[attr-defined]

    await teams.send(press(teams, card, ALICE, "Close poll"))
    teams.core.ctx.clock.advance(seconds=2)  # type: ignore[attr-defined]
    await teams.core.outbox.drain()

    final = teams.connector.updates[-1]
    assert final.id == card.id and "[Pizza]" not in final.words and "[Close poll]" not in final.words
    [results] = teams.connector.to(f"{CHANNEL_ID};messageid={card.id}")
    assert "The poll has closed" in results.words and "**Pizza** wins" in results.words


async def test_the_deadline_closes_the_poll(teams: TeamsWorld) -> None:
    card = await ask(teams)
    await teams.send(press(teams, card, BOB, "Sushi"))

    teams.core.ctx.clock.advance(hours=2, minutes=1)  # type: ignore[attr-defined]
    await teams.core.tick()
    await teams.core.outbox.drain()

    final = teams.connector.updates[-1]
    assert final.id == card.id and "[Sushi]" not in final.words
