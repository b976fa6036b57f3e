"""Turning `2h` or `fri 17:00` into a moment, and a moment into words people read at a glance."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.features.polls.grammar import Closes
from bot.i18n import tr, when


def resolve(closes: Closes, now: datetime, zone: ZoneInfo, default_at: tuple[int, int]) -> datetime:
    """The UTC moment a typed deadline means, read in the asker's time zone.

    A weekday or a bare time means the next one still ahead (`fri` on a Friday evening is next week);
    `today`, `tomorrow` and dates mean exactly that day, even if the time has passed (the rules say so).
    """
    if closes.after is not None:
        return now + closes.after
    local = now.astimezone(zone)
    hour, minute = closes.at or default_at

    def on(day: date) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)

    if closes.on is not None:
        return on(closes.on)
    if closes.in_days is not None:
        return on(local.date() + timedelta(days=closes.in_days))
    if closes.weekday is not None:
        day = local.date() + timedelta(days=(closes.weekday - local.weekday()) % 7)
        return on(day) if on(day) > now else on(day + timedelta(days=7))
    today = on(local.date())
    return today if today > now else on(local.date() + timedelta(days=1))


def describe(moment: datetime, zone: ZoneInfo) -> str:
    """`Fri 20 Nov, 17:00 GMT` — the day and time in one zone, named so nobody guesses, as the reader writes dates."""
    local = moment.astimezone(zone)
    return tr("{date}, {time} {zone}", date=when(local, "MMMEd"), time=when(local, "Hm"), zone=local.tzname())
