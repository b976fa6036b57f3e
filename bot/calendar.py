"""Days and weeks as people live them: in their own time zone, weeks starting on Monday."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_or(tz: str | None, fallback: ZoneInfo) -> ZoneInfo:
    if not tz:
        return fallback
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def day_start(moment: datetime, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def week_start(moment: datetime, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.astimezone(UTC)


def iso_week(moment: datetime, zone: ZoneInfo) -> str:
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"
