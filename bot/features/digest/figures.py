"""Everything one team's digest shows for one week, gathered from SQL aggregates and the other features."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.features.checkins.report import MoodWeeks, mood_report
from bot.features.checkins.settings import CheckinSettings
from bot.features.digest.limits import DIGEST_HIGHLIGHTS, DIGEST_TOP_VALUES
from bot.features.digest.week import Week
from bot.features.polls.report import closed_polls
from bot.reports import MoodReport, PollResult
from storage.digest import KudosFigures, kudos_figures
from storage.kudos import KudosRecord, get_kudos


@dataclass(frozen=True)
class Digest:
    team: str
    week: Week
    kudos: KudosFigures
    highlights: tuple[KudosRecord, ...]
    mood: MoodReport | None
    """None when check-ins are switched off."""
    polls: tuple[PollResult, ...]


async def gather(ctx: Context, team: str, week: Week, weeks: MoodWeeks | None = None) -> Digest:
    """`weeks`: shared by every team's digest of one run, so each week's mood figures are counted once."""
    zone = ctx.settings.zone
    async with ctx.db.transaction() as conn:
        figures = await kudos_figures(
            conn, team, week.days(zone), week.before().start(zone), top=DIGEST_TOP_VALUES, highlights=DIGEST_HIGHLIGHTS
        )
        highlights = tuple(r for r in [await get_kudos(conn, i) for i in figures.highlights] if r is not None)
    mood = await mood_report(ctx, team, week.label, weeks) if ctx.settings.section(CheckinSettings).enabled else None
    polls = tuple(await closed_polls(ctx, team, week.start(zone), week.end(zone)))
    return Digest(team, week, figures, highlights, mood, polls)
