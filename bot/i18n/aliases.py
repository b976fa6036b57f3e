"""Command words in other languages (`感谢`, `cảm ơn`, `gracias`): each language's `commands.yaml`, next to its
catalog, maps its words to the English verb. English verbs always work; an alias works for everyone, so
someone whose Slack is in English can still type `cảm ơn`."""

from __future__ import annotations

import functools

import yaml

from bot.i18n.catalogs import LOCALES
from bot.incoming import Part
from bot.people import Person


@functools.cache
def aliases() -> dict[str, str]:
    """Every alias (casefolded) → its English verb, longest first so `cảm ơn` wins over a shorter one."""
    found: dict[str, str] = {}
    for path in sorted(LOCALES.glob("*/commands.yaml")):
        for word, verb in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            found[str(word).casefold()] = str(verb)
    return dict(sorted(found.items(), key=lambda item: -len(item[0])))


def unaliased(parts: tuple[Part, ...]) -> tuple[Part, ...]:
    """The command with a leading alias replaced by its English verb; anything else as it came."""
    if not parts or isinstance(parts[0], Person):
        return parts
    head = parts[0].lstrip()
    folded = head.casefold()
    for word, verb in aliases().items():
        if folded.startswith(word) and (len(folded) == len(word) or folded[len(word)].isspace()):
            return (verb + head[len(word):], *parts[1:])
    return parts
