"""The help text: every feature's commands with an example, written the way this platform types commands."""

from __future__ import annotations

from collections.abc import Iterable

from bot.config import Settings
from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.i18n import N_, tr, tr_parts
from bot.messages import Fields, Message, Strong, footnote, message, text

HELP = HelpEntry("help", N_("This list"), "help")


def help_message(settings: Settings, entries: Iterable[HelpEntry], prefix: str) -> Message:
    """In the reader's language: each entry's summary is translated here, where it is shown."""
    lines = tuple((f"{prefix}{e.usage}", tr("{summary}\ne.g. {example}", summary=tr(e.summary),
                                            example=f"{prefix}{e.example}")) for e in (*entries, HELP))
    values = ", ".join(f"{v.emoji} #{v.name}".strip() for v in settings.values) or tr("none configured yet")
    return message(
        text(*tr_parts("{huzzah} — say thanks, check in, decide together. Here's what I understand:",
                       huzzah=Strong("Huzzah"))),
        Fields(lines),
        footnote(tr("Our values: {values}", values=values)),
        summary=tr("Huzzah help"),
    )


def grammar_error(settings: Settings, entries: Iterable[HelpEntry], error: GrammarError, prefix: str) -> Message:
    if not error.show_help:
        return message(text(error.message))
    return message(text(error.message), *help_message(settings, entries, prefix).blocks[1:])
