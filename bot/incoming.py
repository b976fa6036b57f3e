"""What reaches the core from any platform, already verified and translated by an adapter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.people import Channel, Person

Part = str | Person
"""A command arrives as text with the mentions already resolved into people."""


@dataclass(frozen=True)
class MessageRef:
    """A message the platform already shows, so the bot can edit it or reply in its thread."""

    platform: str
    workspace: str
    channel: str
    id: str


@dataclass(frozen=True)
class Said:
    """Someone addressed the bot in words: a slash command, a mention, a DM, a console line."""

    sender: Person
    channel: Channel
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Pressed:
    """A button or menu choice on one of the bot's messages."""

    sender: Person
    channel: Channel
    action: str
    value: str = ""
    message: MessageRef | None = None


@dataclass(frozen=True)
class Submitted:
    """A form came back; `values` maps field names to text or to the chosen option values."""

    sender: Person
    channel: Channel
    form: str
    values: Mapping[str, str | tuple[str, ...]] = field(default_factory=dict)
    context: str = ""


@dataclass(frozen=True)
class Reacted:
    """Someone added an emoji reaction to another person's message (or, `removed`, took it off again)."""

    sender: Person
    channel: Channel
    emoji: str
    author: Person
    message: MessageRef
    link: str = ""
    removed: bool = False


@dataclass(frozen=True)
class Shortcut:
    """Someone picked one of the bot's actions on another person's message (a Slack message shortcut)."""

    sender: Person
    channel: Channel
    name: str
    author: Person
    message: MessageRef
    link: str = ""


Incoming = Said | Pressed | Submitted | Reacted | Shortcut
