"""Delivering to Teams: proactive posts, DMs and edits through the CloudAdapter, paced and retried.

Every call goes through `continue_conversation` with a stored conversation reference (a 1:1 chat is
created from the team's roster when the bot has none with that person). Sends are paced under Teams'
limits; 429, 412, 502 and 504 are retried here with exponential backoff and jitter, honouring
Retry-After, and handed back to the outbox as a DeliveryError when they persist, so nothing is lost.
The connector client's own HTTP retries are switched off: one place decides, so nothing is doubled.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, TypeVar

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ChannelAccount, ConversationParameters, ConversationReference
from botframework.connector.aio import ConnectorClient

from adapters.msteams.cards import message_activity
from adapters.msteams.config import PLATFORM, MsTeamsConfig
from adapters.msteams.limits import (
    MEMBERS_PAGE,
    RETRY_ATTEMPTS,
    RETRY_BASE_SECONDS,
    RETRY_MAX_SECONDS,
    RETRY_STATUSES,
)
from adapters.msteams.pacing import Pacer, Sleep
from adapters.msteams.references import conversation_of, is_verified, restore
from adapters.msteams.translate import PERSONAL, base_conversation_id, is_bot_account
from bot.incoming import MessageRef
from bot.messages import Message
from bot.metrics import PLATFORM_CALLS, PLATFORM_RATE_LIMITED, PLATFORM_RETRIES, Metrics, NoMetrics
from bot.people import Channel, Person
from bot.ports import Conversation, Conversations, DeliveryError

log = logging.getLogger(__name__)
T = TypeVar("T")
Operation = Callable[[TurnContext], Awaitable[T]]

PERMANENT = {400: "Teams refused the message as malformed",
             403: "the bot is not installed for this person or conversation, or was blocked",
             404: "the conversation no longer exists",
             413: "the message is too large for Teams"}


def _status(exc: BaseException) -> tuple[int | None, float | None]:
    """The HTTP status of a failed connector call and its Retry-After in seconds, when it has them."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    headers = getattr(response, "headers", None) or {}
    retry_after = headers.get("Retry-After") if hasattr(headers, "get") else None
    try:
        seconds = float(retry_after) if retry_after is not None else None
    except ValueError:
        seconds = None
    return status, seconds


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter: about base × 2^(attempt-1), never more than the cap."""
    return min(RETRY_MAX_SECONDS, RETRY_BASE_SECONDS * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)


class MsTeamsMessenger:
    """`bot.ports.Messenger` and `bot.ports.Roster` for Microsoft Teams."""

    platform = PLATFORM

    def __init__(self, adapter: CloudAdapter, config: MsTeamsConfig, conversations: Conversations, *,
                 pacer: Pacer | None = None, sleep: Sleep = asyncio.sleep, metrics: Metrics | None = None) -> None:
        self.adapter = adapter
        self.config = config
        self.conversations = conversations
        self.pacer = pacer or Pacer()
        self.sleep = sleep
        self.metrics = metrics or NoMetrics()

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *,
                   key: str = "") -> MessageRef:
        conv = await self._conversation(channel.workspace, channel.id)
        target = f"{conv.id};messageid={thread.id}" if thread else conv.id
        sent = await self._retrying(conv, target, lambda ctx: ctx.send_activity(message_activity(message)), "send")
        return MessageRef(PLATFORM, conv.workspace, conv.id, sent.id)

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef:
        return await self.direct_activity(person, message_activity(message))

    async def find(self, where: Channel | Person, key: str, since: datetime,
                   thread: MessageRef | None = None) -> MessageRef | None:
        """Teams cannot tell: the Bot Connector lets a bot send into a conversation but not read it back, and
        takes no key of ours to deduplicate by. A delivery in doubt is sent again (see the README)."""
        return None

    async def direct_activity(self, person: Person, activity: Activity) -> MessageRef:
        """Any activity (a form card, too) into the person's personal chat with the bot."""
        conv = await self._personal(person)
        sent = await self._retrying(conv, conv.id, lambda ctx: ctx.send_activity(activity), "send")
        return MessageRef(PLATFORM, conv.workspace, conv.id, sent.id)

    async def update(self, ref: MessageRef, message: Message) -> None:
        await self.update_activity(ref, message_activity(message))

    async def update_activity(self, ref: MessageRef, activity: Activity) -> None:
        """Any activity (a card with a form, too) in place of the one at `ref`."""
        conv = await self._conversation(ref.workspace, ref.channel)
        activity.id = ref.id
        await self._retrying(conv, conv.id, lambda ctx: ctx.update_activity(activity), "update")

    async def delete(self, ref: MessageRef) -> None:
        conv = await self._conversation(ref.workspace, ref.channel)
        try:
            await self._retrying(conv, conv.id, lambda ctx: ctx.delete_activity(ref.id), "delete")
        except DeliveryError as exc:
            if "no longer exists" not in str(exc):  # a 404: someone deleted it already
                raise

    async def members(self, channel: Channel) -> list[Person]:
        """Everyone in a team channel or group chat (the roster API, page by page), bots flagged.

        Channels named in app.yaml carry no tenant; the stored conversation supplies it, so these people are
        the same accounts as the ones who message the bot.
        """
        conv = await self._conversation(channel.workspace, channel.id)
        people: list[Person] = []
        token: str | None = None
        while True:
            page = await self._retrying(conv, conv.id, _members_page(conv.id, token), "members")
            for member in page.members or []:
                people.append(Person(PLATFORM, conv.workspace, member.id, member.name or "",
                                     is_bot=is_bot_account(member.id)))
            token = page.continuation_token
            if not token:
                break
        zones = await self.conversations.time_zones(conv.workspace, [p.user_id for p in people])
        return [replace(p, tz=zones.get(p.user_id)) for p in people]

    async def _conversation(self, tenant: str, conversation_id: str) -> Conversation:
        """A known conversation; a channel never seen is reached through the tenant's service URL."""
        base = base_conversation_id(conversation_id)
        known = await self.conversations.get(base)
        anchor = known or await self.conversations.any_in(tenant)
        if known:
            return self._trusted(known)
        if anchor is None:
            raise DeliveryError(f"Huzzah has not been added to any team in Teams tenant {tenant or '(any)'} yet")
        reference = restore(self._trusted(anchor), base)
        reference.conversation.conversation_type = "channel"
        reference.user = None
        return conversation_of(reference, anchor.workspace, verified=is_verified(anchor))

    def _trusted(self, conv: Conversation) -> Conversation:
        """`conv`, unless its service URL came without a valid token and this server sends tokens: then a
        permanent DeliveryError, since the address was whatever an unauthenticated caller said."""
        if self.config.authenticated and not is_verified(conv):
            raise DeliveryError(f"the address of Teams conversation {conv.id} was saved in --teams-emulator mode, "
                                "unauthenticated: Huzzah will not send a token there", permanent=True)
        return conv

    async def _personal(self, person: Person) -> Conversation:
        """The bot's 1:1 chat with a person, created (and remembered) when there is none yet."""
        known = await self.conversations.personal(person.workspace, person.user_id)
        anchor = known or await self.conversations.any_in(person.workspace)
        if known:
            return self._trusted(known)
        if anchor is None:
            raise DeliveryError(f"Huzzah has not been added to any team in Teams tenant {person.workspace} yet")
        base = restore(self._trusted(anchor))
        params = ConversationParameters(
            is_group=False, bot=base.bot, members=[ChannelAccount(id=person.user_id, name=person.name)],
            tenant_id=person.workspace, channel_data={"tenant": {"id": person.workspace}},
        )
        created: list[ConversationReference] = []

        async def keep(ctx: TurnContext) -> None:
            created.append(TurnContext.get_conversation_reference(ctx.activity))

        async def create() -> None:
            await self.adapter.create_conversation(
                self.config.app_id, keep, params, channel_id=base.channel_id, service_url=anchor.endpoint,
            )

        await self._attempts(f"new:{person.user_id}", person.workspace, create, "create_conversation")
        reference = created[-1]
        reference.activity_id = None
        reference.user = ChannelAccount(id=person.user_id, name=person.name)
        reference.conversation.conversation_type = PERSONAL
        reference.conversation.tenant_id = person.workspace
        conv = conversation_of(reference, person.workspace, verified=is_verified(anchor))
        await self.conversations.save(conv)
        return conv

    async def _retrying(self, conv: Conversation, conversation_id: str, op: Operation[T], method: str) -> T:
        reference = restore(conv, conversation_id)
        done: list[Any] = []

        async def callback(ctx: TurnContext) -> None:
            _client(ctx).config.retry_policy.retries = 0
            done.append(await op(ctx))

        async def once() -> T:
            done.clear()
            await self.adapter.continue_conversation(reference, callback, self.config.app_id)
            return done[-1]

        return await self._attempts(conv.id, conv.workspace, once, method)

    async def _attempts(self, conversation: str, tenant: str, once: Callable[[], Awaitable[T]], method: str) -> T:
        attempt = 1
        while True:
            await self.pacer.turn(conversation, tenant)
            try:
                result = await once()
            except Exception as exc:
                status = _status(exc)[0]
                if status == 429:
                    self.metrics.count(PLATFORM_RATE_LIMITED, platform=PLATFORM)
                try:
                    delay, reason = _retry_delay(exc, attempt)
                except DeliveryError:
                    outcome = "rate_limited" if status == 429 else "error" if status else "unreachable"
                    self.metrics.count(PLATFORM_CALLS, platform=PLATFORM, method=method, outcome=outcome)
                    raise
            else:
                self.metrics.count(PLATFORM_CALLS, platform=PLATFORM, method=method, outcome="ok")
                return result
            retried = "rate_limited" if status == 429 else "server_error" if status else "unreachable"
            self.metrics.count(PLATFORM_RETRIES, platform=PLATFORM, reason=retried)
            log.info("%s; retrying in %.1fs (attempt %d of %d)", reason, delay, attempt, RETRY_ATTEMPTS)
            await self.sleep(delay)
            attempt += 1


