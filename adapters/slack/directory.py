"""Who and where on Slack: profiles into `Person` (read a page at a time through users.list for a roster, or one
users.info for someone not seen yet), channel names and ids, DM channels — each cached.

Also turns Slack's message text (`<@U123|bob> thanks &amp; more`) into the core's parts: mentions become
people, channel and link markup becomes readable text, and escaped characters are restored.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.limits import SLACK_CACHE_SECONDS, SLACK_PEOPLE_SECONDS, SLACK_USERS_PAGE
from adapters.slack.render import PLATFORM
from bot.incoming import Part
from bot.people import Channel, Person

_MARKUP = re.compile(r"<([^<>]*)>")
SLACKBOT = "USLACKBOT"


def unescape(raw: str) -> str:
    return raw.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


@dataclass
class _Entry:
    value: Any
    until: float


class _Cache:
    """A small time-limited memo, so a busy channel does not call users.info for every message."""

    def __init__(self, seconds: float = SLACK_CACHE_SECONDS) -> None:
        self.seconds = seconds
        self._items: dict[Any, _Entry] = {}

    def get(self, key: Any) -> Any:
        entry = self._items.get(key)
        if entry is None or entry.until < time.monotonic():
            return None
        return entry.value

    def put(self, key: Any, value: Any) -> Any:
        self._items[key] = _Entry(value, time.monotonic() + self.seconds)
        return value


class SlackDirectory:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._people = _Cache(SLACK_PEOPLE_SECONDS)
        self._channels = _Cache()
        self._names = _Cache()
        self._dms: dict[tuple[str, str], str] = {}

    def known(self, workspace: str, user_id: str) -> Person | None:
        """The person as Slack last described them, if that is recent enough; no call."""
        cached: Person | None = self._people.get((workspace, user_id))
        return cached

    async def person(self, workspace: str, user_id: str, name_hint: str = "") -> Person | None:
        """The account behind a user id; None when Slack does not know it (user_not_found)."""
        cached = self.known(workspace, user_id)
        if cached is not None:
            return cached
        try:
            user = (await self.client.users_info(user=user_id, include_locale=True))["user"]
        except SlackApiError as exc:
            if exc.response.get("error") in ("user_not_found", "users_not_found"):
                return None
            raise
        return self._remember(workspace, user, name_hint)

    async def read_everyone(self, workspace: str) -> list[dict[str, Any]]:
        """Every profile in the workspace into the cache, a page of people per users.list call — instead of one
        users.info call per person, which for a big team would take hours at Slack's limits. Returns Slack's user
        objects, for whoever needs more of them (emails)."""
        everyone: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = await self.client.users_list(limit=SLACK_USERS_PAGE, cursor=cursor, include_locale=True)
            members: list[dict[str, Any]] = page.get("members", [])
            for user in members:
                self._remember(workspace, user)
            everyone += members
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return everyone

    def _remember(self, workspace: str, user: dict[str, Any], name_hint: str = "") -> Person:
        user_id = str(user["id"])
        profile = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("name") or name_hint or user_id
        person = Person(
            PLATFORM, workspace or user.get("team_id", ""), user_id, name, user.get("tz") or None,
            is_bot=bool(user.get("is_bot")) or user_id == SLACKBOT, active=not user.get("deleted", False),
            locale=user.get("locale") or None,
        )
        stored: Person = self._people.put((workspace, user_id), person)
        return stored

    async def someone(self, workspace: str, user_id: str, name_hint: str = "") -> Person:
        """The person, or a stand-in carrying what the payload said when users.info cannot be asked."""
        return await self.person(workspace, user_id, name_hint) or Person(PLATFORM, workspace, user_id, name_hint)

    async def channel(self, workspace: str, channel_id: str, name: str = "") -> Channel:
        """A channel with its name (for team matching and `#name` labels); DMs are marked direct."""
        if channel_id.startswith("D") or name == "directmessage":
            return Channel(PLATFORM, workspace, channel_id, is_direct=True)
        if not name or name == "privategroup":
            name = await self._channel_name(channel_id)
        return Channel(PLATFORM, workspace, channel_id, name=name)

    async def _channel_name(self, channel_id: str) -> str:
        cached = self._channels.get(channel_id)
        if cached is not None:
            return cached
        try:
            info = (await self.client.conversations_info(channel=channel_id))["channel"]
        except SlackApiError:
            return ""
        return self._channels.put(channel_id, info.get("name", ""))

    async def channel_id(self, ref: str) -> str | None:
        """A channel given as an id or as `#name` (app.yaml) resolved to its id; None when there is none."""
        if not ref.startswith("#"):
            return ref
        wanted = ref[1:]
        cached = self._names.get(wanted)
        if cached is not None:
            return cached
        cursor = None
        while True:
            page = await self.client.conversations_list(
                types="public_channel,private_channel", exclude_archived=True, limit=1000, cursor=cursor
            )
            channels: list[dict[str, Any]] = page.get("channels", [])
            for info in channels:
                self._names.put(info.get("name", ""), info["id"])
                self._channels.put(info["id"], info.get("name", ""))
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return self._names.get(wanted)

    async def dm_channel(self, person: Person) -> str:
        """The id of the app's DM with `person`, for reading its history (posting needs none: a message to a user
        id lands there)."""
        key = (person.workspace, person.user_id)
        if key not in self._dms:
            opened = await self.client.conversations_open(users=person.user_id)
            self._dms[key] = opened["channel"]["id"]
        return self._dms[key]

    async def parts(self, workspace: str, text: str, *, drop_user: str = "") -> tuple[Part, ...]:
        """Slack text as parts; `drop_user` (the bot itself) is left out where it is mentioned."""
        out: list[Part] = []
        last = 0
        for match in _MARKUP.finditer(text):
            out.append(unescape(text[last:match.start()]))
            last = match.end()
            target, _, label = match.group(1).partition("|")
            if target.startswith("@"):
                user_id = target[1:]
                if user_id == drop_user:
                    continue
                person = await self.person(workspace, user_id, label)
                # someone Slack does not know stays a typed @handle, which the grammar answers clearly
                out.append(person if person is not None else f"@{label or user_id}")
            elif target.startswith("#"):
                # a full-width ＃ so a channel link is never read as a #value tag
                out.append(f"＃{label or target[1:]}")
            elif target.startswith("!"):
                out.append(f"@{label or target[1:].split('^')[0]}")
            else:
                out.append(unescape(label or target))
        out.append(unescape(text[last:]))
        return tuple(p for p in out if p != "")
