"""What each command looks like, for the help text; each grammar module lists its own."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HelpEntry:
    usage: str
    summary: str
    example: str
