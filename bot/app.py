"""The core's front door: built from the features, plugged into platforms; an adapter hands it an Incoming and
gets a Response, and deliveries leave through the outbox.

`Huzzah` is what `bot.platform.Core` describes to the platforms, plus what the composition root needs.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.context import Context
from bot.edge import Unfit, admitted
from bot.failures import apology, log_failure
from bot.feature import Feature, Ticker
from bot.features import FEATURES
from bot.grammar import ShowHelp
from bot.grammar.errors import GrammarError
from bot.help import grammar_error, help_message
from bot.i18n import N_, set_workspace_language, speaking, tr
from bot.inbox import Accepted, Answer, Inbox
from bot.incoming import Incoming, Pressed, Reacted, Said, Shortcut, Submitted
from bot.messages import Block, Divider, Message, message, say
from bot.metrics import Metrics, NoMetrics
from bot.outbox import Outbox
from bot.outgoing import Response, reply
from bot.people import Channel, Person
from bot.platform import Platform
from bot.ports import Conversations, Roster
from bot.registry import ClashError, Registry
from bot.speakers import language_for
from bot.tracing import FEATURE, within
from storage.conversations import StoredConversations
from storage.db import Database
from storage.delivery import claim_once, forgetting
from storage.inbox import AlreadyFinished

log = logging.getLogger(__name__)

STALE = N_("That button belongs to something I no longer know about. Type `help` to see what I can do.")
UNFIT = N_("Sorry — I couldn't tell who or where that came from, so I did nothing with it.")
HOME_SUMMARY = N_("Your huzzahs")


class AdmittedRoster:
    """A platform's roster whose members pass the edge like everything else (one with an unfit id is left out)."""

    def __init__(self, inner: Roster) -> None:
        self.platform = inner.platform
        self._inner = inner

    async def members(self, channel: Channel) -> list[Person]:
        found = []
        for person in await self._inner.members(channel):
            try:
                found.append(admitted(person))
            except Unfit as refused:
                log.warning("left a member of a %s channel out: %s", self.platform, refused)
        return found


