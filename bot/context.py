"""What every feature is given: settings, the database, the clock, and where deliveries go."""

from __future__ import annotations

from dataclasses import dataclass

from bot.clock import Clock
from bot.config import Settings
from storage.db import Database


@dataclass(frozen=True)
class Context:
    settings: Settings
    db: Database
    clock: Clock
