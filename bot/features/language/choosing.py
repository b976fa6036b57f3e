"""Choosing one's language; the choice is kept on their row of `people`, so `huzzah privacy`/`forget` cover it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts, plain
from bot.i18n import LANGUAGES, N_, TAGS, current, language_of, speaking, tr
from bot.incoming import Said
from bot.messages import Message, message, text
from bot.outgoing import Response, reply
from storage.people import choose_language

AUTO = ("auto", "default", "reset")
HELP = (HelpEntry("language [zh-TW]", N_("See or choose the language I speak to you"), "language vi"),)


@dataclass(frozen=True)
class ChooseLanguage:
    """`code` None: show the current one; AUTO: forget the choice."""

    code: str | None


def choices() -> str:
    return ", ".join(f"`{TAGS[code]}` {name}" for code, name in LANGUAGES.items())


def parse_language(parts: Parts) -> ChooseLanguage | GrammarError:
    wanted = plain(parts).strip()
    if not wanted:
        return ChooseLanguage(None)
    if wanted.casefold() in AUTO:
        return ChooseLanguage(AUTO[0])
    code = language_of(wanted)
    if code is None:
        return GrammarError(tr("I don't speak “{wanted}” yet. Choose one of: {choices}.", wanted=wanted[:30],
                               choices=choices()))
    return ChooseLanguage(code)


def _current() -> Message:
    return message(
        text(tr("I speak {language} to you.", language=LANGUAGES[current()])),
        text(tr("Type `language` and one of {choices} to change it, or `language auto` to follow your "
                "chat app's setting.", choices=choices())),
    )


async def choose(ctx: Context, said: Said, command: ChooseLanguage) -> Response:
    if command.code is None:
        return reply(_current())
    chosen = None if command.code == AUTO[0] else command.code
    async with ctx.db.transaction() as conn:
        await choose_language(conn, said.sender, chosen, ctx.clock.now())
    if chosen is None:  # said in the language they go back to
        with speaking(language_of(said.sender.locale)):
            return reply(message(text(tr("Done — I'll follow your chat app's language setting again."))))
    with speaking(chosen):
        return reply(message(text(tr("Done — from now on I'll speak {language} to you.",
                                     language=LANGUAGES[chosen]))))
