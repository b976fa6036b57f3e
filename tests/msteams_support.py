"""Driving Huzzah's Teams adapter for real: botbuilder's CloudAdapter behind our aiohttp server, activities in
Microsoft's documented shapes POSTed to /api/messages, replies landing at a fake Bot Connector on loopback."""

from __future__ import annotations

import itertools
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from botframework.connector.auth import AppCredentials, ServiceClientCredentialsFactory

from adapters.msteams.config import Endpoints, MsTeamsConfig
from adapters.msteams.hosting import MsTeams, build_msteams
from adapters.msteams.pacing import Pacer
from bot.app import Huzzah
from huzzah.server import build_web_app
from tests.fakes.bot_connector import FakeBotConnector, Issuer, personal_chat_id

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
APP_ID = "c9e8c047-2a74-40a2-b28a-b162d5f5327c"
BOT = {"id": f"28:{APP_ID}", "name": "Huzzah"}
TEAM_ID = "19:team-support@thread.tacv2"
CHANNEL_ID = "19:support-general@thread.tacv2"
KUDOS_CHANNEL = "19:kudos@thread.tacv2"
_ids = itertools.count(1_700_000_000_000)


def user(name: str) -> dict[str, str]:
    return {"id": f"29:1{name.lower()}-teams-id", "name": name,
            "aadObjectId": f"00000000-0000-0000-0000-{zlib.crc32(name.encode()):012d}"}


def mention(account: dict[str, str]) -> dict[str, Any]:
    return {"type": "mention", "text": f"<at>{account['name']}</at>",
            "mentioned": {"id": account["id"], "name": account["name"]}}


def _base(service_url: str, sender: dict[str, str]) -> dict[str, Any]:
    return {
        "id": str(next(_ids)), "timestamp": "2026-11-16T09:00:00.000Z", "localTimezone": "Europe/London",
        "serviceUrl": service_url, "channelId": "msteams", "from": sender, "recipient": BOT, "locale": "en-GB",
    }


def channel_message(service_url: str, sender: dict[str, str], text: str, mentioned: list[dict[str, str]],
                    channel: str = CHANNEL_ID) -> dict[str, Any]:
    """A message in a team channel; the bot only hears it because it is @mentioned."""
    activity = _base(service_url, sender)
    activity.update({
        "type": "message", "textFormat": "plain", "text": text,
        "conversation": {"isGroup": True, "conversationType": "channel", "id": f"{channel};messageid={activity['id']}",
                         "tenantId": TENANT},
        "entities": [mention(m) for m in mentioned] + [{"type": "clientInfo", "locale": "en-GB", "platform": "Web"}],
        "channelData": {"teamsChannelId": channel, "teamsTeamId": TEAM_ID, "channel": {"id": channel},
                        "team": {"id": TEAM_ID}, "tenant": {"id": TENANT}},
    })
    return activity


def personal_conversation(sender: dict[str, str]) -> str:
    return personal_chat_id(sender["id"])


def personal_message(service_url: str, sender: dict[str, str], text: str,
                     mentioned: list[dict[str, str]] = ()) -> dict[str, Any]:  # type: ignore[assignment]
    activity = _base(service_url, sender)
    activity.update({
        "type": "message", "textFormat": "plain", "text": text,
        "conversation": {"conversationType": "personal", "id": personal_conversation(sender), "tenantId": TENANT},
        "entities": [mention(m) for m in mentioned],
        "channelData": {"tenant": {"id": TENANT}},
    })
    return activity


def card_submit(service_url: str, sender: dict[str, str], conversation: str, reply_to: str,
                value: dict[str, Any]) -> dict[str, Any]:
    """What Teams sends when someone presses an Action.Submit on a card: the data merged with the inputs."""
    activity = _base(service_url, sender)
    personal = not conversation.startswith("19:")
    activity.update({
        "type": "message", "replyToId": reply_to, "value": value,
        "conversation": {"conversationType": "personal" if personal else "channel", "id": conversation,
                         "tenantId": TENANT, **({} if personal else {"isGroup": True})},
        "channelData": {"tenant": {"id": TENANT}, "source": {"name": "message"}},
    })
    return activity


def bot_added_to_team(service_url: str, sender: dict[str, str]) -> dict[str, Any]:
    """`conversationUpdate` with the bot among `membersAdded`: the app was added to a team."""
    activity = _base(service_url, sender)
    activity.update({
        "type": "conversationUpdate", "membersAdded": [{"id": BOT["id"]}],
        "conversation": {"isGroup": True, "conversationType": "channel", "id": TEAM_ID, "tenantId": TENANT},
        "channelData": {"team": {"id": TEAM_ID, "name": "Support"}, "eventType": "teamMemberAdded",
                        "tenant": {"id": TENANT}},
    })
    return activity


