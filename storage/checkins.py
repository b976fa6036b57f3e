"""Check-in rounds, invitations, answers and vents — written so that answers never meet identities.

A mood answer is one transaction that inserts the "answered" flag and bumps the round's tallies. It bumps
*all five* tally rows (four by zero), so on PostgreSQL, where every row remembers the transaction that last
wrote it (`xmin`), the tallies all point at the latest answer and none tells which mood it chose. When a
round closes, its flags and vents are rewritten in random order in one transaction, so neither their
physical order nor their `xmin` keeps the order in which people answered or wrote.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.people import Person
from storage.db import insert_for
from storage.tables.checkins import (
    checkin_answered,
    checkin_invites,
    checkin_moods,
    checkin_prefs,
    checkin_rounds,
    checkin_vents,
)
from storage.tables.people import people

MOODS = (1, 2, 3, 4, 5)
_shuffle = random.SystemRandom().shuffle


def random_id() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class Round:
    id: str
    team: str
    week: str
    closes_at: datetime
    closed: bool

    def is_open(self, now: datetime) -> bool:
        return not self.closed and now < self.closes_at


def _round(row) -> Round:  # type: ignore[no-untyped-def]
    return Round(row.id, row.team, row.week, row.closes_at, row.closed)


async def ensure_round(conn: AsyncConnection, team: str, week: str, closes_at: datetime) -> Round:
    """The team's round for an ISO week, created with empty tallies the first time anyone needs it."""
    new_id = random_id()
    stmt = insert_for(conn)(checkin_rounds).values(id=new_id, team=team, week=week, closes_at=closes_at, closed=False)
    if (await conn.execute(stmt.on_conflict_do_nothing())).rowcount == 1:
        await conn.execute(checkin_moods.insert(), [{"round_id": new_id, "mood": m, "answers": 0} for m in MOODS])
    found = await round_for(conn, team, week)
    assert found is not None
    return found


async def round_for(conn: AsyncConnection, team: str, week: str) -> Round | None:
    row = (await conn.execute(
        select(checkin_rounds).where(checkin_rounds.c.team == team, checkin_rounds.c.week == week)
    )).first()
    return _round(row) if row else None


async def get_round(conn: AsyncConnection, round_id: str) -> Round | None:
    row = (await conn.execute(select(checkin_rounds).where(checkin_rounds.c.id == round_id))).first()
    return _round(row) if row else None


async def open_rounds(conn: AsyncConnection, team: str, now: datetime) -> list[Round]:
    """The team's rounds still taking answers, newest first."""
    rows = await conn.execute(
        select(checkin_rounds)
        .where(checkin_rounds.c.team == team, checkin_rounds.c.closed.is_(False), checkin_rounds.c.closes_at > now)
        .order_by(checkin_rounds.c.week.desc())
    )
    return [_round(r) for r in rows]


async def keep_open_until(conn: AsyncConnection, round_id: str, moment: datetime) -> None:
    """Push a round's closing time later (never earlier): someone was just asked and gets their full window."""
    await conn.execute(
        update(checkin_rounds)
        .where(checkin_rounds.c.id == round_id, checkin_rounds.c.closes_at < moment)
        .values(closes_at=moment)
    )


async def people_ids(conn: AsyncConnection, persons: Iterable[Person]) -> dict[Person, int]:
    """Row ids of the people already known, in one query (a team's worth at a time)."""
    wanted = {p.key: p for p in persons}
    if not wanted:
        return {}
    rows = await conn.execute(
        select(people.c.id, people.c.platform, people.c.workspace, people.c.user_id)
        .where(people.c.user_id.in_({key[2] for key in wanted}))
    )
    return {wanted[k]: r.id for r in rows if (k := (r.platform, r.workspace, r.user_id)) in wanted}


# --- who was asked ---------------------------------------------------------------------------------------

async def add_invite(conn: AsyncConnection, round_id: str, person_id: int, ask_at: datetime) -> bool:
    """The delivery record of one person's check-in: True the first time, False if already asked."""
    stmt = insert_for(conn)(checkin_invites).values(round_id=round_id, person_id=person_id, ask_at=ask_at,
                                                    reminded=False)
    return (await conn.execute(stmt.on_conflict_do_nothing())).rowcount == 1


