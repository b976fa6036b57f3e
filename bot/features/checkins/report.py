"""Mood figures safe to show managers: per team per round.

Three rules, applied here so no caller can show more than they allow:
- a figure built from fewer answers than `anonymity.min_group_size` is withheld;
- where the organisation-wide figure is shown beside team figures, the withheld teams together must still be
  a group of at least that size, spread over more than one team — otherwise the next-smallest teams are
  withheld too (complementary suppression), so no withheld team can be worked out by subtraction;
- only closed rounds are reported, in the week's report and in every trend: a closed round's figures never
  change (late answers are refused), so no two digests can be subtracted to isolate one answer;
- vents are shown only from rounds with `min_free_text_group` answers, in random order.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.context import Context
from bot.features.checkins.limits import MOOD_TREND_ROUNDS
from bot.i18n import N_, tr
from bot.reports import MoodReport
from storage import checkins as repo

TOO_FEW = N_("not enough answers to share without risking anyone's anonymity")
DIFFERENCING = N_(
    "withheld so that a smaller team's figures can't be worked out by subtracting from the organisation-wide "
    "ones — not enough answers to share without risking anyone's anonymity"
)
NO_ROUND = N_("no check-in round ran for this team that week")
STILL_OPEN = N_("this round is still open — its figures and comments are shared after it closes")


def withheld_teams(figures: Iterable[repo.RoundFigures], min_group: int) -> tuple[set[str], bool]:
    """Which teams' mood figures must be withheld, and whether the org-wide figure may be shown.

    Primary: teams with fewer than `min_group` answers. Complementary: while the withheld teams that have any
    answers are a single team or fewer than `min_group` answers together, the smallest shown team joins them.
    """
    rounds = sorted(figures, key=lambda f: (f.answered, f.round.team))
    hidden = {f.round.team for f in rounds if f.answered < min_group}
    answered = {f.round.team: f.answered for f in rounds}

    def exposed() -> bool:
        with_answers = [t for t in hidden if answered[t]]
        return len(with_answers) == 1 or 0 < sum(answered[t] for t in with_answers) < min_group

    for candidate in (f.round.team for f in rounds if f.round.team not in hidden and f.answered):
        if not exposed():
            break
        hidden.add(candidate)
    org_shown = sum(answered.values()) >= min_group and not exposed()
    return hidden, org_shown


class MoodWeeks:
    """Every team's round figures of a week and which teams they withhold, counted once and shared by every
    report of one run: withholding needs all teams' figures, so per-team counting made a run O(teams²)."""

    def __init__(self, min_group: int) -> None:
        self.min_group = min_group
        self._weeks: dict[str, tuple[list[repo.RoundFigures], set[str], bool]] = {}

    async def of(self, conn: AsyncConnection, week: str) -> tuple[list[repo.RoundFigures], set[str], bool]:
        """(every team's figures, the teams withheld, whether the organisation-wide figure may be shown)."""
        if week not in self._weeks:
            figures = await repo.figures_for_week(conn, week)
            self._weeks[week] = (figures, *withheld_teams(figures, self.min_group))
        return self._weeks[week]


async def mood_report(ctx: Context, team: str, week: str, weeks: MoodWeeks | None = None) -> MoodReport:
    """One team's round for an ISO week (the digest's view), with every rule above already applied.

    Withholding looks at every team's figures for that week (complementary suppression); pass one `weeks`
    to every report of a run so each week is counted once, not once per team.
    """
    min_group = ctx.settings.anonymity.min_group_size
    weeks = weeks or MoodWeeks(min_group)
    async with ctx.db.transaction() as conn:
        figures, hidden, _ = await weeks.of(conn, week)
        trend = await _trend(conn, team, week, weeks)
        mine = next((f for f in figures if f.round.team == team), None)
        if mine is None:
            running = await repo.round_for(conn, team, week)
            return MoodReport(team, week, None, None, None, None, trend, None, STILL_OPEN if running else NO_ROUND)
        vents, vents_note = await _vents(ctx, conn, mine)
        return _report(team, week, [mine], team not in hidden, mine.answered < min_group, trend, vents, vents_note)


def _report(team: str, week: str, figures: list[repo.RoundFigures], shown: bool, too_few: bool,
            trend: tuple[tuple[str, float | None], ...], vents: tuple[str, ...] | None, vents_note: str) -> MoodReport:
    asked = sum(f.asked for f in figures)
    answered = sum(f.answered for f in figures)
    if not shown:  # vents stay possible for a complement: words can't be worked out by subtraction
        reason = TOO_FEW if too_few else DIFFERENCING
        return MoodReport(team, week, asked, answered, None, None, trend, None if too_few else vents, reason)
    one, two, three, four, five = (sum(f.distribution[i] for f in figures) for i in range(5))
    average = round(sum(f.total for f in figures) / answered, 1)
    return MoodReport(team, week, asked, answered, average, (one, two, three, four, five), trend, vents, vents_note)


async def _vents(ctx: Context, conn: AsyncConnection, figures: repo.RoundFigures) -> tuple[tuple[str, ...] | None, str]:
    needed = ctx.settings.anonymity.min_free_text_group
    if figures.answered < needed:
        return None, tr("comments need at least {needed} answers, so that no one is recognised by what they wrote",
                        needed=needed)
    return tuple(await repo.vents_of(conn, figures.round.id)), ""


async def _trend(conn: AsyncConnection, team: str, week: str, weeks: MoodWeeks) -> tuple[tuple[str, float | None], ...]:
    """The team's average over its last rounds, each withheld exactly as that week's report withholds it."""
    out = []
    for past in await repo.weeks_of_team(conn, team, week, MOOD_TREND_ROUNDS):
        figures, hidden, _ = await weeks.of(conn, past)
        mine = next(f for f in figures if f.round.team == team)
        out.append((past, round(mine.total / mine.answered, 1) if team not in hidden else None))
    return tuple(out)