def installed_personally(service_url: str, sender: dict[str, str]) -> dict[str, Any]:
    activity = _base(service_url, sender)
    activity.update({
        "type": "installationUpdate", "action": "add",
        "conversation": {"conversationType": "personal", "id": personal_conversation(sender), "tenantId": TENANT},
        "channelData": {"tenant": {"id": TENANT}, "source": None},
    })
    return activity


def roster_entry(account: dict[str, str]) -> dict[str, Any]:
    """A TeamsChannelAccount as the roster API returns it."""
    return {**account, "givenName": account["name"], "surname": "", "email": f"{account['name'].lower()}@contoso.com",
            "userPrincipalName": f"{account['name'].lower()}@contoso.com", "tenantId": TENANT, "userRole": "user"}


class FakeTime:
    """Monotonic time for the pacer and retry backoff that moves only when slept on: no test waits."""

    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += max(seconds, 0.0)


class _IssuedToken(AppCredentials):
    def __init__(self, app_id: str, token: str) -> None:
        super().__init__(app_id=app_id)
        self._token = token

    def get_access_token(self, force_refresh: bool = False) -> str:
        return self._token


class IssuerCredentials(ServiceClientCredentialsFactory):
    """Outbound tokens from the fake issuer (MSAL will not talk to plain-http loopback)."""

    def __init__(self, issuer: Issuer, app_id: str) -> None:
        self.issuer = issuer
        self.app_id = app_id
        self.made = 0

    async def is_valid_app_id(self, app_id: str) -> bool:
        return app_id == self.app_id

    async def is_authentication_disabled(self) -> bool:
        return False

    async def create_credentials(self, app_id: str, oauth_scope: str, login_endpoint: str,
                                 validate_authority: bool) -> AppCredentials:
        self.made += 1
        return _IssuedToken(app_id, self.issuer.token(oauth_scope, ""))


@dataclass
class MsTeamsWorld:
    core: Huzzah
    connector: FakeBotConnector
    msteams: MsTeams
    url: str
    http: aiohttp.ClientSession
    time: FakeTime
    runner: web.AppRunner
    credentials: IssuerCredentials | None = None
    members: list[dict[str, str]] = field(default_factory=list)

    def __repr__(self) -> str:  # Hypothesis prints the fixtures of a failing example: keep it to one line
        return f"MsTeamsWorld({self.url})"

    @property
    def service_url(self) -> str:
        return self.connector.url + "/"

    async def send(self, activity: dict[str, Any], *, token: str | None = None) -> int:
        """POST an activity as the Bot Connector would; returns the HTTP status, after the outbox ran."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.http.post(f"{self.url}/api/messages", json=activity, headers=headers) as response:
            status = response.status
        await self.msteams.bot.settle()
        await self.core.outbox.drain()
        return status


async def start_world(core: Huzzah, *, app_id: str = "") -> MsTeamsWorld:
    connector = FakeBotConnector()
    await connector.start()
    assert connector.issuer
    endpoints = Endpoints(
        openid_metadata_url=connector.issuer.metadata_url, token_issuer=connector.issuer.name,
        login_url=f"{connector.url}/login", oauth_scope=APP_ID if app_id else "https://api.botframework.com",
    )
    config = MsTeamsConfig(app_id=app_id, app_password="secret" if app_id else "", endpoints=endpoints)
    time = FakeTime()
    credentials = IssuerCredentials(connector.issuer, app_id) if app_id else None
    msteams = build_msteams(core, config, credentials=credentials, pacer=Pacer(now=time.now, sleep=time.sleep),
                        sleep=time.sleep)
    core.plug(msteams.platform())
    runner = web.AppRunner(build_web_app(core))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return MsTeamsWorld(core, connector, msteams, f"http://127.0.0.1:{port}", aiohttp.ClientSession(), time, runner,
                      credentials)


async def stop_world(world: MsTeamsWorld) -> None:
    await world.http.close()
    await world.runner.cleanup()
    await world.connector.close()


def world_fixture(name: str, *, app_id: str = "") -> Any:
    """A fixture giving a running MsTeamsWorld (with authentication on when `app_id` is given).

    Assign it in a test module under the same name: `msteams = world_fixture("msteams")`.
    """

    @pytest.fixture(name=name)
    async def world(core: Huzzah) -> AsyncIterator[MsTeamsWorld]:
        running = await start_world(core, app_id=app_id)
        yield running
        await stop_world(running)

    return world
