"""APScheduler drives every feature's scheduled work by calling `core.tick()` — once on start, then often.

Deliberately no APScheduler job store: with several processes those run a job once per process. Each
feature's ticker decides from app.yaml's schedules and the database what is due and claims every piece
of work by a unique key in the database, so any number of schedulers on one PostgreSQL (and a scheduler
that was down at a job's time and catches up on start, within the grace window) do each job exactly once.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import Huzzah
from bot.limits import TICK_SECONDS

log = logging.getLogger(__name__)
TICK = "huzzah.tick"


class Scheduler:
    def __init__(self, core: Huzzah, every: float = TICK_SECONDS) -> None:
        self.core = core
        self.every = every
        self.aps = AsyncIOScheduler(timezone=core.settings.zone)
        self._ticking: set[asyncio.Task[None]] = set()
        self._stopped = False

    async def start(self) -> None:
        """Catch up at once (what fell due while we were down), then tick every `every` seconds."""
        await self._tick()
        if self._stopped:  # stopped during the catch-up
            return
        self.aps.add_job(
            self._tick, "interval", seconds=self.every, id=TICK, replace_existing=True,
            max_instances=1, coalesce=True, misfire_grace_time=None,
            next_run_time=datetime.now(UTC) + timedelta(seconds=self.every),
        )
        self.aps.start()
        log.info("scheduler running: due work is checked every %ss", self.every)

    async def _tick(self) -> None:
        """One tick, shielded: APScheduler cancels running jobs when it shuts down, and a tick stopped halfway
        would leave its work to the next start instead of finishing it (`finish`)."""
        tick = asyncio.ensure_future(self.core.tick())
        self._ticking.add(tick)
        tick.add_done_callback(self._ticking.discard)
        await asyncio.shield(tick)

    def stop(self) -> None:
        """Start no more ticks (`finish` waits for one in progress)."""
        self._stopped = True
        if self.aps.running:
            self.aps.shutdown(wait=False)

    async def finish(self) -> None:
        while self._ticking:
            await asyncio.gather(*self._ticking, return_exceptions=True)


class Background:
    """What a process runs besides answering requests: the outbox worker and the scheduler, which catches up
    at start without holding deliveries back."""

    def __init__(self, core: Huzzah, every: float = TICK_SECONDS) -> None:
        self.core = core
        self.scheduler = Scheduler(core, every)
        self.stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self.core.outbox.run(self.stopping)),
                       asyncio.create_task(self.scheduler.start())]

    async def stop(self) -> None:
        """Claim no new delivery and start no new tick; finish the delivery in hand and the tick in progress."""
        self.stopping.set()
        self.scheduler.stop()
        if self._tasks:
            outbox, starting = self._tasks
            await outbox
            await asyncio.gather(starting, return_exceptions=True)
        await self.scheduler.finish()

    def cancel(self) -> None:
        """Cut short what `stop` was waiting for (the deadline passed): it resumes on the next start."""
        for task in [*self._tasks, *self.scheduler._ticking]:
            task.cancel()


async def run_scheduler(core: Huzzah, stop: asyncio.Event) -> None:
    """The scheduler beside the outbox worker, until `stop` is set; then finishes what was started."""
    background = Background(core)
    background.start()
    try:
        await stop.wait()
    finally:
        await background.stop()
