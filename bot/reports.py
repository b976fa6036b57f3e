"""What the weekly digest reads from the other features: figures already safe to show.

Each feature computes its own report (in SQL) and applies its own privacy rules before filling one of
these, so the digest only arranges what it is given and can never show more than the feature allows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class MoodReport:
    """One team's check-in round for one ISO week. Figures are None when withheld; `withheld` says why."""

    team: str
    week: str
    asked: int | None
    answered: int | None
    average: float | None
    distribution: tuple[int, int, int, int, int] | None
    trend: tuple[tuple[str, float | None], ...]
    vents: tuple[str, ...] | None
    withheld: str = ""


@dataclass(frozen=True)
class PollResult:
    question: str
    options: tuple[tuple[str, int], ...]
    voters: int
    anonymous: bool
    closed_at: datetime
