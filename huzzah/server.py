"""`huzzah serve`: one aiohttp server for every platform, plus the scheduler and the outbox worker.

Routes: GET /healthz here; POST /slack/events and POST /api/messages are mounted by their adapters.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager

from aiohttp import web

from bot.app import Huzzah
from bot.config import Settings
from huzzah.scheduler import run_scheduler
from huzzah.wiring import running_core

log = logging.getLogger(__name__)
CORE = web.AppKey("core", Huzzah)
Mount = Callable[[web.Application], None]
"""An adapter adding its routes (Slack: POST /slack/events; Teams: POST /api/messages)."""


async def healthz(request: web.Request) -> web.Response:
    try:
        await request.app[CORE].ctx.db.ping()
    except Exception as exc:
        return web.json_response({"status": "unavailable", "reason": f"database: {type(exc).__name__}"}, status=503)
    return web.json_response({"status": "ok"})


def build_web_app(core: Huzzah, mounts: Iterable[Mount] = ()) -> web.Application:
    app = web.Application()
    app[CORE] = core
    app.router.add_get("/healthz", healthz)
    for mount in mounts:
        mount(app)
    return app


@asynccontextmanager
async def listening(app: web.Application, host: str, port: int) -> AsyncIterator[int]:
    """Serve `app` until the block ends; yields the port (pass 0 for any free one)."""
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def serve(settings: Settings, host: str, port: int, *, socket_mode: bool = False) -> int:
    from huzzah.platforms import PlatformSettings, connect

    platform_settings = PlatformSettings.from_env(socket_mode=socket_mode)  # stops on a missing secret first
    async with running_core(settings) as core:
        platforms = connect(core, platform_settings)
        slack = platforms.slack
        mounts = [slack.mount] if slack and not socket_mode else []
        mounts.append(platforms.teams.mount)
        async with listening(build_web_app(core, mounts), host, port) as bound:
            log.info("Huzzah is listening on http://%s:%d (Slack: %s)", host, bound,
                     "off" if slack is None else "Socket Mode" if socket_mode else "POST /slack/events")
            socket = await slack.connect_socket_mode() if slack and socket_mode else None
            stop = asyncio.Event()
            try:
                await run_scheduler(core, stop)
            finally:
                stop.set()
                if socket is not None:
                    await socket.close_async()
    return 0
