"""What a poll must be: 2–10 different options, short enough to read, a deadline that makes sense.

Every mistake found is one line that says what to fix, so a long poll with three problems is fixed in one go.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.features.polls.deadline import describe
from bot.features.polls.grammar import CreatePoll
from bot.features.polls.limits import (
    MAX_POLL_OPTION_CHARS,
    MAX_POLL_OPTIONS,
    MAX_POLL_QUESTION_CHARS,
    MIN_POLL_OPEN_MINUTES,
    MIN_POLL_OPTIONS,
)
from bot.features.polls.settings import PollSettings
from bot.i18n import tr, tr_plural


def _folded(option: str) -> str:
    return " ".join(option.casefold().split())


def _short(text: str) -> str:
    return text if len(text) <= 30 else text[:29] + "…"


def problems(
    cmd: CreatePoll, closes_at: datetime | None, now: datetime, settings: PollSettings, zone: ZoneInfo
) -> list[str]:
    found = _question(cmd.question) + _options(cmd.options)
    if closes_at is not None:
        found += _deadline(closes_at, now, settings, zone)
    return found


def _question(question: str) -> list[str]:
    if not question.strip():
        return [tr("Write the question first, in quotes — e.g. “Where should the team lunch be?”")]
    if len(question) > MAX_POLL_QUESTION_CHARS:
        return [tr("The question is {count} characters — shorten it to {limit} or fewer.", count=len(question),
                   limit=MAX_POLL_QUESTION_CHARS)]
    return []


def _options(options: tuple[str, ...]) -> list[str]:
    found = [
        tr("Option {i} is empty — write something between its quotes, or leave it out.", i=i)
        for i, option in enumerate(options, 1) if not option.strip()
    ]
    given = [o for o in options if o.strip()]
    if len(given) < MIN_POLL_OPTIONS:
        found.append(
            tr("A poll needs at least {limit} options and this one has {count} — add another choice to pick from.",
               limit=MIN_POLL_OPTIONS, count=len(given))
        )
    if len(given) > MAX_POLL_OPTIONS:
        found.append(
            tr("A poll can offer at most {limit} options and this one has {count} — drop {extra}, or split it "
               "into two polls.", limit=MAX_POLL_OPTIONS, count=len(given), extra=len(given) - MAX_POLL_OPTIONS)
        )
    seen: set[str] = set()
    for option in given:
        folded = _folded(option)
        if folded in seen:
            found.append(tr("“{option}” is listed twice (capitals don't count) — keep one of them.",
                            option=_short(option)))
        seen.add(folded)
    found += [
        tr("Option {i} (“{option}”) is {count} characters — keep each option to {limit} or fewer so it fits on "
           "a button.", i=i, option=_short(option), count=len(option), limit=MAX_POLL_OPTION_CHARS)
        for i, option in enumerate(options, 1) if len(option) > MAX_POLL_OPTION_CHARS
    ]
    return found


def _deadline(closes_at: datetime, now: datetime, settings: PollSettings, zone: ZoneInfo) -> list[str]:
    if closes_at <= now:
        return [
            tr("That deadline ({when}) has already passed — pick a time ahead, e.g. 2h or fri 17:00.",
               when=describe(closes_at, zone))
        ]
    if closes_at < now + timedelta(minutes=MIN_POLL_OPEN_MINUTES):
        return [tr_plural("That deadline leaves people under {n} minute to vote — give them longer, e.g. 30m.",
                          "That deadline leaves people under {n} minutes to vote — give them longer, e.g. 30m.",
                          MIN_POLL_OPEN_MINUTES)]
    latest = now + timedelta(days=settings.max_open_days)
    if closes_at > latest:
        return [
            tr_plural("A poll can stay open at most {n} day — pick a deadline before {when}.",
                      "A poll can stay open at most {n} days — pick a deadline before {when}.",
                      settings.max_open_days, when=describe(latest, zone))
        ]
    return []
