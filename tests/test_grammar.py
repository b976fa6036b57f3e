"""The one text grammar: it never raises, and every result is a command or an error that says what to do."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.features import FEATURES
from bot.features.kudos.grammar import GiveKudos, ShowStats
from bot.grammar import ShowHelp
from bot.grammar.errors import GrammarError
from bot.grammar.tokens import plain
from bot.people import Person
from bot.registry import grammar_of

parse = grammar_of(FEATURES).parse

ALICE = Person("console", "local", "alice", "alice")
BOB = Person("console", "local", "bob", "bob")
CAROL = Person("console", "local", "carol", "carol")

people = st.sampled_from([ALICE, BOB, CAROL])
parts = st.lists(st.one_of(st.text(max_size=60), people), max_size=8).map(tuple)


@given(parts)
def test_never_raises_and_always_answers_with_a_command_or_a_helpful_error(typed) -> None:  # type: ignore[no-untyped-def]
    result = parse(typed)
    assert result is not None
    if isinstance(result, GrammarError):
        assert result.message.strip()


@given(st.text(min_size=1, max_size=200).filter(
    lambda s: s.strip() and not s.strip().startswith(",") and "#" not in s and "@" not in s
))
def test_the_reason_is_kept_exactly_as_typed_in_any_script(reason: str) -> None:
    result = parse((BOB, " " + reason))
    assert isinstance(result, GiveKudos)
    assert plain(result.reason) == reason.strip()


def test_recipients_reason_and_values() -> None:
    result = parse((ALICE, " ", BOB, " thanks for staying late with the outage customer #ownership #teamwork"))
    assert result == GiveKudos((ALICE, BOB), ("thanks for staying late with the outage customer",),
                               ("ownership", "teamwork"))


def test_recipients_joined_by_commas_and_and() -> None:
    result = parse((ALICE, ", ", BOB, " and ", CAROL, " you were great 🙌 #teamwork"))
    assert isinstance(result, GiveKudos)
    assert result.recipients == (ALICE, BOB, CAROL)
    assert plain(result.reason) == "you were great 🙌"


def test_a_comma_after_the_recipients_is_punctuation_not_reason() -> None:
    result = parse((BOB, ", thanks for the save"))
    assert isinstance(result, GiveKudos) and plain(result.reason) == "thanks for the save"


def test_tags_inside_the_reason_stay_in_it_and_count() -> None:
    result = parse((BOB, " showed real #empathy with the caller"))
    assert isinstance(result, GiveKudos)
    assert plain(result.reason) == "showed real #empathy with the caller"
    assert result.values == ("empathy",)


def test_mentions_inside_the_reason_are_not_recipients() -> None:
    result = parse((BOB, " thanks for helping ", CAROL, " with the refund"))
    assert isinstance(result, GiveKudos)
    assert result.recipients == (BOB,)
    assert result.reason == ("thanks for helping ", CAROL, " with the refund")


def test_a_verb_may_lead() -> None:
    for verb in ("kudos", "Huzzah", "give"):
        result = parse((f"{verb} ", BOB, " for the save"))
        assert isinstance(result, GiveKudos) and result.recipients == (BOB,)


def test_duplicate_recipients_count_once() -> None:
    result = parse((BOB, " ", BOB, " thanks"))
    assert isinstance(result, GiveKudos) and result.recipients == (BOB,)


def test_unknown_handle_is_named_with_what_to_do() -> None:
    result = parse(("@zed thanks for the help",))
    assert isinstance(result, GrammarError)
    assert "@zed" in result.message and "Mention people" in result.message


def test_unknown_word_offers_help() -> None:
    result = parse(("frobnicate the queue",))
    assert isinstance(result, GrammarError) and result.show_help and "frobnicate" in result.message


def test_kudos_verb_without_anyone_says_who_to_start_with() -> None:
    result = parse(("kudos for everything",))
    assert isinstance(result, GrammarError) and "Start with who" in result.message


def test_empty_text_is_help() -> None:
    assert parse(()) == ShowHelp()
    assert parse(("   ",)) == ShowHelp()


def test_stats_for_me_or_someone() -> None:
    assert parse(("stats",)) == ShowStats()
    assert parse(("stats ", BOB)) == ShowStats(BOB)
    assert isinstance(parse(("stats of everyone",)), GrammarError)


def test_huge_text_is_refused_with_the_limit() -> None:
    result = parse((BOB, " " + "x" * 5000))
    assert isinstance(result, GrammarError) and "4,000" in result.message
