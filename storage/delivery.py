"""Repositories for the outbox, tracked messages and run-once keys."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, delete, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.clock import Clock
from bot.incoming import MessageRef
from bot.limits import DEDUPE_HOURS
from storage.db import Database, insert_for, per_dialect
from storage.tables.delivery import once_keys, outbox, tracked_messages
from storage.types import UTCDateTime


async def claim_once(conn: AsyncConnection, key: str, at: datetime) -> bool:
    """True the first time a key is claimed, in any process; False for every later claim."""
    return key in await claim_all_once(conn, [key], at)


async def claim_all_once(conn: AsyncConnection, keys: Iterable[str], at: datetime) -> set[str]:
    """`claim_once` for several keys in one statement: those claimed now for the first time."""
    wanted = list(dict.fromkeys(keys))
    if not wanted:
        return set()
    stmt = insert_for(conn)(once_keys).values([{"key": k, "created_at": at} for k in wanted])
    return set((await conn.execute(stmt.on_conflict_do_nothing().returning(once_keys.c.key))).scalars())


async def release_once(conn: AsyncConnection, key: str) -> None:
    """Let a key be claimed again: what it guarded was taken back (a reaction kudos, removed)."""
    await release_all_once(conn, [key])


async def release_all_once(conn: AsyncConnection, keys: Sequence[str]) -> None:
    if keys:
        await conn.execute(delete(once_keys).where(once_keys.c.key.in_(keys)))


async def forget_once_keys_before(conn: AsyncConnection, cutoff: datetime, prefix: str = "") -> int:
    """Drop claims older than `cutoff` — only those starting with `prefix` when one is given."""
    stmt = delete(once_keys).where(once_keys.c.created_at < cutoff)
    if prefix:
        stmt = stmt.where(once_keys.c.key.startswith(prefix, autoescape=True))
    result = await conn.execute(stmt)
    return result.rowcount


def forgetting(db: Database, clock: Clock, prefix: str,
               keep: timedelta = timedelta(hours=DEDUPE_HOURS)) -> Callable[[], Awaitable[None]]:
    """A ticker dropping claims under `prefix` older than `keep`: a platform's delivery ids only matter while
    it may still deliver the same thing again."""

    async def forget() -> None:
        async with db.transaction() as conn:
            await forget_once_keys_before(conn, clock.now() - keep, prefix=prefix)

    return forget


_ROW = (outbox.c.id, outbox.c.key, outbox.c.payload, outbox.c.attempts, outbox.c.version, outbox.c.platform)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    key: str
    payload: Any
    attempts: int
    version: int
    platform: str | None = None
    """Where a post or DM goes; None for an edit (its message says where)."""
    in_doubt_since: datetime | None = None
    """Set when an earlier attempt may have reached the platform without our hearing back (the worker died
    between sending and marking it sent): a resend looks for it first, in what was posted since then."""


@dataclass(frozen=True)
class Queued:
    """A delivery to add to the outbox (`enqueue_many`)."""

    key: str
    payload: Any
    platform: str | None = None
    workspace: str | None = None
    not_before: datetime | None = None


_ENQUEUE = per_dialect(lambda insert: insert(outbox).on_conflict_do_nothing().returning(outbox.c.key))


async def enqueue_many(conn: AsyncConnection, deliveries: Sequence[Queued], at: datetime) -> set[str]:
    """Add deliveries, each once, in one statement: a key already in the outbox is left as it is. The keys
    added."""
    if not deliveries:
        return set()
    added = await conn.execute(_ENQUEUE(conn), [
        dict(key=d.key, payload=d.payload, platform=d.platform, workspace=d.workspace, status="pending", attempts=0,
             not_before=d.not_before or at, created_at=at)
        for d in deliveries
    ])
    return set(added.scalars())


async def enqueue(
    conn: AsyncConnection,
    key: str,
    payload: Any,
    at: datetime,
    *,
    platform: str | None = None,
    workspace: str | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Add a delivery once: a key already in the outbox is left as it is. True when added."""
    return key in await enqueue_many(conn, [Queued(key, payload, platform, workspace, not_before)], at)


async def enqueue_replacing(
    conn: AsyncConnection, key: str, payload: Any, at: datetime, *, min_gap: timedelta
) -> None:
    """Queue a message edit; the newest content replaces any older one not yet shown.

    An edit is held back until `min_gap` after the previous one went out (or is going out), which turns a
    burst of edits (fifty votes in a second) into one platform call per gap while the newest content wins.
    The row is locked while the new time is worked out, so a worker finishing a delivery in between cannot
    leave it due right after that delivery (PostgreSQL; SQLite already holds its one write lock here).
    """
    if await enqueue(conn, key, payload, at):
        return
    row = (await conn.execute(
        select(outbox.c.sent_at, outbox.c.claimed_until, outbox.c.not_before)
        .where(outbox.c.key == key)
        .with_for_update()
    )).one()
    in_flight = row.claimed_until is not None and row.claimed_until > at
    if in_flight:
        earliest = at + min_gap
    elif row.sent_at is not None:
        earliest = max(at, row.sent_at + min_gap)
    else:
        earliest = row.not_before
    await conn.execute(
        update(outbox)
        .where(outbox.c.key == key)
        .values(payload=payload, status="pending", attempts=0, last_error=None, not_before=earliest,
                version=outbox.c.version + 1)
    )


