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

    async def start(self) -> None:
        """Catch up at once (what fell due while we were down), then tick every `every` seconds."""
        await self.core.tick()
        self.aps.add_job(
            self.core.tick, "interval", seconds=self.every, id=TICK, replace_existing=True,
            max_instances=1, coalesce=True, misfire_grace_time=None,
            next_run_time=datetime.now(UTC) + timedelta(seconds=self.every),
        )
        self.aps.start()
        log.info("scheduler running: due work is checked every %ss", self.every)

    def stop(self) -> None:
        if self.aps.running:
            self.aps.shutdown(wait=False)


async def run_scheduler(core: Huzzah, stop: asyncio.Event) -> None:
    """The scheduler beside the outbox worker, until stopped; deliveries never wait for the catch-up tick."""
    scheduler = Scheduler(core)
    starting = asyncio.create_task(scheduler.start())
    try:
        await core.outbox.run(stop)
    finally:
        starting.cancel()
        scheduler.stop()
