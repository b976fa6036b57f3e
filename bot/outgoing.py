"""What the core asks adapters to do.

Two kinds: a `Response` is the immediate, private answer to whoever acted (an ephemeral reply, a form
to open) and is rendered by the adapter in the same request. A `Delivery` (post, DM, update) is durable:
the feature writes it to the outbox in the same transaction as the fact it announces, and the outbox
delivers it, retrying until the platform takes it, at most once per key.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.forms import Form
from bot.messages import Message
from bot.people import Channel, Person


@dataclass(frozen=True)
class Response:
    replies: tuple[Message, ...] = ()
    form: Form | None = None
    language: str = ""
    """Whom it answers reads this language (set by the core): an adapter's own words (a modal's Cancel) follow it."""


NOTHING = Response()


def reply(msg: Message) -> Response:
    return Response(replies=(msg,))


@dataclass(frozen=True)
class Post:
    """Post in a channel; `track` names the posted message so it can be updated or replied to later.

    `if_lost` is sent instead when the post can never be made (no such channel, the bot not invited), so
    whoever was told "it's posted" learns it was not.
    """

    channel: Channel
    message: Message
    track: str | None = None
    thread: str | None = None
    if_lost: Direct | None = None


@dataclass(frozen=True)
class Direct:
    """A private message from the bot to one person."""

    to: Person
    message: Message
    track: str | None = None


@dataclass(frozen=True)
class Update:
    """Replace a tracked message; a newer update of the same message supersedes a pending older one."""

    track: str
    message: Message


@dataclass(frozen=True)
class Refresh:
    """Redraw a tracked message from the current facts at delivery time (the `view` named renders it).

    Unlike an Update rendered at enqueue time, concurrent changes (votes, co-givers) can never leave a
    stale picture: whatever is delivered last was drawn last.
    """

    track: str
    view: str
    id: str


@dataclass(frozen=True)
class Delete:
    """Take a tracked message down. `post` is the key of the delivery that posts it: while that is still on
    its way the delete waits for it, and once that is given up (never posted) there is nothing to take down."""

    track: str
    post: str


Delivery = Post | Direct | Update | Refresh | Delete


def platform_of(delivery: Delivery) -> tuple[str, str] | None:
    """The (platform, workspace) that must carry a delivery; None for updates, found by their track."""
    match delivery:
        case Post(channel=channel):
            return (channel.platform, channel.workspace)
        case Direct(to=person):
            return (person.platform, person.workspace)
    return None
