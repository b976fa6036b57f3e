"""The executive roll-up's figures: every team side by side and the whole organisation, safe to show together.

Complementary suppression holds across the whole page. A team is shown whole or not at all: it is left out
when it has fewer than `anonymity.min_group_size` people or answers, or when that week's check-in report
withholds its mood. Then, for every figure that adds up to the organisation's (people, answers, kudos given
and received, each value's count, each imported metric), the teams left out must together be more than one
team contributing to it, and people figures at least the minimum group; otherwise the next-smallest team is
left out too, so no team left out can be worked out by subtracting the shown teams from the total. The
trends use only weekly figures each week's own rules showed, so consecutive roll-ups give nothing new away.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.context import Context
from bot.features.checkins.members import TeamMembers
from bot.features.checkins.report import MoodWeeks
from bot.features.digest.period import Period
from bot.features.digest.week import Week
from storage.org import kudos_by_team, metrics_of, values_by_team

TREND_WEEKS = (4, 13, 52)


@dataclass(frozen=True)
class Row:
    """One team's figures for the period (or the organisation's, as the sum of every team's)."""

    team: str
    heads: int
    given: int = 0
    received: int = 0
    values: dict[str, int] = field(default_factory=dict)
    asked: int = 0
    answered: int = 0
    mood_total: int = 0
    trend: dict[int, float | None] = field(default_factory=dict)
    """Weeks → the average of the weekly moods shown over that many weeks up to the period's end."""
    series: tuple[tuple[str, float | None], ...] = ()
    """The last 13 weeks' moods as each week showed them (None: withheld or no round), for the chart."""
    metrics: dict[str, float] = field(default_factory=dict)
    """Imported metric → its average over the period."""
    metric_trend: dict[str, float] = field(default_factory=dict)
    """Imported metric → its average over the 13 weeks up to the period's end."""

    def per_head(self, count: int) -> float | None:
        return round(count / self.heads, 2) if self.heads else None

    @property
    def mood(self) -> float | None:
        return round(self.mood_total / self.answered, 1) if self.answered else None

    @property
    def participation(self) -> float | None:
        return self.answered / self.asked if self.asked else None


@dataclass(frozen=True)
class Rollup:
    period: Period
    teams: tuple[Row, ...]
    """Only the teams shown, by name."""
    organisation: Row | None
    """None when even the whole organisation is too small, or a left-out team could be derived from it."""
    left_out: int
    """How many teams are not shown (never which)."""
    min_group: int


def _measures(rows: list[Row]) -> list[tuple[Callable[[Row], float], bool]]:
    """Every figure that adds up to the organisation's, and whether it counts people."""
    values = {v for r in rows for v in r.values}
    metrics = {m for r in rows for m in r.metrics}
    return [
        (lambda r: r.heads, True), (lambda r: r.answered, True), (lambda r: r.given, False),
        (lambda r: r.received, False),
        *((lambda r, v=v: r.values.get(v, 0), False) for v in sorted(values)),
        *((lambda r, m=m: 1 if m in r.metrics else 0, False) for m in sorted(metrics)),
    ]


def left_out(rows: list[Row], min_group: int, withheld: set[str]) -> tuple[set[str], bool]:
    """The teams not to show, and whether the organisation's figures may be (see the module's rules)."""
    hidden = {r.team for r in rows if r.heads < min_group or 0 < r.answered < min_group or r.team in withheld}
    measures = _measures(rows)

    def exposed() -> bool:
        for measure, people in measures:
            part = [measure(r) for r in rows if r.team in hidden and measure(r)]
            if len(part) == 1 or (people and 0 < sum(part) < min_group):
                return True
        return False

    for candidate in sorted(rows, key=lambda r: (r.answered, r.heads, r.team)):
        if not hidden or not exposed():
            break
        hidden.add(candidate.team)
    org_shown = sum(r.heads for r in rows) >= min_group and not (hidden and exposed())
    return hidden, org_shown


