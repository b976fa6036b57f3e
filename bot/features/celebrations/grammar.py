"""`celebrate off` / `celebrate private` / `celebrate on`: each person decides how their days are marked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts, plain
from bot.i18n import N_, tr

Choice = Literal["on", "off", "private"]
CHOICES: tuple[Choice, ...] = ("on", "off", "private")


@dataclass(frozen=True)
class ChooseCelebration:
    choice: Choice


HELP = (
    HelpEntry("celebrate off|private|on", N_("How your birthday and work anniversaries are marked: not at all, "
                                             "only to you, or in the team channel"), "celebrate private"),
)


def parse_celebrate(parts: Parts) -> ChooseCelebration | GrammarError:
    word = plain(parts).strip().casefold()
    for choice in CHOICES:
        if word == choice:
            return ChooseCelebration(choice)
    return GrammarError(tr("Try `celebrate off` (never), `celebrate private` (only a note to you) or "
                           "`celebrate on` (a post in the team channel)."))
