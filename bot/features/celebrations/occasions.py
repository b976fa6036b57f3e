"""Who has a day to celebrate, read afresh from HR's CSV each time: Huzzah keeps no dates of its own.

    person,birthday,started,timezone
    slack:U0123ABCD,03-14,2021-09-01,Asia/Ho_Chi_Minh

`birthday` is day and month only (MM-DD: a year is refused, nobody's age is needed); `started` is the first
day at work (YYYY-MM-DD), which gives the first week and every work anniversary; `timezone` is optional (the
person's profile time zone, then the install's, otherwise). A row that cannot be read is skipped and logged by
its line number only.
"""

from __future__ import annotations

import csv
import logging
import re
from calendar import isleap
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)
_BIRTHDAY = re.compile(r"^-{0,2}(\d{2})-(\d{2})$")

Kind = Literal["birthday", "anniversary", "first week"]


@dataclass(frozen=True)
class Listed:
    """One person as HR listed them."""

    platform: str
    user_id: str
    birthday: tuple[int, int] | None = None
    started: date | None = None
    timezone: str = ""


@dataclass(frozen=True)
class Occasion:
    kind: Kind
    years: int = 0
    """For an anniversary: how many years."""


def read_listed(path: str, *, warn: bool = True) -> list[Listed]:
    """Everyone in the CSV; an unreadable file reads as no one (nothing is celebrated wrongly). Problems are
    logged when `warn` (the first read of each version of the file, not every tick)."""
    if not path:
        return []
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as file:
            rows = list(csv.DictReader(file))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        if warn:
            log.warning("cannot read the celebrations CSV %s (%s) — fix celebrations.csv in app.yaml", path,
                        type(exc).__name__)
        return []
    out = []
    for number, row in enumerate(rows, start=2):
        listed = _listed(row)
        if listed is None and warn:
            log.warning("celebrations CSV line %d skipped: write person as platform:user_id, birthday as MM-DD "
                        "and started as YYYY-MM-DD", number)
        elif listed is not None:
            out.append(listed)
    return out


def _listed(row: dict[str, str | None]) -> Listed | None:
    def cell(name: str) -> str:
        return (row.get(name) or "").strip()

    platform, sep, user_id = cell("person").partition(":")
    if not sep or not platform or not user_id:
        return None
    birthday = None
    if cell("birthday"):
        match = _BIRTHDAY.match(cell("birthday"))
        if match is None or not _real_day(int(match[1]), int(match[2])):
            return None
        birthday = (int(match[1]), int(match[2]))
    started = None
    if cell("started"):
        try:
            started = date.fromisoformat(cell("started"))
        except ValueError:
            return None
    return Listed(platform, user_id, birthday, started, cell("timezone"))


def _real_day(month: int, day: int) -> bool:
    try:
        date(2024, month, day)  # a leap year: 29 February is a real birthday
    except ValueError:
        return False
    return True


def occasions_on(listed: Listed, day: date) -> list[Occasion]:
    """What `day` (in the person's own time zone) is for them."""
    out: list[Occasion] = []
    if listed.birthday is not None and _same_day(listed.birthday, day):
        out.append(Occasion("birthday"))
    if listed.started is not None:
        if listed.started == day:
            out.append(Occasion("first week"))
        elif day.year > listed.started.year and _same_day((listed.started.month, listed.started.day), day):
            out.append(Occasion("anniversary", day.year - listed.started.year))
    return out


def _same_day(month_day: tuple[int, int], day: date) -> bool:
    """29 February is celebrated on the 28th when the year has none."""
    if month_day == (2, 29) and not isleap(day.year):
        return (day.month, day.day) == (2, 28)
    return (day.month, day.day) == month_day
