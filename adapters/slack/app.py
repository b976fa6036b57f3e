"""Huzzah on Slack: one slack-bolt `AsyncApp` that verifies, acks, translates into the core's incoming and
answers privately; public posts and DMs go through the outbox and `SlackMessenger`.

Every listener acks first and works after (Slack wants an answer within 3 s), except a modal submission,
whose answer (close, show the result, or show the form again) must travel in the ack itself. A delivery
Slack repeats (a retry with `X-Slack-Retry-Num`, the same message seen as a mention and as a DM) is claimed
once in the database, so it is handled once even across instances. Dedupe keys are Slack's own event and
trigger ids — never what someone chose, which may be an anonymous answer.
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
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.shapes import Malformed, media_type
from adapters.slack import inbound
from adapters.slack.client import make_client
from adapters.slack.config import SlackConfig, slack_config
from adapters.slack.directory import SlackDirectory
from adapters.slack.messenger import SlackMessenger
from adapters.slack.render import PLATFORM, action_name, form_values, home_view, message_payload, modal, result_view
from adapters.slack.roster import SlackRoster
from bot.failures import apology, log_failure
from bot.incoming import MessageRef, Pressed, Reacted, Said, Shortcut, Submitted
from bot.messages import Message, say
from bot.outgoing import Response
from bot.people import Channel, Person
from bot.platform import Connector, Core, Platform, Receiving, Route

log = logging.getLogger(__name__)
BOLT_LOG = logging.getLogger(f"{__name__}.bolt")
"""slack-bolt's own log, kept to errors: its info and warning lines quote request bodies, and a body can hold
what someone wrote in confidence (a vent) — which is never logged."""

EVENTS_PATH = "/slack/events"
COMMAND = "/huzzah"
MENTION_PREFIX = "@Huzzah "
_ANY = re.compile(".+")
_SKIN_TONE = re.compile(r"::skin-tone-\d$")
UNREADABLE = (
    "Sorry — Slack sent me this with something missing or garbled ({problem}), so I did nothing with it. "
    "Please try again; if it keeps happening, tell whoever runs Huzzah."
)


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
    words = UNREADABLE.format(problem=problem)
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

    def __init__(self, core: Core, config: SlackConfig, client: AsyncWebClient | None = None) -> None:
        self.core = core
        self.config = config
        self.client = client or make_client(config, core.metrics)
        self.directory = SlackDirectory(self.client)
        self.messenger = SlackMessenger(self.client, self.directory)
        # Socket Mode needs no signing secret; a random one keeps the HTTP route shut if it is mounted anyway
        secret = config.signing_secret or secrets.token_hex(32)
        self.signatures = inbound.Signatures(secret)
        self.busy = 0
        """Listeners still working after their ack (tests and shutdown wait for 0)."""
        self._socket: Any = None
        BOLT_LOG.setLevel(logging.ERROR)
        self.bolt = AsyncApp(
            logger=BOLT_LOG, client=self.client, signing_secret=secret,
            process_before_response=False, request_verification_enabled=True,
        )
        self._register()

    # ---- wiring ------------------------------------------------------------------------------------

    def _register(self) -> None:
        bolt = self.bolt
        bolt.middleware(self._once)
        bolt.command(re.compile(r"^/.+"))(self._command)
        bolt.event("app_mention")(self._mention)
        bolt.event("message")(self._direct_message)
        bolt.event("reaction_added")(self._reaction)
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
            start=self.connect_socket_mode if socket else None, stop=self.stop,
        )

    async def stop(self) -> None:
        """Close Socket Mode and let listeners that already acked finish their work."""
        if self._socket is not None:
            await self._socket.close_async()
        while self.busy:
            await asyncio.sleep(0.05)

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

    async def _once(self, body: dict[str, Any], next: Callable[[], Awaitable[Any]]) -> Any:
        key = dedupe_key(body)
        if key is not None and not await self.core.first_delivery(PLATFORM, key):
            log.info("ignored a repeated Slack delivery (%s)", key.split(":")[0])
            return BoltResponse(status=200, body="")
        return await next()

    async def _error(self, error: Exception, body: dict[str, Any]) -> None:
        log_failure(log, f"Slack {body.get('type', 'request')}", error)

    async def _acked(self, ack: AsyncAck, what: str, work: Callable[[], Awaitable[None]],
                     answer: Callable[[Response], Awaitable[None]] | None = None) -> None:
        """Ack at once, then work; a failure is logged without content and, where possible, apologised for.

        `busy` counts from before the ack until the work is done, so whoever sees the HTTP answer can wait
        for the work behind it (tests do; a graceful shutdown could).
        """
        self.busy += 1
        try:
            await ack()
            await work()
        except Exception as exc:
            sorry = apology(log, f"Slack {what}", exc)
            if answer is not None:
                try:
                    await answer(sorry)
                except Exception as again:
                    log_failure(log, f"apologising for Slack {what}", again)
        finally:
            self.busy -= 1

    # ---- translating -------------------------------------------------------------------------------

    async def _link(self, channel_id: str, ts: str) -> str:
        try:
            return str((await self.client.chat_getPermalink(channel=channel_id, message_ts=ts))["permalink"])
        except SlackApiError:
            return ""

    # ---- answering only the person who acted ----------------------------------------------------------

    def _answerer(
        self, user_id: str, channel_id: str, *, respond: AsyncRespond | None = None, trigger_id: str = "",
        direct: bool = False, metadata: dict[str, str] | None = None,
    ) -> Callable[[Response], Awaitable[None]]:
        async def answer(response: Response) -> None:
            for reply in response.replies:
                await self._private(reply, user_id, channel_id, respond=respond, direct=direct)
            if response.form is not None:
                if not trigger_id:
                    log.warning("a form was asked for where Slack gives no trigger to open it")
                    return
                meta = {"context": response.form.context, "channel": channel_id, **(metadata or {})}
                await self.client.views_open(trigger_id=trigger_id, view=modal(response.form, meta))

        return answer

    async def _private(self, reply: Message, user_id: str, channel_id: str, *, respond: AsyncRespond | None,
                       direct: bool) -> None:
        payload = message_payload(reply)
        if respond is not None:
            await respond(response_type="ephemeral", replace_original=False, **payload)
        elif direct or not channel_id:
            dm = channel_id if direct else await self.directory.dm_channel(Person(PLATFORM, "", user_id))
            await self.client.chat_postMessage(channel=dm, **payload)
        else:
            await self.client.chat_postEphemeral(channel=channel_id, user=user_id, **payload)

    # ---- listeners ---------------------------------------------------------------------------------

    async def _command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        team, user_id, channel_id = _team(body), body["user_id"], body.get("channel_id", "")
        answer = self._answerer(user_id, channel_id, respond=respond, trigger_id=body.get("trigger_id", ""))

        async def work() -> None:
            sender = await self.directory.someone(team, user_id, body.get("user_name", ""))
            channel = await self.directory.channel(team, channel_id, body.get("channel_name", ""))
            parts = await self.directory.parts(team, body.get("text", ""))
            prefix = f"{body.get('command', COMMAND)} "
            await answer(await self.core.handle(Said(sender, channel, parts), prefix=prefix))

        await self._acked(ack, "command", work, answer)

    async def _mention(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any],
                       context: dict[str, Any]) -> None:
        if from_a_bot(event):
            await ack()
            return
        await self._said(ack, event, body, context, prefix=MENTION_PREFIX)

    async def _direct_message(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any],
                              context: dict[str, Any]) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or from_a_bot(event):
            await ack()
            return
        await self._said(ack, event, body, context, prefix="")

    async def _said(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any], context: dict[str, Any],
                    prefix: str) -> None:
        team, user_id, channel_id = _team(body), event.get("user", ""), event.get("channel", "")
        answer = self._answerer(user_id, channel_id, direct=channel_id.startswith("D"))

        async def work() -> None:
            if not user_id:
                return
            sender = await self.directory.someone(team, user_id)
            channel = await self.directory.channel(team, channel_id)
            bot_user = str(context.get("bot_user_id") or "")
            parts = await self.directory.parts(team, event.get("text", ""), drop_user=bot_user)
            await answer(await self.core.handle(Said(sender, channel, parts), prefix=prefix))

        await self._acked(ack, "message", work, answer)

    async def _reaction(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any]) -> None:
        item = event.get("item") or {}
        emoji = _SKIN_TONE.sub("", event.get("reaction", ""))
        team, user_id, channel_id = _team(body), event.get("user", ""), item.get("channel", "")
        answer = self._answerer(user_id, channel_id, direct=channel_id.startswith("D"))

        async def work() -> None:
            # only the configured emoji on a message is worth a users.info call; the core decides the rest
            wanted = self.core.wants_reaction(emoji)
            if item.get("type") != "message" or not event.get("item_user") or not wanted:
                return
            sender = await self.directory.someone(team, user_id)
            author = await self.directory.someone(team, event["item_user"])
            channel = await self.directory.channel(team, channel_id)
            ref = MessageRef(PLATFORM, team, channel_id, item.get("ts", ""))
            reacted = Reacted(sender, channel, emoji, author, ref, await self._link(channel_id, ref.id))
            await answer(await self.core.handle(reacted))

        await self._acked(ack, "reaction", work, answer)

    async def _home(self, ack: AsyncAck, event: dict[str, Any], body: dict[str, Any]) -> None:
        async def work() -> None:
            if event.get("tab", "home") != "home":
                return
            person = await self.directory.someone(_team(body), event["user"])
            page = await self.core.home(person, prefix=f"{COMMAND} ")
            await self.client.views_publish(user_id=event["user"], view=home_view(page))

        await self._acked(ack, "home", work)

    async def _shortcut(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        team, user = _team(body), body.get("user") or {}
        channel_info, message = body.get("channel") or {}, body.get("message") or {}
        channel_id = channel_info.get("id", "")
        answer = self._answerer(user.get("id", ""), channel_id, respond=respond if body.get("response_url") else None,
                                trigger_id=body.get("trigger_id", ""))

        async def work() -> None:
            if body.get("type") != "message_action":
                return
            sender = await self.directory.someone(team, user["id"], user.get("username") or user.get("name", ""))
            channel = await self.directory.channel(team, channel_id, channel_info.get("name", ""))
            if message.get("user"):
                author = await self.directory.someone(team, message["user"])
            else:  # a message posted by an app or integration has no user to thank
                name = (message.get("bot_profile") or {}).get("name") or message.get("username") or "this app"
                author = Person(PLATFORM, team, message.get("bot_id", "bot"), name, is_bot=True)
            ts = message.get("ts") or body.get("message_ts", "")
            ref = MessageRef(PLATFORM, team, channel_id, ts)
            shortcut = Shortcut(sender, channel, body.get("callback_id", ""), author, ref,
                                await self._link(channel_id, ts))
            await answer(await self.core.handle(shortcut))

        await self._acked(ack, "shortcut", work, answer)

    async def _action(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        team, user = _team(body), body.get("user") or {}
        container, channel_info = body.get("container") or {}, body.get("channel") or {}
        channel_id = channel_info.get("id") or container.get("channel_id", "")
        answer = self._answerer(user.get("id", ""), channel_id, respond=respond if body.get("response_url") else None,
                                trigger_id=body.get("trigger_id", ""))

        async def work() -> None:
            action = (body.get("actions") or [{}])[0]
            value = action.get("value") or (action.get("selected_option") or {}).get("value", "")
            sender = await self.directory.someone(team, user["id"], user.get("username") or user.get("name", ""))
            if channel_id:
                channel = await self.directory.channel(team, channel_id, channel_info.get("name", ""))
            else:  # a button on the App Home or in a modal
                channel = Channel(PLATFORM, team, "", is_direct=True)
            ts = container.get("message_ts") or (body.get("message") or {}).get("ts")
            ref = MessageRef(PLATFORM, team, channel_id, ts) if ts else None
            pressed = Pressed(sender, channel, action_name(action.get("action_id", "")), value, ref)
            await answer(await self.core.handle(pressed))

        await self._acked(ack, "button", work, answer)

    async def _view(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """A modal came back: the core's answer replaces it (a result, or the form again with a problem)."""
        self.busy += 1
        try:
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
            if response.form is not None:
                meta["context"] = response.form.context
                await ack(response_action="update", view=modal(response.form, meta))
            elif response.replies:
                await ack(response_action="update", view=result_view(title, response.replies))
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


def configure(env: Mapping[str, str], receiving: Receiving) -> SlackConfig | None:
    return slack_config(env, socket_mode=receiving == "socket", receiving=receiving != "none")


def build(core: Core, config: SlackConfig) -> Platform:
    return SlackAdapter(core, config).platform()


CONNECTOR = Connector(PLATFORM, configure, build)
