"""Durable delivery: every post, DM and edit goes through here.

Features write deliveries in the same transaction as the facts they announce (`send_later`), so a kudos
is never stored without its announcement, nor announced without being stored. Workers in any number of
processes claim due rows a batch at a time (one statement), hand them to the platform's Messenger a few at once,
mark those that went out in one more transaction, and retry with backoff (honouring Retry-After) until the
platform takes them. The worker starts a pass as soon as a feature's transaction has committed (`kick`). A key
is delivered at most once per key; an edit of the same message replaces an older pending edit.

Exactly once, as far as the platform allows: a worker that dies after the platform took a post but before
marking it sent leaves the row claimed and unsure. Whoever claims it next asks the platform first whether a
message with that key is already there (`Messenger.find`: Slack tags every post with its key) and, if so,
marks it sent instead of posting it again. Where a platform cannot tell (Teams), it is sent again.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.codec import decode, encode
from bot.failures import log_failure
from bot.i18n import tr
from bot.incoming import MessageRef
from bot.limits import OUTBOX_BATCH, OUTBOX_CLAIM_SECONDS, OUTBOX_MAX_ATTEMPTS, OUTBOX_PARALLEL, OUTBOX_POLL_SECONDS
from bot.messages import Message, footnote, message
from bot.metrics import OUTBOX_DELIVERIES, Metrics, NoMetrics
from bot.outgoing import Delete, Delivery, Direct, Post, Refresh, Update, platform_of
from bot.people import Channel, Person
from bot.ports import DeliveryError, Messenger
from bot.tracing import PLATFORM, within
from storage import delivery as store
from storage.db import Database

log = logging.getLogger(__name__)

View = Callable[[str], Awaitable[Message]]
"""Draws a tracked message from current facts, by id: registered by features for Refresh deliveries."""

UPDATE_GAP = timedelta(seconds=1)
"""At most one edit of the same message per second, whatever the burst of changes behind it."""


async def send_later(conn: AsyncConnection, delivery: Delivery, at: datetime, *, key: str = "") -> bool:
    """Queue a delivery inside the caller's transaction. False when this key was queued before.

    Posts and DMs need a key that names them for good (`kudos:12:post`), so a retried job or a duplicate
    request queues nothing twice; edits are keyed by the message they edit.
    """
    if isinstance(delivery, Update | Refresh):
        await store.enqueue_replacing(conn, f"edit:{delivery.track}", encode(delivery), at, min_gap=UPDATE_GAP)
        return True
    return key in await send_all_later(conn, {key: delivery}, at)


async def send_all_later(conn: AsyncConnection, deliveries: Mapping[str, Delivery], at: datetime) -> set[str]:
    """Queue posts and DMs, by key (see `send_later`), inside the caller's transaction in one statement: what one
    fact announces to several people. The keys that were not queued before."""
    for key, delivery in deliveries.items():
        if isinstance(delivery, Update | Refresh):
            raise ValueError("edits replace one another: queue them with send_later")
        if not key:
            raise ValueError("posts and direct messages need a delivery key")
    return await store.enqueue_many(conn, [
        store.Queued(key, encode(delivery), *(platform_of(delivery) or (None, None)))
        for key, delivery in deliveries.items()
    ], at)


async def take_down(conn: AsyncConnection, track: str, post: str, at: datetime) -> None:
    """Withdraw a tracked post inside the caller's transaction: one not yet sent is never sent (nor any edit
    of it still waiting); one that is out, or on its way, is deleted once it is there."""
    await store.cancel_pending(conn, f"edit:{track}", at)
    if not await store.cancel_pending(conn, post, at):
        await store.enqueue(conn, f"delete:{track}", encode(Delete(track, post)), at)


async def unsent(conn: AsyncConnection, key: str, at: datetime) -> bool:
    """Drop a queued post or DM that has not gone out; True when it never will (so no one saw it)."""
    return await store.cancel_pending(conn, key, at)


@dataclass(frozen=True)
class _Sent:
    """A delivery the platform took, to be marked sent — and its message remembered under `track` — with the
    others of its pass, in one transaction."""

    row: store.OutboxRow
    track: str | None
    ref: MessageRef | None


class _NotYet(Exception):
    """A delivery that waits on another (an edit before its message was posted)."""


@dataclass
class _Attempt:
    """What one delivery attempt knows about whether the platform may already have the message."""

    in_doubt_since: datetime | None
    """An earlier attempt may have delivered it, at or after this time, and nothing has ruled that out yet."""
    sending: bool = False
    """This attempt handed the message to the platform (the outcome is unknown until the call returns)."""

    def unsure(self, exc: BaseException | None = None) -> bool:
        """Whether, after failing with `exc`, the message may be on the platform after all."""
        if self.in_doubt_since is not None:
            return True
        if isinstance(exc, DeliveryError):
            return exc.maybe_delivered
        return self.sending


def backoff(attempts: int) -> float:
    """Exponential backoff with full jitter, capped at an hour."""
    return random.uniform(0.5, 1.0) * min(3600.0, 2.0 ** min(attempts, 12))


class Outbox:
    def __init__(self, db: Database, clock: Clock, metrics: Metrics | None = None) -> None:
        self.db = db
        self.clock = clock
        self.metrics = metrics or NoMetrics()
        self.messengers: dict[str, Messenger] = {}
        self.views: dict[str, View] = {}
        self._wake = asyncio.Event()
        self.poll_seconds = OUTBOX_POLL_SECONDS
        """How long the worker waits, without a kick, before looking again (for other instances' deliveries)."""

    def attach(self, messenger: Messenger) -> None:
        self.messengers[messenger.platform] = messenger

    def kick(self) -> None:
        """Deliver soon: a feature just queued something."""
        self._wake.set()

    async def deliver_due(self, limit: int = OUTBOX_BATCH, stop: asyncio.Event | None = None) -> int:
        """Deliver what is due now; returns how many went out. Once `stop` is set nothing more is claimed, and
        what was claimed is finished."""
        return (await self._pass(limit, stop))[1]

    async def drain(self, rounds: int = 20) -> None:
        """Deliver until nothing more is due right now (used by the console and by tests)."""
        for _ in range(rounds):
            if not await self.deliver_due():
                return

    async def run(self, stop: asyncio.Event) -> None:
        """The background worker inside `huzzah serve`: a pass as soon as something is queued (`kick`), at once
        again after a full batch, else every `poll_seconds` (for what other instances queued or came due). When
        `stop` is set it finishes the deliveries in hand (so none is left claimed and unsure) and returns."""
        while not stop.is_set():
            self._wake.clear()  # before the pass: a kick during it (a notice it queued) starts the next one
            claimed = 0
            try:
                claimed = (await self._pass(OUTBOX_BATCH, stop))[0]
            except Exception as exc:
                log_failure(log, "the outbox worker (retrying shortly)", exc)
            if claimed >= OUTBOX_BATCH:
                continue
            waits = [asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())]
            await asyncio.wait(waits, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED)
            for w in waits:
                w.cancel()

    async def _pass(self, limit: int, stop: asyncio.Event | None) -> tuple[int, int]:
        """Claim up to `limit` due deliveries in one transaction, hand them to their platforms a few at a time,
        and mark those that went out in one more: (claimed, sent)."""
        if not self.messengers or (stop is not None and stop.is_set()):
            return 0, 0
        now = self.clock.now()
        async with self.db.transaction() as conn:
            rows = await store.claim_due(conn, list(self.messengers), now,
                                         now + timedelta(seconds=OUTBOX_CLAIM_SECONDS), limit)
        if not rows:
            return 0, 0
        sent: list[_Sent] = []
        lanes = asyncio.Semaphore(OUTBOX_PARALLEL)
        held: dict[str | None, datetime] = {}

        async def deliver(row: store.OutboxRow) -> None:
            async with lanes:
                if row.platform in held:  # a rate limit for the whole app met by another delivery of this pass
                    async with self.db.transaction() as conn:
                        await store.release(conn, row, held[row.platform])
                    return
                done = await self._deliver(row, held)
            if done is not None:
                sent.append(done)

        try:
            # the first alone: a rate limit it meets holds the rest of the pass before any of them is sent
            await deliver(rows[0])
            await asyncio.gather(*(deliver(row) for row in rows[1:]))
        finally:  # even when cancelled: what the platform took is marked, not left unsure
            if sent:
                async with self.db.transaction() as conn:
                    await self._mark_sent(conn, sent)
        return len(rows), len(sent)

    async def _mark_sent(self, conn: AsyncConnection, sent: list[_Sent]) -> None:
        at = self.clock.now()
        # in the rows' order, not the order the platform answered: the same deliveries always leave the same rows
        sent = sorted(sent, key=lambda done: done.row.id)
        await store.mark_sent(conn, [done.row for done in sent], at, min_gap=UPDATE_GAP)
        await store.remember_messages(conn, [(done.track, done.ref) for done in sent if done.track and done.ref], at)
        self.metrics.count(OUTBOX_DELIVERIES, len(sent), outcome="sent")

    async def _deliver(self, row: store.OutboxRow, held: dict[str | None, datetime]) -> _Sent | None:
        """One try at one delivery: what went out (to be marked sent), or None when it is retried, waits on
        another delivery, or failed for good (each marked here). A rate limit for the whole app goes in `held`."""
        with within(PLATFORM, row.platform or ""):
            outcome = await self._attempt(row, held)
        if isinstance(outcome, _Sent):
            return outcome
        if outcome != "waiting":
            self.metrics.count(OUTBOX_DELIVERIES, outcome=outcome)
        return None

    async def _attempt(self, row: store.OutboxRow, held: dict[str | None, datetime]) -> _Sent | str:
        """Sent, retry, failed — or waiting (on another delivery; not a try)."""
        delivery: Delivery | None = None
        attempt = _Attempt(row.in_doubt_since)
        try:
            delivery = decode(row.payload)
            track, ref = await self._hand_over(row.key, delivery, attempt)
        except _NotYet as waiting:
            await self._retry(row, str(waiting), timedelta(seconds=2), unsure=attempt.unsure())
            return "waiting"
        except DeliveryError as exc:
            if exc.permanent or row.attempts >= OUTBOX_MAX_ATTEMPTS:
                await self._give_up(row, delivery, exc)
                return "failed"
            delay = exc.retry_after if exc.retry_after is not None else backoff(row.attempts)
            log.warning("delivery of %s failed (%s); retrying in %.0fs", row.key, exc, delay)
            await self._retry(row, str(exc), timedelta(seconds=delay), hold=exc.holds_all,
                              unsure=attempt.unsure(exc))
            if exc.holds_all:
                held[row.platform] = self.clock.now() + timedelta(seconds=delay)
            return "retry"
        except Exception as exc:
            log_failure(log, f"delivering {row.key}", exc)
            await self._retry(row, type(exc).__name__, timedelta(seconds=backoff(row.attempts)),
                              unsure=attempt.unsure(exc))
            return "retry"
        return _Sent(row, track, ref)

    async def _give_up(self, row: store.OutboxRow, delivery: Delivery | None, exc: DeliveryError) -> None:
        log.error("gave up delivering %s after %d attempts: %s", row.key, row.attempts, exc)
        async with self.db.transaction() as conn:
            await store.mark_failed(conn, row, str(exc))
            if isinstance(delivery, Post) and delivery.if_lost is not None:
                notice = delivery.if_lost
                told = message(*notice.message.blocks, footnote(tr("What went wrong: {problem}", problem=str(exc))))
                await send_later(conn, replace(notice, message=told), self.clock.now(), key=f"{row.key}:lost")
                self.kick()

    async def _retry(self, row: store.OutboxRow, error: str, delay: timedelta, *, hold: bool = False,
                     unsure: bool = False) -> None:
        """Try `row` again after `delay`; with `hold`, everything else queued for its platform waits as long, in
        every instance, instead of a fan-out hammering a rate limit that covers the whole app. `unsure`: the
        platform may have it already, so the next attempt looks first."""
        until = self.clock.now() + delay
        async with self.db.transaction() as conn:
            await store.mark_retry(conn, row, error, until, unsure=unsure)
            if hold:
                await store.hold_platform_of(conn, row, until)

    async def _hand_over(self, key: str, delivery: Delivery, attempt: _Attempt) -> tuple[str | None, MessageRef | None]:
        """Give the delivery to its platform: the message to remember under its track, if it has one."""
        match delivery:
            case Post(channel=channel, message=msg, track=track, thread=thread):
                parent = await self._tracked(thread) if thread else None
                if thread and parent is None:
                    raise _NotYet(f"thread parent {thread} not posted yet")
                messenger = self._messenger(channel.platform)
                ref = (await self._already_there(messenger, channel, key, attempt, parent)
                       or await self._sending(attempt, messenger.post(channel, msg, parent, key=key)))
                return track, ref
            case Direct(to=person, message=msg, track=track):
                messenger = self._messenger(person.platform)
                ref = (await self._already_there(messenger, person, key, attempt, None)
                       or await self._sending(attempt, messenger.direct(person, msg, key=key)))
                return track, ref
            case Update(track=track, message=msg):
                await self._edit(track, msg)
            case Refresh(track=track, view=view, id=view_id):
                await self._edit(track, await self.views[view](view_id))
            case Delete(track=track, post=post):
                await self._delete(track, post)
        return None, None

    async def _already_there(self, messenger: Messenger, where: Channel | Person, key: str, attempt: _Attempt,
                             thread: MessageRef | None) -> MessageRef | None:
        """The message, when an earlier attempt that may have delivered it did; None: send it (again)."""
        since = attempt.in_doubt_since
        if since is None:
            return None
        find = getattr(messenger, "find", None)  # a platform without it cannot tell
        found = await find(where, key, since, thread) if find is not None else None
        if found is not None:
            log.info("%s was delivered before its sender stopped; marked sent, not sent again", key)
            return found
        log.info("%s may have been delivered before its sender stopped; %s shows no such message, so it is sent",
                 key, messenger.platform)
        attempt.in_doubt_since = None
        return None

    @staticmethod
    async def _sending(attempt: _Attempt, send: Awaitable[MessageRef]) -> MessageRef:
        attempt.sending = True
        return await send

    async def _edit(self, track: str, msg: Message) -> None:
        ref = await self._tracked(track)
        if ref is None:
            raise _NotYet(f"{track} not posted yet")
        await self._messenger(ref.platform).update(ref, msg)

    async def _delete(self, track: str, post: str) -> None:
        ref = await self._tracked(track)
        if ref is None:
            async with self.db.transaction() as conn:
                status = await store.status_of(conn, post)
            if status == "pending":
                raise _NotYet(f"{post} still on its way")
            return  # never posted (given up, or forgotten): nothing to take down
        await self._messenger(ref.platform).delete(ref)

    def _messenger(self, platform: str) -> Messenger:
        try:
            return self.messengers[platform]
        except KeyError:
            raise _NotYet(f"no {platform} messenger in this process") from None

    async def _tracked(self, key: str) -> MessageRef | None:
        async with self.db.transaction() as conn:
            return await store.tracked(conn, key)
