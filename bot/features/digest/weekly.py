"""The digest's scheduled work: each team's digest for the week just ended, then the executive roll-up and the
company brag sheet, each settled exactly once.

Settling means one row in `digest_runs` per team (or roll-up, or brag sheet) and week, claimed by INSERT … ON
CONFLICT DO NOTHING in the same transaction that queues one outbox row per recipient. Whichever instance
claims first posts; every other instance, and every later tick, finds the claim and does nothing. A crash
before the commit leaves no claim, so the next tick does the work; a crash after it leaves the outbox rows,
which are delivered (once each, by key) whenever a worker runs. Past the grace window the run is claimed as
skipped and logged instead — a digest two days late would report an old week as news.

Every week's mood figures are counted once per tick (`MoodWeeks`) and shared by all teams' digests and the
roll-up, so a run grows linearly with the number of teams.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextvars import copy_context
from datetime import datetime, timedelta
from functools import partial

from bot.context import Context
from bot.features.checkins.members import TeamMembers
from bot.features.checkins.report import MoodWeeks
from bot.features.digest.audience import Audience, Written, audience_of, csv_managers, has_audience, readers
from bot.features.digest.brag import brag_highlights, brag_message
from bot.features.digest.chart import draw
from bot.features.digest.figures import Digest, gather
from bot.features.digest.nudges import nudges
from bot.features.digest.period import Period
from bot.features.digest.rollup import gather_rollup
from bot.features.digest.rollup_chart import draw_rollup
from bot.features.digest.rollup_view import rollup_message
from bot.features.digest.settings import DigestSettings
from bot.features.digest.view import digest_message
from bot.features.digest.week import Week, due_at
from bot.i18n import speaking
from bot.messages import Image, Message
from bot.metrics import DIGESTS
from bot.outbox import send_later
from bot.people import Person
from storage.digest import POSTED, SKIPPED, claim_run, run_of
from storage.people import first_seen

log = logging.getLogger(__name__)
ROLLUP = "(roll-up)"
BRAG = "(brag sheet)"
"""Their names in `digest_runs`, beside the teams' (parentheses: no team in app.yaml is written so)."""


async def render(ctx: Context, digest: Digest, language: str | None = None) -> Message:
    """The digest with its chart in one language (None: the workspace's), the chart drawn in a worker thread so a
    busy server keeps answering meanwhile."""
    trend = digest.mood.trend if digest.mood is not None else ()
    with speaking(language):
        chart = await in_thread(draw, digest.week, trend, digest.kudos.per_day)
        return digest_message(ctx.settings, digest, chart)


async def in_thread(draw: Callable[..., Image], *args: object) -> Image:
    """A chart drawn in a worker thread, in the language of the caller (the thread gets a copy of its context)."""
    return await asyncio.to_thread(copy_context().run, draw, *args)


