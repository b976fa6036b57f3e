"""The help text: every feature's commands with an example, written the way this platform types commands."""

from __future__ import annotations

from collections.abc import Iterable

from bot.config import Settings
from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.messages import Fields, Message, Strong, footnote, message, text

HELP = HelpEntry("help", "This list", "help")


def help_message(settings: Settings, entries: Iterable[HelpEntry], prefix: str) -> Message:
    lines = tuple((f"{prefix}{e.usage}", f"{e.summary}\ne.g. {prefix}{e.example}") for e in (*entries, HELP))
    values = ", ".join(f"{v.emoji} #{v.name}".strip() for v in settings.values) or "none configured yet"
    return message(
        text(Strong("Huzzah"), " — say thanks, check in, decide together. Here's what I understand:"),
        Fields(lines),
        footnote(f"Our values: {values}"),
        summary="Huzzah help",
    )


def grammar_error(settings: Settings, entries: Iterable[HelpEntry], error: GrammarError, prefix: str) -> Message:
    if not error.show_help:
        return message(text(error.message))
    return message(text(error.message), *help_message(settings, entries, prefix).blocks[1:])
