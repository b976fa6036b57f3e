"""What the weekly digest shows of polls: the ones that closed that week in the team's channels."""

from __future__ import annotations

from datetime import datetime

from bot.context import Context
from bot.reports import PollResult
from storage import polls as repo


async def closed_polls(ctx: Context, team: str, start: datetime, end: datetime) -> list[PollResult]:
    """Polls closed in [start, end) in a channel of `team` (a channel of no team counts for the default team).

    Only final counts: anonymous polls have nothing else left, and named polls' voters stay in their thread.
    An anonymous poll with fewer voters than the minimum group comes without its options: no split is shown.
    """
    settings = ctx.settings
    min_voters = settings.anonymity.min_group_size
    async with ctx.db.transaction() as conn:
        closed = await repo.closed_between(conn, start, end)
    return [
        PollResult(p.question, () if p.anonymous and p.voters < min_voters else p.options, p.voters, p.anonymous,
                   p.closed_at)
        for p in closed
        if (settings.team_of_channel(p.platform, p.channel, p.channel_name) or settings.default_team) == team
    ]
