"""Check-in rounds, invitations, answers and vents — written so that answers never meet identities.

While a round is open, an answer is two rows in one transaction: the "answered" mark (an HMAC of round and
person under the server key, so the database alone cannot say whose) and the answer itself, sealed to the
round's public key under a random id. Nothing readable about a mood or a vent exists until the close, which
in one transaction opens every sealed answer in memory, adds them to the tallies, writes the vents shuffled,
deletes the sealed rows and marks, fixes the round's counts and destroys its key. Until then the tallies do
not move, so no snapshot taken around one answer can tell which mood it was.
"""

from __future__ import annotations

import json
import logging
import random
import secrets
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.people import Person
from storage.db import insert_for
from storage.keys import ServerKey, seal
from storage.tables.checkins import (
    checkin_answered,
    checkin_invites,
    checkin_moods,
    checkin_prefs,
    checkin_rounds,
    checkin_sealed,
    checkin_vents,
)
from storage.tables.people import people

MOODS = (1, 2, 3, 4, 5)
SEALED_BLOCK = 1024
"""Every sealed answer is padded to a multiple of this, so a mood and a short vent look the same size."""
ANSWERED = "checkin answered"
log = logging.getLogger(__name__)
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
    public_key: bytes | None = None

    def is_open(self, now: datetime) -> bool:
        return not self.closed and now < self.closes_at


def _round(row) -> Round:  # type: ignore[no-untyped-def]
    return Round(row.id, row.team, row.week, row.closes_at, row.closed, row.public_key)


async def ensure_round(conn: AsyncConnection, key: ServerKey, team: str, week: str, closes_at: datetime) -> Round:
    """The team's round for an ISO week, created with its own key pair and empty tallies the first time anyone
    needs it."""
    new_id = random_id()
    public, locked = key.new_round_keys()
    stmt = insert_for(conn)(checkin_rounds).values(id=new_id, team=team, week=week, closes_at=closes_at, closed=False,
                                                   public_key=public, locked_key=locked)
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


async def due_reminders(conn: AsyncConnection, key: ServerKey, asked_before: datetime,
                        now: datetime) -> list[tuple[str, int]]:
    """(round, person) for people asked before a moment who have not answered, in rounds still open.

    Marks are keyed, so who has answered is worked out here, with the server key, not in SQL.
    """
    rows = (await conn.execute(
        select(checkin_invites.c.round_id, checkin_invites.c.person_id)
        .join(checkin_rounds, checkin_rounds.c.id == checkin_invites.c.round_id)
        .where(
            checkin_invites.c.reminded.is_(False), checkin_invites.c.ask_at <= asked_before,
            checkin_rounds.c.closed.is_(False), checkin_rounds.c.closes_at > now,
        )
    )).all()
    marks = set((await conn.execute(select(checkin_answered.c.mark).where(
        checkin_answered.c.round_id.in_({r.round_id for r in rows})
    ))).scalars()) if rows else set()
    return [(r.round_id, r.person_id) for r in rows if answered_mark(key, r.round_id, r.person_id) not in marks]


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

async def hold_open(conn: AsyncConnection, round_id: str) -> bool:
    """Keep the round from closing until this transaction ends (FOR SHARE on PostgreSQL); False if it has closed.

    An answer takes this before it writes, and the close takes the round FOR UPDATE: either the answer commits
    first and the close opens it, or it waits, sees the round closed, and is refused — never sealed into a round
    whose close has already read its sealed rows.
    """
    held = (await conn.execute(
        select(checkin_rounds.c.id).where(checkin_rounds.c.id == round_id, checkin_rounds.c.closed.is_(False))
        .with_for_update(read=True)
    )).first()
    return held is not None


def answered_mark(key: ServerKey, round_id: str, person_id: int) -> str:
    return key.keyed(ANSWERED, round_id, person_id)


async def has_answered(conn: AsyncConnection, key: ServerKey, round_id: str, person_id: int) -> bool:
    row = (await conn.execute(select(checkin_answered.c.mark).where(
        checkin_answered.c.round_id == round_id, checkin_answered.c.mark == answered_mark(key, round_id, person_id)
    ))).first()
    return row is not None


def _sealed(found: Round, answer: dict[str, object]) -> dict[str, object]:
    """A sealed-answer row: padded, sealed to the round, under a random id (its order says nothing)."""
    if found.public_key is None:
        raise ValueError("the round is closed")
    raw = json.dumps(answer).encode("utf-8")
    raw += b" " * (-len(raw) % SEALED_BLOCK)
    return {"id": random_id(), "round_id": found.id, "box": seal(found.public_key, raw)}


async def record_mood(conn: AsyncConnection, key: ServerKey, found: Round, person_id: int, mood: int) -> bool:
    """Keep one sealed answer, once per person per round; False when this person already answered.

    The mark says only that *someone the server key knows* answered; the sealed row cannot be read before the
    close, so even their shared transaction (`xmin`) pairs an anonymous mark with an unreadable box.
    """
    if mood not in MOODS:
        raise ValueError("mood out of range")
    flag = insert_for(conn)(checkin_answered).values(round_id=found.id, mark=answered_mark(key, found.id, person_id))
    if (await conn.execute(flag.on_conflict_do_nothing())).rowcount != 1:
        return False
    await conn.execute(checkin_sealed.insert().values(_sealed(found, {"mood": mood})))
    return True


