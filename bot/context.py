"""What every feature is given: settings, the database, the clock, who is in each platform's channels, and where
to count what it did."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.metrics import Metrics, NoMetrics
from bot.ports import Roster
from storage.db import Database


@dataclass(frozen=True)
class Context:
    settings: Settings
    db: Database
    clock: Clock
    rosters: Mapping[str, Roster] = field(default_factory=dict)
    """Platform name → its roster; filled as platforms are plugged in (`Huzzah.plug`)."""
    metrics: Metrics = field(default_factory=NoMetrics)
