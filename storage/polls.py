"""Polls: asking, voting, counting and closing. Counts are computed in SQL.

A named ballot is keyed by the voter's person id; an anonymous one by a string the feature derives
from the voter with the poll's secret (see `storage.tables.polls`), and this module never learns who
that is. Closing folds the ballots into per-option counts, wipes the secret and deletes anonymous ballots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Table, delete, distinct, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.people import Channel, Person
from storage.db import insert_for, inserted_id
from storage.people import people_by_id
from storage.tables.people import people
from storage.tables.polls import poll_ballots, poll_options, poll_votes, polls

Voter = int | str
"""A person id on a named poll, the keyed hash of the voter on an anonymous one."""
BY_ASKER = "creator"
AT_DEADLINE = "deadline"
"""How a poll closed (`polls.closed_by`)."""


@dataclass(frozen=True)
class PollRecord:
    id: int
    channel: Channel
    creator: Person
    question: str
    options: tuple[str, ...]
    anonymous: bool
    multi: bool
    hide_results: bool
    created_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None
    closed_by: str | None

    def is_due(self, now: datetime) -> bool:
        return self.closed_at is None and self.closes_at is not None and self.closes_at <= now


@dataclass(frozen=True)
class Tally:
    """Votes per option (in option order), distinct voters, and who picked each option on a named poll."""

    counts: tuple[int, ...]
    voters: int
    names: tuple[tuple[Person, ...], ...] = ()


async def add_poll(
    conn: AsyncConnection,
    *,
    channel: Channel,
    creator_id: int,
    question: str,
    options: Sequence[str],
    anonymous: bool,
    multi: bool,
    hide_results: bool,
    secret: bytes | None,
    closes_at: datetime | None,
    at: datetime,
) -> int:
    result = await conn.execute(
        polls.insert().values(
            platform=channel.platform, workspace=channel.workspace, channel=channel.id,
            channel_name=channel.name, creator_id=creator_id, question=question, anonymous=anonymous,
            multi=multi, hide_results=hide_results, secret=secret, created_at=at, closes_at=closes_at,
        )
    )
    poll_id = inserted_id(result)
    await conn.execute(
        poll_options.insert(), [{"poll_id": poll_id, "position": i, "label": o} for i, o in enumerate(options)]
    )
    return poll_id


async def get_poll(conn: AsyncConnection, poll_id: int) -> PollRecord | None:
    row = (await conn.execute(select(polls).where(polls.c.id == poll_id))).first()
    return await _record(conn, row) if row else None


async def poll_for_vote(conn: AsyncConnection, poll_id: int) -> tuple[PollRecord, bytes | None] | None:
    """The poll and its secret, held (FOR SHARE on PostgreSQL) so it cannot close while this vote is cast."""
    row = (await conn.execute(select(polls).where(polls.c.id == poll_id).with_for_update(read=True))).first()
    return (await _record(conn, row), row.secret) if row else None


async def _record(conn: AsyncConnection, row: Any) -> PollRecord:
    labels = (await conn.execute(
        select(poll_options.c.label).where(poll_options.c.poll_id == row.id).order_by(poll_options.c.position)
    )).scalars().all()
    creator = (await people_by_id(conn, [row.creator_id]))[row.creator_id]
    return PollRecord(
        id=row.id,
        channel=Channel(row.platform, row.workspace, row.channel, name=row.channel_name),
        creator=creator, question=row.question, options=tuple(labels), anonymous=row.anonymous,
        multi=row.multi, hide_results=row.hide_results, created_at=row.created_at, closes_at=row.closes_at,
        closed_at=row.closed_at, closed_by=row.closed_by,
    )


def _ballots(anonymous: bool) -> tuple[Table, Column[Any]]:
    return (poll_ballots, poll_ballots.c.voter) if anonymous else (poll_votes, poll_votes.c.person_id)


async def picks(conn: AsyncConnection, poll: PollRecord, voter: Voter) -> frozenset[int]:
    table, who = _ballots(poll.anonymous)
    rows = await conn.execute(select(table.c.position).where(table.c.poll_id == poll.id, who == voter))
    return frozenset(rows.scalars())


async def cast(
    conn: AsyncConnection, poll: PollRecord, voter: Voter, position: int
) -> tuple[frozenset[int], frozenset[int]]:
    """Vote, or change a vote: pick-one replaces the voter's pick, multiple choice toggles this option.

    Returns the voter's picks before and after. Unique keys make a double press count once even when
    both arrive at the same moment on two instances.
    """
    table, who = _ballots(poll.anonymous)
    before = await picks(conn, poll, voter)
    mine = {"poll_id": poll.id, who.name: voter}
    if not poll.multi:
        stmt = insert_for(conn)(table).values(**mine, slot=0, position=position)
        await conn.execute(
            stmt.on_conflict_do_update(index_elements=["poll_id", who.name, "slot"], set_={"position": position})
        )
    elif position in before:
        await conn.execute(delete(table).where(table.c.poll_id == poll.id, who == voter, table.c.slot == position))
    else:
        stmt = insert_for(conn)(table).values(**mine, slot=position, position=position)
        await conn.execute(stmt.on_conflict_do_nothing())
    return before, await picks(conn, poll, voter)


async def tally(conn: AsyncConnection, poll: PollRecord) -> Tally:
    """Live counts while open; the counts fixed at closing afterwards (anonymous ballots are gone by then)."""
    if poll.closed_at is not None:
        counts = (await conn.execute(
            select(poll_options.c.votes).where(poll_options.c.poll_id == poll.id).order_by(poll_options.c.position)
        )).scalars().all()
        voters = (await conn.execute(select(polls.c.voters).where(polls.c.id == poll.id))).scalar_one()
        found = dict(enumerate(counts))
    else:
        table, who = _ballots(poll.anonymous)
        rows = await conn.execute(
            select(table.c.position, func.count()).where(table.c.poll_id == poll.id).group_by(table.c.position)
        )
        found = {position: n for position, n in rows.all()}
        voters = (await conn.execute(
            select(func.count(distinct(who))).where(table.c.poll_id == poll.id)
        )).scalar_one()
    counts_in_order = tuple(found.get(i) or 0 for i in range(len(poll.options)))
    names = () if poll.anonymous else await _names(conn, poll)
    return Tally(counts_in_order, voters or 0, names)


async def _names(conn: AsyncConnection, poll: PollRecord) -> tuple[tuple[Person, ...], ...]:
    rows = (await conn.execute(
        select(poll_votes.c.position, poll_votes.c.person_id)
        .join(people, people.c.id == poll_votes.c.person_id)
        .where(poll_votes.c.poll_id == poll.id)
        .order_by(func.lower(people.c.name), people.c.id)
    )).all()
    everyone = await people_by_id(conn, [pid for _, pid in rows])
    return tuple(tuple(everyone[pid] for position, pid in rows if position == i) for i in range(len(poll.options)))


async def close_poll(conn: AsyncConnection, poll_id: int, at: datetime, by: str) -> bool:
    """Close once: fix the counts, wipe the secret, delete anonymous ballots. False if it was already closed."""
    claimed = await conn.execute(
        update(polls).where(polls.c.id == poll_id, polls.c.closed_at.is_(None))
        .values(closed_at=at, closed_by=by, secret=None)
    )
    if claimed.rowcount != 1:
        return False
    anonymous = (await conn.execute(select(polls.c.anonymous).where(polls.c.id == poll_id))).scalar_one()
    table, who = _ballots(anonymous)
    await conn.execute(
        update(poll_options).where(poll_options.c.poll_id == poll_id).values(
            votes=select(func.count()).where(
                table.c.poll_id == poll_options.c.poll_id, table.c.position == poll_options.c.position
            ).scalar_subquery()
        )
    )
    await conn.execute(
        update(polls).where(polls.c.id == poll_id).values(
            voters=select(func.count(distinct(who))).where(table.c.poll_id == poll_id).scalar_subquery()
        )
    )
    if anonymous:
        await conn.execute(delete(poll_ballots).where(poll_ballots.c.poll_id == poll_id))
    return True



async def due_polls(conn: AsyncConnection, now: datetime) -> list[tuple[int, datetime]]:
    """Open polls whose deadline has passed, with the deadline, oldest first."""
    rows = await conn.execute(
        select(polls.c.id, polls.c.closes_at)
        .where(polls.c.closed_at.is_(None), polls.c.closes_at <= now)
        .order_by(polls.c.closes_at, polls.c.id)
    )
    return [(poll_id, closes_at) for poll_id, closes_at in rows.all()]


@dataclass(frozen=True)
class ClosedPoll:
    """A closed poll's final figures, with the channel it ran in (the digest sorts them into teams)."""

    platform: str
    channel: str
    channel_name: str
    question: str
    options: tuple[tuple[str, int], ...]
    voters: int
    anonymous: bool
    closed_at: datetime


async def closed_between(conn: AsyncConnection, start: datetime, end: datetime) -> list[ClosedPoll]:
    rows = (await conn.execute(
        select(polls).where(polls.c.closed_at >= start, polls.c.closed_at < end).order_by(polls.c.closed_at, polls.c.id)
    )).all()
    if not rows:
        return []
    options = (await conn.execute(
        select(poll_options.c.poll_id, poll_options.c.label, poll_options.c.votes)
        .where(poll_options.c.poll_id.in_([r.id for r in rows]))
        .order_by(poll_options.c.poll_id, poll_options.c.position)
    )).all()
    return [
        ClosedPoll(
            platform=r.platform, channel=r.channel, channel_name=r.channel_name, question=r.question,
            options=tuple((label, votes or 0) for pid, label, votes in options if pid == r.id),
            voters=r.voters or 0, anonymous=r.anonymous, closed_at=r.closed_at,
        )
        for r in rows
    ]
