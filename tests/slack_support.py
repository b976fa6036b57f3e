"""Drive Huzzah's real `huzzah serve` web app the way Slack does: signed HTTP requests in, Web API calls out.

The `slack` fixture (registered for every test through `pytest_plugins` in tests/conftest.py) starts
the fake Slack Web API (tests/fakes/slack_api.py), then the real server from `huzzah/server.py` with the
Slack adapter mounted, on 127.0.0.1 with an ephemeral port, plus the outbox worker — on the parametrized
`db` (SQLite and PostgreSQL) and the `clock`/`settings`/`core` fixtures of conftest. A test then does:

    async def test_something(slack: SlackHarness) -> None:
        status, _ = await slack.command("<@UBOB> thanks for the save #ownership", user="UALICE")
        await slack.settle()                      # listeners finished, outbox delivered what was due
        assert slack.api.posts_in("CKUDOS")       # what reached the Web API
        assert slack.api.ephemerals("UALICE")     # what only the actor saw (response_url or postEphemeral)

Requests: `command(text)`, `event(event_dict, event_id=..., retry=n)`, `interact(payload)` sign for you;
`post(body, content_type, headers)` sends exactly what you built (use `signed_headers` or none at all).
Payload builders (`slash_command`, `app_mention`, `reaction_added`, `app_home_opened`, `block_actions`,
`view_submission`, `message_action`) follow the shapes in Slack's documentation. `settle()` polls with a
timeout (no sleeps-as-assertions). People and channels of the fake workspace: UALICE, UBOB, UCAROL,
UDAVE (people), UOTHERBOT (a bot), UGONE (deactivated); CSUPPORT (#support), CKUDOS (#kudos), CLEADS.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from sqlalchemy import func, or_, select

from adapters.slack.app import EVENTS_PATH, SlackAdapter
from adapters.slack.config import SlackConfig
from bot.app import Huzzah
from huzzah.server import build_web_app, listening
from storage.tables.delivery import outbox
from tests.fakes.slack_api import BOT_USER_ID, TEAM_DOMAIN, TEAM_ID, FakeSlackAPI

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
_ids = itertools.count(1)
PATIENCE = 60.0
"""Seconds `settle` and `wait_for` wait before failing: a safety net for a busy machine, never a measurement."""


def _next() -> int:
    return next(_ids)


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """X-Slack-Signature and X-Slack-Request-Timestamp exactly as Slack makes them (v0 HMAC-SHA256)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Signature": f"v0={digest}", "X-Slack-Request-Timestamp": ts}


def trigger_id() -> str:
    return f"{_next()}.738474920.8088930838d88f008e0"


# ---- payloads, in the shapes of Slack's documentation --------------------------------------------------

def slash_command(text: str, *, user: str = "UALICE", user_name: str = "alice", channel: str = "CSUPPORT",
                  channel_name: str = "support", response_url: str = "", command: str = "/huzzah") -> dict[str, str]:
    return {
        "token": "gIkuvaNzQIHg97ATvDxqgjtO", "team_id": TEAM_ID, "team_domain": TEAM_DOMAIN,
        "channel_id": channel, "channel_name": channel_name, "user_id": user, "user_name": user_name,
        "command": command, "text": text, "api_app_id": "AHUZZAH", "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": trigger_id(),
    }


