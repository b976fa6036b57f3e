"""Who is in a Slack channel, for check-in rounds: `conversations.members` page by page, then each member's profile
from the directory — read for the whole workspace through `users.list`, a page of people per call, and cached
(bots and deactivated accounts come back flagged, not dropped — the core decides whom to ask)."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.directory import SlackDirectory
from adapters.slack.limits import SLACK_MEMBERS_PAGE, SLACK_USERS_ONE_BY_ONE
from adapters.slack.render import PLATFORM
from bot.people import Channel, Person

log = logging.getLogger(__name__)
_NOT_THERE = ("channel_not_found", "not_in_channel", "missing_scope")


class SlackRoster:
    platform = PLATFORM

    def __init__(self, client: AsyncWebClient, directory: SlackDirectory) -> None:
        self.client = client
        self.directory = directory
        self._workspace = ""

    async def members(self, channel: Channel) -> list[Person]:
        channel_id = await self.directory.channel_id(channel.id)
        if channel_id is None:
            log.warning("no Slack channel %s: check the team channels in app.yaml and invite Huzzah there",
                        channel.id)
            return []
        workspace = channel.workspace or await self.workspace()
        ids = await self._member_ids(channel_id)
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
