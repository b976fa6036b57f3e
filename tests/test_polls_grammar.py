"""Reading `poll …` as people type it, and turning `--closes` into a moment — no database needed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.features import FEATURES
from bot.features.polls.deadline import describe, resolve
from bot.features.polls.grammar import Closes, CreatePoll, OpenPollBuilder, parse_closes, parse_poll
from bot.grammar.errors import GrammarError
from bot.registry import grammar_of

parse = grammar_of(FEATURES).parse

LONDON = ZoneInfo("Europe/London")
FIVE_PM = (17, 0)
MONDAY_9 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


@given(st.text(alphabet=st.sampled_from('ab "“”„«»—–-=:12 hmdfri'), max_size=60))
def test_never_raises_whatever_is_typed(typed: str) -> None:
    result = parse_poll((typed,))
    assert isinstance(result, CreatePoll | OpenPollBuilder | GrammarError)
    if isinstance(result, GrammarError):
        assert result.message.strip()


def test_poll_alone_opens_the_builder() -> None:
    assert parse(("poll",)) == OpenPollBuilder()
    assert parse(("poll   ",)) == OpenPollBuilder()


@pytest.mark.parametrize(
    "typed",
    [
        'poll "Which shift?" "4x10" "5x8"',
        "poll “Which shift?” “4x10” “5x8”",
        "poll ”Which shift?” ”4x10” ”5x8”",
        "poll „Which shift?“ „4x10“ „5x8“",
        "poll «Which shift?» «4x10» «5x8»",
        'poll "Which shift?” "4x10" 5x8',
    ],
)
def test_straight_curly_and_mixed_quotes_read_the_same(typed: str) -> None:
    assert parse((typed,)) == CreatePoll("Which shift?", ("4x10", "5x8"))


def test_curly_quotes_inside_straight_ones_stay_in_the_text() -> None:
    result = parse(('poll "Rename the “Refund” macro?" yes no',))
    assert result == CreatePoll("Rename the “Refund” macro?", ("yes", "no"))


@pytest.mark.parametrize("dash", ["--", "—", "–"])
def test_flags_survive_a_phone_turning_dashes_into_one(dash: str) -> None:
    result = parse((f'poll "Q?" a b {dash}anonymous {dash}multi {dash}hide-results {dash}closes 2h',))
    assert result == CreatePoll("Q?", ("a", "b"), anonymous=True, multi=True, hide_results=True,
                                closes=Closes(after=timedelta(hours=2)))


@pytest.mark.parametrize(
    ("typed", "closes"),
    [
        ("2h", Closes(after=timedelta(hours=2))),
        ("90 min", Closes(after=timedelta(minutes=90))),
        ("1h30m", Closes(after=timedelta(minutes=90))),
        ("in 3 days", Closes(after=timedelta(days=3))),
        ("1w", Closes(after=timedelta(weeks=1))),
        ("fri", Closes(weekday=4)),
        ("Friday 17:00", Closes(weekday=4, at=(17, 0))),
        ("fri 5pm", Closes(weekday=4, at=(17, 0))),
        ("fri at 5:30 pm", Closes(weekday=4, at=(17, 30))),
        ("17:00 fri", Closes(weekday=4, at=(17, 0))),
        ("tomorrow 9am", Closes(in_days=1, at=(9, 0))),
        ("today noon", Closes(in_days=0, at=(12, 0))),
        ("09:30", Closes(at=(9, 30))),
        ("2026-12-01 12:00", Closes(on=date(2026, 12, 1), at=(12, 0))),
    ],
)
def test_deadlines_as_people_write_them(typed: str, closes: Closes) -> None:
    assert parse_closes(typed) == closes


@pytest.mark.parametrize("typed", ["soon", "25:00", "fri sat", "13pm", "2026-02-30", "17:00 18:00", "", "h"])
def test_what_is_not_a_deadline(typed: str) -> None:
    assert parse_closes(typed) is None


def test_bare_words_after_closes_are_taken_only_while_they_still_read_as_a_deadline() -> None:
    result = parse(('poll "Q?" a b --closes fri 17:00 c',))
    assert result == CreatePoll("Q?", ("a", "b", "c"), closes=Closes(weekday=4, at=(17, 0)))


@pytest.mark.parametrize(
    ("closes", "now", "expected"),
    [
        (Closes(weekday=4, at=(17, 0)), MONDAY_9, datetime(2026, 11, 20, 17, 0, tzinfo=UTC)),
        (Closes(weekday=0), MONDAY_9, datetime(2026, 11, 16, 17, 0, tzinfo=UTC)),  # later today
        (Closes(weekday=0, at=(8, 0)), MONDAY_9, datetime(2026, 11, 23, 8, 0, tzinfo=UTC)),  # passed: next week
        (Closes(at=(8, 0)), MONDAY_9, datetime(2026, 11, 17, 8, 0, tzinfo=UTC)),  # passed: tomorrow
        (Closes(in_days=0, at=(8, 0)), MONDAY_9, datetime(2026, 11, 16, 8, 0, tzinfo=UTC)),  # the rules refuse it
        (Closes(after=timedelta(hours=2)), MONDAY_9, datetime(2026, 11, 16, 11, 0, tzinfo=UTC)),
        # London in summer is UTC+1: 17:00 there is 16:00 UTC
        (Closes(on=date(2026, 7, 3), at=(17, 0)), MONDAY_9, datetime(2026, 7, 3, 16, 0, tzinfo=UTC)),
    ],
)
def test_a_deadline_means_the_next_such_moment_in_the_askers_zone(
    closes: Closes, now: datetime, expected: datetime
) -> None:
    assert resolve(closes, now, LONDON, FIVE_PM) == expected


def test_a_deadline_is_described_with_its_zone() -> None:
    assert describe(datetime(2026, 11, 20, 17, 0, tzinfo=UTC), LONDON) == "Fri 20 Nov, 17:00 GMT"
    assert describe(datetime(2026, 7, 3, 16, 0, tzinfo=UTC), LONDON) == "Fri 3 Jul, 17:00 BST"
