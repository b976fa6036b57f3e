"""`huzzah serve`: one aiohttp server for every platform, plus the scheduler and the outbox worker.

Routes: GET /healthz and GET /metrics here; every plugged platform's own routes (Slack: POST /slack/events;
Teams: POST /api/messages). Every request gets a request id (the caller's `X-Request-Id` when it is a plain
token, else a new one), echoed in the answer and carried by every log line written while it is handled.

Stopping (SIGTERM, SIGINT; `huzzah.lifecycle`), in this order, within the shutdown timeout: stop accepting
connections and let the requests in flight finish (each one's acknowledgement only goes out once its work is
in the inbox); run each platform's `stop` (Socket Mode closes, the work behind the requests already
acknowledged finishes); the outbox finishes the deliveries it has claimed and claims no more, the scheduler
finishes its tick; the database closes; exit 0.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import ExitStack, asynccontextmanager
from typing import TYPE_CHECKING

from aiohttp import web

from bot.app import Huzzah
from bot.config import ConfigError, Settings
from bot.limits import SHUTDOWN_SECONDS
from bot.platform import Platform, Receiving
from bot.tracing import PLATFORM, REQUEST_ID, within
from huzzah.binding import LOOPBACK, bind
from huzzah.lifecycle import Step, StopSignals, stop_in_order
from huzzah.metrics import ErrorCounter, PrometheusMetrics
from huzzah.scheduler import Background
from huzzah.wiring import running_core

if TYPE_CHECKING:
    from huzzah.platforms import Configured

log = logging.getLogger(__name__)
ACCESS = logging.getLogger("huzzah.access")
CORE = web.AppKey("core", Huzzah)
PLATFORMS = web.AppKey("platforms", dict)
METRICS_PATH = "/metrics"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
"""Methods named as they are in metrics and logs; anything a scanner makes up is "other" (labels stay few)."""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


async def healthz(request: web.Request) -> web.Response:
    try:
        await request.app[CORE].ctx.db.ping()
    except Exception as exc:
        return web.json_response({"status": "unavailable", "reason": f"database: {type(exc).__name__}"}, status=503)
    return web.json_response({"status": "ok"})


def _metrics_of(core: Huzzah) -> PrometheusMetrics | None:
    return core.metrics if isinstance(core.metrics, PrometheusMetrics) else None


async def metrics(request: web.Request) -> web.Response:
    """Counts only — see huzzah.metrics; restrict who may reach it at the proxy (docs/OPERATIONS.md)."""
    core = request.app[CORE]
    exposed = _metrics_of(core)
    if exposed is None:
        raise web.HTTPNotFound()
    await exposed.read_outbox(core.ctx.db, core.ctx.clock.now())
    body, content_type = exposed.exposition(request.headers.get("Accept", ""))
    return web.Response(body=body, headers={"Content-Type": content_type})


@web.middleware
async def observed(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Request id, platform and latency for the logs, and the request histogram; never the body or query."""
    given = request.headers.get("X-Request-Id", "")
    request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex[:16]
    resource = request.match_info.route.resource
    route = resource.canonical if resource is not None else "unmatched"
    method = request.method if request.method in _METHODS else "other"
    began, status = time.perf_counter(), 500
    with ExitStack() as stack:
        stack.enter_context(within(REQUEST_ID, request_id))
        stack.enter_context(within(PLATFORM, request.app[PLATFORMS].get(route, "")))
        try:
            response = await handler(request)
            status = response.status
            if not response.prepared:
                response.headers["X-Request-Id"] = request_id
            return response
        except web.HTTPException as refused:
            status = refused.status
            refused.headers["X-Request-Id"] = request_id
            raise
        finally:
            took = time.perf_counter() - began
            exposed = _metrics_of(request.app[CORE])
            if exposed is not None:
                exposed.request(method, route, status, took)
            ACCESS.info("%s %s %d in %.0f ms", method, route, status, took * 1000,
                        extra={"route": route, "method": method, "status": status, "latency_ms": round(took * 1000, 1)})


