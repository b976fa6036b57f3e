"""`@alice @bob thanks for staying late #ownership` — and `stats`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts, lstrip, next_word, plain, rstrip, strip
from bot.i18n import N_, tr
from bot.people import Person

KUDOS_VERBS = ("kudos", "huzzah", "give")
SEPARATORS = {",", "and", "&", "+", "und", "et", "y", "和", "và"}
_TAG = re.compile(r"(?<![\w&#/])#([^\W_][\w-]*)")
_TRAILING_TAGS = re.compile(r"(?:\s*#[^\W_][\w-]*)+[\s.!]*$")
_HANDLE = re.compile(r"^@[^\s@]+$")


@dataclass(frozen=True)
class GiveKudos:
    recipients: tuple[Person, ...]
    reason: Parts
    values: tuple[str, ...]


@dataclass(frozen=True)
class ShowStats:
    who: Person | None = None


@dataclass(frozen=True)
class UndoKudos:
    """Take back your latest kudos."""


@dataclass(frozen=True)
class EditKudos:
    reason: Parts
    values: tuple[str, ...]


@dataclass(frozen=True)
class RemoveKudos:
    kudos_id: int
    reason: str


HELP = (
    HelpEntry("@person [@person…] <why> [#value…]", N_("Thank up to 10 colleagues in public, tagged with a value"),
              "@alice thanks for taking the angry caller #ownership"),
    HelpEntry("undo", N_("Take back the huzzah you just gave (for a few minutes after)"), "undo"),
    HelpEntry("edit <why> [#value…]", N_("Correct the reason or values of the huzzah you just gave"),
              "edit thanks for calming down the angry caller #empathy"),
    HelpEntry("remove <number> <why>", N_("Remove a huzzah by its number (yours, or anyone's if you're an admin)"),
              "remove 12 it names a customer"),
    HelpEntry("stats [@person]", N_("Kudos given and received this week and all time, and top values"),
              "stats @alice"),
)


def _values(parts: Parts) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for part in parts:
        if isinstance(part, str):
            for tag in _TAG.findall(part):
                seen.setdefault(tag, None)
    return tuple(seen)


def _drop_trailing_tags(parts: Parts) -> Parts:
    parts = rstrip(parts)
    if parts and isinstance(parts[-1], str):
        trimmed = _TRAILING_TAGS.sub("", parts[-1])
        parts = (*parts[:-1], trimmed) if trimmed else parts[:-1]
    return strip(parts)


def _recipients(parts: Parts) -> tuple[list[Person], list[str], Parts]:
    """Leading mentions (joined by commas or 'and'), unknown @handles, and the rest."""
    found: list[Person] = []
    unknown: list[str] = []
    rest = parts
    while True:
        word, after = next_word(rest)
        if isinstance(word, Person):
            found.append(word)
        elif isinstance(word, str) and _HANDLE.match(word.rstrip(",.:;!")):
            unknown.append(word.rstrip(",.:;!"))
        elif isinstance(word, str) and word.casefold() in SEPARATORS and (found or unknown):
            following, _ = next_word(after)
            if not isinstance(following, Person) and not (isinstance(following, str) and following.startswith("@")):
                return found, unknown, rest
        else:
            return found, unknown, rest
        rest = after
        # a comma glued to the mention ("@alice, @bob") arrives as its own word
        if rest and isinstance(rest[0], str) and rest[0].lstrip().startswith(","):
            rest = (rest[0].lstrip()[1:], *rest[1:])


def parse_kudos(parts: Parts) -> GiveKudos | GrammarError:
    recipients, unknown, rest = _recipients(lstrip(parts))
    if unknown:
        names = ", ".join(unknown)
        return GrammarError(tr(
            "I couldn't find {names} in this workspace. Mention people so their name is highlighted "
            "(pick them from the list that pops up after @), then send it again.", names=names,
        ))
    if not recipients:
        return GrammarError(
            tr("Start with who you're thanking, then say why — e.g. `@alice thanks for covering my shift #teamwork`."),
            show_help=True,
        )
    return GiveKudos(tuple(dict.fromkeys(recipients)), _drop_trailing_tags(rest), _values(rest))


def parse_stats(parts: Parts) -> ShowStats | GrammarError:
    word, rest = next_word(parts)
    if word is None:
        return ShowStats()
    if isinstance(word, Person) and strip(rest) == ():
        return ShowStats(word)
    return GrammarError(tr("Try `stats` for your own numbers, or `stats @alice` for someone else's."))


def parse_undo(parts: Parts) -> UndoKudos | GrammarError:
    if strip(parts):
        return GrammarError(tr("Just type `undo` — it takes back the huzzah you gave last. "
                               "To take back an older one, use `remove <number> <why>`."))
    return UndoKudos()


def parse_edit(parts: Parts) -> EditKudos | GrammarError:
    rest = strip(parts)
    reason = _drop_trailing_tags(rest)
    if not reason:
        return GrammarError(tr("Say the corrected reason — e.g. "
                               "`edit thanks for calming down the angry caller #empathy`."))
    return EditKudos(reason, _values(rest))


def parse_remove(parts: Parts) -> RemoveKudos | GrammarError:
    word, rest = next_word(parts)
    number = word.lstrip("#").removeprefix("no.") if isinstance(word, str) else ""
    why = plain(strip(rest)).strip()
    if not number.isdigit() or not why:
        return GrammarError(tr("Give the huzzah's number (under the post, “no. 12”) and why — "
                               "e.g. `remove 12 it names a customer`."))
    return RemoveKudos(int(number), why)
