"""`POST /api/messages` on Huzzah's aiohttp server, and the Teams messenger and roster plugged into the core."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter
from botframework.connector.auth import ServiceClientCredentialsFactory

from adapters.msteams.auth import NO_AUTH_WARNING, MsTeamsConfig, authentication
from adapters.msteams.bot import MsTeamsBot
from adapters.msteams.messenger import MsTeamsMessenger
from adapters.msteams.pacing import Pacer, Sleep
from bot.app import Huzzah

log = logging.getLogger(__name__)
ROUTE = "/api/messages"


@dataclass(frozen=True)
class MsTeams:
    config: MsTeamsConfig
    adapter: CloudAdapter
    bot: MsTeamsBot
    messenger: MsTeamsMessenger

    def mount(self, app: web.Application) -> None:
        """Serve Teams on `app`; says loudly when requests will not be authenticated."""
        if not self.config.authenticated:
            log.warning(NO_AUTH_WARNING)
        app[MSTEAMS] = self
        app.router.add_post(ROUTE, messages)


MSTEAMS = web.AppKey("msteams", MsTeams)


def build_msteams(core: Huzzah, config: MsTeamsConfig, *, credentials: ServiceClientCredentialsFactory | None = None,
                pacer: Pacer | None = None, sleep: Sleep = asyncio.sleep) -> MsTeams:
    """Wire botbuilder to the core: the adapter for requests, the messenger and roster for the outbox."""
    adapter = CloudAdapter(authentication(config, credentials))
    messenger = MsTeamsMessenger(adapter, config, core.ctx.db, core.ctx.clock, pacer=pacer, sleep=sleep)
    core.outbox.attach(messenger)
    core.rosters[messenger.platform] = messenger
    return MsTeams(config, adapter, MsTeamsBot(core, messenger), messenger)


async def messages(request: web.Request) -> web.StreamResponse:
    teams = request.app[MSTEAMS]
    if "application/json" not in request.headers.get("Content-Type", ""):
        return web.json_response({"error": "send the activity as application/json"}, status=415)
    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "the body is not JSON"}, status=400)
    if not isinstance(body, dict) or not body.get("type"):
        return web.json_response({"error": "the body is not a Bot Framework activity"}, status=400)
    try:
        response = await teams.adapter.process(request, teams.bot)
    except web.HTTPException as refused:
        return web.Response(status=refused.status)
    return response or web.Response(status=200)