def _count_errors_while_running(app: web.Application, counted: PrometheusMetrics) -> None:
    """Every error logged anywhere in the process, counted while the server runs."""
    handler = ErrorCounter(counted)

    async def start(_: web.Application) -> None:
        logging.getLogger().addHandler(handler)

    async def stop(_: web.Application) -> None:
        logging.getLogger().removeHandler(handler)

    app.on_startup.append(start)
    app.on_cleanup.append(stop)


def build_web_app(core: Huzzah, *, expose_metrics: bool = True) -> web.Application:
    """The health check, /metrics (when the core counts with Prometheus and `expose_metrics`), and the routes of
    every platform plugged into `core`."""
    app = web.Application(middlewares=[observed])
    app[CORE] = core
    app[PLATFORMS] = {route.path: platform.name for platform in core.platforms.values() for route in platform.routes}
    app.router.add_get("/healthz", healthz)
    counted = _metrics_of(core)
    if counted is not None:
        _count_errors_while_running(app, counted)
        if expose_metrics:
            app.router.add_get(METRICS_PATH, metrics)
    for platform in core.platforms.values():
        for route in platform.routes:
            app.router.add_route(route.method, route.path, route.handler)
    return app


@asynccontextmanager
async def listening(app: web.Application, host: str = "127.0.0.1", port: int = 0, *,
                    sock: socket.socket | None = None,
                    shutdown_timeout: float = SHUTDOWN_SECONDS) -> AsyncIterator[int]:
    """Serve `app` until the block ends, on `sock` (see `bind`) or else host and port; yields the port (pass 0
    for any free one). Ending it stops accepting and waits up to `shutdown_timeout` for the requests in flight.
    The access log is ours (`huzzah.access`: route, status, latency, request id)."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=shutdown_timeout)
    await runner.setup()
    try:
        site = web.SockSite(runner, sock) if sock is not None else web.TCPSite(runner, host, port)
        await site.start()
        yield runner.addresses[0][1]
    finally:
        await runner.cleanup()


def stopping_steps(platforms: list[Platform], background: Background) -> list[Step]:
    """What a process does to stop, after it stopped accepting requests (shared with `huzzah scheduler`)."""
    steps: list[Step] = [(f"{p.name}: finishing what was acknowledged", p.stop) for p in platforms
                         if p.stop is not None]
    steps.append(("outbox and scheduler: finishing the deliveries claimed and the tick in progress",
                  background.stop))
    steps += [(f"{p.name}: closing its connections", p.close) for p in platforms if p.close is not None]
    return steps


async def serve(settings: Settings, host: str, port: int, *, socket_mode: bool = False,
                expose_metrics: bool = True, teams_emulator: bool = False,
                shutdown_timeout: float = SHUTDOWN_SECONDS) -> int:
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
        with StopSignals() as signals:
            async with running_core(settings, metrics=PrometheusMetrics()) as core:
                await _serve(core, chosen, host, sock, expose_metrics, signals, shutdown_timeout)
    finally:
        sock.close()
    return 0


async def _serve(core: Huzzah, chosen: Configured, host: str, sock: socket.socket, expose_metrics: bool,
                 signals: StopSignals, shutdown_timeout: float) -> None:
    from huzzah.platforms import CONNECTORS, connect

    platforms = connect(core, chosen)
    runner = web.AppRunner(build_web_app(core, expose_metrics=expose_metrics), access_log=None,
                           shutdown_timeout=shutdown_timeout)
    await runner.setup()
    background = Background(core)
    try:
        if signals.requested.is_set():  # asked to stop while migrating: never start accepting
            return
        await web.SockSite(runner, sock).start()
        routes = ", ".join(f"{r.method} {r.path}" for p in platforms for r in p.routes) or "no routes"
        off = [c.name for c in CONNECTORS if c.name not in {p.name for p in platforms}]
        log.info("Huzzah is listening on http://%s:%d (%s; platforms: %s%s)", host, runner.addresses[0][1], routes,
                 ", ".join(p.name for p in platforms) or "none",
                 f"; off, not configured: {', '.join(off)}" if off else "")
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
