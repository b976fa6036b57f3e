"""`huzzah serve`: one aiohttp server for every platform, plus the scheduler and the outbox worker.

Routes: GET /healthz here; every plugged platform's own routes (Slack: POST /slack/events; Teams: POST
/api/messages).
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.app import Huzzah
from bot.config import Settings
from bot.platform import Receiving
from huzzah.scheduler import run_scheduler
from huzzah.wiring import running_core

log = logging.getLogger(__name__)
CORE = web.AppKey("core", Huzzah)


async def healthz(request: web.Request) -> web.Response:
    try:
        await request.app[CORE].ctx.db.ping()
    except Exception as exc:
        return web.json_response({"status": "unavailable", "reason": f"database: {type(exc).__name__}"}, status=503)
    return web.json_response({"status": "ok"})


def build_web_app(core: Huzzah) -> web.Application:
    """The health check and the routes of every platform plugged into `core`."""
    app = web.Application()
    app[CORE] = core
    app.router.add_get("/healthz", healthz)
    for platform in core.platforms.values():
        for route in platform.routes:
            app.router.add_route(route.method, route.path, route.handler)
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
    from huzzah.platforms import configured, connect

    receiving: Receiving = "socket" if socket_mode else "http"
    chosen = configured(os.environ, receiving)  # stops on a missing secret before anything starts
    async with running_core(settings) as core:
        platforms = connect(core, chosen)
        async with listening(build_web_app(core), host, port) as bound:
            routes = ", ".join(f"{r.method} {r.path}" for p in platforms for r in p.routes) or "no routes"
            log.info("Huzzah is listening on http://%s:%d (%s; platforms: %s)", host, bound, routes,
                     ", ".join(p.name for p in platforms) or "none")
            stop = asyncio.Event()
            try:
                for platform in platforms:
                    if platform.start is not None:
                        await platform.start()
                await run_scheduler(core, stop)
            finally:
                stop.set()
                for platform in platforms:
                    if platform.stop is not None:
                        await platform.stop()
    return 0
