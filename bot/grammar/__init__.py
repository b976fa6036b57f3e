"""One text grammar for every platform: parts in, a command or a helpful GrammarError out — never raises.

The verbs come from the features (`Handlers.verbs`), and so does what a leading mention means; `help`
and `?` are the core's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.grammar.errors import GrammarError
from bot.grammar.tokens import Parts, next_word, plain
from bot.i18n import tr
from bot.i18n.aliases import unaliased
from bot.limits import MAX_COMMAND_CHARS
from bot.people import Person

Parser = Callable[[Parts], Any]


@dataclass(frozen=True)
class ShowHelp:
    """`help`, or nothing typed at all: the list of commands."""


def parse_help(parts: Parts) -> ShowHelp:
    return ShowHelp()


CORE_VERBS: Mapping[str, Parser] = {"help": parse_help, "?": parse_help}


@dataclass(frozen=True)
class Grammar:
    verbs: Mapping[str, Parser]
    """Casefolded verb → its parser (the text after it)."""
    mention: Parser | None = None
    """What text starting with a mention (or an @handle) means."""

    def parse(self, parts: Parts) -> Any:
        """A command object from a feature's grammar, or a GrammarError saying what to type instead."""
        if len(plain(parts)) > MAX_COMMAND_CHARS:
            return GrammarError(tr("That's longer than I can read ({limit} characters at most). Shorten it and "
                                   "try again.", limit=MAX_COMMAND_CHARS))
        word, rest = next_word(unaliased(parts))
        if word is None:
            return ShowHelp()
        if self.mention is not None and (isinstance(word, Person) or word.startswith("@")):
            return self.mention(parts)
        if isinstance(word, Person):
            return GrammarError(tr("Start with a command, e.g. `help`."), show_help=True)
        verb = CORE_VERBS.get(word.casefold()) or self.verbs.get(word.casefold())
        if verb is None:
            shown = word if len(word) <= 30 else word[:29] + "…"
            return GrammarError(tr("I don't know the command “{word}”.", word=shown), show_help=True)
        return verb(rest)
