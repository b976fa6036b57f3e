"""ISO weeks as a team lives them: Monday 00:00 to Monday 00:00 in the configured time zone."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_interval

from bot.config import WEEKDAYS
from bot.i18n import SOURCE, current, number_locale

_LABEL = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Week:
    year: int
    number: int

    @classmethod
    def parse(cls, label: str) -> Week:
        """`2026-W47` (or `2026W47`); ValueError says what to type instead."""
        match = _LABEL.match(label.strip())
        if match:
            try:
                return cls.of_date(date.fromisocalendar(int(match[1]), int(match[2]), 1))
            except ValueError:
                pass
        raise ValueError(f"{label!r} is not an ISO week — write it like 2026-W47 (weeks run from W01 to W52 or W53)")

    @classmethod
    def of_date(cls, day: date) -> Week:
        year, number, _ = day.isocalendar()
        return cls(year, number)

    @classmethod
    def of(cls, moment: datetime, zone: ZoneInfo) -> Week:
        return cls.of_date(moment.astimezone(zone).date())

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.number:02d}"

    def day(self, index: int) -> date:
        """Monday is 0."""
        return date.fromisocalendar(self.year, self.number, 1) + timedelta(days=index)

    def before(self, weeks: int = 1) -> Week:
        return Week.of_date(self.day(0) - timedelta(weeks=weeks))

    def after(self) -> Week:
        return Week.of_date(self.day(7))

    def days(self, zone: ZoneInfo) -> tuple[datetime, ...]:
        """The eight local midnights that bound its seven days, in UTC (days are 23 or 25 hours across DST)."""
        return tuple(at(self.day(i), time(0), zone) for i in range(8))

    def start(self, zone: ZoneInfo) -> datetime:
        return at(self.day(0), time(0), zone)

    def end(self, zone: ZoneInfo) -> datetime:
        return at(self.day(7), time(0), zone)

    def span(self) -> str:
        """`16–22 Nov 2026`, for people who do not think in week numbers."""
        first, last = self.day(0), self.day(6)
        if current() != SOURCE:  # English keeps its compact form; Babel writes the others' own way
            return str(format_interval(first, last, "yMMMd", locale=number_locale()))
        head = f"{first.day}" if first.month == last.month else f"{first.day} {first:%b}"
        if first.year != last.year:
            head += f" {first.year}"
        return f"{head}–{last.day} {last:%b} {last.year}"


def at(day: date, clock_time: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock_time, tzinfo=zone).astimezone(UTC)


def due_at(week: Week, weekday: str, hhmm: str, zone: ZoneInfo) -> datetime:
    """When the digest of `week` falls due: the configured day and time of the following week."""
    hour, minute = map(int, hhmm.split(":"))
    return at(week.after().day(WEEKDAYS.index(weekday)), time(hour, minute), zone)
