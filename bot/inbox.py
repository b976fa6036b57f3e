"""The inbox: whatever a platform acknowledged is on disk before the acknowledgement goes out, and is finished
after it — here, or after a crash by whichever instance finds it.

A platform translates what someone did into an `Incoming`, calls `Core.accept` before it acknowledges the
request (Slack's 3-second ack) and `Core.work` after. `accept` writes one row — the incoming, how commands are
typed there, and the platform's own address for answering whoever acted (Slack's response_url) — in the same
transaction as the claim of the platform's delivery id, so a retry of the same request is still recognised.
`work` handles it and deletes the row in the commit of the handling's first write (`Database.ride_along`): the
kudos is stored and the request is done in one commit, so a crash can neither lose it nor do it twice. Then it
answers through the platform's `answer`.

Requests acknowledged at once share that transaction (`GroupCommit`), and work waits while it is written
(`ACKS_FIRST`): in a busy minute the acknowledgements come first, and their work right after.

A row whose instance died (kill -9, a lost machine) is abandoned once its claim runs out (INBOX_CLAIM_SECONDS);
`recover`, a ticker that also runs at start-up, finishes it in any instance and answers through the same
address. Should two instances ever work one row (a holder slow rather than dead), only one commit can delete it:
the other rolls back and says nothing.

Confidential incomings (a mood, an anonymous vote, a vent: `Handlers.confidential`) are never written down:
`accept` handles them at once, before the acknowledgement, and `work` only delivers the answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.codec import decode, encode
from bot.failures import log_failure
from bot.incoming import Incoming
from bot.limits import ACKS_FIRST, INBOX_CLAIM_SECONDS, INBOX_MAX_ATTEMPTS, INBOX_WORKERS
from bot.outgoing import Response
from bot.people import Person
from bot.speakers import languages_in
from storage import inbox as store
from storage.db import Database
from storage.delivery import claim_once
from storage.group_commit import GroupCommit

log = logging.getLogger(__name__)

Answer = Callable[[Mapping[str, Any], Response], Awaitable[None]]
"""A platform's way of giving a Response to whoever acted, from the address it gave `accept` (JSON-able)."""
Respond = Callable[[Incoming, str, str | None], Awaitable[Response]]
"""The core's handling, given the sender's language when it is known already: never raises, except
`AlreadyFinished` from inside a ride-along."""
BATCH = 50


@dataclass(frozen=True)
class Accepted:
    """What `Core.accept` took; the platform hands it back to `Core.work` once it has acknowledged."""

    incoming: Incoming
    prefix: str
    answer: Mapping[str, Any]
    row: int | None = None
    """The inbox row, or None when the work is already done (a confidential incoming)."""
    response: Response | None = None
    language: str | None = None
    """What the sender reads, looked up with the row's write."""


@dataclass(frozen=True)
class _Arrival:
    taking: store.Taking
    sender: Person


