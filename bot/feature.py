"""The Feature contract: everything one feature adds to Huzzah, declared in one place.

A feature is a folder under `bot/features/` whose `__init__.py` defines a `Feature`, plus one line in
`bot/features/__init__.py`. The core is built from that list (`bot.registry`), and refuses at start a
verb, action, form, shortcut, reaction or view that two features both claim, naming both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from bot.config import Settings
from bot.context import Context
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts
from bot.incoming import Pressed, Reacted, Said, Shortcut, Submitted
from bot.messages import Block
from bot.outbox import View
from bot.outgoing import Response
from bot.people import Person

Parser = Callable[[Parts], Any]
"""Text after a verb → a command object, or a GrammarError saying what to type instead; never raises."""
CommandHandler = Callable[[Said, Any], Awaitable[Response]]
ActionHandler = Callable[[Pressed], Awaitable[Response]]
FormHandler = Callable[[Submitted], Awaitable[Response]]
ShortcutHandler = Callable[[Shortcut], Awaitable[Response]]
ReactionHandler = Callable[[Reacted], Awaitable[Response]]
HomeSection = Callable[[Person, str], Awaitable[list[Block]]]
"""A feature's part of a person's own page (Slack's App Home); the `str` is how commands are typed there."""
Ticker = Callable[[], Awaitable[None]]
"""Scheduled work (open due rounds, close due polls, post due digests).

Each ticker decides from the clock and the database what is due and claims every piece of work by a
unique key before doing it, so calling it late, twice, or from several instances at once is safe."""


@dataclass(frozen=True)
class Handlers:
    """What a built feature answers to. Keys are what comes back: a command object (from the feature's
    grammar), a button's action, a form's id, a shortcut's callback id, a reaction's emoji name, a
    `Refresh`'s view name."""

    commands: Mapping[type, CommandHandler] = field(default_factory=dict)
    actions: Mapping[str, ActionHandler] = field(default_factory=dict)
    forms: Mapping[str, FormHandler] = field(default_factory=dict)
    shortcuts: Mapping[str, ShortcutHandler] = field(default_factory=dict)
    reactions: Mapping[str, ReactionHandler] = field(default_factory=dict)
    views: Mapping[str, View] = field(default_factory=dict)
    home: tuple[HomeSection, ...] = ()
    tickers: tuple[Ticker, ...] = ()
    confidential: frozenset[type | str] = frozenset()
    """Commands (their types), actions and forms whose mere arrival is a confidence — a mood, an anonymous
    vote, a vent. They are handled the moment they arrive, before the platform is answered, and never written
    down to be worked off later (the inbox), so no row, not even a deleted one, ties a person to them."""


@dataclass(frozen=True)
class Feature:
    """A feature's declaration: its name, its grammar and help lines, its sections of app.yaml, and how to
    build its handlers. The grammar needs no database, so text can be parsed (and tested) on its own."""

    name: str
    build: Callable[[Context], Handlers]
    verbs: Mapping[str, Parser] = field(default_factory=dict)
    """The first word typed → the parser of the rest (matched case-insensitively)."""
    mention: Parser | None = None
    """What text that starts with a mention means (`@alice thanks …`); at most one feature claims it."""
    help: tuple[HelpEntry, ...] = ()
    settings: Mapping[str, type[BaseModel]] = field(default_factory=dict)
    """Top-level app.yaml keys this feature owns, each with the model that validates it (defaults when absent)."""
    check: Callable[[Settings], None] | None = None
    """Rules across sections (its own and the core's), run once the file is read; a ValueError says what to fix."""