def event_callback(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    return {
        "token": "XXYYZZ", "team_id": TEAM_ID, "api_app_id": "AHUZZAH", "event": event, "type": "event_callback",
        "event_id": event_id or f"Ev{_next():08d}", "event_time": int(time.time()),
        "authorizations": [{"enterprise_id": None, "team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True,
                            "is_enterprise_install": False}],
        "is_ext_shared_channel": False, "event_context": "4-eyJldCI6ImFwcF9tZW50aW9uIn0",
    }


def message_ts() -> str:
    return f"1763280000.{_next():06d}"


def app_mention(text: str, *, user: str = "UALICE", channel: str = "CSUPPORT", ts: str = "") -> dict[str, Any]:
    ts = ts or message_ts()
    return {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": channel, "event_ts": ts,
            "team": TEAM_ID, "client_msg_id": f"{_next():08d}-ab12-cd34-ef56-000000000000"}


def direct_message(text: str, *, user: str = "UALICE") -> dict[str, Any]:
    ts = message_ts()
    return {"type": "message", "channel": f"D{user}", "user": user, "text": text, "ts": ts, "event_ts": ts,
            "channel_type": "im", "team": TEAM_ID}


def reaction_added(*, user: str, item_user: str, reaction: str = "tada", channel: str = "CSUPPORT",
                   ts: str = "") -> dict[str, Any]:
    return {"type": "reaction_added", "user": user, "reaction": reaction, "item_user": item_user,
            "item": {"type": "message", "channel": channel, "ts": ts or message_ts()}, "event_ts": message_ts()}


def app_home_opened(user: str = "UALICE") -> dict[str, Any]:
    return {"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home",
            "event_ts": message_ts()}


def _user(user: str, name: str) -> dict[str, str]:
    return {"id": user, "username": name, "name": name, "team_id": TEAM_ID}


def _channel_name(channel: str) -> str:
    """The name Slack puts in interactivity payloads: the channel's, or `directmessage` in a DM."""
    known = {"CSUPPORT": "support", "CKUDOS": "kudos", "CLEADS": "support-leads"}
    return "directmessage" if channel.startswith("D") else known.get(channel, "privategroup")


def block_actions(*, user: str, name: str, action_id: str, value: str, channel: str, message: dict[str, Any],
                  response_url: str) -> dict[str, Any]:
    """A button press on a message the bot posted (`message` as chat.postMessage returned it)."""
    return {
        "type": "block_actions", "user": _user(user, name), "api_app_id": "AHUZZAH", "token": "9s8d9as89d8as9d8as989",
        "container": {"type": "message", "message_ts": message["ts"], "channel_id": channel, "is_ephemeral": False},
        "trigger_id": trigger_id(), "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN}, "enterprise": None,
        "is_enterprise_install": False, "channel": {"id": channel, "name": _channel_name(channel)}, "message": message,
        "state": {"values": {}}, "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "b1", "text": {"type": "plain_text", "text": "x"},
                     "value": value, "type": "button", "action_ts": f"{time.time():.6f}"}],
    }


def message_action(*, user: str, name: str, author: str, channel: str = "CSUPPORT", text: str = "fixed it",
                   response_url: str = "", callback_id: str = "kudos.give") -> dict[str, Any]:
    ts = message_ts()
    return {
        "type": "message_action", "token": "Nj2rfC2hU8mAfgaJLemZgO7H", "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN}, "user": _user(user, name),
        "channel": {"id": channel, "name": "support"}, "is_enterprise_install": False, "enterprise": None,
        "callback_id": callback_id, "trigger_id": trigger_id(), "response_url": response_url, "message_ts": ts,
        "message": {"client_msg_id": "3ae6ad06-1111-2222-3333-444455556666", "type": "message", "text": text,
                    "user": author, "ts": ts, "team": TEAM_ID},
    }


def view_submission(view: dict[str, Any], values: dict[str, str | tuple[str, ...]], *, user: str,
                    name: str) -> dict[str, Any]:
    """Submit a modal the bot opened (`view` as views.open/update received it) with these field values."""
    state: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind, given = element["type"], values.get(element["action_id"])
        if kind == "plain_text_input":
            answer: dict[str, Any] = {"type": kind, "value": given}
        else:
            options = {o["value"]: o for o in element.get("options", [])}
            chosen = (given,) if isinstance(given, str) else tuple(given or ())
            picked = [options[v] for v in chosen]
            if kind == "static_select":
                answer = {"type": kind, "selected_option": picked[0] if picked else None}
            else:
                answer = {"type": kind, "selected_options": picked}
        state[block["block_id"]] = {element["action_id"]: answer}
    return {
        "type": "view_submission", "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN}, "user": _user(user, name),
        "api_app_id": "AHUZZAH", "token": "tESFkfNj2cv9SaMjwMTD2Tnd", "trigger_id": trigger_id(),
        "view": {**view, "id": view.get("id", "VMHU10V25"), "team_id": TEAM_ID, "state": {"values": state},
                 "hash": view.get("hash", "156772938.1827394"), "app_id": "AHUZZAH", "bot_id": "BHUZZAH"},
        "response_urls": [], "is_enterprise_install": False, "enterprise": None,
    }


# ---- the harness ----------------------------------------------------------------------------------------

