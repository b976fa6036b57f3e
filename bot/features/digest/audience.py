"""Who receives a team's digest, each recipient with its own delivery key.

Two styles: each team names its own `managers` and `digest_channels` (a manager sees only the teams that name
them, vents included), or — for a single-team install — the global `digest.channels`/`digest.managers`,
which then receive every team's digest. Mixing the two is refused when app.yaml is read: it would be unclear
whether a global manager should see every team's vents. Managers named in the membership CSV's `manager`
column get their team's digest too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import Settings, TeamSettings, parse_where
from bot.context import Context
from bot.failures import log_failure
from bot.features.digest.settings import DigestSettings
from bot.i18n import workspace_language
from bot.membership import MembershipError, read_members
from bot.messages import Message
from bot.outgoing import Delivery, Direct, Post
from bot.people import Channel, Person
from bot.speakers import language_in
from storage.digest import home_workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Audience:
    channels: tuple[str, ...]
    """platform:channel, each posted the team's digest."""
    managers: tuple[str, ...]
    """platform:user, each sent it by DM."""


def check_audiences(settings: Settings) -> None:
    """The two styles mixed is a mistake to say at start, not a guess about who may read which vents."""
    digest = settings.section(DigestSettings)
    own = [t.name for t in settings.teams if t.has_audience]
    if own and (digest.channels or digest.managers):
        raise ValueError(
            f"digest.channels/digest.managers name readers of every team's digest, but team {own[0]!r} names "
            "its own managers/digest_channels — move the global ones under each team (teams: - managers: …, "
            "digest_channels: …), or remove them"
        )


def _team(settings: Settings, name: str) -> TeamSettings | None:
    return next((t for t in settings.teams if t.name == name), None)


def audience_of(settings: Settings, team: str) -> Audience:
    own = _team(settings, team)
    if any(t.has_audience for t in settings.teams):
        return Audience(tuple(own.digest_channels), tuple(own.managers)) if own else Audience((), ())
    digest = settings.section(DigestSettings)
    return Audience(tuple(digest.channels), tuple(digest.managers))


def has_audience(settings: Settings) -> bool:
    digest = settings.section(DigestSettings)
    return bool(digest.channels or digest.managers or settings.membership.csv
                or any(t.has_audience for t in settings.teams))


async def csv_managers(ctx: Context, team: str) -> list[Person]:
    """The managers the membership CSV names for the team, as their platform knows them (read afresh)."""
    membership = ctx.settings.membership
    roster = ctx.rosters.get(membership.platform)
    if not membership.csv or roster is None:
        return []
    try:
        emails = dict.fromkeys(m.manager for m in read_members(membership.csv, [t.name for t in ctx.settings.teams])
                               if m.team == team and m.manager)
    except MembershipError as exc:
        log.error("digest for %s: managers from the membership CSV left out: %s", team, exc)
        return []
    found: list[Person] = []
    for email in emails:
        try:
            found += await roster.members(Channel(membership.platform, "", email))
        except Exception as exc:
            log_failure(log, f"looking up a manager of {team} from the membership CSV", exc)
    return [p for p in dict.fromkeys(found) if p.active and not p.is_bot]


Written = tuple[Message, Message | None]
"""A digest in one language: what is posted, and what managers get by DM when it says more (fairness nudges)."""


@dataclass(frozen=True)
class Reader:
    """One recipient: the delivery's key (`prefix` + the recipient, so a resumed run never posts twice), where it
    goes, and the language they read — a manager's own, the workspace's in a channel."""

    key: str
    to: Channel | Person
    language: str

    def delivery(self, written: Mapping[str, Written]) -> Delivery:
        posted, private = written[self.language]
        return Post(self.to, posted) if isinstance(self.to, Channel) else Direct(self.to, private or posted)


async def readers(
    conn: AsyncConnection, prefix: str, team: str, audience: Audience, *,
    more_managers: list[Person] | tuple[Person, ...] = (),
) -> list[Reader]:
    """Everyone a digest goes to.

    `team`: whose workspace to post in on each platform (any name: the busiest workspace is the fallback).
    `more_managers`: those found outside app.yaml (`csv_managers`, looked up before the transaction).
    A platform the team has never been seen on is skipped (with a warning): there is no workspace to post in.
    """
    out: list[Reader] = []
    workspaces: dict[str, str | None] = {}

    async def workspace(platform: str) -> str | None:
        if platform not in workspaces:
            workspaces[platform] = await home_workspace(conn, team, platform)
            if workspaces[platform] is None:
                log.warning("%s: no %s workspace known yet, skipping it there", prefix, platform)
        return workspaces[platform]

    for raw in audience.channels:
        where = parse_where(raw)
        ws = await workspace(where.platform)
        if ws is not None:
            channel = Channel(where.platform, ws, where.ref, name=where.ref)
            out.append(Reader(f"{prefix}:post:{raw}", channel, workspace_language()))
    named: set[tuple[str, str]] = set()
    for raw in audience.managers:
        platform, _, user = raw.partition(":")
        ws = await workspace(platform)
        if ws is not None:
            user = user.strip().lstrip("@")
            named.add((platform, user))
            manager = Person(platform, ws, user, user)
            out.append(Reader(f"{prefix}:dm:{raw}", manager, await language_in(conn, manager)))
    for person in more_managers:
        if (person.platform, person.user_id) not in named:
            named.add((person.platform, person.user_id))
            out.append(Reader(f"{prefix}:dm:{person.platform}:{person.user_id}", person,
                              await language_in(conn, person)))
    return out
