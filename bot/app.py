"""The core's front door: adapters hand it an Incoming and get a Response; deliveries go to the outbox."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot import grammar
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import Context
from bot.features import help as help_feature
from bot.features import kudos as kudos_feature
from bot.features.checkins import Checkins
from bot.features.digest.weekly import WeeklyDigest
from bot.features.home import home_page
from bot.features.kudos_views import GIVE_FORM, ME_TOO
from bot.features.polls import Polls
from bot.features.stats import show_stats
from bot.grammar.errors import GrammarError
from bot.grammar.kudos import GiveKudos, ShowStats
from bot.incoming import Incoming, Pressed, Reacted, Said, Shortcut, Submitted
from bot.messages import Message, say
from bot.outbox import Outbox
from bot.outgoing import Response, reply
from bot.people import Person
from bot.ports import Roster
from bot.safe_log import log_failure
from storage.db import Database

log = logging.getLogger(__name__)

SORRY = say(
    "Sorry — something went wrong on my side and nothing was changed. Please try again in a minute; "
    "if it keeps happening, tell whoever runs Huzzah."
)
STALE = say("That button belongs to something I no longer know about. Type `help` to see what I can do.")

CommandHandler = Callable[[Said, Any], Awaitable[Response]]
ActionHandler = Callable[[Pressed], Awaitable[Response]]
FormHandler = Callable[[Submitted], Awaitable[Response]]
ShortcutHandler = Callable[[Shortcut], Awaitable[Response]]
Ticker = Callable[[], Awaitable[None]]
"""Scheduled work of one feature (open due rounds, close due polls, post due digests).

Each ticker decides from the clock and the database what is due and claims every piece of work by a
unique key before doing it, so calling it late, twice, or from several instances at once is safe."""


class Huzzah:
    """One per process; stateless besides the database, so any number can run side by side."""

    def __init__(self, settings: Settings, db: Database, clock: Clock | None = None) -> None:
        self.ctx = Context(settings=settings, db=db, clock=clock or SystemClock())
        self.outbox = Outbox(db, self.ctx.clock)
        self.kudos = kudos_feature.Kudos(self.ctx)
        self.outbox.views[kudos_feature.VIEW] = self.kudos.view
        self.commands: dict[type, CommandHandler] = {
            GiveKudos: self.kudos.give,
            ShowStats: self._stats,
        }
        self.actions: dict[str, ActionHandler] = {ME_TOO: self.kudos.me_too}
        self.forms: dict[str, FormHandler] = {GIVE_FORM: self.kudos.submitted}
        self.shortcuts: dict[str, ShortcutHandler] = {kudos_feature.GIVE_SHORTCUT: self.kudos.shortcut}
        self.tickers: list[Ticker] = []
        self.digest = WeeklyDigest(self.ctx)
        self.tickers.append(self.digest.tick)
        self.rosters: dict[str, Roster] = {}
        self.checkins = Checkins(self.ctx, self.rosters)
        self.checkins.register(self)
        self.polls = Polls(self.ctx)
        self.polls.register(self)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    async def handle(self, incoming: Incoming, *, prefix: str = "") -> Response:
        """Never raises: a failure becomes an apology to the sender, logged without what they typed.

        `prefix` is how this platform starts a command (`/huzzah ` on Slack), used in help examples.
        """
        try:
            return await self._route(incoming, prefix)
        except Exception as exc:
            log_failure(log, f"handling {type(incoming).__name__}", exc)
            return reply(SORRY)
        finally:
            self.outbox.kick()

    async def home(self, person: Person, *, prefix: str = "") -> Message:
        """A person's own page (Slack's App Home); never raises."""
        try:
            return await home_page(self.ctx, person, prefix)
        except Exception as exc:
            log_failure(log, "drawing the home page", exc)
            return SORRY

    async def tick(self) -> None:
        """Run every feature's scheduled work that is due; the scheduler calls this, any instance may."""
        for ticker in self.tickers:
            try:
                await ticker()
            except Exception as exc:
                log_failure(log, f"scheduled work {getattr(ticker, '__qualname__', ticker)}", exc)
        self.outbox.kick()

    async def _route(self, incoming: Incoming, prefix: str) -> Response:
        match incoming:
            case Said():
                return await self._said(incoming, prefix)
            case Pressed(action=action):
                handler = self.actions.get(action)
                return await handler(incoming) if handler else reply(STALE)
            case Submitted(form=form):
                form_handler = self.forms.get(form)
                return await form_handler(incoming) if form_handler else reply(STALE)
            case Reacted():
                return await self.kudos.react(incoming)
            case Shortcut(name=name):
                shortcut_handler = self.shortcuts.get(name)
                return await shortcut_handler(incoming) if shortcut_handler else reply(STALE)
        return Response()

    async def _said(self, said: Said, prefix: str) -> Response:
        command = grammar.parse(said.parts)
        if isinstance(command, GrammarError):
            return reply(help_feature.grammar_error(self.settings, command, prefix))
        handler = self.commands.get(type(command))
        if handler is None:
            return reply(help_feature.help_message(self.settings, prefix))
        return await handler(said, command)

    async def _stats(self, said: Said, command: ShowStats) -> Response:
        return reply(await show_stats(self.ctx, said, command))