async def invited(conn: AsyncConnection, round_id: str) -> set[int]:
    rows = await conn.execute(select(checkin_invites.c.person_id).where(checkin_invites.c.round_id == round_id))
    return set(rows.scalars())


async def is_invited(conn: AsyncConnection, round_id: str, person_id: int) -> bool:
    row = (await conn.execute(select(checkin_invites.c.person_id).where(
        checkin_invites.c.round_id == round_id, checkin_invites.c.person_id == person_id
    ))).first()
    return row is not None


async def due_reminders(conn: AsyncConnection, asked_before: datetime, now: datetime) -> list[tuple[str, int]]:
    """(round, person) for people asked before a moment who have not answered, in rounds still open."""
    answered = select(checkin_answered.c.person_id).where(
        checkin_answered.c.round_id == checkin_invites.c.round_id,
        checkin_answered.c.person_id == checkin_invites.c.person_id,
    ).exists()
    rows = await conn.execute(
        select(checkin_invites.c.round_id, checkin_invites.c.person_id)
        .join(checkin_rounds, checkin_rounds.c.id == checkin_invites.c.round_id)
        .where(
            checkin_invites.c.reminded.is_(False), checkin_invites.c.ask_at <= asked_before, ~answered,
            checkin_rounds.c.closed.is_(False), checkin_rounds.c.closes_at > now,
        )
    )
    return [(r.round_id, r.person_id) for r in rows]


async def claim_reminder(conn: AsyncConnection, round_id: str, person_id: int) -> bool:
    """True for exactly one caller, however many instances try: the reminder is then theirs to send."""
    result = await conn.execute(
        update(checkin_invites)
        .where(checkin_invites.c.round_id == round_id, checkin_invites.c.person_id == person_id,
               checkin_invites.c.reminded.is_(False))
        .values(reminded=True)
    )
    return result.rowcount == 1


# --- answers ---------------------------------------------------------------------------------------------

async def has_answered(conn: AsyncConnection, round_id: str, person_id: int) -> bool:
    row = (await conn.execute(select(checkin_answered.c.person_id).where(
        checkin_answered.c.round_id == round_id, checkin_answered.c.person_id == person_id
    ))).first()
    return row is not None


async def record_mood(conn: AsyncConnection, round_id: str, person_id: int, mood: int) -> bool:
    """Count one answer, once per person per round; False when this person already answered.

    The flag says only *that* they answered; the tally says only *how many* chose each mood.
    """
    if mood not in MOODS:
        raise ValueError("mood out of range")
    flag = insert_for(conn)(checkin_answered).values(round_id=round_id, person_id=person_id)
    if (await conn.execute(flag.on_conflict_do_nothing())).rowcount != 1:
        return False
    # lock the five tallies in one order first, so answers arriving together queue up instead of deadlocking
    await conn.execute(select(checkin_moods.c.mood).where(checkin_moods.c.round_id == round_id)
                       .order_by(checkin_moods.c.mood).with_for_update())
    await conn.execute(
        update(checkin_moods)
        .where(checkin_moods.c.round_id == round_id)
        .values(answers=checkin_moods.c.answers + case((checkin_moods.c.mood == mood, 1), else_=0))
    )
    return True


async def add_vent(conn: AsyncConnection, round_id: str, body: str) -> None:
    await conn.execute(checkin_vents.insert().values(id=random_id(), round_id=round_id, body=body))


async def vents_of(conn: AsyncConnection, round_id: str) -> list[str]:
    """A round's vents in random order (never the order they were written)."""
    bodies = list((await conn.execute(
        select(checkin_vents.c.body).where(checkin_vents.c.round_id == round_id)
    )).scalars())
    _shuffle(bodies)
    return bodies


# --- closing and forgetting ------------------------------------------------------------------------------

async def rounds_due_to_close(conn: AsyncConnection, now: datetime) -> list[str]:
    rows = await conn.execute(
        select(checkin_rounds.c.id).where(checkin_rounds.c.closed.is_(False), checkin_rounds.c.closes_at <= now)
    )
    return list(rows.scalars())


@dataclass(frozen=True)
class Closed:
    """What a round held when it closed: how many answered, how many vents were kept."""

    answers: int
    vents: int


