"""Huzzah on Slack: one slack-bolt `AsyncApp` that verifies, acks, translates into the core's incoming and
answers privately; public posts and DMs go through the outbox and `SlackMessenger`.

Every listener translates the request into the core's incoming, hands it to the core's inbox (`Core.accept`:
on disk when it returns) and only then acks — Slack wants an answer within 3 s — and works after the ack
(`Core.work`), so nothing Slack was told we have is lost to a deploy or a crash. A modal submission is the
exception: its answer (close, show the result, or show the form again) must travel in the ack itself, so it is
done before. A delivery Slack repeats (a retry with `X-Slack-Retry-Num`, the same message seen as a mention and
as a DM) is claimed once in the database, with the inbox row, so it is handled once even across instances.
Dedupe keys are Slack's own event and trigger ids — never what someone chose, which may be an anonymous answer.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook.async_client import AsyncWebhookClient

from adapters.shapes import Malformed, media_type
from adapters.slack import inbound
from adapters.slack.client import make_client
from adapters.slack.config import SlackConfig
from adapters.slack.directory import SlackDirectory
from adapters.slack.messenger import SlackMessenger
from adapters.slack.render import (
    OPEN_FORM,
    PLATFORM,
    action_name,
    form_button,
    form_of,
    form_values,
    home_view,
    message_payload,
    modal,
    result_view,
)
from adapters.slack.roster import SlackRoster
from bot.failures import apology, log_failure, sorry
from bot.forms import Form
from bot.i18n import N_, speaking, tr
from bot.incoming import Incoming, MessageRef, Pressed, Reacted, Said, Shortcut, Submitted
from bot.messages import Message, say
from bot.outgoing import Response
from bot.people import Channel, Person
from bot.platform import Core, Platform, Route

log = logging.getLogger(__name__)
BOLT_LOG = logging.getLogger(f"{__name__}.bolt")
"""slack-bolt's own log, kept to errors: its info and warning lines quote request bodies, and a body can hold
what someone wrote in confidence (a vent) — which is never logged."""

EVENTS_PATH = "/slack/events"
COMMAND = "/huzzah"
MENTION_PREFIX = "@Huzzah "
_ANY = re.compile(".+")
_SKIN_TONE = re.compile(r"::skin-tone-\d$")
UNREADABLE = N_(
    "Sorry — Slack sent me this with something missing or garbled ({problem}), so I did nothing with it. "
    "Please try again; if it keeps happening, tell whoever runs Huzzah."
)
Address = dict[str, Any]
"""How to answer whoever acted (`answer`): user, channel, response_url, trigger_id, direct, metadata. It is kept
with the request in the inbox, so it holds only what stays valid for a while (a response_url: 30 minutes)."""
Translated = tuple[Incoming, str] | None
"""The core's incoming and how commands are typed where it came from; None when there is nothing to do."""


def dedupe_key(body: dict[str, Any]) -> str | None:
    """What makes one delivery the same as another: Slack's ids, never the content or a choice made."""
    if body.get("type") == "event_callback":
        event = body.get("event") or {}
        if event.get("type") in ("app_mention", "message") and event.get("channel") and event.get("ts"):
            # the same message can arrive as an app_mention and as a DM message, each with its own event_id
            return f"msg:{body.get('team_id', '')}:{event['channel']}:{event['ts']}"
        return f"event:{body['event_id']}" if body.get("event_id") else None
    trigger = body.get("trigger_id")
    return f"trigger:{trigger}" if trigger else None


