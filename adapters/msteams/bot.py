"""The Teams turn: remember where we are, translate, ask the core, answer the person privately."""

from __future__ import annotations

import asyncio
import hashlib
import logging

from botbuilder.core import Bot, InvokeResponse, TurnContext
from botbuilder.schema import Activity, ActivityTypes

from adapters.msteams.cards import form_activity
from adapters.msteams.messenger import MsTeamsMessenger
from adapters.msteams.references import remember
from adapters.msteams.translate import PERSONAL, PLATFORM, incoming_of, person, tenant_of
from bot.failures import log_failure
from bot.i18n import speaking
from bot.incoming import Said
from bot.outgoing import Response
from bot.people import Channel, Person
from bot.platform import Core
from bot.ports import DeliveryError

log = logging.getLogger(__name__)
SEEN = "message:"


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
            # Huzzah's cards send Action.Submit (a message); an invoke it has no use for is answered with an
            # empty 200 rather than botbuilder's 501, so Teams is not told the bot failed
            await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=InvokeResponse(status=200)))
            return
        try:
            await remember(self.core.conversations(PLATFORM), activity,
                           verified=self.messenger.config.authenticated)
            if _installed_personally(context):
                newcomer = person(activity.from_property, tenant_of(activity), locale=activity.locale)
                welcome = Said(newcomer, Channel(PLATFORM, newcomer.workspace, "", is_direct=True), ("help",))
                self._later(newcomer, await self.core.handle(welcome))
                return
            incoming = incoming_of(activity)
            if incoming is None or (isinstance(incoming, Said) and not await self._first_delivery(activity)):
                return
            response = await self.core.handle(incoming, prefix=_prefix(context))
            self._later(incoming.sender, response)
        except Exception as exc:
            log_failure(log, f"handling a Teams {activity.type} activity", exc)

    def _later(self, to: Person, response: Response) -> None:
        task = asyncio.get_running_loop().create_task(self._answer(to, response))
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

    async def _answer(self, to: Person, response: Response) -> None:
        try:
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


def _installed_personally(context: TurnContext) -> bool:
    """Someone just added the app for themselves: greet them with what Huzzah can do."""
    activity = context.activity
    return (
        activity.type == "installationUpdate" and activity.action == "add"
        and (activity.conversation.conversation_type or PERSONAL) == PERSONAL
        and activity.from_property is not None
    )