class Inbox:
    def __init__(self, db: Database, clock: Clock, respond: Respond, confidential: Callable[[Incoming], bool],
                 answerer: Callable[[str], Answer | None], platforms: Callable[[], list[str]]) -> None:
        self.db = db
        self.clock = clock
        self.respond = respond
        self.confidential = confidential
        self.answerer = answerer
        self.platforms = platforms
        self.lease = timedelta(seconds=INBOX_CLAIM_SECONDS)
        self._lanes = asyncio.Semaphore(INBOX_WORKERS)
        self._intake: GroupCommit[_Arrival, tuple[int | None, str]] = GroupCommit(db, self._take_all)

    async def accept(self, incoming: Incoming, answer: Mapping[str, Any], *, prefix: str = "",
                     delivery_id: str = "") -> Accepted | None:
        """Durable when this returns (or done, when confidential); None for a delivery id seen before."""
        platform = incoming.sender.platform
        once = f"{platform}:{delivery_id}" if delivery_id else ""
        if self.confidential(incoming):
            if once:
                async with self.db.transaction() as conn:
                    if not await claim_once(conn, once, self.clock.now()):
                        return None
            return Accepted(incoming, prefix, answer, response=await self.respond(incoming, prefix, None))
        payload = {"incoming": encode(incoming), "prefix": prefix, "answer": dict(answer)}
        row, language = await self._intake.add(_Arrival(store.Taking(platform, payload, once), incoming.sender))
        return None if row is None else Accepted(incoming, prefix, answer, row=row, language=language)

    async def _take_all(self, conn: AsyncConnection, arrivals: Sequence[_Arrival]) -> list[tuple[int | None, str]]:
        """The rows of requests acknowledged together, and what each sender reads (asked now, with the same
        round trip to the database, rather than in a transaction of its own when the work starts)."""
        now = self.clock.now()
        rows = await store.take_all(conn, [a.taking for a in arrivals], now, now + self.lease)
        languages = await languages_in(conn, {a.sender for a in arrivals})
        return [(row, languages[a.sender]) for row, a in zip(rows, arrivals, strict=True)]

    async def work(self, accepted: Accepted) -> None:
        """Do what was accepted and answer whoever acted; never raises (a failure leaves the row to `recover`)."""
        try:
            response = accepted.response
            if response is None and accepted.row is not None:
                async with self._lanes:
                    await self._intake.quiet(ACKS_FIRST)
                    response = await self._finish(accepted.row, accepted.incoming, accepted.prefix,
                                                  accepted.language)
            if response is not None:
                await self._answer(accepted.incoming.sender.platform, accepted.answer, response)
        except Exception as exc:
            log_failure(log, f"working off a {type(accepted.incoming).__name__}", exc)

    async def recover(self) -> None:
        """Finish what instances acknowledged but did not finish before they stopped (a ticker, so it also runs
        at start-up); any instance with the row's platform plugged in may."""
        platforms = self.platforms()
        finished = 0
        for _ in range(100):  # bounded: each pass claims (or skips) what it saw
            now = self.clock.now()
            async with self.db.transaction() as conn:
                ids = await store.abandoned(conn, platforms, now, BATCH) if platforms else []
            for row_id in ids:
                finished += await self._recover(row_id)
            if len(ids) < BATCH:
                break
        if finished:
            log.info("finished %d request(s) acknowledged by an instance that stopped before finishing them",
                     finished)

    async def _recover(self, row_id: int) -> int:
        now = self.clock.now()
        async with self.db.transaction() as conn:
            row = await store.claim(conn, row_id, now, now + self.lease)
        if row is None:
            return 0
        what = f"a {row.platform} request acknowledged at {row.created_at:%Y-%m-%d %H:%M:%S}Z"
        try:
            incoming: Incoming = decode(row.payload["incoming"])
            prefix, answer = str(row.payload.get("prefix", "")), row.payload.get("answer") or {}
        except Exception as exc:
            log_failure(log, f"reading {what}", exc)
            incoming = None  # type: ignore[assignment]
        if incoming is None or row.attempts > INBOX_MAX_ATTEMPTS:
            if incoming is not None:
                log.error("gave up on %s: its work was cut short %d times", what, row.attempts - 1)
            async with self.db.transaction() as conn:
                await store.finish(conn, row.id)
            return 0
        response = await self._finish(row.id, incoming, prefix)
        if response is not None:
            await self._answer(row.platform, answer, response)
        return 1

    async def _finish(self, row: int, incoming: Incoming, prefix: str, language: str | None = None) -> Response | None:
        """Handle `incoming` and delete its row in the same commit; None when another worker finished it first."""
        with self.db.ride_along(store.Finishing(row)) as ride:
            try:
                response = await self.respond(incoming, prefix, language)
            except store.AlreadyFinished:
                return None
        if not ride.done:  # the handling wrote nothing (help, a refusal, an apology): finish on its own
            async with self.db.transaction() as conn:
                if not await store.finish(conn, row):
                    return None
        return response

    async def _answer(self, platform: str, address: Mapping[str, Any], response: Response) -> None:
        if not response.replies and response.form is None:
            return
        answer = self.answerer(platform)
        if answer is None:
            log.warning("no way to answer on %s in this process; the answer is dropped", platform)
            return
        try:
            await answer(address, response)
        except Exception as exc:
            log_failure(log, f"answering privately on {platform}", exc)
