"""Walking a command's parts word by word without losing a character of what was typed."""

from __future__ import annotations

import re

from bot.incoming import Part
from bot.people import Person

Parts = tuple[Part, ...]
_WORD = re.compile(r"\S+")


def lstrip(parts: Parts) -> Parts:
    out = list(parts)
    while out and isinstance(out[0], str):
        stripped = out[0].lstrip()
        if stripped:
            out[0] = stripped
            break
        out.pop(0)
    return tuple(out)


def rstrip(parts: Parts) -> Parts:
    out = list(parts)
    while out and isinstance(out[-1], str):
        stripped = out[-1].rstrip()
        if stripped:
            out[-1] = stripped
            break
        out.pop()
    return tuple(out)


def strip(parts: Parts) -> Parts:
    return rstrip(lstrip(parts))


def next_word(parts: Parts) -> tuple[str | Person | None, Parts]:
    """The first word (or mention) and everything after it, whitespace after it kept."""
    parts = lstrip(parts)
    if not parts:
        return None, ()
    head, rest = parts[0], parts[1:]
    if isinstance(head, Person):
        return head, rest
    match = _WORD.match(head)
    assert match is not None  # lstrip left a non-blank string first
    remainder = head[match.end():]
    return match.group(), ((remainder,) if remainder else ()) + rest


def plain(parts: Parts) -> str:
    return "".join(p if isinstance(p, str) else p.label for p in parts)


def is_blank(parts: Parts) -> bool:
    return not strip(parts)