async def add_vent(conn: AsyncConnection, found: Round, body: str) -> None:
    await conn.execute(checkin_sealed.insert().values(_sealed(found, {"vent": body})))


async def vents_of(conn: AsyncConnection, round_id: str) -> list[str]:
    """A closed round's vents in random order (never the order they were written)."""
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


async def close_round(conn: AsyncConnection, key: ServerKey, round_id: str) -> Closed | None:
    """Close a round once (its counts for the one caller that did; None for any other): open its sealed answers,
    add them to the tallies, write its vents shuffled (with any kept before answers were sealed), fix its
    counts, and delete the sealed rows, the marks and the round's key — all in the caller's one transaction."""
    row = (await conn.execute(
        select(checkin_rounds.c.locked_key).where(checkin_rounds.c.id == round_id, checkin_rounds.c.closed.is_(False))
        .with_for_update()
    )).first()
    if row is None:
        return None
    opener = key.round_opener(row.locked_key) if row.locked_key else None
    if row.locked_key and opener is None:
        log.warning("check-in round %s was sealed under another server key: it closes without its sealed answers",
                    round_id)
    opened = [json.loads(opener.decrypt(box)) for box in (await conn.execute(
        select(checkin_sealed.c.box).where(checkin_sealed.c.round_id == round_id)
    )).scalars()] if opener else []
    moods = Counter(a["mood"] for a in opened if "mood" in a)
    vents = [a["vent"] for a in opened if "vent" in a]
    vents += (await conn.execute(select(checkin_vents.c.body).where(checkin_vents.c.round_id == round_id))).scalars()
    _shuffle(vents)
    if moods:
        await conn.execute(
            update(checkin_moods).where(checkin_moods.c.round_id == round_id)
            .values(answers=checkin_moods.c.answers + case(moods, value=checkin_moods.c.mood, else_=0))
        )
    await conn.execute(delete(checkin_vents).where(checkin_vents.c.round_id == round_id))
    if vents:
        rows = [{"id": random_id(), "round_id": round_id, "body": v} for v in vents]
        await conn.execute(checkin_vents.insert(), rows)
    asked, answered = (await conn.execute(select(  # answered: what the tallies hold, so the figures always agree
        select(func.count()).where(checkin_invites.c.round_id == round_id).scalar_subquery(),
        select(func.coalesce(func.sum(checkin_moods.c.answers), 0)).where(checkin_moods.c.round_id == round_id)
        .scalar_subquery(),
    ))).one()
    for table in (checkin_sealed, checkin_answered):
        await conn.execute(delete(table).where(table.c.round_id == round_id))
    await conn.execute(update(checkin_rounds).where(checkin_rounds.c.id == round_id).values(
        closed=True, public_key=None, locked_key=None, asked=asked, answered=answered,
    ))
    return Closed(answered, len(vents))


ANSWER_TABLES = ("checkin_rounds", "checkin_sealed", "checkin_answered", "checkin_moods", "checkin_vents")
"""The tables a close rewrites: vacuumed after it (`Database.scrub`), so no old row version outlives it."""


async def forget_rounds_closed_before(conn: AsyncConnection, cutoff: datetime) -> int:
    """Retention: rounds (their tallies, vents, invitations and flags) that closed before the cutoff."""
    old = select(checkin_rounds.c.id).where(checkin_rounds.c.closes_at < cutoff).scalar_subquery()
    for table in (checkin_vents, checkin_sealed, checkin_moods, checkin_answered, checkin_invites):
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


async def figures_for_week(conn: AsyncConnection, week: str) -> list[RoundFigures]:
    """Every team's *closed* round of an ISO week: an open round has no figures yet, and a closed one's never
    change, so no two reports taken at different moments can be subtracted to isolate a late answer."""
    rows = (await conn.execute(
        select(checkin_rounds).where(checkin_rounds.c.week == week, checkin_rounds.c.closed.is_(True))
    )).all()
    if not rows:
        return []
    tallies: dict[str, dict[int, int]] = {r.id: {} for r in rows}
    for row in await conn.execute(select(checkin_moods).where(checkin_moods.c.round_id.in_(tallies))):
        tallies[row.round_id][row.mood] = row.answers
    return [
        RoundFigures(_round(r), r.asked or 0, r.answered or 0,
                     tuple(tallies[r.id].get(m, 0) for m in MOODS))  # type: ignore[arg-type]
        for r in rows
    ]


async def answers_so_far(conn: AsyncConnection, round_id: str) -> int:
    """How many have answered an open round (its marks): a count, never what or who."""
    return (await conn.execute(
        select(func.count()).select_from(checkin_answered).where(checkin_answered.c.round_id == round_id)
    )).scalar_one()


async def weeks_of_team(conn: AsyncConnection, team: str, up_to: str, limit: int) -> list[str]:
    """The team's last `limit` closed round weeks up to and including `up_to`, oldest first."""
    rows = await conn.execute(
        select(checkin_rounds.c.week)
        .where(checkin_rounds.c.team == team, checkin_rounds.c.week <= up_to, checkin_rounds.c.closed.is_(True))
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
