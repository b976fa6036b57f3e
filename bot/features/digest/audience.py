"""Who receives a team's digest: the channels and managers app.yaml names, each with its own delivery key."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import Settings, parse_where
from bot.features.digest.settings import DigestSettings
from bot.i18n import workspace_language
from bot.messages import Message
from bot.outgoing import Delivery, Direct, Post
from bot.people import Channel, Person
from bot.speakers import language_in
from storage.digest import home_workspace

log = logging.getLogger(__name__)


def has_audience(settings: Settings) -> bool:
    return bool(settings.section(DigestSettings).channels or settings.section(DigestSettings).managers)


@dataclass(frozen=True)
class Reader:
    """One recipient of a digest: a channel or a manager, the language they read, and the delivery's key (it names
    the recipient, so a resumed run never posts twice)."""

    key: str
    to: Channel | Person
    language: str

    def delivery(self, msg: Message) -> Delivery:
        return Post(self.to, msg) if isinstance(self.to, Channel) else Direct(self.to, msg)


async def audience(conn: AsyncConnection, settings: Settings, team: str, week: str) -> list[Reader]:
    """Everyone a team's digest goes to.

    A platform the team has never been seen on is skipped (with a warning): there is no workspace to post in.
    """
    out: list[Reader] = []
    workspaces: dict[str, str | None] = {}

    async def workspace(platform: str) -> str | None:
        if platform not in workspaces:
            workspaces[platform] = await home_workspace(conn, team, platform)
            if workspaces[platform] is None:
                log.warning("digest for %s %s: no %s workspace known yet, skipping it there", team, week, platform)
        return workspaces[platform]

    for raw in settings.section(DigestSettings).channels:
        where = parse_where(raw)
        ws = await workspace(where.platform)
        if ws is not None:
            channel = Channel(where.platform, ws, where.ref, name=where.ref)
            out.append(Reader(f"digest:{team}:{week}:post:{raw}", channel, workspace_language()))
    for raw in settings.section(DigestSettings).managers:
        platform, _, user = raw.partition(":")
        ws = await workspace(platform)
        if ws is not None:
            user = user.strip().lstrip("@")
            manager = Person(platform, ws, user, user)
            out.append(Reader(f"digest:{team}:{week}:dm:{raw}", manager, await language_in(conn, manager)))
    return out