async def cancel_pending(conn: AsyncConnection, key: str, now: datetime) -> bool:
    """Drop a delivery that has not gone out and that no worker holds or may have delivered; True when dropped
    (so the platform never shows it), False when it is out, on its way, or unknown."""
    result = await conn.execute(
        delete(outbox).where(
            outbox.c.key == key, outbox.c.status == "pending", outbox.c.unsure_since.is_(None),
            or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
        )
    )
    return result.rowcount == 1


async def status_of(conn: AsyncConnection, key: str) -> str | None:
    """pending, sent or failed — None when no delivery has this key."""
    return (await conn.execute(select(outbox.c.status).where(outbox.c.key == key))).scalar_one_or_none()


async def due(conn: AsyncConnection, platforms: list[str], now: datetime, limit: int) -> list[OutboxRow]:
    """Pending deliveries whose time has come and that no live worker holds."""
    rows = await conn.execute(
        select(*_ROW)
        .where(_claimable(now), or_(outbox.c.platform.is_(None), outbox.c.platform.in_(platforms)))
        .order_by(outbox.c.not_before, outbox.c.id)
        .limit(limit)
    )
    return [OutboxRow(r.id, r.key, r.payload, r.attempts, r.version, r.platform) for r in rows]


def _claimable(now: datetime) -> Any:
    """Pending, due, and held by no live worker."""
    return (outbox.c.status == "pending") & (outbox.c.not_before <= now) & or_(
        outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now)


