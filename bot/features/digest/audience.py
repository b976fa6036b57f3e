"""Who receives a team's digest: the channels and managers app.yaml names, each with its own delivery key."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import Settings, parse_where
from bot.features.digest.settings import DigestSettings
from bot.messages import Message
from bot.outgoing import Delivery, Direct, Post
from bot.people import Channel, Person
from storage.digest import home_workspace

log = logging.getLogger(__name__)


def has_audience(settings: Settings) -> bool:
    return bool(settings.section(DigestSettings).channels or settings.section(DigestSettings).managers)


async def deliveries(
    conn: AsyncConnection, settings: Settings, team: str, week: str, msg: Message
) -> list[tuple[str, Delivery]]:
    """(key, delivery) per recipient: the key names the recipient, so a resumed run never posts twice.

    A platform the team has never been seen on is skipped (with a warning): there is no workspace to post in.
    """
    out: list[tuple[str, Delivery]] = []
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
            out.append((f"digest:{team}:{week}:post:{raw}", Post(channel, msg)))
    for raw in settings.section(DigestSettings).managers:
        platform, _, user = raw.partition(":")
        ws = await workspace(platform)
        if ws is not None:
            user = user.strip().lstrip("@")
            out.append((f"digest:{team}:{week}:dm:{raw}", Direct(Person(platform, ws, user, user), msg)))
    return out
