"""The outbox never sends a post or DM blindly twice: a delivery whose earlier attempt may have reached the
platform (its worker died before marking it sent, or the call failed in a way that may have come after the
platform took it) is looked for first (`Messenger.find`) and, if found, marked sent instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.clock import FakeClock
from bot.incoming import MessageRef
from bot.limits import OUTBOX_CLAIM_SECONDS
from bot.messages import Message, say
from bot.outbox import Outbox, send_later
from bot.outgoing import Direct, Post
from bot.people import Channel, Person
from bot.ports import DeliveryError
from storage import delivery as store
from storage.db import Database
from storage.tables.delivery import outbox, tracked_messages

BOB = Person("console", "local", "bob", "bob")
KUDOS = Channel("console", "local", "#kudos", name="#kudos")


@dataclass
class Platform:
    """A messenger that records sends (with their keys), fails on cue, and can be asked what it already shows."""

    platform: str = "console"
    shows: dict[str, MessageRef] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)
    looked: list[tuple[str, datetime]] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)

    async def _send(self, key: str) -> MessageRef:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(key)
        self.shows[key] = MessageRef("console", "local", "#kudos", f"m{len(self.sent)}")
        return self.shows[key]

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *,
                   key: str = "") -> MessageRef:
        return await self._send(key)

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef:
        return await self._send(key)

    async def update(self, ref: MessageRef, message: Message) -> None:
        self.sent.append(f"edit:{ref.id}")

    async def find(self, where: Channel | Person, key: str, since: datetime,
                   thread: MessageRef | None = None) -> MessageRef | None:
        self.looked.append((key, since))
        return self.shows.get(key)


async def queue(db: Database, clock: FakeClock, *deliveries: tuple[str, Post | Direct]) -> None:
    async with db.transaction() as conn:
        for key, delivery in deliveries:
            await send_later(conn, delivery, clock.now(), key=key)


async def claimed_by_a_worker_that_dies(db: Database, clock: FakeClock, key: str) -> datetime:
    """A worker claims `key` and dies before marking it — after or before the platform took it."""
    now = clock.now()
    async with db.transaction() as conn:
        row_id = (await conn.execute(select(outbox.c.id).where(outbox.c.key == key))).scalar_one()
        assert await store.claim(conn, row_id, now, now + timedelta(seconds=OUTBOX_CLAIM_SECONDS)) is not None
    return now


async def row(db: Database, key: str):  # type: ignore[no-untyped-def]
    async with db.transaction() as conn:
        return (await conn.execute(select(outbox).where(outbox.c.key == key))).one()


async def test_a_post_the_platform_took_before_its_worker_died_is_marked_sent_not_sent_again(
    db: Database, clock: FakeClock
) -> None:
    platform = Platform()
    box = Outbox(db, clock)
    box.attach(platform)
    await queue(db, clock, ("kudos:1:post", Post(KUDOS, say("huzzah"), track="kudos:1")))
    began = await claimed_by_a_worker_that_dies(db, clock, "kudos:1:post")
    platform.shows["kudos:1:post"] = MessageRef("console", "local", "#kudos", "already-there")

    await box.drain()
    assert platform.sent == [], "its claim has not run out: the worker may still be alive"
    clock.advance(seconds=OUTBOX_CLAIM_SECONDS + 1)
    await box.drain()

    assert platform.looked == [("kudos:1:post", began)] and platform.sent == []
    assert (await row(db, "kudos:1:post")).status == "sent"
    async with db.transaction() as conn:
        tracked = (await conn.execute(select(tracked_messages.c.message_id))).scalar_one()
    assert tracked == "already-there", "later edits go to the message that is there"


async def test_a_dm_the_platform_never_got_is_sent_once_after_looking(db: Database, clock: FakeClock) -> None:
    platform = Platform()
    box = Outbox(db, clock)
    box.attach(platform)
    await queue(db, clock, ("kudos:1:dm:2", Direct(BOB, say("thanked"))), ("kudos:2:dm:2", Direct(BOB, say("x"))))
    await claimed_by_a_worker_that_dies(db, clock, "kudos:1:dm:2")
    clock.advance(seconds=OUTBOX_CLAIM_SECONDS + 1)
    await box.drain()
    assert sorted(platform.sent) == ["kudos:1:dm:2", "kudos:2:dm:2"]
    assert [key for key, _ in platform.looked] == ["kudos:1:dm:2"], "only the one in doubt is looked for"
    assert (await row(db, "kudos:1:dm:2")).unsure_since is None


async def test_a_failure_that_may_have_come_after_delivery_makes_the_next_attempt_look_first(
    db: Database, clock: FakeClock
) -> None:
    platform = Platform(failures=[DeliveryError("timed out", maybe_delivered=True), DeliveryError("ratelimited")])
    box = Outbox(db, clock)
    box.attach(platform)
    await queue(db, clock, ("k1", Post(KUDOS, say("huzzah"))))
    await box.drain()  # times out: maybe delivered
    assert (await row(db, "k1")).unsure_since == clock.now()
    clock.advance(hours=1)
    await box.drain()  # looks (nothing there), sends, is refused for sure: nothing to look for next time
    assert [key for key, _ in platform.looked] == ["k1"]
    assert (await row(db, "k1")).unsure_since is None
    clock.advance(hours=1)
    await box.drain()
    assert platform.sent == ["k1"] and len(platform.looked) == 1 and (await row(db, "k1")).status == "sent"


async def test_a_refusal_is_not_looked_for(db: Database, clock: FakeClock) -> None:
    platform = Platform(failures=[DeliveryError("Slack said ratelimited", retry_after=5)])
    box = Outbox(db, clock)
    box.attach(platform)
    await queue(db, clock, ("k1", Post(KUDOS, say("huzzah"))))
    await box.drain()
    clock.advance(seconds=6)
    await box.drain()
    assert platform.sent == ["k1"] and platform.looked == []
