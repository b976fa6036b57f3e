"""Delivers the outbox's posts, DMs and edits to Slack, turning Slack's refusals into retry-or-give-up.

slack_sdk's retry handlers (on the client) absorb short outages and short 429s in place; whatever is left
becomes a `DeliveryError` so the outbox retries later (honouring Retry-After) — or, for answers that will
never change (a channel that does not exist), gives up at once and says so in the log.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.client import retry_after
from adapters.slack.directory import SlackDirectory
from adapters.slack.render import PLATFORM, message_payload
from bot.incoming import MessageRef
from bot.messages import Image, Message, summary_of
from bot.people import Channel, Person
from bot.ports import DeliveryError

log = logging.getLogger(__name__)

FAILURES = (SlackApiError, aiohttp.ClientError, TimeoutError)
"""What a Web API call raises when Slack refused, or could not be reached, after the client's own retries."""

PERMANENT = frozenset({
    "channel_not_found", "is_archived", "user_not_found", "cannot_dm_bot", "user_disabled", "invalid_blocks",
    "invalid_blocks_format", "invalid_arguments", "msg_too_long", "no_text", "message_not_found",
    "cant_update_message", "edit_window_closed", "restricted_action", "too_many_attachments",
})
"""Slack answers that a retry cannot change."""


def delivery_error(exc: Exception) -> DeliveryError:
    """What the outbox should do about a failed call."""
    if isinstance(exc, SlackApiError):
        error = str(exc.response.get("error", "")) or f"HTTP {exc.response.status_code}"
        if exc.response.status_code == 429:
            return DeliveryError(f"Slack rate limit ({error})", retry_after=retry_after(exc.response.headers),
                                 holds_all=True)
        hint = ""
        if error == "not_in_channel":
            hint = " — invite @Huzzah to the channel (/invite @Huzzah)"
        elif error in ("invalid_auth", "not_authed", "token_revoked", "account_inactive"):
            hint = " — check SLACK_BOT_TOKEN"
        return DeliveryError(f"Slack said {error}{hint}", permanent=error in PERMANENT)
    return DeliveryError(f"Slack unreachable ({type(exc).__name__})")


class SlackMessenger:
    """`bot.ports.Messenger` for one Slack workspace."""

    platform = PLATFORM

    def __init__(self, client: AsyncWebClient, directory: SlackDirectory, workspace: str = "") -> None:
        self.client = client
        self.directory = directory
        self.workspace = workspace

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None) -> MessageRef:
        try:
            channel_id = await self.directory.channel_id(channel.id)
            if channel_id is None:
                raise DeliveryError(
                    f"no Slack channel {channel.id} — create it or fix the channel in app.yaml", permanent=True
                )
            return await self._send(channel.workspace, channel_id, message, thread.id if thread else None)
        except FAILURES as exc:
            raise delivery_error(exc) from None

    async def direct(self, person: Person, message: Message) -> MessageRef:
        try:
            return await self._send(person.workspace, await self.directory.dm_channel(person), message, None)
        except FAILURES as exc:
            raise delivery_error(exc) from None

    async def update(self, ref: MessageRef, message: Message) -> None:
        try:
            await self.client.chat_update(channel=ref.channel, ts=ref.id, **message_payload(message))
        except FAILURES as exc:
            raise delivery_error(exc) from None

    async def _send(self, workspace: str, channel_id: str, message: Message, thread_ts: str | None) -> MessageRef:
        charts = [b for b in message.blocks if isinstance(b, Image) and b.png and not b.url]
        extra: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        sent = await self.client.chat_postMessage(
            channel=channel_id, unfurl_links=False, unfurl_media=False,
            **message_payload(message), **extra,
        )
        for chart in charts:
            try:
                await self._upload(sent["channel"], chart, message, thread_ts)
            except FAILURES as exc:
                # the message (with the chart's words) is out; retrying would post it twice
                log.warning("could not upload a chart to Slack: %s", delivery_error(exc))
        return MessageRef(PLATFORM, workspace or self.workspace, sent["channel"], sent["ts"])

    async def _upload(self, channel_id: str, chart: Image, message: Message, thread_ts: str | None) -> None:
        """A PNG goes up through the files v2 flow, shared right under its message (which carries its words)."""
        title = chart.title or summary_of(message)
        await self.client.files_upload_v2(
            channel=channel_id, content=chart.png, filename="chart.png", title=title, alt_txt=chart.alt,
            thread_ts=thread_ts or None,  # None is the default: no thread
        )
