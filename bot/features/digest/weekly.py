"""The digest's scheduled work: each team's digest for the week just ended, settled exactly once.

Settling means one row in `digest_runs` per team and week, claimed by INSERT … ON CONFLICT DO NOTHING in
the same transaction that queues one outbox row per recipient. Whichever instance claims first posts;
every other instance, and every later tick, finds the claim and does nothing. A crash before the commit
leaves no claim, so the next tick does the work; a crash after it leaves the outbox rows, which are
delivered (once each, by key) whenever a worker runs. Past the grace window the run is claimed as
skipped and logged instead — a digest two days late would report an old week as news.
"""

from __future__ import annotations

import asyncio
import logging
from contextvars import copy_context
from datetime import datetime, timedelta

from bot.context import Context
from bot.features.digest.audience import audience, has_audience
from bot.features.digest.chart import draw
from bot.features.digest.figures import Digest, gather
from bot.features.digest.settings import DigestSettings
from bot.features.digest.view import digest_message
from bot.features.digest.week import Week, due_at
from bot.i18n import speaking
from bot.messages import Message
from bot.metrics import DIGESTS
from bot.outbox import send_later
from storage.digest import POSTED, SKIPPED, claim_run, run_of
from storage.people import first_seen

log = logging.getLogger(__name__)


async def render(ctx: Context, digest: Digest, language: str | None = None) -> Message:
    """The digest with its chart in one language (None: the workspace's), the chart drawn in a worker thread so a
    busy server keeps answering meanwhile."""
    trend = digest.mood.trend if digest.mood is not None else ()
    with speaking(language):
        context = copy_context()  # the thread draws the chart's words in the same language
        chart = await asyncio.to_thread(context.run, draw, digest.week, trend, digest.kudos.per_day)
        return digest_message(ctx.settings, digest, chart)


class WeeklyDigest:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def teams(self) -> list[str]:
        return [t.name for t in self.ctx.settings.teams] or [self.ctx.settings.default_team]

    def due(self, week: Week) -> datetime:
        digest = self.ctx.settings.section(DigestSettings)
        return due_at(week, digest.day, digest.time, self.ctx.settings.zone)

    async def tick(self) -> None:
        """Settle every digest whose time has come: the week just ended, and the one before while in grace."""
        settings = self.ctx.settings
        if not settings.section(DigestSettings).enabled or not has_audience(settings):
            return
        now = self.ctx.clock.now()
        grace = timedelta(hours=settings.section(DigestSettings).grace_hours)
        last = Week.of(now, settings.zone).before()
        async with self.ctx.db.transaction() as conn:
            began = await first_seen(conn)
        if began is None:
            return  # no one has used Huzzah yet: there is nothing to report, and no week to settle
        for week in (last.before(), last):
            due = self.due(week)
            if due > now or (week != last and now - due > grace):
                continue
            if week.end(settings.zone) <= began:
                continue  # the week ended before anyone used Huzzah: an empty digest would only be noise
            for team in self.teams():
                await self.settle(team, week, due, now)

    async def settle(self, team: str, week: Week, due: datetime, now: datetime) -> None:
        async with self.ctx.db.transaction() as conn:
            if await run_of(conn, team, week.label) is not None:
                return
        if now - due > timedelta(hours=self.ctx.settings.section(DigestSettings).grace_hours):
            await self.skip(team, week, due, now)
            return
        await self.post(team, week)

    async def skip(self, team: str, week: Week, due: datetime, now: datetime) -> None:
        """Settle a digest whose grace window passed with no instance running: logged, never posted late."""
        async with self.ctx.db.transaction() as conn:
            if not await claim_run(conn, team, week.label, SKIPPED, 0, now):
                return
        self.ctx.metrics.count(DIGESTS, outcome="skipped")
        log.warning(
            "weekly digest for %s %s skipped, too late: it was due %s and Huzzah was not running until %s, "
            "past the %dh grace window (digest.grace_hours in app.yaml)",
            team, week.label, f"{due:%Y-%m-%d %H:%M} UTC", f"{now:%Y-%m-%d %H:%M} UTC",
            self.ctx.settings.section(DigestSettings).grace_hours,
        )

    async def post(self, team: str, week: Week) -> int | None:
        """Queue the digest to everyone configured; how many recipients, or None if it was already settled."""
        digest = await gather(self.ctx, team, week)
        async with self.ctx.db.transaction() as conn:
            planned = await audience(conn, self.ctx.settings, team, week.label)
        # each manager reads it in their own language; channels in the workspace's
        written = {language: await render(self.ctx, digest, language) for language in {p.language for p in planned}}
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            if not await claim_run(conn, team, week.label, POSTED, len(planned), now):
                return None
            for reader in planned:
                await send_later(conn, reader.delivery(written[reader.language]), now, key=reader.key)
        self.ctx.metrics.count(DIGESTS, outcome="posted")
        log.info("weekly digest for %s %s queued for %d recipient(s)", team, week.label, len(planned))
        return len(planned)
