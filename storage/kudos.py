"""Kudos: who thanked whom, why, and for which company values. Aggregates are computed in SQL."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, bindparam, delete, func, select, union_all, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.incoming import Part
from bot.people import Person
from storage.db import insert_all, insert_for
from storage.people import StoredPerson, people_by_id
from storage.tables.kudos import (
    kudos,
    kudos_cogivers,
    kudos_origins,
    kudos_recipients,
    kudos_removals,
    kudos_values,
)
from storage.tables.people import people
from storage.types import UTCDateTime


def encode_reason(parts: tuple[Part, ...], ids: dict[Person, int]) -> list[Any]:
    return [p if isinstance(p, str) else {"person": ids[p]} for p in parts]


@dataclass(frozen=True)
class KudosRecord:
    id: int
    team: str
    giver: Person
    recipients: tuple[Person, ...]
    cogivers: tuple[Person, ...]
    values: tuple[str, ...]
    reason: tuple[Part, ...]
    link: str
    created_at: datetime


@dataclass(frozen=True)
class NewKudos:
    """One kudos to store: `named` (given to `add_all_kudos`) holds everyone it names."""

    team: str
    platform: str
    workspace: str
    channel: str
    giver: Person
    recipients: Sequence[Person]
    values: tuple[str, ...]
    reason: tuple[Part, ...]
    link: str
    source: str


_ADD_RECIPIENTS, _ADD_VALUES = kudos_recipients.insert(), kudos_values.insert()


async def add_all_kudos(conn: AsyncConnection, new: Sequence[NewKudos], named: Mapping[Person, StoredPerson],
                        at: datetime) -> list[KudosRecord]:
    """Store kudos given together in three statements whatever their number; `named` holds everyone they name,
    as `upsert_people` returned them. The records are the ones `get_kudos` would read back, built from what is in
    hand instead of read again."""
    if not new:
        return []
    ids = {p: s.id for p, s in named.items()}
    rows = [dict(team=k.team, platform=k.platform, workspace=k.workspace, channel=k.channel, giver_id=ids[k.giver],
                 reason=encode_reason(k.reason, ids), link=k.link, source=k.source, created_at=at) for k in new]
    kudos_ids = await insert_all(conn, kudos, rows)
    thanked = [sorted((named[r] for r in k.recipients), key=lambda s: s.id) for k in new]
    await conn.execute(_ADD_RECIPIENTS, [{"kudos_id": i, "person_id": r.id}
                                         for i, them in zip(kudos_ids, thanked, strict=True) for r in them])
    values = [{"kudos_id": i, "value": v} for i, k in zip(kudos_ids, new, strict=True) for v in k.values]
    if values:
        await conn.execute(_ADD_VALUES, values)
    return [KudosRecord(
        id=i, team=k.team, giver=named[k.giver].person, recipients=tuple(r.person for r in them), cogivers=(),
        values=tuple(sorted(k.values)), reason=tuple(p if isinstance(p, str) else named[p].person for p in k.reason),
        link=k.link, created_at=at.astimezone(UTC),
    ) for i, k, them in zip(kudos_ids, new, thanked, strict=True)]


async def add_cogiver(conn: AsyncConnection, kudos_id: int, person_id: int, at: datetime) -> bool:
    """True when the person newly joins the thanks."""
    stmt = insert_for(conn)(kudos_cogivers).values(kudos_id=kudos_id, person_id=person_id, created_at=at)
    return (await conn.execute(stmt.on_conflict_do_nothing())).rowcount == 1


def _spent() -> Any:
    givers, since = bindparam("givers", type_=Integer, expanding=True), bindparam("since", type_=UTCDateTime)
    own = (
        select(kudos.c.giver_id.label("person_id"))
        .join(kudos_recipients, kudos.c.id == kudos_recipients.c.kudos_id)
        .where(kudos.c.giver_id.in_(givers), kudos.c.created_at >= since)
    )
    joined = (
        select(kudos_cogivers.c.person_id)
        .join(kudos_recipients, kudos_cogivers.c.kudos_id == kudos_recipients.c.kudos_id)
        .where(kudos_cogivers.c.person_id.in_(givers), kudos_cogivers.c.created_at >= since)
    )
    spent = union_all(own, joined).subquery()
    return select(spent.c.person_id, func.count()).group_by(spent.c.person_id)


_SPENT = _spent()  # built once: every kudos asks it


async def thanks_given_since(conn: AsyncConnection, person_ids: Iterable[int], since: datetime) -> dict[int, int]:
    """How many thank-yous (one per recipient) each person gave or joined since a moment: the allowance spent."""
    wanted = list(person_ids)
    spent = dict.fromkeys(wanted, 0)
    if wanted:
        spent.update((r[0], r[1]) for r in await conn.execute(_SPENT, {"givers": wanted, "since": since}))
    return spent


async def get_kudos(conn: AsyncConnection, kudos_id: int) -> KudosRecord | None:
    row = (await conn.execute(select(kudos).where(kudos.c.id == kudos_id))).first()
    if row is None:
        return None
    recipient_ids = (await conn.execute(
        select(kudos_recipients.c.person_id).where(kudos_recipients.c.kudos_id == kudos_id)
        .order_by(kudos_recipients.c.person_id)
    )).scalars().all()
    cogiver_ids = (await conn.execute(
        select(kudos_cogivers.c.person_id).where(kudos_cogivers.c.kudos_id == kudos_id)
        .order_by(kudos_cogivers.c.created_at, kudos_cogivers.c.person_id)
    )).scalars().all()
    values = (await conn.execute(
        select(kudos_values.c.value).where(kudos_values.c.kudos_id == kudos_id).order_by(kudos_values.c.value)
    )).scalars().all()
    mentioned = [p["person"] for p in row.reason if isinstance(p, dict)]
    everyone = await people_by_id(conn, [row.giver_id, *recipient_ids, *cogiver_ids, *mentioned])
    reason = tuple(p if isinstance(p, str) else everyone[p["person"]] for p in row.reason)
    return KudosRecord(
        id=row.id, team=row.team, giver=everyone[row.giver_id],
        recipients=tuple(everyone[i] for i in recipient_ids),
        cogivers=tuple(everyone[i] for i in cogiver_ids),
        values=tuple(values), reason=reason, link=row.link, created_at=row.created_at,
    )


async def latest_received(conn: AsyncConnection, person_id: int, limit: int) -> list[KudosRecord]:
    """The newest kudos a person received, newest first."""
    ids = (await conn.execute(
        select(kudos.c.id)
        .join(kudos_recipients, kudos_recipients.c.kudos_id == kudos.c.id)
        .where(kudos_recipients.c.person_id == person_id)
        .order_by(kudos.c.created_at.desc(), kudos.c.id.desc())
        .limit(limit)
    )).scalars().all()
    records = [await get_kudos(conn, kudos_id) for kudos_id in ids]
    return [r for r in records if r is not None]


@dataclass(frozen=True)
class PersonStats:
    given_week: int
    given_total: int
    received_week: int
    received_total: int
    top_values: tuple[tuple[str, int], ...]


async def person_stats(conn: AsyncConnection, person_id: int, week_start: datetime) -> PersonStats:
    def given(since: datetime | None) -> Any:
        q = select(func.count()).select_from(kudos).where(kudos.c.giver_id == person_id)
        return q.where(kudos.c.created_at >= since) if since else q

    def received(since: datetime | None) -> Any:
        q = (
            select(func.count()).select_from(kudos_recipients)
            .join(kudos, kudos.c.id == kudos_recipients.c.kudos_id)
            .where(kudos_recipients.c.person_id == person_id)
        )
        return q.where(kudos.c.created_at >= since) if since else q

    given_week, given_total, received_week, received_total = [
        (await conn.execute(q)).scalar_one()
        for q in (given(week_start), given(None), received(week_start), received(None))
    ]
    top = await conn.execute(
        select(kudos_values.c.value, func.count().label("n"))
        .join(kudos_recipients, kudos_recipients.c.kudos_id == kudos_values.c.kudos_id)
        .where(kudos_recipients.c.person_id == person_id)
        .group_by(kudos_values.c.value)
        .order_by(func.count().desc(), kudos_values.c.value)
        .limit(3)
    )
    return PersonStats(
        given_week=given_week, given_total=given_total, received_week=received_week, received_total=received_total,
        top_values=tuple((r.value, r.n) for r in top),
    )


# ---- taking back, correcting and moderating ----------------------------------------------------------------

async def remember_origins(conn: AsyncConnection, origins: Sequence[tuple[int, str]]) -> None:
    """Which reaction (or other one-time origin) each kudos came from, so taking it back finds the kudos."""
    if origins:
        await conn.execute(kudos_origins.insert(), [{"kudos_id": k, "origin": o} for k, o in origins])


async def kudos_of_origin(conn: AsyncConnection, origin: str) -> int | None:
    return (await conn.execute(
        select(kudos_origins.c.kudos_id).where(kudos_origins.c.origin == origin)
    )).scalar_one_or_none()


async def origin_of(conn: AsyncConnection, kudos_id: int) -> str | None:
    return (await conn.execute(
        select(kudos_origins.c.origin).where(kudos_origins.c.kudos_id == kudos_id)
    )).scalar_one_or_none()


async def latest_given(conn: AsyncConnection, giver_id: int) -> int | None:
    """The newest kudos a person gave (undo and edit act on it)."""
    return (await conn.execute(
        select(kudos.c.id).where(kudos.c.giver_id == giver_id)
        .order_by(kudos.c.created_at.desc(), kudos.c.id.desc()).limit(1)
    )).scalar_one_or_none()


async def correct_kudos(conn: AsyncConnection, kudos_id: int, reason: list[Any], values: tuple[str, ...]) -> None:
    """A new reason and values for a kudos (its giver corrected it)."""
    await conn.execute(update(kudos).where(kudos.c.id == kudos_id).values(reason=reason))
    await conn.execute(delete(kudos_values).where(kudos_values.c.kudos_id == kudos_id))
    if values:
        await conn.execute(kudos_values.insert(), [{"kudos_id": kudos_id, "value": v} for v in values])


async def remove_kudos(conn: AsyncConnection, kudos_id: int) -> bool:
    """Delete a kudos with its recipients, values and co-givers: it no longer counts against anyone's allowance."""
    return (await conn.execute(delete(kudos).where(kudos.c.id == kudos_id))).rowcount == 1


