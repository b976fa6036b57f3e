"""What every feature is given: settings, the database, the clock, and who is in each platform's channels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.ports import Roster
from storage.db import Database


@dataclass(frozen=True)
class Context:
    settings: Settings
    db: Database
    clock: Clock
    rosters: Mapping[str, Roster] = field(default_factory=dict)
    """Platform name → its roster; filled as platforms are plugged in (`Huzzah.plug`)."""
