"""What one executive roll-up covers: the ISO week just ended, or the ISO weeks of the month just ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.features.digest.week import Week


@dataclass(frozen=True)
class Period:
    weeks: tuple[Week, ...]
    """Oldest first."""
    monthly: bool

    @classmethod
    def ending(cls, last: Week, every: str) -> Period | None:
        """The period `last` closes, or None when a monthly roll-up is not due after it.

        A month's weeks are those whose Thursday falls in it (the ISO rule that gives each week one year)."""
        if every == "week":
            return cls((last,), False)
        month = last.day(3).month
        if last.after().day(3).month == month:
            return None
        weeks = [last]
        while weeks[0].before().day(3).month == month:
            weeks.insert(0, weeks[0].before())
        return cls(tuple(weeks), True)

    @property
    def label(self) -> str:
        return f"{self.weeks[-1].day(3):%Y-%m}" if self.monthly else self.weeks[-1].label

    @property
    def shown(self) -> str:
        return f"{self.weeks[-1].day(3):%B %Y}" if self.monthly else f"{self.weeks[-1].label} · {self.weeks[-1].span()}"

    def start(self, zone: ZoneInfo) -> datetime:
        return self.weeks[0].start(zone)

    def end(self, zone: ZoneInfo) -> datetime:
        return self.weeks[-1].end(zone)

    def before(self) -> Period:
        earlier = self.weeks[0].before()
        found = Period.ending(earlier, "month" if self.monthly else "week")
        assert found is not None  # the week before a month's first week is the last of the month before
        return found
