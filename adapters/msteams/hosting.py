"""Microsoft Teams as a platform: `POST /api/messages` through botbuilder's CloudAdapter, and the messenger
and roster that reach people proactively.

Secure by default: Teams is on only with MICROSOFT_APP_ID, and then every activity must carry a Bot
Framework token for this app and the service URL it names. Without an app id there is no route at all
(404): an open endpoint lets anyone act as any user, and makes Huzzah call whatever `serviceUrl` an
activity names. The one exception is `huzzah serve --teams-emulator` (`EMULATOR`), for the Bot Framework
Emulator on one's own machine, which the server binds to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from botframework.connector.auth import ServiceClientCredentialsFactory

from adapters.msteams.auth import NO_AUTH_WARNING, MsTeamsConfig, authentication
from adapters.msteams.bot import MsTeamsBot
from adapters.msteams.messenger import MsTeamsMessenger
from adapters.msteams.pacing import Pacer, Sleep
from adapters.msteams.translate import PLATFORM
from bot.config import ConfigError
from bot.platform import Connector, Core, Platform, Receiving, Route

log = logging.getLogger(__name__)
ROUTE = "/api/messages"


@dataclass(frozen=True)
class MsTeams:
    config: MsTeamsConfig
    adapter: CloudAdapter
    bot: MsTeamsBot
    messenger: MsTeamsMessenger

    def platform(self) -> Platform:
        """Teams as the core and the server see it; says loudly when requests will not be authenticated."""
        if not self.config.authenticated:
            log.warning(NO_AUTH_WARNING)
        return Platform(name=PLATFORM, messenger=self.messenger, roster=self.messenger,
                        routes=(Route("POST", ROUTE, self.messages),), stop=self.bot.settle)

    async def messages(self, request: web.Request) -> web.StreamResponse:
        if "application/json" not in request.headers.get("Content-Type", ""):
            return web.json_response({"error": "send the activity as application/json"}, status=415)
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"error": "the body is not JSON"}, status=400)
        if not isinstance(body, dict) or not body.get("type"):
            return web.json_response({"error": "the body is not a Bot Framework activity"}, status=400)
        try:
            response = await self.adapter.process(request, self.bot)
        except web.HTTPException as refused:
            return web.Response(status=refused.status)
        return response or web.Response(status=200)


def build_msteams(core: Core, config: MsTeamsConfig, *, credentials: ServiceClientCredentialsFactory | None = None,
                  pacer: Pacer | None = None, sleep: Sleep = asyncio.sleep) -> MsTeams:
    """Wire botbuilder to the core: the adapter for requests, the messenger and roster for the outbox."""
    adapter = CloudAdapter(authentication(config, credentials))
    messenger = MsTeamsMessenger(adapter, config, core.conversations(PLATFORM), pacer=pacer, sleep=sleep)
    return MsTeams(config, adapter, MsTeamsBot(core, messenger), messenger)


def configure(env: Mapping[str, str], receiving: Receiving) -> MsTeamsConfig | None:
    """Teams with authentication, when MICROSOFT_APP_ID is set; None (off: no route, nothing sent) without."""
    config = MsTeamsConfig.from_env(env)
    config.check()  # a password or an app type without the app id is a mistake to name, not "off"
    return config if config.authenticated else None


def configure_emulator(env: Mapping[str, str], receiving: Receiving) -> MsTeamsConfig:
    """Teams without authentication, for the Bot Framework Emulator (`serve --teams-emulator`)."""
    config = MsTeamsConfig.from_env(env)
    if config.authenticated:
        raise ConfigError("--teams-emulator is for trying Teams without MICROSOFT_APP_ID, and it is set — "
                          "drop the flag (or unset MICROSOFT_APP_ID)")
    config.check()
    return config


def build(core: Core, config: MsTeamsConfig) -> Platform:
    return build_msteams(core, config).platform()


CONNECTOR = Connector(PLATFORM, configure, build)
EMULATOR = Connector(PLATFORM, configure_emulator, build)
"""Teams switched on unauthenticated: only the composition root picks it, for `serve --teams-emulator`."""