async def close_round(conn: AsyncConnection, round_id: str) -> Closed | None:
    """Close a round once (its counts for the one caller that did; None for any other) and rewrite its flags and
    vents shuffled."""
    result = await conn.execute(
        update(checkin_rounds).where(checkin_rounds.c.id == round_id, checkin_rounds.c.closed.is_(False))
        .values(closed=True)
    )
    if result.rowcount != 1:
        return None
    counts: list[int] = []
    for table in (checkin_answered, checkin_vents):
        rows = [dict(r._mapping) for r in await conn.execute(select(table).where(table.c.round_id == round_id))]
        if rows:
            _shuffle(rows)
            await conn.execute(delete(table).where(table.c.round_id == round_id))
            await conn.execute(table.insert(), rows)
        counts.append(len(rows))
    return Closed(*counts)


async def forget_rounds_closed_before(conn: AsyncConnection, cutoff: datetime) -> int:
    """Retention: rounds (their tallies, vents, invitations and flags) that closed before the cutoff."""
    old = select(checkin_rounds.c.id).where(checkin_rounds.c.closes_at < cutoff).scalar_subquery()
    for table in (checkin_vents, checkin_moods, checkin_answered, checkin_invites):
        await conn.execute(delete(table).where(table.c.round_id.in_(old)))
    return (await conn.execute(delete(checkin_rounds).where(checkin_rounds.c.closes_at < cutoff))).rowcount


# --- figures ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoundFigures:
    """Raw counts of one team-round; only the report decides what of this may be shown."""

    round: Round
    asked: int
    answered: int
    distribution: tuple[int, int, int, int, int]

    @property
    def total(self) -> int:
        return sum(m * n for m, n in zip(MOODS, self.distribution, strict=True))


async def rounds_of_week(conn: AsyncConnection, week: str) -> list[Round]:
    return [_round(r) for r in await conn.execute(select(checkin_rounds).where(checkin_rounds.c.week == week))]


async def figures_for_week(conn: AsyncConnection, week: str) -> list[RoundFigures]:
    """Every team's round of an ISO week, counted in SQL."""
    rounds = await rounds_of_week(conn, week)
    if not rounds:
        return []
    ids = [r.id for r in rounds]
    asked = {r.round_id: r.n for r in await conn.execute(
        select(checkin_invites.c.round_id, func.count().label("n")).where(checkin_invites.c.round_id.in_(ids))
        .group_by(checkin_invites.c.round_id)
    )}
    answered = {r.round_id: r.n for r in await conn.execute(
        select(checkin_answered.c.round_id, func.count().label("n")).where(checkin_answered.c.round_id.in_(ids))
        .group_by(checkin_answered.c.round_id)
    )}
    tallies: dict[str, dict[int, int]] = {i: {} for i in ids}
    for row in await conn.execute(select(checkin_moods).where(checkin_moods.c.round_id.in_(ids))):
        tallies[row.round_id][row.mood] = row.answers
    return [
        RoundFigures(
            r, asked.get(r.id, 0), answered.get(r.id, 0),
            tuple(tallies[r.id].get(m, 0) for m in MOODS),  # type: ignore[arg-type]
        )
        for r in rounds
    ]


async def weeks_of_team(conn: AsyncConnection, team: str, up_to: str, limit: int) -> list[str]:
    """The team's last `limit` round weeks up to and including `up_to`, oldest first."""
    rows = await conn.execute(
        select(checkin_rounds.c.week)
        .where(checkin_rounds.c.team == team, checkin_rounds.c.week <= up_to)
        .order_by(checkin_rounds.c.week.desc()).limit(limit)
    )
    return sorted(rows.scalars())


# --- preferences -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Prefs:
    opted_out: bool = False
    day: str | None = None
    time: str | None = None


async def prefs_of(conn: AsyncConnection, person_ids: Iterable[int]) -> dict[int, Prefs]:
    wanted = list(set(person_ids))
    if not wanted:
        return {}
    rows = await conn.execute(select(checkin_prefs).where(checkin_prefs.c.person_id.in_(wanted)))
    return {r.person_id: Prefs(r.opted_out, r.day, r.time) for r in rows}


async def set_prefs(conn: AsyncConnection, person_id: int, **changes: object) -> None:
    """Change some of a person's check-in preferences, creating their row the first time."""
    stmt = insert_for(conn)(checkin_prefs).values({"person_id": person_id, "opted_out": False, **changes})
    await conn.execute(stmt.on_conflict_do_update(index_elements=["person_id"], set_=changes))