def _average(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


async def gather_rollup(ctx: Context, period: Period, weeks: MoodWeeks | None = None) -> Rollup:
    settings, zone = ctx.settings, ctx.settings.zone
    min_group = settings.anonymity.min_group_size
    weeks = weeks or MoodWeeks(min_group)
    names = [t.name for t in settings.teams] or [settings.default_team]
    members = await TeamMembers(ctx, ctx.rosters).by_team(max_age=0) if ctx.rosters else {}
    last = period.weeks[-1]
    history = [last.before(k) for k in range(max(TREND_WEEKS) - 1, -1, -1)]
    async with ctx.db.transaction() as conn:
        given = await kudos_by_team(conn, period.start(zone), period.end(zone))
        values = await values_by_team(conn, period.start(zone), period.end(zone))
        metrics = await metrics_of(conn, history[-13].label, last.label)
        weekly: dict[Week, tuple[dict[str, tuple[int, int, int]], set[str], bool]] = {}
        for week in history:
            figures, hidden, org_shown = await weeks.of(conn, week.label)
            weekly[week] = ({f.round.team: (f.asked, f.answered, f.total) for f in figures}, hidden, org_shown)
    in_period = [weekly[w] for w in period.weeks]
    withheld = set().union(*(h for _, h, _ in in_period)) if not period.monthly else set()

    def shown_moods(team: str | None) -> list[tuple[str, float | None]]:
        """Each week's mood as that week's rules show it (None: withheld or no round); None: the organisation."""
        out: list[tuple[str, float | None]] = []
        for week in history:
            counts, hidden, org_shown = weekly[week]
            mood = None
            if team is None:
                answered = sum(a for _, a, _ in counts.values())
                if org_shown and answered:
                    mood = round(sum(t for _, _, t in counts.values()) / answered, 1)
            elif team in counts and team not in hidden and counts[team][1]:
                mood = round(counts[team][2] / counts[team][1], 1)
            out.append((week.label, mood))
        return out

    def metric_means(team: str, weeks_of: list[Week]) -> dict[str, float]:
        labels = {w.label for w in weeks_of}
        out = {}
        for (who, name), by_week in metrics.items():
            found = [v for w, v in by_week.items() if w in labels]
            if who == team and found:
                out[name] = round(sum(found) / len(found), 2)
        return out

    rows = []
    for team in names:
        asked = [c[team][0] for c, _, _ in in_period if team in c]
        heads = len([p for p in members.get(team, []) if p.active and not p.is_bot]) or max(asked, default=0)
        rows.append(Row(
            team, heads, *given.get(team, (0, 0)), values=values.get(team, {}), asked=sum(asked),
            answered=sum(c[team][1] for c, _, _ in in_period if team in c),
            mood_total=sum(c[team][2] for c, _, _ in in_period if team in c),
            **_trends(shown_moods(team)),
            metrics=metric_means(team, list(period.weeks)), metric_trend=metric_means(team, history[-13:]),
        ))
    hidden, org_shown = left_out(rows, min_group, withheld)
    shown = tuple(r for r in rows if r.team not in hidden)
    return Rollup(period, shown, _organisation(rows, shown_moods(None)) if org_shown else None, len(hidden), min_group)


def _organisation(rows: list[Row], moods: list[tuple[str, float | None]]) -> Row:
    values: dict[str, int] = {}
    for r in rows:
        for v, n in r.values.items():
            values[v] = values.get(v, 0) + n

    def weighted(pick: Callable[[Row], dict[str, float]]) -> dict[str, float]:
        """Each metric averaged over the teams that report it, weighted by their people."""
        out = {}
        for name in {m for r in rows for m in pick(r)}:
            having = [r for r in rows if name in pick(r) and r.heads]
            if having:
                out[name] = round(sum(pick(r)[name] * r.heads for r in having) / sum(r.heads for r in having), 2)
        return out

    return Row(
        "Whole organisation", sum(r.heads for r in rows), sum(r.given for r in rows), sum(r.received for r in rows),
        values, sum(r.asked for r in rows), sum(r.answered for r in rows), sum(r.mood_total for r in rows),
        metrics=weighted(lambda r: r.metrics), metric_trend=weighted(lambda r: r.metric_trend), **_trends(moods),
    )


def _trends(moods: list[tuple[str, float | None]]) -> dict[str, Any]:
    """A row's `trend` and `series` from its weekly moods, oldest first."""
    return {
        "trend": {n: _average([m for _, m in moods[-n:] if m is not None]) for n in TREND_WEEKS},
        "series": tuple(moods[-13:]),
    }
