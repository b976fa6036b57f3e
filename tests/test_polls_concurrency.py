"""A burst of votes against the outbox's edit coalescing, on SQLite and PostgreSQL.

Fifty people vote at once while three outbox workers (three "instances") deliver and the clock moves in
small steps: every vote is counted, the last edit shows all of them, and no two edits of the message
are less than UPDATE_GAP apart on the clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise

from sqlalchemy import func, select

from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.incoming import MessageRef, Pressed
from bot.messages import Buttons, Message, plain_text, say
from bot.outbox import UPDATE_GAP, Outbox, send_later
from bot.outgoing import Refresh
from bot.people import Channel, Person
from storage import delivery
from storage.db import Database
from storage.delivery import remember_messages
from storage.tables.delivery import outbox
from storage.tables.polls import poll_ballots, poll_options, poll_votes

VOTERS = 50
SPREAD = 0.25
"""Seconds of real time the votes arrive over (not measured: it only mixes votes with deliveries)."""


@dataclass
class EditClock:
    """A console Messenger that notes the clock at every edit and yields mid-call, as a network call would."""

    clock: FakeClock
    platform: str = "console"
    edits: list[tuple[datetime, Message]] = field(default_factory=list)

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *, key: str = "") -> MessageRef:
        return MessageRef("console", "local", channel.id, "results")

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef:
        raise AssertionError("a poll sends no DMs")

    async def update(self, ref: MessageRef, message: Message) -> None:
        self.edits.append((self.clock.now(), message))
        for _ in range(3):
            await asyncio.sleep(0)


async def test_fifty_simultaneous_votes_are_all_counted_with_at_most_one_edit_per_second(
    core: Huzzah, console: ConsoleSession, clock: FakeClock
) -> None:
    shown = await console.say("carol", 'poll "Where should the team lunch be?" "Tacos" "Ramen" "Salad"')
    post = next(s for s in shown if s.where == "#support")
    assert post.ref is not None and post.message is not None
    vote = next(b for block in post.message.blocks if isinstance(block, Buttons) for b in block.buttons)
    recorder = EditClock(clock)
    boxes = [core.outbox, Outbox(core.ctx.db, clock), Outbox(core.ctx.db, clock)]
    for box in boxes:
        box.attach(recorder)

    voting = True

    async def deliver(box: Outbox) -> None:
        while voting:
            await box.deliver_due()
            clock.advance(seconds=0.1)
            await asyncio.sleep(0)

    async def press(i: int) -> None:
        await asyncio.sleep(SPREAD * i / VOTERS)  # overlap the votes with deliveries, not all before the first
        voter = Person("console", "local", f"voter{i}", f"voter{i}")
        channel = Channel("console", "local", "#support", name="#support")
        await core.handle(Pressed(voter, channel, vote.action, vote.value, post.ref))

    workers = [asyncio.create_task(deliver(box)) for box in boxes]
    await asyncio.gather(*(press(i) for i in range(VOTERS)))
    voting = False
    await asyncio.gather(*workers)
    clock.advance(seconds=2)
    await core.outbox.drain()

    async with core.ctx.db.transaction() as conn:
        assert (await conn.execute(select(func.count()).select_from(poll_votes))).scalar_one() == VOTERS
        assert (await conn.execute(select(outbox.c.status).where(outbox.c.key.like("edit:%")))).scalar_one() == "sent"
    times = [at for at, _ in recorder.edits]
    assert times, "the votes were never shown"
    assert all(later - earlier >= UPDATE_GAP for earlier, later in pairwise(times)), times
    assert f"{VOTERS} votes · 100%" in plain_text(recorder.edits[-1][1])


@dataclass
class Platform:
    """A Messenger with a hook that runs while an edit is on its way (and makes that edit arrive late)."""

    clock: FakeClock
    platform: str = "console"
    calls: list[datetime] = field(default_factory=list)
    meanwhile: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *, key: str = "") -> MessageRef:
        return MessageRef("console", "local", channel.id, "1")

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef:
        raise AssertionError("no DMs here")

    async def update(self, ref: MessageRef, message: Message) -> None:
        if self.meanwhile:
            await self.meanwhile.pop(0)()
            self.clock.advance(seconds=0.4)  # and this request reaches the platform a little later
        self.calls.append(self.clock.now())


async def edit(db: Database, clock: FakeClock) -> None:
    async with db.transaction() as conn:
        await send_later(conn, Refresh("poll:1", "poll", "1"), clock.now())


def far_enough_apart(calls: list[datetime]) -> bool:
    return all(later - earlier >= UPDATE_GAP for earlier, later in pairwise(calls))


async def posted_and_tracked(db: Database, clock: FakeClock) -> Outbox:
    box = Outbox(db, clock)
    box.views["poll"] = lambda _id: _drawn()
    async with db.transaction() as conn:
        await remember_messages(conn, [("poll:1", MessageRef("console", "local", "#support", "1"))], clock.now())
    return box


async def _drawn() -> Message:
    return say("the poll as it stands")


async def test_an_edit_queued_while_the_previous_one_is_on_its_way_waits_a_full_gap_after_it(
    db: Database, clock: FakeClock
) -> None:
    box, platform = await posted_and_tracked(db, clock), Platform(clock)
    box.attach(platform)

    async def vote_arrives() -> None:
        clock.advance(seconds=0.2)
        await edit(db, clock)

    platform.meanwhile.append(vote_arrives)
    await edit(db, clock)
    await box.drain()
    for _ in range(20):
        clock.advance(seconds=0.1)
        await box.drain()
    assert len(platform.calls) == 2
    assert far_enough_apart(platform.calls), platform.calls


async def test_a_worker_holding_a_stale_list_cannot_send_an_edit_another_worker_just_pushed_back(
    db: Database, clock: FakeClock
) -> None:
    box, platform = await posted_and_tracked(db, clock), Platform(clock)
    box.attach(platform)
    await edit(db, clock)
    async with db.transaction() as conn:
        stale = await delivery.due(conn, ["console"], clock.now(), 10)
    await box.drain()  # another worker delivers it meanwhile…
    await edit(db, clock)  # …and a new vote queues the next edit, due a gap later
    async with db.transaction() as conn:
        late = await delivery.claim(conn, stale[0].id, clock.now(), clock.now() + timedelta(seconds=60))
    assert late is None
    assert len(platform.calls) == 1


async def test_votes_racing_the_close_are_either_counted_or_refused_never_left_behind(
    core: Huzzah, console: ConsoleSession
) -> None:
    shown = await console.say("carol", 'poll "Where should the team lunch be?" "Tacos" "Ramen" --anonymous')
    post = next(s for s in shown if s.where == "#support")
    assert post.message is not None
    vote, _, close = (b for block in post.message.blocks if isinstance(block, Buttons) for b in block.buttons)
    channel = Channel("console", "local", "#support", name="#support")
    carol = console.person("carol")

    async def press(i: int) -> str:
        voter = Person("console", "local", f"voter{i}", f"voter{i}")
        answer = await core.handle(Pressed(voter, channel, vote.action, vote.value, post.ref))
        return plain_text(answer.replies[0])

    closing = core.handle(Pressed(carol, channel, close.action, close.value, post.ref))
    answers = await asyncio.gather(*(press(i) for i in range(20)), closing, *(press(i) for i in range(20, 40)))
    votes = [a for a in answers[:20] + answers[21:] if isinstance(a, str)]
    counted = sum("counted" in a for a in votes)
    assert counted + sum("has closed" in a for a in votes) == 40, votes
    async with core.ctx.db.transaction() as conn:
        tallied = (await conn.execute(select(poll_options.c.votes).where(poll_options.c.position == 0))).scalar_one()
        left = (await conn.execute(select(func.count()).select_from(poll_ballots))).scalar_one()
    assert tallied == counted and left == 0
