"""`huzzah serve`: one aiohttp server for every platform, plus the outbox worker.

Routes: GET /healthz here; POST /slack/events and POST /api/messages are mounted by their adapters.
"""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web

from bot.app import Huzzah
from bot.config import Settings
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
    app = web.Application()
    app[CORE] = core
    app.router.add_get("/healthz", healthz)
    return app


async def serve(settings: Settings, host: str, port: int) -> int:
    async with running_core(settings) as core:
        app = build_web_app(core)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        log.info("Huzzah is listening on http://%s:%d", host, port)
        stop = asyncio.Event()
        try:
            await core.outbox.run(stop)
        finally:
            stop.set()
            await runner.cleanup()
    return 0
