"""Durable delivery: retried until taken, once per key, edits coalesced, safe with competing workers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from sqlalchemy import select

from bot.clock import FakeClock
from bot.codec import decode, encode
from bot.forms import Checkboxes, Form, TextInput
from bot.incoming import MessageRef
from bot.messages import Button, Buttons, Image, Link, Message, Strong, footnote, message, say, text
from bot.outbox import Outbox, send_later
from bot.outgoing import Direct, Post, Refresh, Update
from bot.people import Channel, Person
from bot.ports import DeliveryError
from storage.db import Database
from storage.tables.delivery import outbox

BOB = Person("console", "local", "bob", "bob", "Europe/Paris")
CHANNEL = Channel("console", "local", "#kudos", name="#kudos")


@dataclass
class Recorder:
    """A Messenger that records what it was given, and fails on cue."""

    platform: str = "console"
    failures: list[DeliveryError] = field(default_factory=list)
    sent: list[tuple[str, str]] = field(default_factory=list)
    delay: float = 0.0

    async def _take(self, kind: str, msg: Message) -> MessageRef:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append((kind, msg.summary or "".join(map(str, msg.blocks[0].parts))))  # type: ignore[union-attr]
        return MessageRef("console", "local", "#kudos", str(len(self.sent)))

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *, key: str = "") -> MessageRef:
        return await self._take("post", message)

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef:
        return await self._take("dm", message)

    async def update(self, ref: MessageRef, message: Message) -> None:
        await self._take("update", message)


async def queue(db: Database, clock: FakeClock, delivery, key: str = "") -> bool:  # type: ignore[no-untyped-def]
    async with db.transaction() as conn:
        return await send_later(conn, delivery, clock.now(), key=key)


async def statuses(db: Database) -> list[str]:
    async with db.transaction() as conn:
        return list((await conn.execute(select(outbox.c.status).order_by(outbox.c.id))).scalars())


async def test_a_key_is_delivered_once_however_often_it_is_queued(db: Database, clock: FakeClock) -> None:
    box, recorder = Outbox(db, clock), Recorder()
    box.attach(recorder)
    assert await queue(db, clock, Direct(BOB, say("hello")), key="greet:bob")
    assert not await queue(db, clock, Direct(BOB, say("hello")), key="greet:bob")
    await box.drain()
    await box.drain()
    assert recorder.sent == [("dm", "hello")]
    assert await statuses(db) == ["sent"]


async def test_retry_after_is_honoured_then_delivered_once(db: Database, clock: FakeClock) -> None:
    box, recorder = Outbox(db, clock), Recorder(failures=[DeliveryError("ratelimited", retry_after=30)])
    box.attach(recorder)
    await queue(db, clock, Post(CHANNEL, say("huzzah")), key="k1")
    await box.drain()
    assert recorder.sent == []
    clock.advance(seconds=29)
    await box.drain()
    assert recorder.sent == []
    clock.advance(seconds=2)
    await box.drain()
    assert recorder.sent == [("post", "huzzah")]


async def test_a_permanent_failure_is_not_retried(db: Database, clock: FakeClock) -> None:
    box = Outbox(db, clock)
    box.attach(Recorder(failures=[DeliveryError("channel_not_found", permanent=True)]))
    await queue(db, clock, Post(CHANNEL, say("huzzah")), key="k1")
    await box.drain()
    clock.advance(hours=2)
    await box.drain()
    assert await statuses(db) == ["failed"]


async def test_queued_messages_survive_a_restart(db: Database, clock: FakeClock) -> None:
    await queue(db, clock, Direct(BOB, say("still here")), key="k1")
    restarted, recorder = Outbox(db, clock), Recorder()
    restarted.attach(recorder)
    await restarted.drain()
    assert recorder.sent == [("dm", "still here")]


async def test_two_workers_never_send_the_same_message_twice(db: Database, clock: FakeClock) -> None:
    for i in range(20):
        await queue(db, clock, Direct(BOB, say(f"m{i}")), key=f"k{i}")
    first, second = Recorder(delay=0.001), Recorder(delay=0.001)
    workers = [Outbox(db, clock), Outbox(db, clock)]
    workers[0].attach(first)
    workers[1].attach(second)
    await asyncio.gather(*(w.drain() for w in workers))
    delivered = sorted(first.sent + second.sent)
    assert delivered == sorted(("dm", f"m{i}") for i in range(20))


async def test_a_burst_of_edits_is_one_edit_with_the_newest_content(db: Database, clock: FakeClock) -> None:
    box, recorder = Outbox(db, clock), Recorder()
    box.attach(recorder)
    await queue(db, clock, Post(CHANNEL, say("v0"), track="poll:1"), key="poll:1:post")
    await box.drain()
    for i in range(1, 6):
        await queue(db, clock, Update("poll:1", say(f"v{i}")))
    await box.drain()
    assert recorder.sent == [("post", "v0"), ("update", "v5")]

    await queue(db, clock, Update("poll:1", say("v6")))
    await box.drain()
    assert recorder.sent[-1] == ("update", "v5"), "a second edit within a second must wait"
    clock.advance(seconds=1)
    await box.drain()
    assert recorder.sent[-1] == ("update", "v6")


async def test_an_edit_waits_for_its_message_to_be_posted(db: Database, clock: FakeClock) -> None:
    box, recorder = Outbox(db, clock), Recorder()
    box.attach(recorder)
    await queue(db, clock, Update("late:1", say("edited")))
    await box.drain()
    assert recorder.sent == []
    await queue(db, clock, Post(CHANNEL, say("original"), track="late:1"), key="late:1:post")
    clock.advance(seconds=3)
    await box.drain()
    clock.advance(seconds=3)
    await box.drain()
    assert recorder.sent == [("post", "original"), ("update", "edited")]


async def test_a_refresh_is_drawn_from_the_facts_at_delivery_time(db: Database, clock: FakeClock) -> None:
    box, recorder = Outbox(db, clock), Recorder()
    box.attach(recorder)
    facts = {"votes": 1}

    async def view(_id: str) -> Message:
        return say(f"{facts['votes']} votes")

    box.views["poll"] = view
    await queue(db, clock, Post(CHANNEL, say("0 votes"), track="poll:9"), key="poll:9:post")
    await box.drain()
    await queue(db, clock, Refresh("poll:9", "poll", "9"))
    facts["votes"] = 7
    await box.drain()
    assert recorder.sent[-1] == ("update", "7 votes")


def test_every_kind_of_message_survives_the_trip_through_json() -> None:
    msg = message(
        text("Thanks ", BOB, " ", Strong("a lot"), " ", Link("https://example.com", "see")),
        text("quoted 谢谢 🙏", quote=True),
        Buttons((Button("🙌 Me too", "kudos.metoo", "12", "primary"),)),
        Image(alt="a chart", png=b"\x89PNG\r\n\x00\xff"),
        footnote("small print"),
        summary="note",
    )
    form = Form("vent", "Vent", "Send", (TextInput("text", "Say it", multiline=True),
                                          Checkboxes("drop", "Keep?", (("don't keep it", "drop"),))), "r1")
    for value in (Post(CHANNEL, msg, track="t", thread="p"), Direct(BOB, msg), form):
        again = decode(encode(value))
        assert again == value
    assert decode(encode(Direct(BOB, msg))).to.tz == "Europe/Paris"
