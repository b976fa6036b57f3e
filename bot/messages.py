"""The neutral message tree every feature speaks and every adapter renders.

A message is a short list of blocks. Each renderer (Block Kit, Adaptive Cards, console text) maps the
blocks it understands and falls back to `plain_text` for anything else, so a feature never needs to know
where it is shown. Text is built from parts: plain strings (never interpreted as markup, renderers escape
them), mentions of a Person, strong text and links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from bot.people import Person


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Link:
    url: str
    label: str = ""


Inline = str | Person | Strong | Link


@dataclass(frozen=True)
class Text:
    """A paragraph. `quote` marks words someone wrote (a kudos reason, a vent) so renderers set them apart."""

    parts: tuple[Inline, ...]
    quote: bool = False


@dataclass(frozen=True)
class Fields:
    """Label/value pairs shown side by side where the platform can."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    value: str = ""
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True)
class Buttons:
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class Choices:
    """A pick-one list that fires `action` with the chosen option's value."""

    action: str
    placeholder: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Image:
    """A picture (a PNG chart) with the words that stand in for it wherever it cannot be shown."""

    alt: str
    png: bytes = b""
    url: str = ""
    title: str = ""


@dataclass(frozen=True)
class Footnote:
    """Small print under a message: who gave it, when, a privacy promise."""

    parts: tuple[Inline, ...]


@dataclass(frozen=True)
class Divider:
    pass


Block = Text | Fields | Buttons | Choices | Image | Footnote | Divider


@dataclass(frozen=True)
class Message:
    blocks: tuple[Block, ...]
    summary: str = field(default="")
    """One line for notifications and screen readers; derived from the first text block when empty."""


def text(*parts: Inline, quote: bool = False) -> Text:
    return Text(tuple(p for p in parts if p != ""), quote=quote)


def footnote(*parts: Inline) -> Footnote:
    return Footnote(tuple(p for p in parts if p != ""))


def message(*blocks: Block | None, summary: str = "") -> Message:
    return Message(tuple(b for b in blocks if b is not None), summary=summary)


def say(*parts: Inline) -> Message:
    """The commonest message: one paragraph."""
    return message(text(*parts))


def inline_plain(part: Inline) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part, Person):
        return part.label
    if isinstance(part, Strong):
        return part.text
    return f"{part.label} ({part.url})" if part.label else part.url


def parts_plain(parts: Iterable[Inline]) -> str:
    return "".join(inline_plain(p) for p in parts)


def block_plain(block: Block) -> str:
    """The words of one block, for renderers that cannot show it any other way."""
    match block:
        case Text(parts=parts, quote=quote):
            body = parts_plain(parts)
            return "\n".join(f"> {line}" for line in body.splitlines()) if quote else body
        case Fields(pairs=pairs):
            return "\n".join(f"{label}: {value}" for label, value in pairs)
        case Buttons(buttons=buttons):
            return "  ".join(f"[{b.label}]" for b in buttons)
        case Choices(placeholder=placeholder, options=options):
            return f"{placeholder}: " + " | ".join(label for label, _ in options)
        case Image(alt=alt, title=title):
            return f"[{title or 'image'}: {alt}]"
        case Footnote(parts=parts):
            return parts_plain(parts)
        case Divider():
            return "———"
    return ""


def plain_text(msg: Message) -> str:
    """The whole message as plain text, every block in order."""
    return "\n".join(s for s in (block_plain(b) for b in msg.blocks) if s)


def summary_of(msg: Message) -> str:
    """The notification line: the message's summary, else its first paragraph."""
    if msg.summary:
        return msg.summary
    for block in msg.blocks:
        if isinstance(block, Text):
            return parts_plain(block.parts)
    return plain_text(msg).split("\n", 1)[0]
