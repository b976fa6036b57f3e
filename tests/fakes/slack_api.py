"""A fake Slack Web API on 127.0.0.1 (ephemeral port) for the real `AsyncWebClient` to talk to.

Use it through `tests/slack_support.py` (the `slack` fixture wires it to the whole server), or alone:

    api = FakeSlackAPI()
    await api.start()
    client = AsyncWebClient(token="xoxb-test", base_url=api.base_url)
    await client.chat_postMessage(channel="#kudos", text="hi")
    assert api.calls_to("chat.postMessage")[0]["channel"] == "#kudos"
    await api.close()

What it does:
- Records every call as `Call(method, params, headers, at, peer)` (`peer`: which TCP connection); `params` merges
  the query string, the form body and the JSON body, with JSON-encoded form fields (`blocks`, `view`, `files`…)
  parsed back.
- Answers the methods Huzzah uses with the shapes Slack documents (auth.test, chat.postMessage / update /
  postEphemeral / getPermalink, conversations.open / members / list / info, users.info / list, views.open /
  publish / update, files.getUploadURLExternal / completeUploadExternal and the upload URL itself).
  Unknown methods answer `{"ok": false, "error": "unknown_method"}`. chat.postMessage to a user id posts in the
  app's DM with them (`D<user id>`), as Slack does; conversations.members and users.list page by `limit`/`cursor`.
- Holds a small workspace (`users`, `channels`; see `add_user`, `add_channel`) that those answers read.
- `script(method, status=429, headers={"Retry-After": "1"})` queues one scripted answer (or `times=n`),
  used before the normal answer: rate limits, server errors, `{"ok": false, "error": ...}` answers.
- `hold(method, …, "respond")` keeps those calls (and posts to response_urls) waiting, unrecorded, until
  `release()`: a Slack that is slow to answer, to show what happens before anything reaches it.
- Socket Mode: `apps.connections.open` hands out a WebSocket on the same port; `socket_send(envelope)`
  pushes an envelope to the app and `socket_acks` collects what it answered.
- `response_url(user_id)` hands out URLs (for slash commands and interactivity payloads) whose posts are
  recorded in `responses` (with `_user` set); `ephemerals(user_id)` collects everything shown only to one
  person, through either route.
- Message metadata as Slack keeps it: chat.postMessage's `metadata` (`event_type` + `event_payload`) is stored
  with the message and returned by conversations.history / conversations.replies when `include_all_metadata`
  is set. History answers as Slack does: top-level messages only (replies through conversations.replies),
  newest first, `oldest`/`latest` exclusive unless `inclusive`, `limit` and a `cursor` with `has_more`, and
  `not_in_channel` for a channel the bot is not a member of. Message timestamps come from `now` (wall-clock
  time by default), so `oldest` windows mean what they mean on Slack.
- `hold(method, when=...)`: the next matching call is carried out (a post is stored) but its answer waits
  until `release()` — the moment between Slack doing something and the caller hearing of it, made reachable
  without timing: `await hold.reached.wait()`, then kill the caller.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

TEAM_ID = "T0HUZZAH"
TEAM_DOMAIN = "huzzah-test"
BOT_USER_ID = "UHUZZAHBOT"
BOT_ID = "BHUZZAH"
_JSON_FIELDS = ("blocks", "view", "attachments", "files", "metadata", "options")


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)
    """When it arrived: a retry's wait can be checked against the Retry-After it was given."""
    peer: Any = None
    """The caller's address and port: calls sharing one TCP connection (one HTTP session) share it."""


@dataclass
class Scripted:
    status: int
    body: dict[str, Any] | None
    headers: dict[str, str]
    times: int


@dataclass
class Hold:
    """One call held between being carried out and being answered (`FakeSlackAPI.hold`)."""

    method: str
    when: Callable[[dict[str, Any]], bool]
    reached: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)
    params: dict[str, Any] = field(default_factory=dict)

    def release(self) -> None:
        self.released.set()


