"""What the executive roll-up, the exports and the brag sheet read across every team: kudos per team and
period (aggregated in SQL), imported business metrics, the kudos of a period, and who opted out of being featured.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import and_, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import insert_for
from storage.tables.digest import brag_optouts, team_metrics
from storage.tables.kudos import kudos, kudos_recipients, kudos_values


async def kudos_by_team(conn: AsyncConnection, start: datetime, end: datetime) -> dict[str, tuple[int, int]]:
    """team → (kudos given there, thank-yous received: one per recipient) between two moments."""
    span = and_(kudos.c.created_at >= start, kudos.c.created_at < end)
    given = {r.team: r.n for r in await conn.execute(
        select(kudos.c.team, func.count().label("n")).where(span).group_by(kudos.c.team))}
    received = {r.team: r.n for r in await conn.execute(
        select(kudos.c.team, func.count().label("n")).join(kudos_recipients, kudos_recipients.c.kudos_id == kudos.c.id)
        .where(span).group_by(kudos.c.team))}
    return {team: (n, received.get(team, 0)) for team, n in given.items()}


async def values_by_team(conn: AsyncConnection, start: datetime, end: datetime) -> dict[str, dict[str, int]]:
    """team → company value → how many kudos were tagged with it between two moments."""
    rows = await conn.execute(
        select(kudos.c.team, kudos_values.c.value, func.count().label("n"))
        .join(kudos, kudos.c.id == kudos_values.c.kudos_id)
        .where(kudos.c.created_at >= start, kudos.c.created_at < end)
        .group_by(kudos.c.team, kudos_values.c.value)
    )
    out: dict[str, dict[str, int]] = {}
    for r in rows:
        out.setdefault(r.team, {})[r.value] = r.n
    return out


async def put_metrics(conn: AsyncConnection, rows: Iterable[tuple[str, str, str, float]]) -> int:
    """(team, week, name, value) rows, replacing what an earlier import said for the same team, week and name."""
    count = 0
    for team, week, name, value in rows:
        stmt = insert_for(conn)(team_metrics).values(team=team, week=week, name=name, value=value)
        await conn.execute(stmt.on_conflict_do_update(index_elements=["team", "week", "name"], set_={"value": value}))
        count += 1
    return count


async def metrics_of(conn: AsyncConnection, first: str, last: str) -> dict[tuple[str, str], dict[str, float]]:
    """(team, metric name) → week → value, for the ISO weeks `first` to `last` (labels sort as weeks do)."""
    rows = await conn.execute(select(team_metrics).where(team_metrics.c.week >= first, team_metrics.c.week <= last))
    out: dict[tuple[str, str], dict[str, float]] = {}
    for r in rows:
        out.setdefault((r.team, r.name), {})[r.week] = r.value
    return out


async def kudos_ids_between(conn: AsyncConnection, start: datetime, end: datetime | None = None) -> list[int]:
    """Every kudos from `start` (to `end`), oldest first."""
    span = kudos.c.created_at >= start if end is None else and_(kudos.c.created_at >= start, kudos.c.created_at < end)
    return list((await conn.execute(select(kudos.c.id).where(span).order_by(kudos.c.created_at, kudos.c.id)))
                .scalars())


async def channel_of(conn: AsyncConnection, kudos_ids: list[int]) -> dict[int, tuple[str, str]]:
    """kudos id → (platform, channel) where it was given."""
    rows = await conn.execute(select(kudos.c.id, kudos.c.platform, kudos.c.channel).where(kudos.c.id.in_(kudos_ids)))
    return {r.id: (r.platform, r.channel) for r in rows}


async def set_featured(conn: AsyncConnection, person_id: int, featured: bool, at: datetime) -> None:
    if featured:
        await conn.execute(delete(brag_optouts).where(brag_optouts.c.person_id == person_id))
    else:
        stmt = insert_for(conn)(brag_optouts).values(person_id=person_id, since=at)
        await conn.execute(stmt.on_conflict_do_nothing())


async def opted_out(conn: AsyncConnection) -> set[int]:
    return set((await conn.execute(select(brag_optouts.c.person_id))).scalars())


async def last_thanked(conn: AsyncConnection, person_ids: Iterable[int]) -> dict[int, datetime]:
    """person id → when they were last thanked (people never thanked are absent)."""
    ids = list(person_ids)
    if not ids:
        return {}
    rows = await conn.execute(
        select(kudos_recipients.c.person_id, func.max(kudos.c.created_at).label("at"))
        .join(kudos, kudos.c.id == kudos_recipients.c.kudos_id)
        .where(kudos_recipients.c.person_id.in_(ids)).group_by(kudos_recipients.c.person_id)
    )
    return {r.person_id: r.at for r in rows}


async def spread(conn: AsyncConnection, team: str, start: datetime, end: datetime) -> tuple[int, int]:
    """(how many different people gave thanks, how many received them) in a team between two moments."""
    span = and_(kudos.c.team == team, kudos.c.created_at >= start, kudos.c.created_at < end)
    givers = (await conn.execute(select(func.count(func.distinct(kudos.c.giver_id))).where(span))).scalar_one()
    receivers = (await conn.execute(
        select(func.count(func.distinct(kudos_recipients.c.person_id)))
        .join(kudos, kudos.c.id == kudos_recipients.c.kudos_id).where(span))).scalar_one()
    return givers, receivers
