"""The people of the console workspace: names typed in the terminal, `@name` turned into mentions."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.incoming import Part
from bot.people import Person

PLATFORM = "console"
WORKSPACE = "local"
BOT_NAME = "huzzah"
_MENTION = re.compile(r"@([\w.-]*\w)")


class ConsoleDirectory:
    """The people of the console workspace, found by name."""

    def __init__(self, names: Iterable[str], tz: str | None = None) -> None:
        self.people = {n.casefold(): Person(PLATFORM, WORKSPACE, n.casefold(), n, tz) for n in names}
        self.people[BOT_NAME] = Person(PLATFORM, WORKSPACE, BOT_NAME, "Huzzah", is_bot=True)

    def get(self, name: str) -> Person | None:
        return self.people.get(name.casefold().lstrip("@"))

    def parts(self, line: str) -> tuple[Part, ...]:
        """`@name` of a known person becomes a mention; anything else stays text, exactly as typed."""
        out: list[Part] = []
        last = 0
        for match in _MENTION.finditer(line):
            person = self.get(match.group(1))
            if person is None:
                continue
            out += [line[last:match.start()], person]
            last = match.end()
        out.append(line[last:])
        return tuple(p for p in out if p != "")