async def log_removal(conn: AsyncConnection, *, kudos_id: int, giver_id: int, removed_by_id: int, reason: str,
                      at: datetime) -> None:
    await conn.execute(kudos_removals.insert().values(
        kudos_id=kudos_id, giver_id=giver_id, removed_by_id=removed_by_id, reason=reason, removed_at=at))


@dataclass(frozen=True)
class Removal:
    kudos_id: int
    giver: str
    removed_by: str
    reason: str
    removed_at: datetime


async def removals(conn: AsyncConnection) -> list[Removal]:
    """The audit log, oldest first; people as `platform:user_id (name)`."""
    giver, remover = people.alias("giver"), people.alias("remover")

    def who(p: Any) -> Any:
        return p.c.platform + ":" + p.c.user_id + " (" + p.c.name + ")"

    rows = await conn.execute(
        select(kudos_removals.c.kudos_id, who(giver).label("giver"), who(remover).label("removed_by"),
               kudos_removals.c.reason, kudos_removals.c.removed_at)
        .join(giver, giver.c.id == kudos_removals.c.giver_id)
        .join(remover, remover.c.id == kudos_removals.c.removed_by_id)
        .order_by(kudos_removals.c.removed_at, kudos_removals.c.id)
    )
    return [Removal(r.kudos_id, r.giver, r.removed_by, r.reason, r.removed_at) for r in rows]
