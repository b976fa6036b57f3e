"""Who is in a Slack channel, user group or HR list, for check-in rounds and digests.

A channel: `conversations.members` page by page; a user group (`@support-emea` or its `S…` id):
`usergroups.users.list`; an email address (from a membership CSV): looked up in `users.list`. Each member's
profile then comes from the directory — read for the whole workspace through `users.list`, a page of people per
call, and cached (bots and deactivated accounts come back flagged, not dropped — the core decides whom to ask)."""

from __future__ import annotations

import logging
import re
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.directory import SlackDirectory
from adapters.slack.limits import SLACK_CACHE_SECONDS, SLACK_MEMBERS_PAGE, SLACK_USERS_ONE_BY_ONE
from adapters.slack.render import PLATFORM
from bot.people import Channel, Person

log = logging.getLogger(__name__)
_NOT_THERE = ("channel_not_found", "not_in_channel", "missing_scope")
_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,}$")


class SlackRoster:
    platform = PLATFORM

    def __init__(self, client: AsyncWebClient, directory: SlackDirectory) -> None:
        self.client = client
        self.directory = directory
        self._workspace = ""
        self._email_index: tuple[float, dict[str, str]] | None = None

    async def members(self, channel: Channel) -> list[Person]:
        """`channel.id`: a channel (#name or id), a user group (@handle or S… id), or a person's email."""
        ref = channel.id
        if ref.startswith("@") or _GROUP_ID.match(ref):
            ids = await self._group_member_ids(ref)
        elif "@" in ref:
            ids = await self._by_email(ref)
        else:
            channel_id = await self.directory.channel_id(ref)
            if channel_id is None:
                log.warning("no Slack channel %s: check the team channels in app.yaml and invite Huzzah there", ref)
                return []
            ids = await self._member_ids(channel_id)
        workspace = channel.workspace or await self.workspace()
        unknown = sum(1 for user_id in ids if self.directory.known(workspace, user_id) is None)
        if unknown > SLACK_USERS_ONE_BY_ONE:
            await self.directory.read_everyone(workspace)
        people = []
        for user_id in ids:
            person = self.directory.known(workspace, user_id) or await self.directory.person(workspace, user_id)
            # an id Slack no longer knows is treated as a deactivated account: never asked
            people.append(person or Person(PLATFORM, workspace, user_id, active=False))
        return people

    async def workspace(self) -> str:
        """This install's team id, as incoming events name it, so roster people equal event senders."""
        if not self._workspace:
            self._workspace = str((await self.client.auth_test())["team_id"])
        return self._workspace

    async def _member_ids(self, channel_id: str) -> list[str]:
        ids: list[str] = []
        cursor = None
        while True:
            try:
                page = await self.client.conversations_members(channel=channel_id, limit=SLACK_MEMBERS_PAGE,
                                                               cursor=cursor)
            except SlackApiError as exc:
                error = exc.response.get("error")
                if error not in _NOT_THERE:
                    raise
                log.warning("cannot list the members of Slack channel %s (%s): invite Huzzah to it", channel_id,
                            error)
                return []
            ids += page.get("members", [])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return ids

    async def _group_member_ids(self, ref: str) -> list[str]:
        group_id = ref
        if ref.startswith("@"):
            groups: list[dict[str, str]] = (await self.client.usergroups_list()).get("usergroups", [])
            group_id = next((g["id"] for g in groups if g.get("handle") == ref[1:]), "")
            if not group_id:
                log.warning("no Slack user group %s: check the team members in app.yaml", ref)
                return []
        try:
            return list((await self.client.usergroups_users_list(usergroup=group_id)).get("users", []))
        except SlackApiError as exc:
            if exc.response.get("error") not in ("no_such_subteam", "missing_scope"):
                raise
            log.warning("cannot list Slack user group %s (%s): check app.yaml and the usergroups:read scope",
                        ref, exc.response.get("error"))
            return []

    async def _by_email(self, email: str) -> list[str]:
        found = (await self._emails()).get(email.casefold())
        if found is None:
            log.warning("no Slack account for a person in the membership CSV: check the address")
            return []
        return [found]

    async def _emails(self) -> dict[str, str]:
        """Every account's email → id, from `users.list` pages: one page per 200 people, where a look-up per
        person (`users.lookupByEmail`) would be thousands of rate-limited calls for each round."""
        if self._email_index is None or time.monotonic() > self._email_index[0]:
            index: dict[str, str] = {}
            for user in await self.directory.read_everyone(await self.workspace()):  # profiles cached as well
                email = (user.get("profile") or {}).get("email")
                if email:
                    index[str(email).casefold()] = str(user["id"])
            self._email_index = (time.monotonic() + SLACK_CACHE_SECONDS, index)
        return self._email_index[1]
