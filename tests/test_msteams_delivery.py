"""Proactive delivery to Teams: paced under Teams' limits, 429/412/502/504 retried, nothing lost or doubled."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from adapters.msteams.limits import PER_CONVERSATION, PER_TENANT
from adapters.msteams.pacing import Pacer
from bot.messages import say
from bot.outbox import send_later
from bot.outgoing import Direct, Post
from bot.people import Channel, Person
from storage.tables.delivery import outbox
from tests.msteams_support import (
    CHANNEL_ID,
    TENANT,
    FakeTime,
    MsTeamsWorld,
    bot_added_to_team,
    personal_conversation,
    user,
    world_fixture,
)

msteams = world_fixture("msteams")

ALICE, BOB = user("Alice"), user("Bob")
CHANNEL = Channel("msteams", TENANT, CHANNEL_ID, name="Support")


async def queue_posts(world: MsTeamsWorld, count: int, prefix: str = "message") -> None:
    now = world.core.ctx.clock.now()
    async with world.core.ctx.db.transaction() as conn:
        for i in range(count):
            await send_later(conn, Post(CHANNEL, say(f"{prefix} {i}")), now, key=f"{prefix}:{i}")


def delivered(world: MsTeamsWorld) -> list[str]:
    return sorted(s.words for s in world.connector.to(CHANNEL_ID))


async def statuses(world: MsTeamsWorld) -> list[str]:
    async with world.core.ctx.db.transaction() as conn:
        return [r.status for r in await conn.execute(select(outbox.c.status))]


@pytest.mark.parametrize("status", [429, 412, 502, 504])
async def test_a_burst_answered_with_errors_is_delivered_exactly_once(msteams: MsTeamsWorld, status: int) -> None:
    await msteams.send(bot_added_to_team(msteams.service_url, ALICE))
    msteams.connector.fail_next(6, status, retry_after="2" if status == 429 else None)
    await queue_posts(msteams, 12)

    await msteams.core.outbox.drain()
    msteams.core.ctx.clock.advance(minutes=5)  # type: ignore[attr-defined]
    await msteams.core.outbox.drain()  # what outlasted the messenger's own retries, from the outbox

    assert delivered(msteams) == sorted(f"message {i}" for i in range(12))
    assert sum(1 for _, _, code in msteams.connector.calls if code == status) == 6
    assert set(await statuses(msteams)) == {"sent"}
    if status == 429:
        # five waits of Retry-After inside the messenger; the sixth refusal was handed back to the outbox
        assert msteams.time.slept.count(2.0) == 5, "Retry-After is honoured"
    else:
        backoffs = [s for s in msteams.time.slept if s > 0.2]
        assert len(backoffs) >= 6 and backoffs[:3] != sorted(backoffs[:3], reverse=True)


async def test_throttling_that_outlasts_patience_goes_back_to_the_outbox_then_arrives_once(
    msteams: MsTeamsWorld,
) -> None:
    await msteams.send(bot_added_to_team(msteams.service_url, ALICE))
    msteams.connector.fail_next(1, 429, retry_after="120")
    await queue_posts(msteams, 3)

    await msteams.core.outbox.drain()
    assert delivered(msteams) == ["message 1", "message 2"]
    assert sorted(await statuses(msteams)) == ["pending", "sent", "sent"]

    msteams.core.ctx.clock.advance(seconds=121)  # type: ignore[attr-defined]
    await msteams.core.outbox.drain()
    assert delivered(msteams) == ["message 0", "message 1", "message 2"]


async def test_a_person_who_removed_the_app_is_not_retried_forever(msteams: MsTeamsWorld) -> None:
    await msteams.send(bot_added_to_team(msteams.service_url, ALICE))
    msteams.connector.fail_next(1, 403)
    bob = Person("msteams", TENANT, BOB["id"], "Bob")
    async with msteams.core.ctx.db.transaction() as conn:
        await send_later(conn, Direct(bob, say("hello")), msteams.core.ctx.clock.now(), key="dm:bob")

    await msteams.core.outbox.drain()
    assert await statuses(msteams) == ["failed"]
    assert msteams.connector.to(personal_conversation(BOB)) == []


async def test_roster_reads_every_page(msteams: MsTeamsWorld) -> None:
    await msteams.send(bot_added_to_team(msteams.service_url, ALICE))
    people = [user(f"Agent{i}") for i in range(1203)] + [{"id": "28:other-bot", "name": "Other bot"}]
    msteams.connector.members[CHANNEL_ID] = people

    members = await msteams.core.rosters["msteams"].members(CHANNEL)

    assert [m.user_id for m in members] == [p["id"] for p in people]
    assert [m.name for m in members if m.is_bot] == ["Other bot"]
    assert sum(1 for _, path, _ in msteams.connector.calls if path.endswith("/pagedmembers")) == 3


async def test_pacing_keeps_every_conversation_and_tenant_under_teams_limits() -> None:
    time = FakeTime()
    pacer = Pacer(now=time.now, sleep=time.sleep)
    sends: list[tuple[float, str]] = []
    for i in range(120):
        conversation = f"conv-{i % 6}" if i < 60 else "conv-0"
        await pacer.turn(conversation, TENANT)
        sends.append((time.now(), conversation))

    def most_in_a_window(times: list[float], period: float) -> int:
        return max(sum(1 for u in times if t <= u < t + period) for t in times)

    per_conversation, period = PER_CONVERSATION
    for conversation in {c for _, c in sends}:
        assert most_in_a_window([t for t, c in sends if c == conversation], period) <= per_conversation
    assert most_in_a_window([t for t, _ in sends], PER_TENANT[1]) <= PER_TENANT[0]
    assert time.now() < 12, "pacing waits only as long as the limits require"
