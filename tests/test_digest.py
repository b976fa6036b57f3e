"""The weekly digest: figures from a hand-computed week of real kudos, and sections that say why they are withheld."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import ConfigError, Settings, TeamSettings
from bot.features.checkins.settings import CheckinSettings
from bot.features.digest.chart import draw
from bot.features.digest.figures import Digest, gather
from bot.features.digest.settings import DigestSettings
from bot.features.digest.view import digest_message
from bot.features.digest.week import Week, due_at
from bot.messages import Image, plain_text
from bot.reports import MoodReport, PollResult
from bot.settings import load_settings
from storage.db import Database
from storage.digest import KudosFigures
from storage.tables.delivery import outbox
from tests.conftest import TEAM

W47 = Week(2026, 47)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def digest_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={
        "digest": DigestSettings(day="mon", channels=["console:#leads"], managers=["console:carol"]),
        "teams": [TeamSettings(name="Support", channels=["console:#support"]),
                  TeamSettings(name="Billing", channels=["console:#billing"])],
    })


@pytest.fixture
def digest_core(digest_settings: Settings, db: Database, clock: FakeClock) -> Huzzah:
    return Huzzah(digest_settings, db, clock)


@pytest.fixture
def team_console(digest_core: Huzzah) -> ConsoleSession:
    return ConsoleSession(digest_core, ConsoleDirectory(TEAM), channel="#support")


async def build_fixture_week(console: ConsoleSession, clock: FakeClock) -> None:
    """Two kudos the week before, six in 2026-W47 (two of them joined by co-givers), one the week after."""
    script = [
        (at(10, 10), "alice", "@bob thanks for the refund macro #teamwork", "#support"),
        (at(12, 10), "carol", "@dave thanks for covering my shift #ownership", "#support"),
        (at(16, 10), "alice", "@bob @carol thanks for staying late with the outage customer #ownership #teamwork",
         "#support"),
        (at(16, 11), "dave", "@bob for the calm explanation #empathy", "#support"),
        (at(17, 10), "erin", "@frank for spotting the billing bug #ownership", "#support"),
        (at(18, 12), "grace", "@heidi for the invoice fix #ownership", "#billing"),
        (at(19, 15), "bob", "@alice for onboarding the new folks so kindly", "#support"),
        (at(20, 9), "carol", "@erin for the macro that halved our replies #ownership", "#support"),
        (at(22, 23, 30), "frank", "@grace for the weekend cover #teamwork", "#support"),
        (at(23, 8), "heidi", "@alice for the Monday rescue #empathy", "#support"),
    ]
    for moment, who, line, channel in script:
        clock.set(moment)
        shown = await console.say(who, line, channel)
        assert any(s.where == "#kudos" for s in shown), line
        if moment == at(20, 9):
            await console.press("grace", "Me too")
            await console.press("heidi", "Me too")


async def test_figures_match_the_hand_computed_week(team_console: ConsoleSession, clock: FakeClock) -> None:
    await build_fixture_week(team_console, clock)
    digest = await gather(team_console.core.ctx, "Support", W47)

    figures = digest.kudos
    assert figures.given == 6 and figures.given_before == 2
    assert figures.per_day == (2, 1, 0, 1, 1, 0, 1)
    assert figures.thanked == 6  # bob, carol, frank, alice, erin, grace
    assert figures.thankers == 8  # alice, dave, erin, bob, carol, frank + grace and heidi joined
    assert figures.top_values == (("ownership", 3), ("teamwork", 2), ("empathy", 1))
    quoted = [(tuple(p.label for p in r.recipients), r.giver.label) for r in digest.highlights]
    assert quoted == [(("@erin",), "@carol"), (("@bob", "@carol"), "@alice"), (("@grace",), "@frank")]

    billing = await gather(team_console.core.ctx, "Billing", W47)
    assert (billing.kudos.given, billing.kudos.thanked, billing.kudos.per_day[2]) == (1, 1, 1)


async def test_the_message_reads_like_the_figures(team_console: ConsoleSession, clock: FakeClock) -> None:
    await build_fixture_week(team_console, clock)
    core = team_console.core
    digest = await gather(core.ctx, "Support", W47)
    text = plain_text(digest_message(core.settings, digest, None))

    assert "Support — weekly digest" in text and "2026-W47 · 16–22 Nov 2026" in text
    assert "Kudos given: 6  ▲ 4 vs last week (2)" in text
    assert "People thanked: 6" in text and "People who thanked: 8" in text
    assert "Top values: 🦉 ownership ×3 · 🤝 teamwork ×2 · 💛 empathy ×1" in text
    assert "🌟 @erin, from @carol (+2 joined)" in text
    assert "> for the macro that halved our replies" in text
    assert "> for the weekend cover" in text
    assert "onboarding" not in text  # only three highlights


def mood(**overrides: object) -> MoodReport:
    fields: dict[str, object] = dict(
        team="Support", week="2026-W47", asked=12, answered=9, average=3.8, distribution=(0, 1, 2, 4, 2),
        trend=(("2026-W42", 3.4), ("2026-W43", None), ("2026-W44", 3.6), ("2026-W45", 3.5), ("2026-W46", 3.5),
               ("2026-W47", 3.8)),
        vents=None,
    )
    fields.update(overrides)
    return MoodReport(**fields)  # type: ignore[arg-type]


def digest_with(settings: Settings, report: MoodReport | None, polls: tuple[PollResult, ...] = ()) -> str:
    """A week with no kudos (three the week before) and the given mood and polls, as plain text."""
    no_kudos = KudosFigures(0, 3, 0, 0, (), (0,) * 7, ())
    return plain_text(digest_message(settings, Digest("Support", W47, no_kudos, (), report, polls), None))


def test_mood_below_the_minimum_group_says_why_and_shows_no_figure(settings: Settings) -> None:
    withheld = mood(asked=None, answered=None, average=None, distribution=None, trend=(), vents=None,
                    withheld="only 3 answers — fewer than 5")
    text = digest_with(settings, withheld)
    assert "Mood withheld — only 3 answers — fewer than 5" in text
    assert "Participation" not in text and "3.8" not in text


def test_vents_below_the_free_text_threshold_say_why(settings: Settings) -> None:
    text = digest_with(settings, mood(vents=None))
    assert "Mood: 3.8 / 5  ↗ +0.3 vs W46" in text
    assert "Participation: 9 of 12 answered (75%)" in text
    assert "Six weeks: W42 3.4 · W43 — · W44 3.6 · W45 3.5 · W46 3.5 · W47 3.8" in text
    assert "Vents withheld — they are shown only when at least 10 people answered" in text


def test_vents_are_quoted_when_the_group_is_large_enough(settings: Settings) -> None:
    text = digest_with(settings, mood(vents=("the new macro tool is slow", "too many night shifts")))
    assert "> the new macro tool is slow" in text and "> too many night shifts" in text


def test_no_kudos_and_no_checkins_still_reads_well(settings: Settings) -> None:
    checkins_off = settings.model_copy(update={"checkins": CheckinSettings(enabled=False)})
    text = digest_with(checkins_off, None)
    assert "No kudos this week (last week: 3)" in text
    assert "check-ins are switched off (`checkins.enabled` in app.yaml)" in text


def test_polls_closed_that_week_show_their_results(settings: Settings) -> None:
    poll = PollResult("Move stand-up to 9:30?", (("Yes", 6), ("No", 2)), voters=8, anonymous=True,
                      closed_at=at(19, 15))
    text = digest_with(settings, mood(), (poll,))
    assert "📊 Move stand-up to 9:30?" in text
    assert "Yes — 6 (75%) ▇▇▇▇▇▇▇▇▇▇" in text and "No — 2 (25%) ▇▇▇" in text
    assert "8 voters · anonymous · closed Thu 19 Nov" in text
    assert "No polls closed this week." in digest_with(settings, mood(), ())
    several = PollResult("Lunch where?", (("Tacos", 1), ("Ramen", 2), ("Salad", 1)), voters=3, anonymous=False,
                         closed_at=at(17, 12))
    assert "Ramen — 2 (67%)" in digest_with(settings, mood(), (several,))  # a share of the people who voted


def test_the_chart_is_a_png_whose_alt_text_says_what_it_shows() -> None:
    chart = draw(W47, mood().trend, (2, 1, 0, 1, 1, 0, 1))
    assert isinstance(chart, Image) and chart.png.startswith(b"\x89PNG")
    assert len(chart.png) < 12_000  # small enough to ride inside a Teams card (about 28 KB in all)
    assert "W43 withheld" in chart.alt and "W47 3.8" in chart.alt
    assert "Kudos per day: Mon 2, Tue 1, Wed 0, Thu 1, Fri 1, Sat 0, Sun 1" in chart.alt


async def test_the_ticker_posts_to_channels_and_managers_with_the_chart(
    team_console: ConsoleSession, clock: FakeClock
) -> None:
    await build_fixture_week(team_console, clock)
    clock.set(at(23, 9, 1))
    await team_console.core.tick()
    await team_console.core.outbox.drain()

    posted = [s for s in team_console.messenger.shown if "weekly digest" in s.text]
    assert sorted(s.where for s in posted) == ["#leads", "#leads", "DM @carol", "DM @carol"]
    support = next(s for s in posted if s.where == "#leads" and "Support" in s.text)
    images = [b for b in support.message.blocks if isinstance(b, Image)]  # type: ignore[union-attr]
    assert len(images) == 1 and images[0].png.startswith(b"\x89PNG") and "Kudos per day: Mon 2" in images[0].alt
    async with team_console.core.ctx.db.transaction() as conn:
        keys = (await conn.execute(select(outbox.c.key).where(outbox.c.key.like("digest:%")))).scalars().all()
    assert sorted(keys) == sorted(
        f"digest:{team}:2026-W47:{kind}" for team in ("Support", "Billing")
        for kind in ("post:console:#leads", "dm:console:carol")
    )


def test_many_vents_are_capped_and_the_rest_counted(settings: Settings) -> None:
    text = digest_with(settings, mood(vents=tuple(f"vent number {n}" for n in range(14))))
    assert text.count("> vent number") == 10
    assert "…and 4 more, not shown to keep the digest short." in text


async def test_a_poll_closed_that_week_appears_with_its_results(team_console: ConsoleSession, clock: FakeClock) -> None:
    clock.set(at(16, 10))
    await team_console.say("carol", 'poll "Which shift pattern for December?" "4x10" "5x8" --closes "fri 17:00"')
    for name, choice in (("alice", "4x10"), ("bob", "4x10"), ("dave", "5x8")):
        await team_console.press(name, choice)
    clock.set(at(20, 17, 1))
    await team_console.core.tick()

    digest = await gather(team_console.core.ctx, "Support", W47)
    text = plain_text(digest_message(team_console.core.settings, digest, None))
    assert "📊 Which shift pattern for December?" in text
    assert "4x10 — 2 (67%) ▇▇▇▇▇▇▇▇▇▇" in text and "5x8 — 1 (33%) ▇▇▇▇▇" in text
    assert "3 voters · named · closed Fri 20 Nov" in text
    assert (await gather(team_console.core.ctx, "Billing", W47)).polls == ()


def test_a_badly_written_manager_is_one_clear_config_error(tmp_path: Path) -> None:
    config = tmp_path / "app.yaml"
    config.write_text('digest: {managers: ["U0123ABCD"]}\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert "digest.managers: got ['U0123ABCD'] — write managers as platform:user id" in str(caught.value)


def test_the_mood_arrow_skips_a_withheld_week_and_names_the_one_it_compares_with(settings: Settings) -> None:
    report = mood(average=3.2, trend=(("2026-W45", 3.5), ("2026-W46", None), ("2026-W47", 3.2)))
    assert "Mood: 3.2 / 5  ↘ -0.3 vs W45" in digest_with(settings, report)


def test_weeks_are_local_and_days_follow_daylight_saving() -> None:
    london = ZoneInfo("Europe/London")
    week = Week.parse("2026-W43")  # clocks go back on Sunday 25 October 2026
    days = week.days(london)
    assert days[0] == datetime(2026, 10, 18, 23, tzinfo=UTC)  # Monday 00:00 BST
    assert days[7] - days[6] == timedelta(hours=25) and days[1] - days[0] == timedelta(hours=24)
    assert week.span() == "19–25 Oct 2026" and Week.parse("2026-W53").label == "2026-W53"
    assert Week(2027, 1).before() == Week(2026, 53) and Week.parse("2021w01").span() == "4–10 Jan 2021"
    assert due_at(week, "mon", "09:00", london) == datetime(2026, 10, 26, 9, tzinfo=UTC)  # GMT by then