async def claim_due(conn: AsyncConnection, platforms: list[str], now: datetime, until: datetime,
                    limit: int) -> list[OutboxRow]:
    """Take up to `limit` due deliveries for this worker in one statement, oldest first.

    Rows another worker holds are skipped, not waited for (PostgreSQL `SKIP LOCKED`; SQLite has one writer), and
    being due is checked again in the UPDATE itself. As in `claim`, each row is unsure from the claim on, and one
    claimed while still unsure from before comes back with `in_doubt_since`.
    """
    chosen = (
        select(outbox.c.id)
        .where(_claimable(now), or_(outbox.c.platform.is_(None), outbox.c.platform.in_(platforms)))
        .order_by(outbox.c.not_before, outbox.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("chosen")
    )
    if conn.dialect.name == "postgresql":
        # chosen once: a subquery PostgreSQL rescans would skip the rows it just locked and pick `limit` more
        chosen = chosen.prefix_with("MATERIALIZED")
    result = await conn.execute(
        update(outbox)
        .where(outbox.c.id.in_(select(chosen.c.id)), _claimable(now))
        .values(claimed_until=until, attempts=outbox.c.attempts + 1,
                unsure_since=func.coalesce(outbox.c.unsure_since, literal(now, UTCDateTime())))
        .returning(*_ROW, outbox.c.unsure_since)
    )
    rows = sorted(result.all(), key=lambda r: r.id)
    # an earlier unsure time survives only an expired claim or an unsure retry, both before `now`
    return [OutboxRow(r.id, r.key, r.payload, r.attempts, r.version, r.platform,
                      r.unsure_since if r.unsure_since is not None and r.unsure_since < now else None) for r in rows]


async def claim(conn: AsyncConnection, row_id: int, now: datetime, until: datetime) -> OutboxRow | None:
    """Take one delivery for this worker; None when another worker was quicker or it is no longer due.

    `due()` may have read the row before another worker delivered it and pushed the next edit back, so
    being due is checked again here, in the same statement that claims it.

    From the claim on, the outcome is unsure (`unsure_since`) until the worker says what happened; a row
    claimed while still unsure from before comes back with `in_doubt_since`.
    """
    result = await conn.execute(
        update(outbox)
        .where(outbox.c.id == row_id, _claimable(now))
        .values(claimed_until=until, attempts=outbox.c.attempts + 1,
                unsure_since=func.coalesce(outbox.c.unsure_since, literal(now, UTCDateTime())))
    )
    if result.rowcount != 1:
        return None
    r = (await conn.execute(
        select(*_ROW, outbox.c.unsure_since).where(outbox.c.id == row_id)
    )).one()
    # an earlier unsure time survives only an expired claim or an unsure retry, both before `now`
    doubt = r.unsure_since if r.unsure_since is not None and r.unsure_since < now else None
    return OutboxRow(r.id, r.key, r.payload, r.attempts, r.version, r.platform, doubt)


def _mark_sent() -> Any:
    replaced = outbox.c.version != bindparam("seen_version")
    return (
        update(outbox)
        .where(outbox.c.id == bindparam("row_id"))
        .values(
            status=case((replaced, "pending"), else_="sent"),
            not_before=case((replaced, bindparam("next_edit", type_=UTCDateTime)), else_=outbox.c.not_before),
            sent_at=bindparam("sent", type_=UTCDateTime), claimed_until=None, unsure_since=None, last_error=None,
        )
    )


_MARK_SENT = _mark_sent()  # built once; run once for a whole pass's deliveries


async def mark_sent(conn: AsyncConnection, rows: Sequence[OutboxRow], at: datetime, *,
                    min_gap: timedelta = timedelta(0)) -> None:
    """Sent — unless the content was replaced meanwhile (a newer edit), which then stays pending and waits
    `min_gap` from now: the platform call just made may have happened after that newer edit was queued."""
    if rows:
        await conn.execute(_MARK_SENT, [{"row_id": r.id, "seen_version": r.version, "next_edit": at + min_gap,
                                         "sent": at} for r in rows])


async def mark_retry(conn: AsyncConnection, row: OutboxRow, error: str, when: datetime, *,
                     unsure: bool = False) -> None:
    """Try again at `when`; `unsure`: this attempt (or an earlier one) may have been delivered after all, so the
    next one looks before sending."""
    values: dict[str, Any] = dict(not_before=when, claimed_until=None, last_error=error)
    if not unsure:
        values["unsure_since"] = None
    await conn.execute(update(outbox).where(outbox.c.id == row.id).values(**values))


async def release(conn: AsyncConnection, row: OutboxRow, until: datetime) -> None:
    """Give back a claimed delivery that was not tried (its platform asked the whole app to wait): due at `until`,
    its attempt not counted, and unsure only if it was before this claim."""
    values: dict[str, Any] = dict(not_before=until, claimed_until=None, attempts=outbox.c.attempts - 1)
    if row.in_doubt_since is None:
        values["unsure_since"] = None
    await conn.execute(update(outbox).where(outbox.c.id == row.id).values(**values))


async def hold_platform_of(conn: AsyncConnection, row: OutboxRow, until: datetime) -> None:
    """Push every pending delivery for `row`'s platform back to `until` at the earliest."""
    platform = select(outbox.c.platform).where(outbox.c.id == row.id).scalar_subquery()
    await conn.execute(
        update(outbox)
        .where(outbox.c.status == "pending", outbox.c.platform == platform, outbox.c.not_before < until)
        .values(not_before=until)
    )


async def mark_failed(conn: AsyncConnection, row: OutboxRow, error: str) -> None:
    await conn.execute(
        update(outbox)
        .where(outbox.c.id == row.id)
        .values(status="failed", claimed_until=None, unsure_since=None, last_error=error)
    )


async def remember_messages(conn: AsyncConnection, messages: Sequence[tuple[str, MessageRef]], at: datetime) -> None:
    """Where each tracked message is (its key: the feature's name for it), to edit or delete it later."""
    if not messages:
        return
    stmt = insert_for(conn)(tracked_messages)
    await conn.execute(stmt.on_conflict_do_update(
        index_elements=["key"], set_={"channel": stmt.excluded.channel, "message_id": stmt.excluded.message_id}
    ), [dict(key=key, platform=ref.platform, workspace=ref.workspace, channel=ref.channel, message_id=ref.id,
             created_at=at) for key, ref in messages])


async def tracked(conn: AsyncConnection, key: str) -> MessageRef | None:
    row = (await conn.execute(select(tracked_messages).where(tracked_messages.c.key == key))).first()
    return MessageRef(row.platform, row.workspace, row.channel, row.message_id) if row else None


@dataclass(frozen=True)
class QueueStats:
    """The outbox of one platform ("" for edits, whose message says where) as an operator watches it."""

    platform: str
    pending: int = 0
    oldest_due: datetime | None = None
    """When the longest-waiting delivery that is due now became due; None when none is waiting."""
    failed: int = 0


async def queue_stats(conn: AsyncConnection, now: datetime) -> list[QueueStats]:
    """Pending and failed deliveries per platform: three grouped reads on the `status` index, cheap per scrape."""
    platform = func.coalesce(outbox.c.platform, "")
    pending: dict[str, int] = dict((await conn.execute(
        select(platform, func.count()).where(outbox.c.status == "pending").group_by(platform)
    )).all())
    oldest: dict[str, datetime] = dict((await conn.execute(
        select(platform, func.min(outbox.c.not_before))
        .where(outbox.c.status == "pending", outbox.c.not_before <= now).group_by(platform)
    )).all())
    failed: dict[str, int] = dict((await conn.execute(
        select(platform, func.count()).where(outbox.c.status == "failed").group_by(platform)
    )).all())
    return [QueueStats(p, pending.get(p, 0), oldest.get(p), failed.get(p, 0))
            for p in sorted({*pending, *oldest, *failed})]
