"""Stopping well: SIGTERM (a deploy, `docker stop`, a Kubernetes rollout) and SIGINT (Ctrl-C) ask a process to
stop; it stops taking new work, finishes what it started, and exits — within a deadline, after which whatever
is left is resumed by the next start (the inbox and the outbox keep it). A second signal stops waiting at once.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType

from bot.config import ConfigError
from bot.failures import log_failure
from bot.limits import SHUTDOWN_SECONDS

log = logging.getLogger(__name__)
SHUTDOWN_ENV = "HUZZAH_SHUTDOWN_TIMEOUT"
SIGNALS = (signal.SIGTERM, signal.SIGINT)


def shutdown_timeout(given: float | None, env: Mapping[str, str]) -> float:
    """Seconds a stopping process may take: `--shutdown-timeout`, else $HUZZAH_SHUTDOWN_TIMEOUT, else 10."""
    if given is not None:
        seconds, source = given, "--shutdown-timeout"
    else:
        raw = env.get(SHUTDOWN_ENV, "").strip()
        if not raw:
            return SHUTDOWN_SECONDS
        try:
            seconds, source = float(raw), SHUTDOWN_ENV
        except ValueError:
            raise ConfigError(f"{SHUTDOWN_ENV}={raw!r} is not a number of seconds (e.g. 10)") from None
    if not 0 < seconds <= 3600:
        raise ConfigError(f"{source} must be more than 0 and at most 3600 seconds, not {seconds:g}")
    return seconds


class StopSignals:
    """While entered, SIGTERM and SIGINT set `requested` instead of killing the process; a second one sets
    `hurry`. Installed before anything starts, so a signal during start-up still ends in an orderly stop."""

    def __init__(self) -> None:
        self.requested = asyncio.Event()
        self.hurry = asyncio.Event()
        self.name = ""
        self.at = 0.0

    def _received(self, signum: signal.Signals) -> None:
        if self.requested.is_set():
            log.warning("%s again: stopping now, without waiting for the rest", signum.name)
            self.hurry.set()
            return
        self.name, self.at = signum.name, time.monotonic()
        self.requested.set()

    def __enter__(self) -> StopSignals:
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            loop.add_signal_handler(signum, self._received, signum)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            loop.remove_signal_handler(signum)


Step = tuple[str, Callable[[], Awaitable[None]]]
"""A named stage of stopping."""


async def stop_in_order(steps: list[Step], seconds: float, hurry: asyncio.Event,
                        cut_short: Callable[[], None] = lambda: None) -> bool:
    """Run the stages one after another within `seconds` (or until `hurry`); True when all finished.

    Past the deadline the stage in progress is cancelled, `cut_short` runs, and the rest are skipped: what they
    would have finished stays on disk for the next start.
    """
    started = time.monotonic()

    async def in_order() -> None:
        for name, stage in steps:
            log.info("stopping: %s", name)
            try:
                await stage()
            except Exception as exc:  # one stage failing must not keep the others from finishing their work
                log_failure(log, f"stopping ({name})", exc)

    work = asyncio.ensure_future(in_order())
    hurried = asyncio.ensure_future(hurry.wait())
    try:
        done, _ = await asyncio.wait({work, hurried}, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        hurried.cancel()
    if work in done:
        work.result()
        log.info("stopped cleanly in %.1fs", time.monotonic() - started)
        return True
    work.cancel()
    cut_short()
    await asyncio.gather(work, return_exceptions=True)
    log.warning("stopped after %.1fs with work unfinished (the shutdown timeout is %gs); it resumes on the next "
                "start", time.monotonic() - started, seconds)
    return False
