"""The weekly digest's kudos figures, aggregated in SQL, and the per-team-per-week claim on posting it.

Every figure is one aggregate query over one team's fortnight of kudos (found through
`ix_kudos_team_created`); nothing loads a week of rows into Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from sqlalchemy import and_, case, func, select, union
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import insert_for
from storage.tables.digest import digest_runs
from storage.tables.kudos import kudos, kudos_cogivers, kudos_recipients, kudos_values
from storage.tables.people import people

POSTED = "posted"
SKIPPED = "skipped"


@dataclass(frozen=True)
class KudosFigures:
    """One team's kudos for one week. `per_day` counts kudos per local day, Monday first."""

    given: int
    given_before: int
    thanked: int
    thankers: int
    top_values: tuple[tuple[str, int], ...]
    per_day: tuple[int, ...]
    highlights: tuple[int, ...]


def _in(start: datetime, end: datetime) -> Any:
    return and_(kudos.c.created_at >= start, kudos.c.created_at < end)


async def kudos_figures(
    conn: AsyncConnection, team: str, days: tuple[datetime, ...], previous_start: datetime, *, top: int, highlights: int
) -> KudosFigures:
    """Figures for the week whose local day boundaries are `days` (eight moments, Monday 00:00 to the next)."""
    start, end = days[0], days[-1]
    week = and_(kudos.c.team == team, _in(start, end))

    def count_between(a: datetime, b: datetime) -> Any:
        return func.coalesce(func.sum(case((_in(a, b), 1), else_=0)), 0)

    counts = (await conn.execute(
        select(count_between(previous_start, start), *(count_between(a, b) for a, b in pairwise(days)))
        .where(kudos.c.team == team, _in(previous_start, end))
    )).one()
    thanked = (await conn.execute(
        select(func.count(func.distinct(kudos_recipients.c.person_id)))
        .join(kudos, kudos.c.id == kudos_recipients.c.kudos_id).where(week)
    )).scalar_one()
    givers = union(
        select(kudos.c.giver_id.label("person_id")).where(week),
        select(kudos_cogivers.c.person_id).join(kudos, kudos.c.id == kudos_cogivers.c.kudos_id).where(week),
    ).subquery()
    thankers = (await conn.execute(select(func.count()).select_from(givers))).scalar_one()
    values = await conn.execute(
        select(kudos_values.c.value, func.count().label("n"))
        .join(kudos, kudos.c.id == kudos_values.c.kudos_id).where(week)
        .group_by(kudos_values.c.value).order_by(func.count().desc(), kudos_values.c.value).limit(top)
    )
    return KudosFigures(
        given=sum(counts[1:]), given_before=counts[0], thanked=thanked, thankers=thankers,
        top_values=tuple((r.value, r.n) for r in values), per_day=tuple(counts[1:]),
        highlights=await _highlights(conn, week, highlights),
    )


async def _highlights(conn: AsyncConnection, week: Any, limit: int) -> tuple[int, ...]:
    """The kudos most people stood behind (co-givers, then recipients), newest first on a tie."""
    joined = (
        select(func.count()).where(kudos_cogivers.c.kudos_id == kudos.c.id).scalar_subquery()
    )
    thanked = (
        select(func.count()).where(kudos_recipients.c.kudos_id == kudos.c.id).scalar_subquery()
    )
    rows = await conn.execute(
        select(kudos.c.id).where(week)
        .order_by(joined.desc(), thanked.desc(), kudos.c.created_at.desc(), kudos.c.id.desc()).limit(limit)
    )
    return tuple(rows.scalars())


async def home_workspace(conn: AsyncConnection, team: str, platform: str) -> str | None:
    """The workspace a team lives in on a platform: where its latest kudos was given, else where most people are."""
    latest = (await conn.execute(
        select(kudos.c.workspace).where(kudos.c.team == team, kudos.c.platform == platform)
        .order_by(kudos.c.created_at.desc()).limit(1)
    )).scalar()
    if latest is not None:
        return latest
    return (await conn.execute(
        select(people.c.workspace).where(people.c.platform == platform)
        .group_by(people.c.workspace).order_by(func.count().desc(), people.c.workspace).limit(1)
    )).scalar()


async def run_of(conn: AsyncConnection, team: str, week: str) -> tuple[str, datetime] | None:
    """How this team's digest for this week was settled (outcome, when), or None while it is still open."""
    row = (await conn.execute(
        select(digest_runs.c.outcome, digest_runs.c.claimed_at)
        .where(digest_runs.c.team == team, digest_runs.c.week == week)
    )).first()
    return (row.outcome, row.claimed_at) if row else None


async def claim_run(conn: AsyncConnection, team: str, week: str, outcome: str, recipients: int, at: datetime) -> bool:
    """True for the one caller, in any process, that settles this digest; every later claimant gets False.

    On PostgreSQL a concurrent claimant waits for the first transaction: if that one commits it gets False,
    if it rolled back (a crash before the posts were queued) it takes over the claim.
    """
    stmt = insert_for(conn)(digest_runs).values(
        team=team, week=week, outcome=outcome, recipients=recipients, claimed_at=at
    ).on_conflict_do_nothing()
    return (await conn.execute(stmt)).rowcount == 1
