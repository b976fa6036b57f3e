"""The outbox worker delivers as soon as something is queued: a kick during a pass starts the next, a full batch
starts the next at once, and a pass claims and marks in a fixed number of transactions however big it is.

The worker's own poll is set to an hour, so what is delivered here was delivered because of a kick or a full
batch — never because a poll came round (the waits below are safety nets, not measurements).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event

from bot.clock import FakeClock
from bot.incoming import MessageRef
from bot.messages import Message, say
from bot.outbox import Outbox
from bot.outgoing import Direct, Post
from bot.people import Channel, Person
from storage.db import Database
from tests.process_support import until
from tests.test_outbox import BOB, CHANNEL, queue, statuses

PATIENCE = 60.0
HOUR = 3600.0


@dataclass
class Gate:
    """A Messenger whose first post waits until the test opens the gate: a pass made to last as long as needed."""

    platform: str = "console"
    sent: list[str] = field(default_factory=list)
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    opened: asyncio.Event = field(default_factory=asyncio.Event)

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *, key: str = "") -> MessageRef:
        if not self.sent:
            self.reached.set()
            await self.opened.wait()
        return self._took(key)

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef:
        return self._took(key)

    async def update(self, ref: MessageRef, message: Message) -> None:
        self._took("update")

    def _took(self, key: str) -> MessageRef:
        self.sent.append(key)
        return MessageRef("console", "local", "#kudos", str(len(self.sent)))


@pytest.fixture
async def worker(db: Database, clock: FakeClock) -> AsyncIterator[tuple[Outbox, Gate]]:
    box, gate = Outbox(db, clock), Gate()
    box.attach(gate)
    box.poll_seconds = HOUR
    stop = asyncio.Event()
    running = asyncio.create_task(box.run(stop))
    yield box, gate
    gate.opened.set()
    stop.set()
    await asyncio.wait_for(running, PATIENCE)


async def test_a_kick_during_a_pass_is_not_lost(worker: tuple[Outbox, Gate], db: Database, clock: FakeClock) -> None:
    box, gate = worker
    await queue(db, clock, Post(CHANNEL, say("first")), key="first")
    box.kick()
    await asyncio.wait_for(gate.reached.wait(), PATIENCE)  # the worker is inside its pass, holding "first"
    await queue(db, clock, Direct(BOB, say("second")), key="second")
    box.kick()  # while that pass is still going
    gate.opened.set()
    await until(lambda: gate.sent == ["first", "second"], "the second delivered by the kick, not by the hourly poll")
    await until(lambda: _all_sent(db, 2), "both marked sent")


async def _all_sent(db: Database, n: int) -> bool:
    return await statuses(db) == ["sent"] * n


async def test_a_full_batch_starts_the_next_at_once(worker: tuple[Outbox, Gate], db: Database, clock: FakeClock,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    box, gate = worker
    monkeypatch.setattr("bot.outbox.OUTBOX_BATCH", 3)
    gate.sent.append("warm")  # no gate on these posts
    for i in range(8):
        await queue(db, clock, Direct(BOB, say(f"hi {i}")), key=f"dm:{i}")
    box.kick()  # one kick for three batches
    await until(lambda: len(gate.sent) == 9, "every batch delivered after one kick")
    assert sorted(gate.sent[1:]) == sorted(f"dm:{i}" for i in range(8))


async def test_a_pass_claims_in_one_transaction_and_marks_in_one_more(db: Database, clock: FakeClock) -> None:
    box, gate = Outbox(db, clock), Gate()
    box.attach(gate)
    gate.sent.append("warm")
    for i in range(20):
        await queue(db, clock, Post(CHANNEL, say(f"post {i}"), track=f"t{i}"), key=f"post:{i}")
    begun: list[object] = []

    def count(conn: object) -> None:
        begun.append(conn)

    event.listen(db.engine.sync_engine, "begin", count)
    try:
        assert await box.deliver_due() == 20
    finally:
        event.remove(db.engine.sync_engine, "begin", count)
    assert len(begun) == 2, "one to claim all twenty, one to mark them sent and remember their messages"
    assert await statuses(db) == ["sent"] * 20


async def test_a_pass_claims_no_more_than_its_batch(db: Database, clock: FakeClock) -> None:
    box, gate = Outbox(db, clock), Gate()
    box.attach(gate)
    gate.sent.append("warm")
    for i in range(7):
        await queue(db, clock, Direct(BOB, say(f"hi {i}")), key=f"dm:{i}")
    assert await box.deliver_due(limit=3) == 3
    assert await statuses(db) == ["sent"] * 3 + ["pending"] * 4
