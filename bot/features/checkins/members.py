"""Who belongs to each team: the people in its channels and its `members` sources (user groups, rosters) and
the rows of the membership CSV, asked of each platform's Roster and kept a while (an hour; rounds are weekly, so
each round and each digest reads membership afresh and someone who moved team is asked in their new team).

A person in several teams' channels belongs to the first team listed in app.yaml, so nobody is asked twice
and every person counts in exactly one team's figures (which keeps org-wide totals a plain sum).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from bot.config import Settings, Where, parse_where
from bot.context import Context
from bot.failures import log_failure
from bot.features.checkins.limits import ROSTER_RECHECK_SECONDS, ROSTER_REFRESH_SECONDS
from bot.membership import MembershipError, read_members
from bot.people import Channel, Person
from bot.ports import Roster

log = logging.getLogger(__name__)


class TeamMembers:
    def __init__(self, ctx: Context, rosters: Mapping[str, Roster]) -> None:
        self.ctx = ctx
        self.rosters = rosters
        self._cached: dict[str, list[Person]] = {}
        self._fetched_at: datetime | None = None

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    async def by_team(self, max_age: float = ROSTER_REFRESH_SECONDS) -> dict[str, list[Person]]:
        """Every configured team's members (bots and deactivated people included, flagged), each once."""
        now = self.ctx.clock.now()
        fresh = self._fetched_at and now - self._fetched_at < timedelta(seconds=max_age)
        if not fresh:
            self._cached, complete = await self._fetch()
            self._fetched_at = now if complete else None
        return self._cached

    async def find(self, person: Person) -> tuple[str, Person] | None:
        """The person's team, and the person as their platform's directory knows them (time zone included).

        Someone not found is looked up again if the list is more than a minute old: they may have just joined.
        """
        for max_age in (ROSTER_REFRESH_SECONDS, ROSTER_RECHECK_SECONDS):
            for team, members in (await self.by_team(max_age)).items():
                for member in members:
                    if member == person:
                        return team, member
        return None

    async def _fetch(self) -> tuple[dict[str, list[Person]], bool]:
        seen: set[Person] = set()
        teams: dict[str, list[Person]] = {}
        complete = True
        from_csv: dict[str, list[Where]] = {}
        if self.settings.membership.csv:
            try:
                for row in read_members(self.settings.membership.csv, [t.name for t in self.settings.teams]):
                    from_csv.setdefault(row.team, []).append(Where(self.settings.membership.platform, row.email))
            except MembershipError as exc:
                log.error("membership CSV not read, so its people are left out of their teams: %s", exc)
                complete = False
        for team in self.settings.teams:
            members: list[Person] = []
            for where in [*map(parse_where, [*team.channels, *team.members]), *from_csv.get(team.name, [])]:
                roster = self.rosters.get(where.platform)
                if roster is None:
                    continue
                try:
                    found = await roster.members(Channel(where.platform, "", where.ref, name=where.ref))
                except Exception as exc:
                    log_failure(log, f"listing the members of {where.platform}:{where.ref}", exc)
                    complete = False
                    continue
                members += [p for p in dict.fromkeys(found) if p not in seen]
                seen.update(found)
            teams[team.name] = members
        return teams, complete


class CheckinService:
    """What every part of check-ins is given: the core's context and who belongs to which team."""

    def __init__(self, ctx: Context, members: TeamMembers) -> None:
        self.ctx = ctx
        self.members = members

    @property
    def settings(self) -> Settings:
        return self.ctx.settings
