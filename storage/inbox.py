"""The inbox's rows: taken in the acknowledgement's transaction, claimed by whoever works them off, deleted in the
transaction that commits the work's effect (see `bot.inbox`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import SharedStep, insert_all
from storage.delivery import claim_all_once
from storage.tables.inbox import inbox


class AlreadyFinished(Exception):
    """Another worker finished this row first (its holder was presumed dead and it was worked off twice): the
    transaction that tried to finish it again rolls back, so its effect happens once."""


@dataclass(frozen=True)
class InboxRow:
    id: int
    platform: str
    payload: Any
    attempts: int
    created_at: datetime


_ROW = (inbox.c.id, inbox.c.platform, inbox.c.payload, inbox.c.attempts, inbox.c.created_at)


@dataclass(frozen=True)
class Taking:
    """One acknowledged request to write down; with `once`, only if that delivery id is new."""

    platform: str
    payload: Any
    once: str = ""


async def take_all(conn: AsyncConnection, takings: Sequence[Taking], at: datetime,
                   held_until: datetime) -> list[int | None]:
    """Write the rows in two statements, held by the caller until `held_until`: each row's id, or None for a
    delivery id claimed before (a platform's retry, also one repeated within this batch)."""
    claimed = await claim_all_once(conn, (t.once for t in takings if t.once), at)
    kept: list[bool] = []
    for t in takings:
        kept.append(not t.once or t.once in claimed)
        claimed.discard(t.once)  # a second copy in the same batch is a repeat too
    rows = [{"platform": t.platform, "payload": t.payload, "attempts": 1, "claimed_until": held_until,
             "created_at": at} for t, keep in zip(takings, kept, strict=True) if keep]
    ids = iter(await insert_all(conn, inbox, rows))
    return [next(ids) if keep else None for keep in kept]


async def abandoned(conn: AsyncConnection, platforms: list[str], now: datetime, limit: int) -> list[int]:
    """Rows of these platforms whose holder let the claim run out (it stopped, or died, before finishing)."""
    rows = await conn.execute(
        select(inbox.c.id)
        .where(inbox.c.platform.in_(platforms), inbox.c.claimed_until < now)
        .order_by(inbox.c.id)
        .limit(limit)
    )
    return list(rows.scalars())


async def claim(conn: AsyncConnection, row_id: int, now: datetime, until: datetime) -> InboxRow | None:
    """Hold an abandoned row; None when another instance holds or finished it."""
    result = await conn.execute(
        update(inbox)
        .where(inbox.c.id == row_id, inbox.c.claimed_until < now)
        .values(claimed_until=until, attempts=inbox.c.attempts + 1)
    )
    if result.rowcount != 1:
        return None
    r = (await conn.execute(select(*_ROW).where(inbox.c.id == row_id))).one()
    return InboxRow(r.id, r.platform, r.payload, r.attempts, r.created_at)


async def finish(conn: AsyncConnection, row_id: int) -> bool:
    """Delete the row; False when it was already gone."""
    [failure] = await Finishing.take_all(conn, [Finishing(row_id)])
    return failure is None


@dataclass(frozen=True)
class Finishing(SharedStep):
    """The ride-along step (`Database.ride_along`) that finishes `row_id` with the work's first write — and
    refuses that write if someone else already finished the row. Work done together finishes its rows in one
    DELETE."""

    row_id: int

    @classmethod
    async def take_all(cls, conn: AsyncConnection, steps: Sequence[Finishing]) -> list[Exception | None]:
        finished = set((await conn.execute(
            delete(inbox).where(inbox.c.id.in_([s.row_id for s in steps])).returning(inbox.c.id)
        )).scalars())
        failures: list[Exception | None] = []
        for step in steps:
            failures.append(None if step.row_id in finished else AlreadyFinished(step.row_id))
            finished.discard(step.row_id)  # the same row twice: the second finds it gone
        return failures
