"""`huzzah serve`: one aiohttp server for every platform, plus the scheduler and the outbox worker.

Routes: GET /healthz here; every plugged platform's own routes (Slack: POST /slack/events; Teams: POST
/api/messages).
"""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from aiohttp import web

from bot.app import Huzzah
from bot.config import ConfigError, Settings
from bot.platform import Receiving
from huzzah.scheduler import run_scheduler
from huzzah.wiring import running_core

if TYPE_CHECKING:
    from huzzah.platforms import Configured

log = logging.getLogger(__name__)
CORE = web.AppKey("core", Huzzah)
LOOPBACK = "127.0.0.1"
"""Where `serve` listens unless told otherwise: this machine only."""


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


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, or ConfigError saying in one line why not (a port in use is otherwise a 33-line
    OSError). Opened before the database is touched, so a second copy started by mistake changes nothing."""
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                      flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        raise ConfigError(f"--host {host}: no such address — use 127.0.0.1 (this machine only) or 0.0.0.0 "
                          "(every interface)") from None
    try:
        return socket.create_server(address, family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            why = f"port {port} on {host} is already in use (another Huzzah?) — stop it, or choose another --port"
        elif exc.errno == errno.EACCES:
            why = f"may not listen on port {port} (ports below 1024 need privileges) — choose --port 3000 or above"
        elif exc.errno == errno.EADDRNOTAVAIL:
            why = f"--host {host} is not an address of this machine — use 127.0.0.1 or 0.0.0.0"
        else:
            why = f"cannot listen on {host}:{port} ({exc.strerror or exc})"
        raise ConfigError(why) from None


@asynccontextmanager
async def listening(app: web.Application, host: str = "127.0.0.1", port: int = 0, *,
                    sock: socket.socket | None = None) -> AsyncIterator[int]:
    """Serve `app` until the block ends, on `sock` (see `bind`) or else host and port; yields the port (pass 0
    for any free one)."""
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        site = web.SockSite(runner, sock) if sock is not None else web.TCPSite(runner, host, port)
        await site.start()
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


async def serve(settings: Settings, host: str, port: int, *, socket_mode: bool = False,
                teams_emulator: bool = False) -> int:
    """`teams_emulator`: Teams on without authentication, for the Bot Framework Emulator — so on 127.0.0.1
    only: anyone who reached it could act as any user and make Huzzah call any address."""
    from huzzah.platforms import configured, connectors

    if teams_emulator:
        if host not in (LOOPBACK, "localhost"):
            raise ConfigError(f"--teams-emulator listens on {LOOPBACK} only (Teams requests are not authenticated "
                              f"then) — drop --host {host}")
        host = LOOPBACK
    receiving: Receiving = "socket" if socket_mode else "http"
    # Stops on a missing secret, then on a port it cannot have, before the database is touched.
    chosen = configured(os.environ, receiving, connectors(teams_emulator=teams_emulator))
    sock = bind(host, port)
    try:
        async with running_core(settings) as core:
            await _serve(core, chosen, host, sock)
    finally:
        sock.close()
    return 0


async def _serve(core: Huzzah, chosen: Configured, host: str, sock: socket.socket) -> None:
    from huzzah.platforms import CONNECTORS, connect

    platforms = connect(core, chosen)
    async with listening(build_web_app(core), sock=sock) as bound:
        routes = ", ".join(f"{r.method} {r.path}" for p in platforms for r in p.routes) or "no routes"
        off = [c.name for c in CONNECTORS if c.name not in {p.name for p in platforms}]
        log.info("Huzzah is listening on http://%s:%d (%s; platforms: %s%s)", host, bound, routes,
                 ", ".join(p.name for p in platforms) or "none",
                 f"; off, not configured: {', '.join(off)}" if off else "")
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
