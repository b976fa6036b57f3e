"""The Teams turn: remember where we are, translate, ask the core, answer the person privately."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Any

from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, ActivityTypes

from adapters.msteams.cards import CARD_TYPE, answer_activity, form_activity, form_card
from adapters.msteams.config import PLATFORM
from adapters.msteams.messenger import MsTeamsMessenger
from adapters.msteams.references import remember
from adapters.msteams.translate import (
    PERSONAL,
    channel_of,
    incoming_of,
    is_bot_account,
    object_at,
    person,
    reactions_of,
    sender_of,
    submitted_of,
    tenant_of,
)
from bot.failures import log_failure
from bot.i18n import speaking, tr
from bot.incoming import Incoming, MessageRef, Said, Shortcut
from bot.messages import parts_plain, plain_text
from bot.outgoing import Response
from bot.people import Channel, Person
from bot.platform import Core
from bot.ports import DeliveryError

log = logging.getLogger(__name__)
SEEN = "message:"
FETCH_TASK, SUBMIT_ACTION = "composeExtension/fetchTask", "composeExtension/submitAction"
ACTION_INVOKES = (FETCH_TASK, SUBMIT_ACTION)
"""The message extension's action command ("Give a huzzah" on a message, declared in the app package)."""
HOME = "home"
"""Typed in the personal chat: the person's own page (what Slack's App Home shows)."""


class MsTeamsBot(Bot):
    """Answers go to the sender's personal chat — Teams has no private replies inside a channel, and an
    answer such as "your vote is counted" must never be seen by the rest of the channel.

    They are delivered after the request is answered: Teams gives a bot 15 seconds, and an answer that
    meets throttling may be retried for longer than that.
    """

    def __init__(self, core: Core, messenger: MsTeamsMessenger) -> None:
        self.core = core
        self.messenger = messenger
        self._answering: set[asyncio.Task[None]] = set()

    async def settle(self) -> None:
        """Wait until every answer still on its way has been delivered (or given up on)."""
        while self._answering:
            await asyncio.gather(*self._answering, return_exceptions=True)

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        if activity.type == ActivityTypes.invoke:
            # the message action's dialog is answered in the invoke's response; any other invoke gets an empty 200
            # rather than botbuilder's 501, so Teams is not told the bot failed
            body = await self._invoked(context) if activity.name in ACTION_INVOKES else None
            await context.send_activity(Activity(type=ActivityTypes.invoke_response,
                                                 value=InvokeResponse(status=200, body=body)))
            return
        try:
            await self._remember(activity)
            if _installed_personally(context):
                newcomer = person(activity.from_property, tenant_of(activity), locale=activity.locale)
                welcome = Said(newcomer, Channel(PLATFORM, newcomer.workspace, "", is_direct=True), ("help",))
                self._later(newcomer, await self.core.handle(welcome))
                return
            if activity.type == "messageReaction":
                await self._reacted(activity)
                return
            incoming = incoming_of(activity)
            if incoming is None or (isinstance(incoming, Said) and not await self._first_delivery(activity)):
                return
            if isinstance(incoming, Said):
                if incoming.channel.is_direct and parts_plain(incoming.parts).strip().casefold() == HOME:
                    page = await self.core.home(incoming.sender)
                    self._later(incoming.sender, Response(replies=(page,)))
                    return
                if not incoming.channel.is_direct and activity.id:  # a reaction on it later names only the reactor
                    ref = MessageRef(PLATFORM, incoming.sender.workspace, incoming.channel.id, activity.id)
                    await self.core.conversations(PLATFORM).remember_author(ref, incoming.sender)
            response = await self.core.handle(incoming, prefix=_prefix(context))
            self._later(incoming.sender, response, _pressed_card(activity, incoming))
        except Exception as exc:
            log_failure(log, f"handling a Teams {activity.type} activity", exc)

    async def _reacted(self, activity: Activity) -> None:
        """Reactions on a message the bot heard (Teams names the reactor, not the message's author)."""
        if not activity.reply_to_id:
            return
        channel = channel_of(activity)
        ref = MessageRef(PLATFORM, tenant_of(activity), channel.id, str(activity.reply_to_id))
        author = await self.core.conversations(PLATFORM).author_of(ref)
        if author is None:
            log.info("ignored a Teams reaction on a message Huzzah did not hear")
            return
        for reacted in reactions_of(activity, author):
            if self.core.wants_reaction(reacted.emoji):
                self._later(reacted.sender, await self.core.handle(reacted))

    async def _remember(self, activity: Activity) -> None:
        await remember(self.core.conversations(PLATFORM), activity, verified=self.messenger.config.authenticated)

    async def _invoked(self, context: TurnContext) -> dict[str, Any]:
        """"Give a huzzah" on a message: `fetchTask` opens the form for its author, `submitAction` sends it. A
        refusal shows the form again with the problem; a private answer goes to the personal chat."""
        activity = context.activity
        value = activity.value if isinstance(activity.value, dict) else {}
        try:
            await self._remember(activity)
            sender, channel = sender_of(activity), channel_of(activity)
            if activity.name == FETCH_TASK:
                incoming: Incoming = await self._shortcut(context, value)
            else:
                incoming = submitted_of(sender, channel, object_at(value, "data"))
            response = await self.core.handle(incoming)
        except Exception as exc:
            log_failure(log, f"answering a Teams {activity.name}", exc)
            return {"task": {"type": "message", "value": tr("Sorry — something went wrong. Please try again.")}}
        if response.form is not None:
            with speaking(response.language or None):
                card = form_card(response.form)
            return {"task": {"type": "continue", "value": {
                "title": response.form.title, "card": {"contentType": CARD_TYPE, "content": card}}}}
        if activity.name == FETCH_TASK and response.replies:  # refused before the form opened: say why there
            return {"task": {"type": "message", "value": plain_text(response.replies[0])}}
        self._later(sender, response)
        return {}

    async def _shortcut(self, context: TurnContext, value: dict[str, Any]) -> Shortcut:
        activity = context.activity
        payload = object_at(value, "messagePayload")
        user = object_at(object_at(payload, "from"), "user")
        tenant, channel = tenant_of(activity), channel_of(activity)
        author = await _member(context, str(user.get("id") or ""), str(user.get("displayName") or ""))
        ref = MessageRef(PLATFORM, tenant, channel.id, str(payload.get("id") or ""))
        link = str(payload.get("linkToMessage") or "")
        return Shortcut(sender_of(activity), channel, str(value.get("commandId") or ""), author, ref,
                        link if link.startswith("https://") else "")

    def _later(self, to: Person, response: Response, card: MessageRef | None = None) -> None:
        task = asyncio.get_running_loop().create_task(self._answer(to, response, card))
        self._answering.add(task)
        task.add_done_callback(self._answering.discard)

    async def _first_delivery(self, activity: Activity) -> bool:
        """False when the Bot Connector delivers a message we already handled (it retries slow answers).

        Only typed commands are checked: a key per card press would record when someone answered a check-in.
        """
        if not activity.id:
            return True
        seen = hashlib.sha256(f"{activity.conversation.id}|{activity.id}".encode()).hexdigest()[:40]
        return await self.core.first_delivery(PLATFORM, f"{SEEN}{seen}")

    async def _answer(self, to: Person, response: Response, card: MessageRef | None) -> None:
        """`card`: the personal-chat card that was pressed, which the answer replaces — no new message."""
        try:
            if card is not None and (response.replies or response.form is not None):
                await self.messenger.update_activity(card, answer_activity(response.replies, response.form))
                return
            for reply in response.replies:
                await self.messenger.direct(to, reply)
            if response.form is not None:
                with speaking(response.language or None):
                    card = form_activity(response.form)
                await self.messenger.direct_activity(to, card)
        except DeliveryError as exc:
            log.warning("could not answer a Teams user privately: %s", exc)
        except Exception as exc:
            log_failure(log, "answering a Teams user privately", exc)


