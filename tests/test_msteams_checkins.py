"""Check-ins on Teams: a round reaches each member's personal chat proactively (creating the 1:1 from the team
roster where there is none), the mood and the vent come back from Adaptive Cards, and nothing stored can tie
either to the person who gave it — proven by scanning every table."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.config import Settings, TeamSettings
from tests.checkin_support import dump
from tests.fakes.bot_connector import Sent
from tests.msteams_support import (
    BOT,
    CHANNEL_ID,
    MsTeamsWorld,
    bot_added_to_team,
    card_submit,
    installed_personally,
    personal_conversation,
    roster_entry,
    user,
    world_fixture,
)

msteams = world_fixture("msteams")
ALICE, BOB, CAROL = user("Alice"), user("Bob"), user("Carol")
FRIDAY = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
PRESSED_AT = FRIDAY + timedelta(hours=1, minutes=7, seconds=13)
VENT = "The refund queue was brutal and nobody covered my lunch"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"teams": [TeamSettings(name="Support", channels=[f"msteams:{CHANNEL_ID}"])]})


def questions(world: MsTeamsWorld, account: dict[str, str]) -> list[Sent]:
    return [s for s in world.connector.to(personal_conversation(account)) if "How was your week?" in s.words]


def action_data(sent: Sent, title_starts: str) -> dict:  # type: ignore[type-arg]
    assert sent.card
    for element in sent.card["body"]:
        for action in element.get("actions", []):
            if action["title"].startswith(title_starts):
                return action["data"]
    raise AssertionError(f"no button {title_starts!r} on the card")


async def open_round(world: MsTeamsWorld) -> None:
    await world.send(bot_added_to_team(world.service_url, ALICE))
    await world.send(installed_personally(world.service_url, ALICE))
    world.connector.members[CHANNEL_ID] = [roster_entry(p) for p in (ALICE, BOB, CAROL)] + [
        {"id": BOT["id"], "name": BOT["name"]}]
    world.core.ctx.clock.set(FRIDAY)  # type: ignore[attr-defined]
    await world.core.tick()
    await world.core.outbox.drain()


async def test_a_round_reaches_three_members_proactively(msteams: MsTeamsWorld) -> None:
    await open_round(msteams)

    for account in (ALICE, BOB, CAROL):
        [question] = questions(msteams, account)
        labels = [a["title"] for e in question.card["body"] for a in e.get("actions", [])]  # type: ignore[index]
        assert labels[:5] == ["😫 1", "🙁 2", "😐 3", "🙂 4", "😄 5"]
        assert "Anonymous by design" in question.words
    created = sorted(c["members"][0]["id"] for c in msteams.connector.created)
    assert created == sorted([BOB["id"], CAROL["id"]]), "Alice already had a personal chat; the others got one"
    assert msteams.connector.to(CHANNEL_ID) == []

    await msteams.core.tick()
    await msteams.core.outbox.drain()
    assert all(len(questions(msteams, a)) == 1 for a in (ALICE, BOB, CAROL)), "a later tick asks no one again"


async def test_a_mood_and_a_vent_from_the_card_are_stored_anonymously_and_update_the_card_in_place(
    msteams: MsTeamsWorld, caplog  # type: ignore[no-untyped-def]
) -> None:
    await open_round(msteams)
    [question] = questions(msteams, BOB)
    sent_before = len(msteams.connector.sent)
    msteams.core.ctx.clock.set(PRESSED_AT)  # type: ignore[attr-defined]
    caplog.set_level(logging.DEBUG)

    await msteams.send(card_submit(msteams.service_url, BOB, personal_conversation(BOB), question.id,
                                 action_data(question, "🙂 4")))
    [pressed] = msteams.connector.updates
    assert pressed.id == question.id and pressed.conversation == personal_conversation(BOB)
    assert "Thanks — recorded" in pressed.words and "4" not in pressed.words.replace("✅", "")
    assert pressed.card and pressed.card["actions"][0]["title"] == "Send anonymously"  # the vent form, same card
    typed = {**pressed.card["actions"][0]["data"], "field:text": "some days I want to die — " + VENT,
             "field:discard": ""}
    await msteams.send(card_submit(msteams.service_url, BOB, personal_conversation(BOB), question.id, typed))
    [_, kept] = msteams.connector.updates
    assert kept.id == question.id and "Thank you for sharing" in kept.words
    assert "You don't have to carry this alone" in kept.words and "findahelpline.com" in kept.words
    assert len(msteams.connector.sent) == sent_before, "answering created no new message in anyone's chat"

    msteams.core.ctx.clock.set(FRIDAY + timedelta(days=4))  # type: ignore[attr-defined]
    await msteams.core.tick()  # the round closes: only now do the mood and the vent become readable
    tables = await dump(msteams.core.ctx.db)
    assert [r["answers"] for r in tables["checkin_moods"] if r["mood"] == 4] == [1]
    assert [r["body"] for r in tables["checkin_vents"]] == ["some days I want to die — " + VENT]
    bob_row = next(r for r in tables["people"] if r["user_id"] == BOB["id"])
    identifying = {BOB["id"], BOB["name"], BOB["aadObjectId"], personal_conversation(BOB), question.id}
    for name, rows in tables.items():
        holds_answers = name in ("checkin_moods", "checkin_vents")
        for row in rows:
            values = [v for v in row.values() if v is not None]
            if holds_answers:
                assert not set(row) & {"person_id", "user_id", "conversation", "created_at", "answered_at"}, name
                assert not any(isinstance(v, str) and any(i in v for i in identifying) for v in values), name
                assert bob_row["id"] not in [v for k, v in row.items() if k not in ("mood", "answers")], name
            assert not any(_same_moment(v, PRESSED_AT) for v in values), f"{name} recorded when Bob answered"
            if name != "checkin_vents":
                assert not any(isinstance(v, str) and "refund queue" in v for v in values), f"vent copied into {name}"
    assert VENT not in caplog.text and "refund" not in caplog.text


def _same_moment(value: object, moment: datetime) -> bool:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return abs(aware - moment) < timedelta(seconds=1)
    return isinstance(value, str) and moment.strftime("%Y-%m-%d %H:%M:%S") in value