class WeeklyDigest:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    @property
    def settings(self) -> DigestSettings:
        return self.ctx.settings.section(DigestSettings)

    def teams(self) -> list[str]:
        return [t.name for t in self.ctx.settings.teams] or [self.ctx.settings.default_team]

    def due(self, week: Week) -> datetime:
        return due_at(week, self.settings.day, self.settings.time, self.ctx.settings.zone)

    async def tick(self) -> None:
        """Settle everything whose time has come: the week just ended, and the one before while in grace."""
        if not self.settings.enabled:
            return
        now = self.ctx.clock.now()
        grace = timedelta(hours=self.settings.grace_hours)
        last = Week.of(now, self.ctx.settings.zone).before()
        async with self.ctx.db.transaction() as conn:
            began = await first_seen(conn)
        if began is None:
            return  # no one has used Huzzah yet: there is nothing to report, and no week to settle
        for week in (last.before(), last):
            due = self.due(week)
            if due > now or (week != last and now - due > grace):
                continue
            if week.end(self.ctx.settings.zone) <= began:
                continue  # the week ended before anyone used Huzzah: an empty digest would only be noise
            weeks = MoodWeeks(self.ctx.settings.anonymity.min_group_size)
            members = TeamMembers(self.ctx, self.ctx.rosters)  # read afresh once per run, shared by every team
            if has_audience(self.ctx.settings):
                for team in self.teams():
                    await self.settle(team, week.label, due, now, partial(self.post, team, week, weeks, members))
            rollup = self.settings.rollup
            period = Period.ending(week, rollup.every)
            if rollup.enabled and period is not None:
                await self.settle(ROLLUP, period.label, due, now, partial(self.post_rollup, period, weeks))
            if self.settings.brag.channels:
                await self.settle(BRAG, week.label, due, now, partial(self.post_brag, week))

    async def settle(self, name: str, label: str, due: datetime, now: datetime,
                     post: Callable[[], Awaitable[int | None]]) -> None:
        async with self.ctx.db.transaction() as conn:
            if await run_of(conn, name, label) is not None:
                return
        if now - due > timedelta(hours=self.settings.grace_hours):
            await self.skip(name, label, due, now)
            return
        await post()

    async def skip(self, name: str, label: str, due: datetime, now: datetime) -> None:
        """Settle a digest whose grace window passed with no instance running: logged, never posted late."""
        async with self.ctx.db.transaction() as conn:
            if not await claim_run(conn, name, label, SKIPPED, 0, now):
                return
        self.ctx.metrics.count(DIGESTS, outcome="skipped")
        log.warning(
            "weekly digest for %s %s skipped, too late: it was due %s and Huzzah was not running until %s, "
            "past the %dh grace window (digest.grace_hours in app.yaml)",
            name, label, f"{due:%Y-%m-%d %H:%M} UTC", f"{now:%Y-%m-%d %H:%M} UTC", self.settings.grace_hours,
        )

    async def post(self, team: str, week: Week, weeks: MoodWeeks | None = None,
                   members: TeamMembers | None = None) -> int | None:
        """Queue the digest to everyone configured; how many recipients, or None if it was already settled.

        `weeks` and `members`: one per run, shared by every team's digest (each week's mood figures counted
        once, and membership read once).
        Managers' copies by DM add the fairness nudges; the channel post does not."""
        digest = await gather(self.ctx, team, week, weeks)

        async def write(language: str) -> Written:
            msg = await render(self.ctx, digest, language)
            with speaking(language):
                return msg, await nudges(self.ctx, team, week, msg, members)

        more = await csv_managers(self.ctx, team)
        return await self._queue(team, week.label, f"digest:{team}:{week.label}", audience_of(self.ctx.settings, team),
                                 write, more=more)

    async def post_rollup(self, period: Period, weeks: MoodWeeks | None = None) -> int | None:
        rollup = await gather_rollup(self.ctx, period, weeks)

        async def write(language: str) -> Written:
            with speaking(language):
                return rollup_message(self.ctx.settings, rollup, await in_thread(draw_rollup, rollup)), None

        chosen = self.settings.rollup
        return await self._queue(ROLLUP, period.label, f"rollup:{period.label}",
                                 Audience(tuple(chosen.channels), tuple(chosen.readers)), write)

    async def post_brag(self, week: Week) -> int | None:
        records = await brag_highlights(self.ctx, week)
        if not records:
            async with self.ctx.db.transaction() as conn:
                await claim_run(conn, BRAG, week.label, SKIPPED, 0, self.ctx.clock.now())
            return 0
        async def write(language: str) -> Written:
            with speaking(language):
                return brag_message(self.ctx.settings, week, records), None

        company = Audience(tuple(self.settings.brag.channels), ())
        return await self._queue(BRAG, week.label, f"brag:{week.label}", company, write)

    async def _queue(self, name: str, label: str, prefix: str, audience: Audience,
                     write: Callable[[str], Awaitable[Written]], *, more: list[Person] | None = None) -> int | None:
        """Written once per language its readers read (a manager in theirs, channels in the workspace's)."""
        async with self.ctx.db.transaction() as conn:
            planned = await readers(conn, prefix, name, audience, more_managers=more or ())
        written = {language: await write(language) for language in dict.fromkeys(r.language for r in planned)}
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            if not await claim_run(conn, name, label, POSTED, len(planned), now):
                return None
            for reader in planned:
                await send_later(conn, reader.delivery(written), now, key=reader.key)
        self.ctx.metrics.count(DIGESTS, outcome="posted")
        log.info("weekly digest for %s %s queued for %d recipient(s)", name, label, len(planned))
        return len(planned)
