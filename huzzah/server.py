"""`huzzah serve`: one aiohttp server for every platform, plus the scheduler and the outbox worker.

Routes: GET /healthz here; every plugged platform's own routes (Slack: POST /slack/events; Teams: POST
/api/messages).

Stopping (SIGTERM, SIGINT; `huzzah.lifecycle`), in this order, within the shutdown timeout: stop accepting
connections and let the requests in flight finish (each one's acknowledgement only goes out once its work is
in the inbox); run each platform's `stop` (Socket Mode closes, the work behind the requests already
acknowledged finishes); the outbox finishes the deliveries it has claimed and claims no more, the scheduler
finishes its tick; the database closes; exit 0.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.app import Huzzah
from bot.config import Settings
from bot.limits import SHUTDOWN_SECONDS
from bot.platform import Platform, Receiving
from huzzah.lifecycle import Step, StopSignals, stop_in_order
from huzzah.scheduler import Background
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
async def listening(app: web.Application, host: str, port: int,
                    shutdown_timeout: float = SHUTDOWN_SECONDS) -> AsyncIterator[int]:
    """Serve `app` until the block ends; yields the port (pass 0 for any free one). Ending it stops accepting
    and waits up to `shutdown_timeout` for the requests in flight."""
    runner = web.AppRunner(app, shutdown_timeout=shutdown_timeout)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    try:
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


def stopping_steps(platforms: list[Platform], background: Background) -> list[Step]:
    """What a process does to stop, after it stopped accepting requests (shared with `huzzah scheduler`)."""
    steps: list[Step] = [(f"{p.name}: finishing what was acknowledged", p.stop) for p in platforms
                         if p.stop is not None]
    steps.append(("outbox and scheduler: finishing the deliveries claimed and the tick in progress",
                  background.stop))
    return steps


async def serve(settings: Settings, host: str, port: int, *, socket_mode: bool = False,
                shutdown_timeout: float = SHUTDOWN_SECONDS) -> int:
    from huzzah.platforms import configured, connect

    receiving: Receiving = "socket" if socket_mode else "http"
    chosen = configured(os.environ, receiving)  # stops on a missing secret before anything starts
    with StopSignals() as signals:
        async with running_core(settings) as core:
            platforms = connect(core, chosen)
            runner = web.AppRunner(build_web_app(core), shutdown_timeout=shutdown_timeout)
            await runner.setup()
            background = Background(core)
            try:
                if signals.requested.is_set():  # asked to stop while migrating: never start accepting
                    return 0
                await web.TCPSite(runner, host, port).start()
                routes = ", ".join(f"{r.method} {r.path}" for p in platforms for r in p.routes) or "no routes"
                log.info("Huzzah is listening on http://%s:%d (%s; platforms: %s)", host, runner.addresses[0][1],
                         routes, ", ".join(p.name for p in platforms) or "none")
                background.start()
                for platform in platforms:
                    if platform.start is not None:
                        await platform.start()
                await signals.requested.wait()
                log.info("%s received: stopping within %gs", signals.name, shutdown_timeout)
            finally:
                steps: list[Step] = [("web server: refusing new requests, finishing those in flight", runner.cleanup),
                                     *stopping_steps(platforms, background)]
                await stop_in_order(steps, shutdown_timeout, signals.hurry, background.cancel)
    return 0
