"""When each person is asked: their own weekday and time (or the team's), in their own time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.calendar import iso_week, week_start, zone_or
from bot.config import WEEKDAYS, Settings
from bot.features.checkins.settings import CheckinSettings
from bot.i18n import tr, weekday
from storage.checkins import Prefs

LAST_WEEK_ENDS = timedelta(days=7, hours=12)
"""From a week's Monday 00:00 UTC until that week is over everywhere (UTC-12 reaches Monday 12 hours later)."""


@dataclass(frozen=True)
class Slot:
    """A weekly check-in time: weekday and HH:MM in a time zone."""

    day: str
    time: str
    zone: ZoneInfo

    def in_week_of(self, moment: datetime) -> datetime:
        """This slot in the local week (Monday–Sunday) containing `moment`, as UTC."""
        monday = week_start(moment, self.zone).astimezone(self.zone).date()
        hour, minute = map(int, self.time.split(":"))
        local = datetime.combine(monday + timedelta(days=WEEKDAYS.index(self.day)), time(hour, minute), self.zone)
        return local.astimezone(UTC)

    def recent(self, now: datetime) -> list[datetime]:
        """This week's and last week's occurrence (newest first) — the ones whose window may still be open."""
        return [self.in_week_of(now), self.in_week_of(now - timedelta(days=7))]

    def next_after(self, now: datetime) -> datetime:
        this_week = self.in_week_of(now)
        return this_week if this_week > now else self.in_week_of(now + timedelta(days=7))

    def week_of(self, ask_at: datetime) -> str:
        return iso_week(ask_at, self.zone)

    def describe(self) -> str:
        return tr("{day}s at {time} ({zone})", day=weekday(WEEKDAYS.index(self.day)), time=self.time,
                  zone=self.zone.key)


def slot_for(settings: Settings, tz: str | None, prefs: Prefs | None) -> Slot:
    prefs = prefs or Prefs()
    asked = settings.section(CheckinSettings)
    return Slot(prefs.day or asked.day, prefs.time or asked.time, zone_or(tz, settings.zone))


def week_over(week: str) -> datetime:
    """The moment an ISO week has ended in every time zone: no one can still be asked for it after this."""
    year, number = week.split("-W")
    monday = datetime.fromisocalendar(int(year), int(number), 1).replace(tzinfo=UTC)
    return monday + LAST_WEEK_ENDS


def first_close(settings: Settings, week: str, asked_at: datetime) -> datetime:
    """A new round stays open for the first person's full window, and at least until its week is over."""
    return max(week_over(week), asked_at + timedelta(days=settings.section(CheckinSettings).open_days))