def _retry_delay(exc: Exception, attempt: int) -> tuple[float, str]:
    """How long to wait before trying again here, and why — or the DeliveryError that hands the message to
    the outbox (for later) or gives it up (for good)."""
    status, retry_after = _status(exc)
    if status in PERMANENT:
        raise DeliveryError(f"Teams answered {status}: {PERMANENT[status]}", permanent=True) from None
    reason = f"Teams answered {status}" if status else f"could not reach Teams ({type(exc).__name__})"
    if status is not None and status not in RETRY_STATUSES:
        raise DeliveryError(reason, retry_after=retry_after) from None
    delay = retry_after if retry_after is not None else backoff(attempt)
    if attempt >= RETRY_ATTEMPTS or delay > RETRY_MAX_SECONDS:
        raise DeliveryError(reason, retry_after=delay) from None
    return delay, reason


def _client(ctx: TurnContext) -> ConnectorClient:
    return ctx.turn_state[BotAdapter.BOT_CONNECTOR_CLIENT_KEY]


def _members_page(conversation_id: str, token: str | None) -> Operation[Any]:
    """Fetches one page of a conversation's roster, the one `token` points to (the first when None)."""
    return lambda ctx: _client(ctx).conversations.get_teams_conversation_paged_members(
        conversation_id, MEMBERS_PAGE, token
    )
