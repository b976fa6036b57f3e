"""What the core and the platforms need from each other's side: a Messenger and a Roster per platform, and a
store of conversations for a platform that must remember where it may speak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.incoming import MessageRef
from bot.messages import Message
from bot.people import Channel, Person


class DeliveryError(Exception):
    """The platform did not take a message. `permanent` ones are never retried (a deleted channel).

    `holds_all`: the platform's Retry-After covers every message of the app (Slack's per-workspace method
    limits), not just this one's conversation (Teams), so everything else queued for it waits as long.
    `maybe_delivered`: the platform may have taken it anyway (a timeout, a dropped connection after sending),
    so the next attempt looks for it first (`Messenger.find`).
    """

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None,
                 holds_all: bool = False, maybe_delivered: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.retry_after = retry_after
        self.holds_all = holds_all and retry_after is not None
        self.maybe_delivered = maybe_delivered


class Messenger(Protocol):
    """Renders neutral messages and hands them to one platform. Raises DeliveryError when it cannot.

    `key` is the outbox's delivery key: a platform that can attach it to the message (Slack's message
    metadata) does, so that `find` can recognise the message later.
    """

    platform: str

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *,
                   key: str = "") -> MessageRef: ...

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef: ...

    async def update(self, ref: MessageRef, message: Message) -> None: ...

    async def delete(self, ref: MessageRef) -> None:
        """Take a message the bot posted down; one already gone counts as done."""

    async def find(self, where: Channel | Person, key: str, since: datetime,
                   thread: MessageRef | None = None) -> MessageRef | None:
        """The message posted with `key` in a channel (in `thread`, if given) or in the DM with a person, at or
        after `since`; None when there is none — or when the platform cannot tell (Teams, a channel the bot
        may not read), in which case the outbox sends it again."""


class Roster(Protocol):
    """Who is in a channel, as people (bots and deactivated accounts flagged), for check-in rounds."""

    platform: str

    async def members(self, channel: Channel) -> list[Person]: ...


@dataclass(frozen=True)
class Conversation:
    """One conversation the bot is in, with the address its platform gave it (`reference`, serialized by the
    adapter), so the bot can speak there first. `user_id` only for a personal chat."""

    platform: str
    id: str
    workspace: str
    kind: str
    user_id: str | None
    endpoint: str
    reference: dict[str, Any]


class Conversations(Protocol):
    """Where a platform that cannot open a chat by user id alone (Teams) keeps its conversations' addresses."""

    async def save(self, conversation: Conversation) -> None:
        """Insert, or refresh the address of a known conversation (never when it was first seen)."""

    async def get(self, conversation_id: str) -> Conversation | None: ...

    async def personal(self, workspace: str, user_id: str) -> Conversation | None:
        """The bot's 1:1 chat with a person, if it has one."""

    async def any_in(self, workspace: str) -> Conversation | None:
        """Some conversation in the workspace (any, when `workspace` is empty), to borrow its endpoint."""

    async def time_zones(self, workspace: str, user_ids: list[str]) -> dict[str, str]:
        """Time zones people's own messages told us, for platforms whose rosters do not give them."""

    async def remember_author(self, message: MessageRef, author: Person) -> None:
        """Who wrote a message the bot heard, for a platform whose reaction events name only the reactor."""

    async def author_of(self, message: MessageRef) -> Person | None:
        """Who wrote it, if the bot heard it in the last week."""
