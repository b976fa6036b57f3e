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
        return ["Write the question first, in quotes — e.g. “Where should the team lunch be?”"]
    if len(question) > MAX_POLL_QUESTION_CHARS:
        return [f"The question is {len(question)} characters — shorten it to {MAX_POLL_QUESTION_CHARS} or fewer."]
    return []


def _options(options: tuple[str, ...]) -> list[str]:
    found = [
        f"Option {i} is empty — write something between its quotes, or leave it out."
        for i, option in enumerate(options, 1) if not option.strip()
    ]
    given = [o for o in options if o.strip()]
    if len(given) < MIN_POLL_OPTIONS:
        found.append(
            f"A poll needs at least {MIN_POLL_OPTIONS} options and this one has {len(given)} — "
            "add another choice to pick from."
        )
    if len(given) > MAX_POLL_OPTIONS:
        found.append(
            f"A poll can offer at most {MAX_POLL_OPTIONS} options and this one has {len(given)} — "
            f"drop {len(given) - MAX_POLL_OPTIONS}, or split it into two polls."
        )
    seen: set[str] = set()
    for option in given:
        folded = _folded(option)
        if folded in seen:
            found.append(f"“{_short(option)}” is listed twice (capitals don't count) — keep one of them.")
        seen.add(folded)
    found += [
        f"Option {i} (“{_short(option)}”) is {len(option)} characters — keep each option to "
        f"{MAX_POLL_OPTION_CHARS} or fewer so it fits on a button."
        for i, option in enumerate(options, 1) if len(option) > MAX_POLL_OPTION_CHARS
    ]
    return found


def _deadline(closes_at: datetime, now: datetime, settings: PollSettings, zone: ZoneInfo) -> list[str]:
    if closes_at <= now:
        return [
            f"That deadline ({describe(closes_at, zone)}) has already passed — pick a time ahead, e.g. 2h or fri 17:00."
        ]
    if closes_at < now + timedelta(minutes=MIN_POLL_OPEN_MINUTES):
        minutes = f"{MIN_POLL_OPEN_MINUTES} minute{'s' if MIN_POLL_OPEN_MINUTES != 1 else ''}"
        return [f"That deadline leaves people under {minutes} to vote — give them longer, e.g. 30m."]
    latest = now + timedelta(days=settings.max_open_days)
    if closes_at > latest:
        return [
            f"A poll can stay open at most {settings.max_open_days} days — pick a deadline before "
            f"{describe(latest, zone)}."
        ]
    return []