def _prefix(context: TurnContext) -> str:
    """How commands are typed here, for help examples: `@Huzzah …` in a channel, nothing in a personal chat."""
    activity = context.activity
    if (activity.conversation.conversation_type or PERSONAL) == PERSONAL:
        return ""
    return f"@{activity.recipient.name or 'Huzzah'} "


def _pressed_card(activity: Activity, incoming: Incoming) -> MessageRef | None:
    """The card in the person's own chat whose button or form this was (None for typed words, or a channel's card,
    which everyone there sees and so is never changed for one person)."""
    if isinstance(incoming, Said) or not incoming.channel.is_direct or not activity.reply_to_id:
        return None
    return MessageRef(PLATFORM, incoming.channel.workspace, incoming.channel.id, activity.reply_to_id)


def _installed_personally(context: TurnContext) -> bool:
    """Someone just added the app for themselves: greet them with what Huzzah can do."""
    activity = context.activity
    return (
        activity.type == "installationUpdate" and activity.action == "add"
        and (activity.conversation.conversation_type or PERSONAL) == PERSONAL
        and activity.from_property is not None
    )


async def _member(context: TurnContext, user_id: str, name: str) -> Person:
    """A message's author as the Bot Framework knows them (`29:…`): a message extension's payload names them by
    their Entra object id, so they are looked up in the roster; a bot or app has no user to thank."""
    tenant = tenant_of(context.activity)
    if not user_id:
        return Person(PLATFORM, tenant, "app", name or "this app", is_bot=True)
    try:
        member = await TeamsInfo.get_member(context, user_id)
    except Exception as exc:  # not in the roster, or the roster unreachable: thank them by the id Teams gave
        log.info("could not look up a message's author in the Teams roster (%s)", type(exc).__name__)
        return Person(PLATFORM, tenant, user_id, name)
    return Person(PLATFORM, tenant, member.id or user_id, member.name or name, is_bot=is_bot_account(member.id or ""))