class Huzzah:
    """One per process; stateless besides the database, so any number can run side by side."""

    def __init__(self, settings: Settings, db: Database, clock: Clock | None = None,
                 features: Iterable[Feature] = FEATURES, metrics: Metrics | None = None) -> None:
        self.rosters: dict[str, Roster] = {}
        set_workspace_language(settings.language)
        self.ctx = Context(settings=settings, db=db, clock=clock or SystemClock(), rosters=self.rosters,
                           metrics=metrics or NoMetrics())
        self.outbox = Outbox(db, self.ctx.clock, self.ctx.metrics)
        self.registry = Registry.of(features, self.ctx)
        self.outbox.views.update(self.registry.views)
        self._ticker_owners: dict[Ticker, str] = dict(self.registry.ticker_owners)
        self.platforms: dict[str, Platform] = {}
        self.inbox = Inbox(db, self.ctx.clock, self._respond, self._confidential, self._answerer,
                           platforms=lambda: list(self.platforms))
        # unfinished requests first: at start-up they are what people are waiting for
        self.tickers: list[Ticker] = [self.inbox.recover, *self.registry.tickers]
        self._conversations: dict[str, Conversations] = {}

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def metrics(self) -> Metrics:
        return self.ctx.metrics

    def plug(self, platform: Platform) -> None:
        """Let the outbox reach people on `platform`, its rosters answer for its channels, and its work run."""
        if platform.name in self.platforms:
            raise ClashError(f"two platforms are both called {platform.name!r}")
        self.platforms[platform.name] = platform
        self.outbox.attach(platform.messenger)
        if platform.roster is not None:
            self.rosters[platform.name] = AdmittedRoster(platform.roster)
        added = [*platform.tickers, forgetting(self.ctx.db, self.ctx.clock, f"{platform.name}:")]
        self.tickers += added
        self._ticker_owners.update(dict.fromkeys(added, platform.name))

    # ---- what platforms may ask (bot.platform.Core) -----------------------------------------------

    async def handle(self, incoming: Incoming, *, prefix: str = "") -> Response:
        """Never raises: a failure becomes an apology to the sender, logged without what they typed.

        Everything passes the edge first (`bot.edge`: no control characters, names the database can hold), and
        nothing another bot or app does is acted on — a bot's mention never becomes a kudos.
        `prefix` is how this platform starts a command (`/huzzah ` on Slack), used in help examples.
        """
        try:
            return await self._respond(incoming, prefix, None)
        except AlreadyFinished:  # only inside the inbox's ride-along, which `handle` never runs in
            return Response()

    async def accept(self, incoming: Incoming, answer: Mapping[str, Any], *, prefix: str = "",
                     delivery_id: str = "") -> Accepted | None:
        with contextlib.suppress(Unfit):  # kept as it came: refused, with a reason, when it is worked off
            incoming = admitted(incoming)
        return await self.inbox.accept(incoming, answer, prefix=prefix, delivery_id=delivery_id)

    async def work(self, accepted: Accepted) -> None:
        await self.inbox.work(accepted)

    def feature_of(self, incoming: Incoming) -> str:
        """Which feature answers this (for logs): only code names — never anything the person typed or chose."""
        try:
            return self._owner(incoming)
        except Exception:
            return ""

    def _owner(self, incoming: Incoming) -> str:
        table = self.registry
        match incoming:
            case Said():
                command = table.grammar.parse(incoming.parts)
                return "" if isinstance(command, GrammarError) else table.owner("commands", type(command))
            case Pressed(action=action):
                return table.owner("actions", action)
            case Submitted(form=form):
                return table.owner("forms", form)
            case Reacted(emoji=emoji):
                return table.owner("reactions", emoji)
            case Shortcut(name=name):
                return table.owner("shortcuts", name)
        return ""

    async def home(self, person: Person, *, prefix: str = "") -> Message:
        try:
            person = admitted(person)
            with speaking(await self._language(person)):
                blocks: list[Block] = []
                for section in self.registry.home:
                    part = await section(person, prefix)
                    blocks += [Divider(), *part] if blocks and part else part
                return message(*blocks, summary=tr(HOME_SUMMARY))
        except Exception as exc:
            return apology(log, "drawing the home page", exc).replies[0]

    def wants_reaction(self, emoji: str) -> bool:
        return emoji in self.registry.reactions

    async def first_delivery(self, platform: str, delivery_id: str) -> bool:
        async with self.ctx.db.transaction() as conn:
            return await claim_once(conn, f"{platform}:{delivery_id}", self.ctx.clock.now())

    def conversations(self, platform: str) -> Conversations:
        if platform not in self._conversations:
            self._conversations[platform] = StoredConversations(self.ctx.db, self.ctx.clock, platform)
        return self._conversations[platform]

    async def drain(self) -> None:
        await self.outbox.drain()

    # ---- scheduled work ------------------------------------------------------------------------------

    async def tick(self) -> None:
        """Run every feature's and platform's scheduled work that is due; any instance may, any number of times."""
        for ticker in self.tickers:
            with within(FEATURE, self._ticker_owners.get(ticker, "")):
                try:
                    await ticker()
                except Exception as exc:
                    log_failure(log, f"scheduled work {getattr(ticker, '__qualname__', ticker)}", exc)
        self.outbox.kick()

    # ---- routing -------------------------------------------------------------------------------------

    async def _respond(self, incoming: Incoming, prefix: str, language: str | None) -> Response:
        """`handle`, except that another worker having finished the same inbox row is let through; `language` is
        the sender's when the inbox already knows it."""
        kind = type(incoming).__name__
        try:
            incoming = admitted(incoming)
        except Unfit as refused:
            log.warning("refused a %s: %s", kind, refused)
            return reply(say(tr(UNFIT)))
        if incoming.sender.is_bot:
            log.info("ignored a %s from a bot", kind)
            return Response()
        feature, began = self.feature_of(incoming), time.perf_counter()
        with within(FEATURE, feature), speaking(language or await self._language(incoming.sender)) as language:
            try:
                return replace(await self._route(incoming, prefix), language=language)
            except AlreadyFinished:
                raise
            except Exception as exc:
                return apology(log, f"handling {kind}", exc)
            finally:
                self.outbox.kick()
                took = (time.perf_counter() - began) * 1000
                log.info("%s handled by %s in %.0f ms", kind, feature or "the core", took,
                         extra={"latency_ms": round(took, 1)})

    async def _language(self, person: Person) -> str | None:
        """The sender's language; a database that cannot say leaves the workspace's (the request still runs)."""
        try:
            return await language_for(self.ctx.db, person)
        except Exception as exc:
            log_failure(log, "looking up a language", exc)
            return None

    def _confidential(self, incoming: Incoming) -> bool:
        """Whether a feature declared this incoming's arrival itself a confidence (`Handlers.confidential`)."""
        secret = self.registry.confidential
        if not secret:
            return False
        match incoming:
            case Said():
                return type(self.registry.grammar.parse(incoming.parts)) in secret
            case Pressed(action=key) | Submitted(form=key):
                return key in secret
        return False

    def _answerer(self, platform: str) -> Answer | None:
        plugged = self.platforms.get(platform)
        return plugged.answer if plugged is not None else None

    async def _route(self, incoming: Incoming, prefix: str) -> Response:
        table = self.registry
        match incoming:
            case Said():
                return await self._said(incoming, prefix)
            case Pressed(action=action):
                pressed = table.actions.get(action)
                return await pressed(incoming) if pressed else reply(say(tr(STALE)))
            case Submitted(form=form):
                submitted = table.forms.get(form)
                return await submitted(incoming) if submitted else reply(say(tr(STALE)))
            case Reacted(emoji=emoji):
                reacted = table.reactions.get(emoji)
                return await reacted(incoming) if reacted else Response()
            case Shortcut(name=name):
                shortcut = table.shortcuts.get(name)
                return await shortcut(incoming) if shortcut else reply(say(tr(STALE)))
        return Response()

    async def _said(self, said: Said, prefix: str) -> Response:
        command = self.registry.grammar.parse(said.parts)
        if isinstance(command, GrammarError):
            return reply(grammar_error(self.settings, self.registry.help, command, prefix))
        handler = self.registry.commands.get(type(command))
        if isinstance(command, ShowHelp) or handler is None:
            return reply(help_message(self.settings, self.registry.help, prefix))
        return await handler(said, command)

