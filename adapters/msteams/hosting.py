"""Microsoft Teams as a platform: `POST /api/messages` through botbuilder's CloudAdapter, and the messenger
and roster that reach people proactively.

Secure by default: Teams is on only with MICROSOFT_APP_ID, and then every activity must carry a Bot
Framework token for this app and the service URL it names. Without an app id there is no route at all
(404): an open endpoint lets anyone act as any user, and makes Huzzah call whatever `serviceUrl` an
activity names. The one exception is `huzzah serve --teams-emulator` (`connector.EMULATOR`), for the Bot Framework
Emulator on one's own machine, which the server binds to 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core.serializer_helper import serializer_helper
from botbuilder.integration.aiohttp import CloudAdapter
from botframework.connector.auth import ServiceClientCredentialsFactory

from adapters.msteams import inbound
from adapters.msteams.auth import GuardedAuthentication, authentication
from adapters.msteams.bot import MsTeamsBot
from adapters.msteams.config import NO_AUTH_WARNING, PLATFORM, MsTeamsConfig
from adapters.msteams.messenger import MsTeamsMessenger
from adapters.msteams.pacing import Pacer, Sleep
from adapters.shapes import Malformed, media_type, parse_json
from bot.failures import log_failure
from bot.platform import Core, Platform, Route

log = logging.getLogger(__name__)
ROUTE = "/api/messages"


@dataclass(frozen=True)
class MsTeams:
    config: MsTeamsConfig
    adapter: CloudAdapter
    authentication: GuardedAuthentication
    bot: MsTeamsBot
    messenger: MsTeamsMessenger

    def platform(self) -> Platform:
        """Teams as the core and the server see it; says loudly when requests will not be authenticated."""
        if not self.config.authenticated:
            log.warning(NO_AUTH_WARNING)
        return Platform(name=PLATFORM, messenger=self.messenger, roster=self.messenger,
                        routes=(Route("POST", ROUTE, self.messages),), stop=self.bot.settle)

    async def messages(self, request: web.Request) -> web.StreamResponse:
        """POST /api/messages: with an app id, the token is checked before the body is even read; then the
        body is parsed and checked (`inbound`), and only then does botbuilder run the turn."""
        auth_header = request.headers.get("Authorization", "")
        if self.config.authenticated:
            try:
                await self.authentication.check_token(auth_header)
            except PermissionError:
                log.info("refused a Teams request: no valid Bot Framework token")
                return web.json_response({"error": "unauthorized"}, status=401)
        if media_type(request.headers) != "application/json":
            return web.json_response({"error": "send the activity as application/json"}, status=415)
        try:
            activity = inbound.activity_of(parse_json(await request.read()))
        except Malformed as problem:
            log.warning("refused a Teams activity that cannot be read: %s", problem)
            return web.json_response({"error": f"unreadable activity: {problem}"}, status=400)
        try:
            invoked = await self.adapter.process_activity(auth_header, activity, self.bot.on_turn)
        except PermissionError:  # e.g. a token issued for another service URL than the activity's
            return web.json_response({"error": "unauthorized"}, status=401)
        except Exception as exc:  # a bug of ours, not the request's: one line, no traceback
            log_failure(log, f"a Teams {activity.type} activity", exc)
            return web.json_response({"error": "internal error"}, status=500)
        if invoked is not None:  # the message action's answers are plain JSON already
            body = invoked.body if isinstance(invoked.body, dict) or invoked.body is None else serializer_helper(
                invoked.body)
            return web.json_response(body, status=int(invoked.status))
        return web.Response(status=201)


def build_msteams(core: Core, config: MsTeamsConfig, *, credentials: ServiceClientCredentialsFactory | None = None,
                  pacer: Pacer | None = None, sleep: Sleep = asyncio.sleep) -> MsTeams:
    """Wire botbuilder to the core: the adapter for requests, the messenger and roster for the outbox."""
    guarded = authentication(config, credentials)
    adapter = CloudAdapter(guarded)
    messenger = MsTeamsMessenger(adapter, config, core.conversations(PLATFORM), pacer=pacer, sleep=sleep,
                                 metrics=core.metrics)
    return MsTeams(config, adapter, guarded, MsTeamsBot(core, messenger), messenger)