@dataclass
class FakeSlackAPI:
    team_id: str = TEAM_ID
    calls: list[Call] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    """Everything posted to a response_url, each with its `url` added."""
    messages: list[dict[str, Any]] = field(default_factory=list)
    """Messages chat.postMessage accepted, as Slack stores them (with `ts` and the resolved `channel`)."""
    uploads: dict[str, bytes] = field(default_factory=dict)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    """What the app sent back over Socket Mode (acks carrying `envelope_id`)."""
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    locales: dict[str, str] = field(default_factory=dict)
    """Each user's Slack language (`vi-VN`), given by users.info only with include_locale."""
    channels: dict[str, dict[str, Any]] = field(default_factory=dict)
    usergroups: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    """User group id → (handle, member ids), as usergroups.users.list answers."""
    _scripts: dict[str, deque[Scripted]] = field(default_factory=dict)
    _holds: list[Hold] = field(default_factory=list)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    port: int = 0
    _paused: set[str] = field(default_factory=set)
    _resumed: asyncio.Event = field(default_factory=asyncio.Event)
    users_page: int = 1000
    """users.list answers at most this many people a page (Slack's own most); a test lowers it to see pages
    followed."""
    now: Callable[[], float] = time.time
    """Slack's clock, for message timestamps."""
    _last_ts: int = 0

    def __post_init__(self) -> None:
        self.add_user(BOT_USER_ID, "huzzah", real_name="Huzzah", is_bot=True)
        for user_id, name, tz in (
            ("UALICE", "alice", "Europe/London"),
            ("UBOB", "bob", "America/New_York"),
            ("UCAROL", "carol", "Europe/Berlin"),
            ("UDAVE", "dave", "Asia/Tokyo"),
        ):
            self.add_user(user_id, name, tz=tz)
        self.add_user("UOTHERBOT", "deploybot", is_bot=True)
        self.add_user("UGONE", "gone", deleted=True)
        self.add_channel("CSUPPORT", "support", members=["UALICE", "UBOB", "UCAROL", "UDAVE", BOT_USER_ID])
        self.add_channel("CKUDOS", "kudos", members=["UALICE", "UBOB", BOT_USER_ID])
        self.add_channel("CLEADS", "support-leads", members=["UALICE", BOT_USER_ID])

    # ---- the workspace -------------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, *, real_name: str = "", tz: str = "Europe/London",
                 is_bot: bool = False, deleted: bool = False, locale: str = "en-US") -> dict[str, Any]:
        """A user object as users.info returns it (`locale` only when asked with include_locale, as Slack does)."""
        shown = real_name or name.title()
        user = {
            "id": user_id, "team_id": self.team_id, "name": name, "real_name": shown, "deleted": deleted,
            "tz": tz, "tz_label": tz, "tz_offset": 0, "is_bot": is_bot, "is_app_user": False,
            "is_admin": False, "is_owner": False, "updated": 1700000000,
            "profile": {"real_name": shown, "display_name": name, "display_name_normalized": name,
                        "real_name_normalized": shown, "team": self.team_id,
                        "email": f"{name}@example.com"},
        }
        self.users[user_id] = user
        self.locales[user_id] = locale
        return user

    def add_channel(self, channel_id: str, name: str, *, members: list[str] | None = None,
                    is_private: bool = False) -> dict[str, Any]:
        channel = {
            "id": channel_id, "name": name, "name_normalized": name, "is_channel": not is_private,
            "is_group": False, "is_im": False, "is_private": is_private, "is_archived": False,
            "is_member": BOT_USER_ID in (members or []), "created": 1700000000, "context_team_id": self.team_id,
            "members": list(members or []),
        }
        self.channels[channel_id] = channel
        return channel

    # ---- what a test reads and scripts --------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, user_id: str) -> str:
        """A response_url for a payload from `user_id`; what is posted to it is kept in `responses`."""
        return f"http://127.0.0.1:{self.port}/respond/{user_id}/{next(self._counter)}"

    def script(self, method: str, *, status: int = 200, body: dict[str, Any] | None = None,
               headers: dict[str, str] | None = None, times: int = 1) -> None:
        """The next `times` calls of `method` get this answer instead of the normal one."""
        if body is None:
            body = {"ok": False, "error": "ratelimited"} if status == 429 else {"ok": status < 400}
        self._scripts.setdefault(method, deque()).append(Scripted(status, body, headers or {}, times))

    def pause(self, *methods: str) -> None:
        """Keep these methods (`"respond"`: posts to response_urls) from being carried out until `resume()`."""
        self._paused.update(methods)
        self._resumed.clear()

    def resume(self) -> None:
        self._paused.clear()
        self._resumed.set()

    async def _wait_if_paused(self, method: str) -> None:
        if method in self._paused:
            await self._resumed.wait()

    def hold(self, method: str, when: Callable[[dict[str, Any]], bool] = lambda params: True) -> Hold:
        """The next call of `method` whose params match `when` is carried out, then answered only after
        `release()` (a caller killed meanwhile never hears back)."""
        held = Hold(method, when)
        self._holds.append(held)
        return held

    def delivered(self, key: str) -> list[dict[str, Any]]:
        """Stored messages tagged with this outbox delivery key (metadata `huzzah_delivery`)."""
        return [m for m in self.messages if ((m.get("metadata") or {}).get("event_payload") or {}).get("key") == key]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def web_api_calls(self) -> list[str]:
        """Method names called so far, in order."""
        return [c.method for c in self.calls]

    def posts_in(self, channel_id: str) -> list[dict[str, Any]]:
        """chat.postMessage calls that landed in one channel (given by id or #name)."""
        wanted = {channel_id, f"#{self.channels.get(channel_id, {}).get('name', '')}"}
        if channel_id.startswith("D"):
            wanted.add(channel_id[1:])  # a DM posted to the user id
        return [p for p in self.calls_to("chat.postMessage") if p.get("channel") in wanted]

    def ephemerals(self, user_id: str) -> list[dict[str, Any]]:
        """Private answers to one person: chat.postEphemeral calls and ephemeral response_url posts."""
        direct = [p for p in self.calls_to("chat.postEphemeral") if p.get("user") == user_id]
        via_url = [r for r in self.responses if r.get("response_type", "ephemeral") == "ephemeral"
                   and r.get("_user") == user_id]
        return direct + via_url

    def dm_channel(self, user_id: str) -> str:
        return f"D{user_id}"

    def where(self, ref: str) -> str:
        """The conversation a call's `channel` argument names, as Slack resolves it (a user id: the DM with them)."""
        return self._channel_id(ref) or ref

    # ---- serving ------------------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{user}/{n}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return self.base_url

    async def close(self) -> None:
        for held in self._holds:
            held.release()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _respond(self, request: web.Request) -> web.Response:
        await self._wait_if_paused("respond")
        body = await request.json()
        self.responses.append({**body, "url": str(request.url), "_user": request.match_info["user"]})
        return web.Response(text="ok")

    @property
    def socket_connected(self) -> bool:
        return any(not ws.closed for ws in self._sockets)

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        """Push one Socket Mode envelope (`{"envelope_id", "type", "payload", …}`) to the connected app."""
        await next(ws for ws in reversed(self._sockets) if not ws.closed).send_json(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "AHUZZAH"},
                            "debug_info": {"host": "applink-fake", "approximate_connection_time": 18060}})
        async for frame in ws:
            if frame.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(frame.data))
        return ws

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text=f"OK - {len(self.uploads[request.match_info['file_id']])}")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        await self._wait_if_paused(method)
        params = await _params(request)
        peer = request.transport.get_extra_info("peername") if request.transport else None
        self.calls.append(Call(method, params, dict(request.headers), peer=peer))
        queued = self._scripts.get(method)
        if queued:
            scripted = queued[0]
            scripted.times -= 1
            if scripted.times <= 0:
                queued.popleft()
            return web.json_response(scripted.body, status=scripted.status, headers=scripted.headers)
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        body = handler(params) if handler else {"ok": False, "error": "unknown_method"}
        held = next((h for h in self._holds if h.method == method and h.when(params)), None)
        if held is not None:
            self._holds.remove(held)
            held.params = params
            held.reached.set()
            await held.released.wait()
        return web.json_response(body)

    # ---- the methods --------------------------------------------------------------------------------

    def _ts(self) -> str:
        """Slack's message ids: the time, in microseconds, unique within the workspace."""
        self._last_ts = max(int(self.now() * 1_000_000), self._last_ts + 1)
        return f"{self._last_ts // 1_000_000}.{self._last_ts % 1_000_000:06d}"

    def _channel_id(self, ref: str) -> str | None:
        if ref in self.channels or ref.startswith("D"):
            return ref
        if ref in self.users:  # a user id: Slack posts in the app's DM with them
            return self.dm_channel(ref)
        name = ref.lstrip("#")
        return next((c["id"] for c in self.channels.values() if c["name"] == name), None)

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"https://{TEAM_DOMAIN}.slack.com/", "team": "Huzzah Test", "user": "huzzah",
                "team_id": self.team_id, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        if channel.startswith("D") and self.users.get(channel[1:], {}).get("is_bot"):
            return {"ok": False, "error": "cannot_dm_bot"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        ts = self._ts()
        message = {"type": "message", "user": BOT_USER_ID, "bot_id": BOT_ID, "text": params.get("text", ""),
                   "blocks": params.get("blocks", []), "ts": ts, "team": self.team_id}
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        metadata = params.get("metadata")
        if metadata:
            if not isinstance(metadata, dict) or not metadata.get("event_type") or not isinstance(
                    metadata.get("event_payload"), dict):
                return {"ok": False, "error": "invalid_metadata_format"}
            message["metadata"] = {"event_type": metadata["event_type"], "event_payload": metadata["event_payload"]}
        self.messages.append({**message, "channel": channel})
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _readable(self, channel: str) -> dict[str, Any] | None:
        """None when the bot may read this conversation's history; else Slack's error answer."""
        if channel.startswith("D"):
            return None if channel[1:] in self.users else {"ok": False, "error": "channel_not_found"}
        if channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        if BOT_USER_ID not in self.channels[channel]["members"]:
            return {"ok": False, "error": "not_in_channel"}
        return None

    def _page(self, found: list[dict[str, Any]], params: dict[str, Any]) -> dict[str, Any]:
        """One page of `found` (already in Slack's order), as history and replies answer it."""
        wanted_metadata = _flag(params.get("include_all_metadata"))
        oldest, latest = float(params.get("oldest") or 0), float(params.get("latest") or "inf")
        inclusive = _flag(params.get("inclusive"))

        def within(ts: float) -> bool:
            return (oldest <= ts <= latest) if inclusive else (oldest < ts < latest)

        page = _listed("messages", [m for m in found if within(float(m["ts"]))], params)
        page["messages"] = [{k: v for k, v in m.items() if k != "channel" and (k != "metadata" or wanted_metadata)}
                            for m in page["messages"]]
        page["has_more"] = bool(page["response_metadata"]["next_cursor"])
        return page

    def _conversations_history(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        refused = self._readable(channel)
        if refused:
            return refused
        top = [m for m in self.messages if m["channel"] == channel and m.get("thread_ts", m["ts"]) == m["ts"]]
        return self._page(sorted(top, key=lambda m: float(m["ts"]), reverse=True), params)

    def _conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, parent = str(params.get("channel", "")), str(params.get("ts", ""))
        refused = self._readable(channel)
        if refused:
            return refused
        thread = [m for m in self.messages if m["channel"] == channel and parent in (m["ts"], m.get("thread_ts"))]
        if not any(m["ts"] == parent for m in thread):
            return {"ok": False, "error": "thread_not_found"}
        return self._page(sorted(thread, key=lambda m: float(m["ts"])), params)

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel_id(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": channel, "ts": params.get("ts"), "text": params.get("text", ""),
                "message": {"text": params.get("text", ""), "blocks": params.get("blocks", [])}}

    def _chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = self._channel_id(str(params.get("channel", ""))), str(params.get("ts", ""))
        found = next((m for m in self.messages if m["channel"] == channel and m["ts"] == ts), None)
        if found is None:
            return {"ok": False, "error": "message_not_found"}
        self.messages.remove(found)
        return {"ok": True, "channel": channel, "ts": ts}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if self._channel_id(str(params.get("channel", ""))) is None:
            return {"ok": False, "error": "channel_not_found"}
        if params.get("user") not in self.users:
            return {"ok": False, "error": "user_not_in_channel"}
        return {"ok": True, "message_ts": self._ts()}

    def _chat_getPermalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = params.get("channel", ""), str(params.get("message_ts", ""))
        if self._channel_id(channel) is None:
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "channel": channel,
                "permalink": f"https://{TEAM_DOMAIN}.slack.com/archives/{channel}/p{ts.replace('.', '')}"}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users", "")).split(",")
        if len(users) != 1 or users[0] not in self.users:
            return {"ok": False, "error": "user_not_found"}
        if self.users[users[0]]["is_bot"]:
            return {"ok": False, "error": "cannot_dm_bot"}
        return {"ok": True, "channel": {"id": self.dm_channel(users[0])}}

    def _conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel", ""))
        if channel.startswith("D"):
            return {"ok": True, "channel": {"id": channel, "is_im": True, "user": channel[1:]}}
        if channel not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        info = {k: v for k, v in self.channels[channel].items() if k != "members"}
        return {"ok": True, "channel": info}

    def _conversations_list(self, params: dict[str, Any]) -> dict[str, Any]:
        listed = [{k: v for k, v in c.items() if k != "members"} for c in self.channels.values()]
        return {"ok": True, "channels": listed, "response_metadata": {"next_cursor": ""}}

    def _conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self.channels.get(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        return _listed("members", list(channel["members"]), params)

    def _users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        limit = min(int(params.get("limit") or 100), self.users_page)
        return _listed("members", [self._described(u, params) for u in self.users.values()], {**params, "limit": limit})

    def _usergroups_list(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "usergroups": [{"id": g, "handle": h} for g, (h, _) in self.usergroups.items()]}

    def _usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self.usergroups.get(str(params.get("usergroup", "")))
        if group is None:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(group[1])}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user", "")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": self._described(user, params)}

    def _described(self, user: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
        """A user object, with their language only when asked for it (`include_locale`), as Slack does."""
        if str(params.get("include_locale", "")).lower() in ("true", "1"):
            return {**user, "locale": self.locales.get(user["id"], "en-US")}
        return user

    def _view(self, params: dict[str, Any]) -> dict[str, Any]:
        view = params.get("view") or {}
        view_id = params.get("view_id") or f"V{next(self._counter):08d}"
        return {"ok": True, "view": {**view, "id": view_id, "team_id": self.team_id, "hash": self._ts(),
                                     "state": {"values": {}}, "app_id": "AHUZZAH", "bot_id": BOT_ID}}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_arguments"}
        return self._view(params)

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("user_id") not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return self._view(params)

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._view(params)

    def _views_push(self, params: dict[str, Any]) -> dict[str, Any]:
        return self._view(params)

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._counter):08d}"
        return {"ok": True, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = params.get("files") or []
        missing = [f["id"] for f in files if f["id"] not in self.uploads]
        if missing:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title", ""), "name": f.get("title", "")}
                                      for f in files]}


def _listed(name: str, items: list[Any], params: dict[str, Any]) -> dict[str, Any]:
    """One page of a cursor-paged list (conversations.members, users.list): `limit` items from the `cursor`."""
    limit = min(max(int(params.get("limit") or 100), 1), 1000)
    cursor = str(params.get("cursor") or "")
    start = int(cursor.split(":")[1]) if cursor.startswith("offset:") else 0  # a cursor of Slack's own: from the top
    more = start + limit < len(items)
    return {"ok": True, name: items[start:start + limit],
            "response_metadata": {"next_cursor": f"offset:{start + limit}" if more else ""}}


def _flag(value: Any) -> bool:
    """A boolean argument as Slack reads it from a form or a query string."""
    return str(value).lower() in ("1", "true")


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    raw = await request.read()
    if raw:
        if request.content_type == "application/json":
            params.update(json.loads(raw))
        else:
            params.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    for name in _JSON_FIELDS:
        value = params.get(name)
        if isinstance(value, str) and value[:1] in "[{":
            params[name] = json.loads(value)
    return params