@dataclass
class SlackHarness:
    api: FakeSlackAPI
    core: Huzzah
    adapter: SlackAdapter
    base_url: str
    http: aiohttp.ClientSession
    sent: list[tuple[int, str]] = field(default_factory=list)

    def __repr__(self) -> str:  # Hypothesis prints the fixtures of a failing example: keep it to one line
        return f"SlackHarness({self.base_url})"

    @property
    def events_url(self) -> str:
        return self.base_url + EVENTS_PATH

    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
        """Send exactly this body with exactly these headers; returns (status, response text)."""
        async with self.http.post(self.events_url, data=body.encode(),
                                  headers={"Content-Type": content_type, **(headers or {})}) as resp:
            answer = (resp.status, await resp.text())
        self.sent.append(answer)
        return answer

    async def signed(self, body: str, content_type: str, extra: dict[str, str] | None = None) -> tuple[int, str]:
        return await self.post(body, content_type, {**signed_headers(body), **(extra or {})})

    async def command(self, text: str, *, user: str = "UALICE", user_name: str = "alice",
                      channel: str = "CSUPPORT", channel_name: str = "support") -> tuple[int, str]:
        form = slash_command(text, user=user, user_name=user_name, channel=channel, channel_name=channel_name,
                             response_url=self.api.response_url(user))
        return await self.signed(urlencode(form), FORM)

    async def event(self, event: dict[str, Any], *, event_id: str | None = None, retry: int = 0,
                    body: dict[str, Any] | None = None) -> tuple[int, str]:
        """Deliver an Events API event; `retry=n` adds Slack's retry headers (same body, same event_id)."""
        payload = json.dumps(body or event_callback(event, event_id=event_id))
        extra = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else {}
        return await self.signed(payload, JSON, extra)

    async def interact(self, payload: dict[str, Any]) -> tuple[int, str]:
        """Deliver an interactivity payload (block_actions, view_submission, message_action)."""
        return await self.signed(urlencode({"payload": json.dumps(payload)}), FORM)

    async def settle(self, timeout: float = PATIENCE) -> None:
        """Wait until every listener finished its work and the outbox delivered everything due now."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            if self.adapter.busy == 0 and await self._due() == 0:
                return
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(f"not settled after {timeout}s: {self.adapter.busy} listeners busy, "
                                     f"{await self._due()} deliveries due")
            await asyncio.sleep(0.02)

    async def wait_for(self, condition: Any, timeout: float = PATIENCE) -> None:
        """Poll `condition()` (sync) until true."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not condition():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("condition not met in time")
            await asyncio.sleep(0.02)

    async def _due(self) -> int:
        """Deliveries due now that this harness's outbox worker can deliver: one for a platform not plugged in
        here waits for ever, and waiting on it would only run `settle` into its timeout."""
        now = self.core.ctx.clock.now()
        reachable = or_(outbox.c.platform.is_(None), outbox.c.platform.in_(list(self.core.platforms)))
        async with self.core.ctx.db.transaction() as conn:
            return (await conn.execute(
                select(func.count()).select_from(outbox)
                .where(outbox.c.status == "pending", outbox.c.not_before <= now, reachable)
            )).scalar_one()


@pytest.fixture
async def fake_slack_api() -> AsyncIterator[FakeSlackAPI]:
    api = FakeSlackAPI()
    await api.start()
    yield api
    await api.close()


@contextlib.asynccontextmanager
async def serving(core: Huzzah, api: FakeSlackAPI) -> AsyncIterator[SlackHarness]:
    """The real `huzzah serve` web app with Slack mounted, on an ephemeral port, wired to the fake Web API,
    with its outbox worker running until the block ends (as if the process stopped)."""
    adapter = SlackAdapter(core, SlackConfig(BOT_TOKEN, SIGNING_SECRET, api.base_url))
    core.plug(adapter.platform())
    stop = asyncio.Event()
    async with listening(build_web_app(core), "127.0.0.1", 0) as port:
        worker = asyncio.create_task(core.outbox.run(stop))
        async with aiohttp.ClientSession() as http:
            harness = SlackHarness(api, core, adapter, f"http://127.0.0.1:{port}", http)
            try:
                yield harness
            finally:
                with contextlib.suppress(AssertionError):
                    await harness.settle(timeout=5)
                stop.set()
                await worker
                await adapter.client.close()


@pytest.fixture
async def slack(core: Huzzah, fake_slack_api: FakeSlackAPI) -> AsyncIterator[SlackHarness]:
    """`serving` for one test's core and fake Slack."""
    async with serving(core, fake_slack_api) as harness:
        yield harness