def from_a_bot(event: Mapping[str, Any]) -> bool:
    """A message another app or integration posted: never a command, never a kudos (Slack marks it with
    `bot_id`, `bot_profile` or the `bot_message` subtype; a bot's user id alone is caught by users.info)."""
    return bool(event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message")


def unreadable(kind: str, problem: Malformed) -> tuple[int, dict[str, Any]]:
    """The answer to an authentic payload that cannot be read, and one log line naming the field, not the content.

    Where Slack shows the answer to the person (a slash command's reply, a modal's next view) it explains;
    elsewhere it is a 400.
    """
    log.warning("refused a Slack %s that cannot be read: %s", kind or "request", problem)
    words = tr(UNREADABLE, problem=problem)
    if kind == "command":
        return 200, {"response_type": "ephemeral", "text": words}
    if kind == "view_submission":
        return 200, {"response_action": "update", "view": result_view("Huzzah", (say(words),))}
    return 400, {"error": f"unreadable request: {problem}"}


def _team(body: dict[str, Any]) -> str:
    team = body.get("team")
    if isinstance(team, dict) and team.get("id"):
        return str(team["id"])
    return str(body.get("team_id") or (body.get("user") or {}).get("team_id") or "")


class SlackAdapter:
    """One Slack workspace: the bolt app, the Web API client, the directory cache and the messenger."""

    def __init__(self, core: Core, config: SlackConfig) -> None:
        self.core = core
        self.config = config
        self.client = make_client(config, core.metrics)
        self.directory = SlackDirectory(self.client)
        self.messenger = SlackMessenger(self.client, self.directory)
        # Socket Mode needs no signing secret; a random one keeps the HTTP route shut if it is mounted anyway
        secret = config.signing_secret or secrets.token_hex(32)
        self.signatures = inbound.Signatures(secret)
        self.busy = 0
        """Requests being taken, and work still running after its ack (tests and shutdown wait for 0)."""
        self._working: set[asyncio.Task[None]] = set()
        self._socket: Any = None
        BOLT_LOG.setLevel(logging.ERROR)
        # process_before_response: the ack goes out when the listener returns — after the inbox has the request
        # (bolt would otherwise ack events before the listener even starts); the work after it is our own task.
        self.bolt = AsyncApp(
            logger=BOLT_LOG, client=self.client, signing_secret=secret,
            process_before_response=True, request_verification_enabled=True,
        )
        self._register()

    # ---- wiring ------------------------------------------------------------------------------------

    def _register(self) -> None:
        bolt = self.bolt
        bolt.command(re.compile(r"^/.+"))(self._command)
        bolt.event("app_mention")(self._mention)
        bolt.event("message")(self._direct_message)
        bolt.event("reaction_added")(self._reaction)
        bolt.event("reaction_removed")(self._reaction)
        bolt.event("app_home_opened")(self._home)
        bolt.shortcut(_ANY)(self._shortcut)
        bolt.action(_ANY)(self._action)
        bolt.view_submission(_ANY)(self._view)
        bolt.view_closed(_ANY)(self._closed)
        bolt.error(self._error)

    def platform(self) -> Platform:
        """Slack as the core and the server see it: over HTTP its one route, or over Socket Mode none."""
        socket = self.config.socket_mode
        return Platform(
            name=PLATFORM, messenger=self.messenger, roster=SlackRoster(self.client, self.directory),
            routes=() if socket else (Route("POST", EVENTS_PATH, self.handle),),
            start=self.connect_socket_mode if socket else None, stop=self.stop, close=self.client.close,
            answer=self.answer,
        )

    async def stop(self) -> None:
        """Close Socket Mode and let the work behind requests already acked finish."""
        if self._socket is not None:
            await self._socket.close_async()
        while self.busy:
            if self._working:
                await asyncio.gather(*self._working, return_exceptions=True)
            else:
                await asyncio.sleep(0.02)

    async def handle(self, request: web.Request) -> web.Response:
        """POST /slack/events: slash commands, events and interactivity.

        The signature is checked over the raw bytes before anything is parsed; then the body is read and
        checked (`inbound`), and bolt dispatches only what passed, holding only the fields that were checked.
        """
        raw = await request.read()
        if not self.signatures.authentic(request.headers, raw):
            log.info("refused a Slack request: not signed with the signing secret, or over five minutes old")
            return web.json_response({"error": "invalid request"}, status=401)
        kind = ""
        try:
            body = inbound.body_of(media_type(request.headers), raw)
            kind = inbound.kind_of(body)
            checked = inbound.read(body)
        except Malformed as problem:
            status, answer = unreadable(kind, problem)
            return web.json_response(answer, status=status)
        if checked.body is None:
            return web.Response(status=200)
        try:
            # built from the checked body, not re-parsed from the raw one; marked as an HTTP request again so
            # bolt checks the signature a second time
            bolt_request = AsyncBoltRequest(body=checked.body, query=request.query_string,
                                            headers=dict(request.headers), mode="socket_mode")
            bolt_request.mode, bolt_request.raw_body = "http", raw.decode("utf-8")
            return await to_aiohttp_response(await self.bolt.async_dispatch(bolt_request))
        except Exception as exc:  # a bug of ours, not the request's: one line, no traceback
            log_failure(log, f"dispatching a Slack {checked.kind}", exc)
            return web.json_response({"error": "internal error"}, status=500)

    async def _first(self, body: dict[str, Any]) -> bool:
        """Claim the delivery for what is not taken through the inbox (a modal submission, the Home tab)."""
        key = dedupe_key(body)
        if key is not None and not await self.core.first_delivery(PLATFORM, key):
            log.info("ignored a repeated Slack delivery (%s)", key.split(":")[0])
            return False
        return True

    async def _error(self, error: Exception, body: dict[str, Any]) -> None:
        log_failure(log, f"Slack {body.get('type', 'request')}", error)

    async def _take(self, ack: AsyncAck, body: dict[str, Any], what: str, address: Address,
                    translate: Callable[[], Awaitable[Translated]]) -> BoltResponse | None:
        """Translate, hand to the core's inbox, ack — in that order — then work after the ack.

        Nothing is acked before it is on disk: an event that could not be taken is answered 500, so Slack
        delivers it again; a command or a button press gets the apology (Slack repeats neither). `busy` counts
        until the work after the ack is done, so shutdown (and tests) can wait for it.
        """
        self.busy += 1
        try:
            try:
                translated = await translate()
                accepted = None
                if translated is not None:
                    incoming, prefix = translated
                    accepted = await self.core.accept(incoming, address, prefix=prefix,
                                                      delivery_id=dedupe_key(body) or "")
                    if accepted is None:
                        log.info("ignored a repeated Slack delivery (%s)", what)
            except Exception as exc:
                log_failure(log, f"taking a Slack {what}", exc)
                if body.get("type") == "event_callback":
                    return BoltResponse(status=500, body="")
                await ack()
                self._later(self._apologise(address, what))
                return None
            await ack()
            if accepted is not None:
                self._later(self.core.work(accepted))
            return None
        finally:
            self.busy -= 1

    def _later(self, work: Awaitable[None]) -> None:
        """Run `work` after the ack (when the listener has returned and bolt answers Slack); `busy` counts it
        until it is done."""
        self.busy += 1
        task = asyncio.get_running_loop().create_task(self._counted(work))
        self._working.add(task)
        task.add_done_callback(self._working.discard)

    async def _counted(self, work: Awaitable[None]) -> None:
        try:
            await work
        finally:
            self.busy -= 1

    async def _apologise(self, address: Address, what: str) -> None:
        try:
            await self.answer(address, Response(replies=(sorry(),)))
        except Exception as again:
            log_failure(log, f"apologising for a Slack {what}", again)

    # ---- translating -------------------------------------------------------------------------------

    async def _link(self, channel_id: str, ts: str) -> str:
        try:
            return str((await self.client.chat_getPermalink(channel=channel_id, message_ts=ts))["permalink"])
        except SlackApiError:
            return ""

    # ---- answering only the person who acted ----------------------------------------------------------

    @staticmethod
    def _address(user_id: str, channel_id: str, *, response_url: str = "", trigger_id: str = "",
                 direct: bool = False) -> Address:
        return {"user": user_id, "channel": channel_id, "response_url": response_url, "trigger_id": trigger_id,
                "direct": direct}

    async def answer(self, address: Mapping[str, Any], response: Response) -> None:
        """`Platform.answer`: privately to whoever acted — through the response_url when Slack gave one, else as
        an ephemeral message (or a DM); a form opens as a modal while its trigger is valid (3 seconds)."""
        user_id, channel_id = str(address.get("user", "")), str(address.get("channel", ""))
        for reply in response.replies:
            await self._private(reply, user_id, channel_id, response_url=str(address.get("response_url") or ""),
                                direct=bool(address.get("direct")))
        if response.form is not None:
            trigger_id = str(address.get("trigger_id") or "")
            with speaking(response.language or None):  # the modal's and the opener's own words
                if trigger_id:
                    await self._open(response.form, trigger_id, channel_id)
                elif (opener := form_button(response.form)) is not None:
                    await self._private(opener, user_id, channel_id, response_url="",
                                        direct=bool(address.get("direct")))
                else:
                    log.warning("a form was asked for where Slack gives no trigger to open it")

    async def _open(self, form: Form, trigger_id: str, channel_id: str) -> None:
        meta = {"context": form.context, "channel": channel_id}
        await self.client.views_open(trigger_id=trigger_id, view=modal(form, meta))

    async def _private(self, reply: Message, user_id: str, channel_id: str, *, response_url: str,
                       direct: bool) -> None:
        payload = message_payload(reply)
        if response_url:
            sent = await AsyncWebhookClient(response_url, session=self.client.open_session()).send_dict(
                {"response_type": "ephemeral", "replace_original": False, **payload})
            if sent.status_code != 200:
                log.warning("Slack refused a private answer through its response_url (HTTP %d)", sent.status_code)
        elif direct or not channel_id:
            # to the user id when there is no DM channel id yet: it lands in the app's DM with them
            await self.client.chat_postMessage(channel=channel_id if direct else user_id, **payload)
        else:
            await self.client.chat_postEphemeral(channel=channel_id, user=user_id, **payload)

    # ---- listeners ---------------------------------------------------------------------------------

    async def _command(self, ack: AsyncAck, body: dict[str, Any]) -> BoltResponse | None:
        team, user_id, channel_id = _team(body), body["user_id"], body.get("channel_id", "")
        address = self._address(user_id, channel_id, response_url=body.get("response_url", ""),
                                trigger_id=body.get("trigger_id", ""))

        async def translate() -> Translated:
            sender = await self.directory.someone(team, user_id, body.get("user_name", ""))
            channel = await self.directory.channel(team, channel_id, body.get("channel_name", ""))
            parts = await self.directory.parts(team, body.get("text", ""))
            return Said(sender, channel, parts), f"{body.get('command', COMMAND)} "

        return await self._take(ack, body, "command", address, translate)

    async def _mention(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any],
                       context: dict[str, Any]) -> BoltResponse | None:
        if from_a_bot(event):
            await ack()
            return None
        return await self._said(ack, event, body, context, prefix=MENTION_PREFIX)

    async def _direct_message(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any],
                              context: dict[str, Any]) -> BoltResponse | None:
        if event.get("channel_type") != "im" or event.get("subtype") or from_a_bot(event):
            await ack()
            return None
        return await self._said(ack, event, body, context, prefix="")

    async def _said(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any], context: dict[str, Any],
                    prefix: str) -> BoltResponse | None:
        team, user_id, channel_id = _team(body), event.get("user", ""), event.get("channel", "")
        address = self._address(user_id, channel_id, direct=channel_id.startswith("D"))

        async def translate() -> Translated:
            if not user_id:
                return None
            sender = await self.directory.someone(team, user_id)
            channel = await self.directory.channel(team, channel_id)
            bot_user = str(context.get("bot_user_id") or "")
            parts = await self.directory.parts(team, event.get("text", ""), drop_user=bot_user)
            return Said(sender, channel, parts), prefix

        return await self._take(ack, body, "message", address, translate)

    async def _reaction(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any]) -> BoltResponse | None:
        item = event.get("item") or {}
        emoji = _SKIN_TONE.sub("", event.get("reaction", ""))
        team, user_id, channel_id = _team(body), event.get("user", ""), item.get("channel", "")
        # only the configured emoji on a message is worth a users.info call; the core decides the rest
        if item.get("type") != "message" or not event.get("item_user") or not self.core.wants_reaction(emoji):
            await ack()
            return None
        address = self._address(user_id, channel_id, direct=channel_id.startswith("D"))

        async def translate() -> Translated:
            sender = await self.directory.someone(team, user_id)
            author = await self.directory.someone(team, event["item_user"])
            channel = await self.directory.channel(team, channel_id)
            ref = MessageRef(PLATFORM, team, channel_id, item.get("ts", ""))
            removed = event.get("type") == "reaction_removed"
            link = "" if removed else await self._link(channel_id, ref.id)  # removing needs no link
            return Reacted(sender, channel, emoji, author, ref, link, removed=removed), ""

        return await self._take(ack, body, "reaction", address, translate)

    async def _home(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any]) -> None:
        """The Home tab is drawn from the database whenever it is opened: nothing to keep if this one is lost."""
        first = await self._first(body)
        await ack()
        if not first or event.get("tab", "home") != "home":
            return

        async def publish() -> None:
            try:
                person = await self.directory.someone(_team(body), event["user"])
                page = await self.core.home(person, prefix=f"{COMMAND} ")
                await self.client.views_publish(user_id=event["user"], view=home_view(page))
            except Exception as exc:
                log_failure(log, "Slack home", exc)

        self._later(publish())

    async def _shortcut(self, ack: AsyncAck, body: dict[str, Any]) -> BoltResponse | None:
        team, user = _team(body), body.get("user") or {}
        channel_info, message = body.get("channel") or {}, body.get("message") or {}
        channel_id = channel_info.get("id", "")
        address = self._address(user.get("id", ""), channel_id, response_url=body.get("response_url") or "",
                                trigger_id=body.get("trigger_id", ""))

        async def translate() -> Translated:
            if body.get("type") != "message_action":
                return None
            sender = await self.directory.someone(team, user["id"], user.get("username") or user.get("name", ""))
            channel = await self.directory.channel(team, channel_id, channel_info.get("name", ""))
            if message.get("user"):
                author = await self.directory.someone(team, message["user"])
            else:  # a message posted by an app or integration has no user to thank
                name = (message.get("bot_profile") or {}).get("name") or message.get("username") or "this app"
                author = Person(PLATFORM, team, message.get("bot_id", "bot"), name, is_bot=True)
            ts = message.get("ts") or body.get("message_ts", "")
            ref = MessageRef(PLATFORM, team, channel_id, ts)
            return Shortcut(sender, channel, body.get("callback_id", ""), author, ref,
                            await self._link(channel_id, ts)), ""

        return await self._take(ack, body, "shortcut", address, translate)

    async def _action(self, ack: AsyncAck, body: dict[str, Any]) -> BoltResponse | None:
        team, user = _team(body), body.get("user") or {}
        container, channel_info = body.get("container") or {}, body.get("channel") or {}
        channel_id = channel_info.get("id") or container.get("channel_id", "")
        pressed = (body.get("actions") or [{}])[0]
        if action_name(pressed.get("action_id", "")) == OPEN_FORM:  # ours alone: the core has nothing to do
            await ack()
            form = form_of(str(pressed.get("value") or ""))
            if form is not None and body.get("trigger_id"):
                await self._open(form, body["trigger_id"], channel_id)
            return None
        address = self._address(user.get("id", ""), channel_id, response_url=body.get("response_url") or "",
                                trigger_id=body.get("trigger_id", ""))

        async def translate() -> Translated:
            action = (body.get("actions") or [{}])[0]
            value = action.get("value") or (action.get("selected_option") or {}).get("value", "")
            sender = await self.directory.someone(team, user["id"], user.get("username") or user.get("name", ""))
            if channel_id:
                channel = await self.directory.channel(team, channel_id, channel_info.get("name", ""))
            else:  # a button on the App Home or in a modal
                channel = Channel(PLATFORM, team, "", is_direct=True)
            ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
            ref = MessageRef(PLATFORM, team, channel_id, ts) if ts else None
            return Pressed(sender, channel, action_name(action.get("action_id", "")), value, ref), ""

        return await self._take(ack, body, "button", address, translate)

    async def _view(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A modal came back: the core's answer replaces it (a result, or the form again with a problem). Done
        before the ack, which carries that answer, so nothing acked is left to do."""
        self.busy += 1
        try:
            if not await self._first(body):
                await ack()
                return
            view, team, user = body["view"], _team(body), body["user"]
            meta = inbound.metadata_of(view.get("private_metadata", ""))
            channel_id = meta.get("channel", "")
            try:
                sender = await self.directory.someone(team, user["id"], user.get("username") or user.get("name", ""))
                channel = (await self.directory.channel(team, channel_id) if channel_id
                           else Channel(PLATFORM, team, "", is_direct=True))
                submitted = Submitted(sender, channel, view["callback_id"],
                                      form_values((view.get("state") or {}).get("values") or {}),
                                      meta.get("context", ""))
                response = await self.core.handle(submitted)
            except Exception as exc:
                response = apology(log, "Slack form", exc)
            title = (view.get("title") or {}).get("text", "Huzzah")
            with speaking(response.language or None):
                if response.form is not None:
                    meta["context"] = response.form.context
                    shown: dict[str, Any] | None = modal(response.form, meta)
                else:
                    shown = result_view(title, response.replies) if response.replies else None
            if shown is not None:
                await ack(response_action="update", view=shown)
            else:
                await ack()
        finally:
            self.busy -= 1

    async def _closed(self, ack: AsyncAck) -> None:
        await ack()

    # ---- Socket Mode -------------------------------------------------------------------------------

    async def connect_socket_mode(self) -> None:
        """Serve the same app over Socket Mode (no public URL); `stop` closes it.

        Slack's socket is authenticated by the app token, so there is no signature; each payload is still
        checked as over HTTP before bolt reads it.
        """
        from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
        from slack_bolt.adapter.socket_mode.async_internals import send_async_response
        from slack_bolt.adapter.socket_mode.internals import build_headers
        from slack_sdk.socket_mode.response import SocketModeResponse

        class CheckedSocketModeHandler(AsyncSocketModeHandler):
            async def handle(self, client: Any, req: Any) -> None:
                start, kind = time.time(), ""
                try:
                    payload = req.payload if isinstance(req.payload, dict) else None
                    if payload is None:
                        raise Malformed("the payload is not an object")
                    kind = inbound.kind_of(payload)
                    checked = inbound.read(payload)
                except Malformed as problem:
                    status, answer = unreadable(kind, problem)
                    shown = answer if status == 200 else None
                    await client.send_socket_mode_response(SocketModeResponse(req.envelope_id, payload=shown))
                    return
                if checked.body is None:
                    await client.send_socket_mode_response(SocketModeResponse(req.envelope_id))
                    return
                bolt_request = AsyncBoltRequest(mode="socket_mode", body=checked.body, headers=build_headers(req))
                await send_async_response(client, req, await self.app.async_dispatch(bolt_request), start)

        self._socket = CheckedSocketModeHandler(self.bolt, self.config.app_token, web_client=self.client)
        await self._socket.connect_async()
