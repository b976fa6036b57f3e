"""The Platform contract: what a chat platform adds to Huzzah, and the one door it has into the core.

A platform is a folder under `adapters/` whose `connector` module exports a `Connector` (how it is configured
from the environment and built; its SDK is imported only when it builds), plus one line in `huzzah/platforms.py`.
Built, it is a `Platform`: its messenger (how the outbox reaches people there), its roster (who is in a channel),
its web routes, its own scheduled work, and how it starts and stops. It talks to the core only through `Core`;
it never touches storage.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from bot.config import Settings
from bot.feature import Ticker
from bot.inbox import Accepted, Answer
from bot.incoming import Incoming
from bot.messages import Message
from bot.metrics import Metrics
from bot.outgoing import Response
from bot.people import Person
from bot.ports import Conversations, Messenger, Roster

WebHandler = Callable[[Any], Awaitable[Any]]
"""An aiohttp request handler; the contract names no web framework so that `bot/` imports none."""
Receiving = Literal["http", "socket", "none"]
"""How a process receives what people do: web routes (`serve`), a socket the platform offers (Slack's Socket
Mode), or not at all (`huzzah scheduler`, which only sends)."""


class Core(Protocol):
    """What a platform may ask of the core."""

    @property
    def settings(self) -> Settings: ...

    @property
    def metrics(self) -> Metrics:
        """Where a platform counts its API calls, retries and rate limits (`bot.metrics`)."""

    async def handle(self, incoming: Incoming, *, prefix: str = "") -> Response:
        """The private answer to whoever acted; never raises. `prefix`: how commands are typed here.

        For work done within the platform's request (a modal whose answer travels in the acknowledgement, Teams'
        turn); a platform that acknowledges first and works after uses `accept` and `work` instead."""

    async def accept(self, incoming: Incoming, answer: Mapping[str, Any], *, prefix: str = "",
                     delivery_id: str = "") -> Accepted | None:
        """Take `incoming` durably, before the platform acknowledges the request: when this returns, a crash or
        a restart can no longer lose it (`bot.inbox`). `answer` is the platform's JSON-able address for answering
        whoever acted, later or from another instance (`Platform.answer`). `delivery_id` is claimed in the same
        transaction; None when it was claimed before (a platform's retry: acknowledge it and do nothing)."""

    async def work(self, accepted: Accepted) -> None:
        """Do what `accept` took and answer through `Platform.answer`; call it after acknowledging. Never raises."""

    async def home(self, person: Person, *, prefix: str = "") -> Message:
        """A person's own page (Slack's App Home); never raises."""

    def wants_reaction(self, emoji: str) -> bool:
        """Whether some feature answers this reaction (so the platform looks up who reacted only then)."""

    async def first_delivery(self, platform: str, delivery_id: str) -> bool:
        """Claim one incoming delivery, once across every instance: False when it was already handled
        (a platform's retry). Claims are forgotten after a day."""

    def conversations(self, platform: str) -> Conversations:
        """Where this platform keeps the addresses of conversations the bot may speak in first."""

    def plug(self, platform: Platform) -> None:
        """Plug a platform in (the composition root does it for platforms with a `Connector`)."""

    async def drain(self) -> None:
        """Deliver everything due now, here: for a platform that shows the outcome in the same step (the
        console); servers leave delivery to the outbox worker."""


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: WebHandler


@dataclass(frozen=True)
class Platform:
    """One platform, built and ready to plug into the core (`Huzzah.plug`) and the web server."""

    name: str
    messenger: Messenger
    roster: Roster | None = None
    routes: tuple[Route, ...] = ()
    tickers: tuple[Ticker, ...] = ()
    start: Callable[[], Awaitable[None]] | None = None
    """Connect what is not a route (Slack's Socket Mode); called once the web server listens."""
    stop: Callable[[], Awaitable[None]] | None = None
    """Stop receiving (Socket Mode) and finish the work behind answers already given; called on shutdown,
    after the web server stopped accepting and its requests in flight finished."""
    close: Callable[[], Awaitable[None]] | None = None
    """Release what the platform holds open (its HTTP session); called last on shutdown, after the outbox and the
    scheduler finished."""
    answer: Answer | None = None
    """Give a Response to whoever acted, from the address the platform passed to `Core.accept` — also after a
    restart, from another instance (so the address must stay valid: Slack's response_url does for 30 minutes)."""


@dataclass(frozen=True)
class Connector:
    """How a platform is switched on: `configure` reads the environment and returns its configuration, None when
    the platform is not configured (off), or raises ConfigError naming the variable to set; `build` makes it."""

    name: str
    configure: Callable[[Mapping[str, str], Receiving], Any]
    build: Callable[[Core, Any], Platform]
