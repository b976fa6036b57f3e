"""The help text: every command with an example, written the way this platform types commands."""

from __future__ import annotations

from bot import grammar
from bot.config import Settings
from bot.grammar.errors import GrammarError
from bot.messages import Fields, Message, Strong, footnote, message, text


def help_message(settings: Settings, prefix: str) -> Message:
    lines = tuple((f"{prefix}{e.usage}", f"{e.summary}\ne.g. {prefix}{e.example}") for e in grammar.HELP)
    values = ", ".join(f"{v.emoji} #{v.name}".strip() for v in settings.values) or "none configured yet"
    return message(
        text(Strong("Huzzah"), " — say thanks, check in, decide together. Here's what I understand:"),
        Fields(lines),
        footnote(f"Our values: {values}"),
        summary="Huzzah help",
    )


def grammar_error(settings: Settings, error: GrammarError, prefix: str) -> Message:
    if not error.show_help:
        return message(text(error.message))
    return message(text(error.message), *help_message(settings, prefix).blocks[1:])
