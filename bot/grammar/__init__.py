"""One text grammar for every platform: parts in, a command or a helpful GrammarError out — never raises.

Each feature's module contributes its verbs to VERBS and its lines to HELP; text that starts with a
mention (or `kudos`, `huzzah`, `give`) is a kudos.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.grammar import checkins, kudos, polls
from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts, next_word, plain
from bot.limits import MAX_COMMAND_CHARS
from bot.people import Person

Parser = Callable[[Parts], Any]

VERBS: dict[str, Parser] = {
    "help": kudos.parse_help,
    "?": kudos.parse_help,
    "stats": kudos.parse_stats,
    **{verb: kudos.parse_kudos for verb in kudos.KUDOS_VERBS},
    **{verb: checkins.parse_checkin for verb in checkins.CHECKIN_VERBS},
    **{verb: checkins.parse_vent for verb in checkins.VENT_VERBS},
    polls.VERB: polls.parse_poll,
}

HELP: tuple[HelpEntry, ...] = kudos.HELP + checkins.HELP + polls.HELP


def parse(parts: Parts) -> Any:
    """A command object from one of the grammar modules, or a GrammarError saying what to type instead."""
    if len(plain(parts)) > MAX_COMMAND_CHARS:
        return GrammarError(
            f"That's longer than I can read ({MAX_COMMAND_CHARS:,} characters at most). Shorten it and try again."
        )
    word, rest = next_word(parts)
    if word is None:
        return kudos.ShowHelp()
    if isinstance(word, Person) or word.startswith("@"):
        return kudos.parse_kudos(parts)
    verb = VERBS.get(word.casefold())
    if verb is None:
        shown = word if len(word) <= 30 else word[:29] + "…"
        return GrammarError(f"I don't know the command “{shown}”.", show_help=True)
    return verb(rest)
