"""Delivers the outbox's posts, DMs and edits to Slack, turning Slack's refusals into retry-or-give-up.

slack_sdk's retry handlers (on the client) absorb short outages and short 429s in place; whatever is left
becomes a `DeliveryError` so the outbox retries later (honouring Retry-After) — or, for answers that will
never change (a channel that does not exist), gives up at once and says so in the log.

Every post and DM carries its outbox key as message metadata (event type `huzzah_delivery`), so `find` can
recognise it in the conversation's history: that is how a delivery whose outcome is unknown (the sender died
between Slack's answer and marking it sent) is marked sent instead of being posted twice.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.client import retry_after
from adapters.slack.directory import SlackDirectory
from adapters.slack.limits import SLACK_FIND_PAGE, SLACK_FIND_PAGES, SLACK_FIND_SKEW_SECONDS
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
DELIVERY_EVENT = "huzzah_delivery"
"""The metadata event type that marks a message as one of the outbox's deliveries; its payload is `{"key": …}`."""
UNREADABLE = frozenset({"not_in_channel", "missing_scope", "channel_not_found", "thread_not_found",
                        "not_allowed_token_type", "access_denied"})
"""History answers that mean "cannot tell": the delivery is then sent again rather than risk losing it."""


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
        # a server error may come after Slack posted; a refusal (4xx, ok=false) means it did not
        return DeliveryError(f"Slack said {error}{hint}", permanent=error in PERMANENT,
                             maybe_delivered=exc.response.status_code >= 500)
    return DeliveryError(f"Slack unreachable ({type(exc).__name__})", maybe_delivered=True)


class SlackMessenger:
    """`bot.ports.Messenger` for one Slack workspace."""

    platform = PLATFORM

    def __init__(self, client: AsyncWebClient, directory: SlackDirectory, workspace: str = "") -> None:
        self.client = client
        self.directory = directory
        self.workspace = workspace

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *,
                   key: str = "") -> MessageRef:
        try:
            channel_id = await self._channel_id(channel)
            return await self._send(channel.workspace, channel_id, message, thread.id if thread else None, key)
        except FAILURES as exc:
            raise delivery_error(exc) from None

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef:
        try:
            # a message to a user id lands in the app's DM with them: no conversations.open first
            return await self._send(person.workspace, person.user_id, message, None, key)
        except FAILURES as exc:
            raise delivery_error(exc) from None

    async def find(self, where: Channel | Person, key: str, since: datetime,
                   thread: MessageRef | None = None) -> MessageRef | None:
        """The message tagged with `key` posted since `since` (less a margin for clock skew): read from the
        conversation's history — the thread's replies for a reply — newest first, a few pages at most."""
        try:
            if isinstance(where, Person):
                workspace, channel_id = where.workspace, await self.directory.dm_channel(where)
            else:
                workspace, channel_id = where.workspace, await self._channel_id(where)
            oldest = f"{since.timestamp() - SLACK_FIND_SKEW_SECONDS:.6f}"
            cursor: str | None = None
            for _ in range(SLACK_FIND_PAGES):
                page = await self._history(channel_id, oldest, cursor, thread)
                for found in page.get("messages") or []:
                    meta = found.get("metadata") or {}
                    if meta.get("event_type") == DELIVERY_EVENT and (meta.get("event_payload") or {}).get("key") == key:
                        return MessageRef(PLATFORM, workspace or self.workspace, channel_id, str(found["ts"]))
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
                if not page.get("has_more") or not cursor:
                    return None
            log.warning("looked through %d messages in %s for %s without reaching %s; sending it again",
                        SLACK_FIND_PAGES * SLACK_FIND_PAGE, channel_id, key, since.isoformat())
            return None
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            if error in UNREADABLE:
                log.warning("cannot read Slack's history to see whether %s was delivered (%s); sending it again",
                            key, error)
                return None
            raise delivery_error(exc) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise delivery_error(exc) from None

    async def _history(self, channel_id: str, oldest: str, cursor: str | None,
                       thread: MessageRef | None) -> Any:
        if thread is not None:
            return await self.client.conversations_replies(
                channel=channel_id, ts=thread.id, oldest=oldest, limit=SLACK_FIND_PAGE, cursor=cursor,
                include_all_metadata=True)
        return await self.client.conversations_history(
            channel=channel_id, oldest=oldest, limit=SLACK_FIND_PAGE, cursor=cursor, include_all_metadata=True)

    async def _channel_id(self, channel: Channel) -> str:
        channel_id = await self.directory.channel_id(channel.id)
        if channel_id is None:
            raise DeliveryError(
                f"no Slack channel {channel.id} — create it or fix the channel in app.yaml", permanent=True
            )
        return channel_id

    async def update(self, ref: MessageRef, message: Message) -> None:
        try:
            await self.client.chat_update(channel=ref.channel, ts=ref.id, **message_payload(message))
        except FAILURES as exc:
            raise delivery_error(exc) from None

    async def delete(self, ref: MessageRef) -> None:
        try:
            await self.client.chat_delete(channel=ref.channel, ts=ref.id)
        except SlackApiError as exc:
            if exc.response.get("error") != "message_not_found":  # someone deleted it already
                raise delivery_error(exc) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise delivery_error(exc) from None

    async def _send(self, workspace: str, channel_id: str, message: Message, thread_ts: str | None,
                    key: str) -> MessageRef:
        charts = [b for b in message.blocks if isinstance(b, Image) and b.png and not b.url]
        extra: dict[str, Any] = {"thread_ts": thread_ts} if thread_ts else {}
        if key:
            extra["metadata"] = {"event_type": DELIVERY_EVENT, "event_payload": {"key": key}}
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
