"""The core's edge: whatever a platform hands in is made safe to store and to show, in this one place.

- Text loses NUL and the other C0 control characters except tab and newline: PostgreSQL cannot store NUL
  in text at all, and ESC and its kind would drive a terminal (the console). A lone surrogate (JSON allows
  `\\ud800`, UTF-8 does not, so neither database can store it) becomes U+FFFD.
- Names are cut to what the database keeps; a time zone that cannot be one is dropped.
- Ids are never rewritten (that could make one account another): one with a control character is refused.
- A database id typed into a button or a form is read by `record_id`, never by int().
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from bot.incoming import MessageRef
from bot.limits import MAX_NAME_CHARS, MAX_RECORD_ID, MAX_ZONE_CHARS
from bot.people import Channel, Person

T = TypeVar("T")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_RECORD_ID = re.compile("[0-9]{1,10}")


class Unfit(ValueError):
    """An id the core will not take; the message names the field, never its value."""


def printable(text: str) -> str:
    """`text` without C0 control characters (tab and newline kept) and with lone surrogates replaced."""
    return _SURROGATE.sub("\ufffd", _CONTROL.sub("", text))


def _id(value: str, what: str) -> str:
    if printable(value) != value:
        raise Unfit(f"{what} holds a control character")
    return value


def _zone(tz: str | None) -> str | None:
    return tz if tz and len(tz) <= MAX_ZONE_CHARS and printable(tz) == tz else None


def admitted(value: T) -> T:
    """`value` (an Incoming, a Person, and whatever they hold) with all its text made printable."""
    out: Any
    match value:
        case str():
            out = printable(value)
        case Person():
            _id(value.workspace, "a workspace")
            _id(value.user_id, "a user id")
            name, tz = printable(value.name)[:MAX_NAME_CHARS], _zone(value.tz)
            out = value if (name, tz) == (value.name, value.tz) else dataclasses.replace(value, name=name, tz=tz)
        case Channel():
            out = dataclasses.replace(value, workspace=_id(value.workspace, "a workspace"),
                                      id=_id(value.id, "a channel id"), name=printable(value.name)[:MAX_NAME_CHARS])
        case MessageRef():
            out = MessageRef(value.platform, _id(value.workspace, "a workspace"), _id(value.channel, "a channel id"),
                             _id(value.id, "a message id"))
        case tuple() | list():
            items = tuple(admitted(v) for v in value)
            same = isinstance(value, tuple) and all(a is b for a, b in zip(items, value, strict=True))
            out = value if same else items
        case Mapping():
            out = {printable(k): admitted(v) for k, v in value.items()}
        case _ if dataclasses.is_dataclass(value) and not isinstance(value, type):
            fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
            fit = {name: admitted(v) for name, v in fields.items()}
            # most of what comes in is fit already: keep it rather than build it again
            out = value if all(fit[n] is v for n, v in fields.items()) else dataclasses.replace(value, **fit)
        case _:
            out = value
    return out


def record_id(raw: str) -> int | None:
    """A stored record's id as a button or form carries it (`"12"`); None for anything else.

    ASCII digits only — str.isdigit() takes '²' and int() takes '١٢' — and within what the database holds, so a
    20-digit id is "no such thing", not an overflow.
    """
    if not isinstance(raw, str) or not _RECORD_ID.fullmatch(raw):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_RECORD_ID else None
