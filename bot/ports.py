"""What the core needs from an adapter to reach people: one Messenger per platform."""

from __future__ import annotations

from typing import Protocol

from bot.incoming import MessageRef
from bot.messages import Message
from bot.people import Channel, Person


class DeliveryError(Exception):
    """The platform did not take a message. `permanent` ones are never retried (a deleted channel).

    `holds_all`: the platform's Retry-After covers every message of the app (Slack's per-workspace method
    limits), not just this one's conversation (Teams), so everything else queued for it waits as long.
    """

    def __init__(self, reason: str, *, permanent: bool = False, retry_after: float | None = None,
                 holds_all: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent
        self.retry_after = retry_after
        self.holds_all = holds_all and retry_after is not None


class Messenger(Protocol):
    """Renders neutral messages and hands them to one platform. Raises DeliveryError when it cannot."""

    platform: str

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None) -> MessageRef: ...

    async def direct(self, person: Person, message: Message) -> MessageRef: ...

    async def update(self, ref: MessageRef, message: Message) -> None: ...


class Roster(Protocol):
    """Who is in a channel, as people (bots and deactivated accounts flagged), for check-in rounds."""

    platform: str

    async def members(self, channel: Channel) -> list[Person]: ...
