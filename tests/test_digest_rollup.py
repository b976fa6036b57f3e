"""The executive roll-up: every team side by side, and no team below the minimum ever shown — not even by
subtracting the shown teams from the organisation's figures, this week or against last week's roll-up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings, TeamSettings
from bot.features.digest.period import Period
from bot.features.digest.rollup import Rollup, Row, gather_rollup
from bot.features.digest.rollup_chart import draw_rollup
from bot.features.digest.rollup_view import rollup_message
from bot.features.digest.settings import DigestSettings, RollupSettings
from bot.features.digest.week import Week
from bot.messages import Image, plain_text
from storage.db import Database
from tests.org_support import a_round, kudos_in

W46, W47 = Week(2026, 46), Week(2026, 47)
ADDITIVE = ("heads", "given", "received", "answered", "mood_total")
ROUNDS = {  # team → week → (asked, answers); Cedar's 3 answers in W47 are below the minimum group of 5
    "Ash": {W46: (12, 10), W47: (12, 10)},
    "Birch": {W46: (10, 8), W47: (10, 8)},
    "Cedar": {W46: (9, 6), W47: (9, 3)},
    "Dogwood": {W46: (20, 15), W47: (20, 15)},
}
KUDOS = {"Ash": 4, "Birch": 2, "Cedar": 3, "Dogwood": 6}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={
        "teams": [TeamSettings(name=team, channels=[f"console:#{team.casefold()}"]) for team in ROUNDS],
        "digest": DigestSettings(rollup=RollupSettings(enabled=True, channels=["console:#exec"])),
    })


async def seed(db: Database) -> None:
    for team, weeks in ROUNDS.items():
        for number, (week, (asked, answers)) in enumerate(weeks.items()):
            await a_round(db, team, week, asked, [1 + (n + number) % 5 for n in range(answers)])
            await kudos_in(db, team, week, KUDOS[team] + number)


def figure(row: Row, name: str) -> int:
    return int(getattr(row, name))


def residual(rollup: Rollup, name: str) -> int:
    """What subtracting every shown team from the organisation's figure leaves: the teams not shown, together."""
    assert rollup.organisation is not None
    return figure(rollup.organisation, name) - sum(figure(r, name) for r in rollup.teams)


async def test_a_team_below_the_minimum_is_never_shown_nor_derivable(core: Huzzah, db: Database) -> None:
    await seed(db)
    this_week = await gather_rollup(core.ctx, Period((W47,), False))
    last_week = await gather_rollup(core.ctx, Period((W46,), False))

    shown = {r.team for r in this_week.teams}
    assert "Cedar" not in shown and this_week.left_out >= 2  # Cedar, and at least one more to cover it
    assert {r.team for r in last_week.teams} == set(ROUNDS)  # everyone was big enough last week
    text = plain_text(rollup_message(core.settings, this_week, draw_rollup(this_week)))
    assert "Cedar" not in text and "Whole organisation" in text
    assert f"{this_week.left_out} teams are not shown" in text

    cedar_now = await gather_rollup(core.ctx, Period((W47,), False))  # the same page, computed again
    assert cedar_now == this_week  # a roll-up is a function of the data: no figure drifts between readers
    raw = {r.team: r for r in await _unsuppressed(core, W47)}
    raw_before = {r.team: r for r in await _unsuppressed(core, W46)}
    for name in ADDITIVE:
        # this week: the organisation minus every shown team is never Cedar's own figure
        left = residual(this_week, name)
        assert left == sum(figure(raw[t], name) for t in set(ROUNDS) - shown)
        assert left != figure(raw["Cedar"], name), name
        # against last week: the change in the organisation's figure minus the shown teams' changes, plus what
        # last week showed of the teams now left out, still mixes Cedar with another team
        assert last_week.organisation is not None and this_week.organisation is not None
        change = figure(this_week.organisation, name) - figure(last_week.organisation, name)
        shown_change = sum(figure(r, name) - figure(raw_before[r.team], name) for r in this_week.teams)
        known_before = sum(figure(raw_before[t], name) for t in set(ROUNDS) - shown)
        assert change - shown_change + known_before != figure(raw["Cedar"], name), name
    for people in ("heads", "answered"):
        assert residual(this_week, people) >= core.settings.anonymity.min_group_size


async def _unsuppressed(core: Huzzah, week: Week) -> list[Row]:
    """Every team's true figures, as the test's referee (a minimum group of 1 withholds nothing)."""
    anonymity = core.settings.anonymity.model_copy(update={"min_group_size": 1, "min_free_text_group": 1})
    ctx = core.ctx.__class__(core.settings.model_copy(update={"anonymity": anonymity}), core.ctx.db, core.ctx.clock)
    rollup = await gather_rollup(ctx, Period((week,), False))
    return list(rollup.teams)


async def test_the_rollup_is_posted_once_with_a_chart_whose_alt_text_has_every_shown_team(
    core: Huzzah, db: Database, clock: FakeClock
) -> None:
    from adapters.console.directory import ConsoleDirectory
    from adapters.console.session import ConsoleSession

    console = ConsoleSession(core, ConsoleDirectory(("alice",)), channel="#ash")
    await seed(db)
    clock.set(datetime(2026, 11, 24, 9, 1, tzinfo=UTC))
    await core.tick()
    await core.tick()
    await core.outbox.drain()
    [posted] = [s for s in console.messenger.shown if "Across the teams" in s.text]
    assert posted.where == "#exec" and "Cedar" not in posted.text
    [chart] = [b for b in posted.message.blocks if isinstance(b, Image)]  # type: ignore[union-attr]
    assert chart.png.startswith(b"\x89PNG") and "one small chart per team" in chart.alt
    assert "Whole organisation:" in chart.alt and "Cedar" not in chart.alt


def test_a_monthly_rollup_covers_the_iso_weeks_of_the_month_just_ended() -> None:
    assert Period.ending(Week(2026, 47), "month") is None  # November goes on
    november = Period.ending(Week(2026, 48), "month")  # Thursday 26 Nov is November's last Thursday
    assert november is not None and november.label == "2026-11"
    assert [w.label for w in november.weeks] == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert november.before().label == "2026-10" and november.shown == "November 2026"
