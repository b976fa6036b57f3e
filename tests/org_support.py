"""Helpers for the contact-centre tests: a team's closed check-in round and its kudos, written straight to storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.features.digest.week import Week
from bot.people import Person
from storage import checkins
from storage.db import Database
from storage.kudos import NewKudos, add_all_kudos
from storage.people import upsert_people, upsert_person


def member(platform: str, workspace: str, team: str, n: int) -> Person:
    return Person(platform, workspace, f"U{team.upper().replace(' ', '')}{n}", f"{team.casefold()}{n}")


async def a_round(db: Database, team: str, week: Week, asked: int, moods: list[int], vents: tuple[str, ...] = (),
                  platform: str = "console", workspace: str = "local") -> None:
    """The team's closed round: `asked` members invited, the first ones answering `moods`."""
    friday = datetime.combine(week.day(4), datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
    async with db.transaction() as conn:
        found = await checkins.ensure_round(conn, db.key, team, week.label, friday + timedelta(days=3))
        for n in range(asked):
            pid = await upsert_person(conn, member(platform, workspace, team, n), friday)
            await checkins.add_invite(conn, found.id, pid, friday)
            if n < len(moods):
                await checkins.record_mood(conn, db.key, found, pid, moods[n])
        for body in vents:
            await checkins.add_vent(conn, found, body)
        await checkins.close_round(conn, db.key, found.id)


async def kudos_in(db: Database, team: str, week: Week, count: int, values: tuple[str, ...] = ("ownership",)) -> None:
    """`count` kudos in the team that week, member 0 thanking member 1, tagged with `values`."""
    at = datetime.combine(week.day(2), datetime.min.time(), tzinfo=UTC) + timedelta(hours=11)
    async with db.transaction() as conn:
        giver, thanked = member("console", "local", team, 0), member("console", "local", team, 1)
        named = await upsert_people(conn, [giver, thanked], at)
        for n in range(count):  # a minute apart, as people give them
            await add_all_kudos(conn, [NewKudos(
                team=team, platform="console", workspace="local", channel=f"#{team.casefold()}", giver=giver,
                recipients=[thanked], values=values, reason=(f"for the help {n}",), link="", source="command",
            )], named, at + timedelta(minutes=n))
