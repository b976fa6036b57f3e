from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class GrammarError:
    """Text the bot could not read as a command; `message` says what to type instead."""

    message: str
    show_help: bool = False
