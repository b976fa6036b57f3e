"""Spotting crisis language in a vent, so its writer is offered help at once — and nobody else is told."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")


def _normal(words: str) -> str:
    """Case, width, accents-as-typed and spacing folded, so `Tự  Tử` matches `tự tử`."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", words).casefold()).strip()


def mentions_crisis(vent: str, phrases: Iterable[str]) -> bool:
    """Substring match: Chinese and Vietnamese phrases have no word boundaries a regex could rely on."""
    said = _normal(vent)
    return any(_normal(p) in said for p in phrases if p.strip())
