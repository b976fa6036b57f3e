"""`poll "Which shift pattern?" "4x10" "5x8" --anonymous --closes "fri 17:00"` — and `poll` alone.

Only the shape is read here (quotes, flags, the deadline as typed); the rules a poll must follow (2–10
options, no duplicates, lengths, a sensible deadline) are checked by the feature, for the typed command
and the builder form alike. Phones turn quotes curly and `--` into a dash, so both are accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache

from babel.dates import get_day_names

from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts, plain
from bot.i18n import LANGUAGES, N_, tr

VERB = "poll"
EXAMPLE = 'poll "Which shift pattern for December?" "4x10" "5x8" "Flexible" --closes "fri 17:00"'

HELP = (
    HelpEntry(
        'poll "question" "option" "option"… [--anonymous] [--multi] [--hide-results] [--closes 2h | "fri 17:00"]',
        N_("Ask the channel: one button per option (2–10), live results, closes on time or when you close it. "
           "`poll` alone opens a form that builds one"),
        EXAMPLE,
    ),
)

_CLOSERS = {'"': '"”“', "“": '”"“', "”": '”"“', "„": '“”"', "«": "»", "»": "«", "‹": "›", "「": "」", "『": "』"}
"""Each opening quote and the quotes that may close it (phones and keyboards mix them)."""
_NESTED = {"“": "”", "«": "»", "‹": "›"}
_BARE = re.compile(r"\S+")
_FLAG = re.compile(r"^(?:--|—|–)(?=[^\W\d_])([\w-]+)(?:=(.*))?$", re.DOTALL)
FLAGS = {
    "anonymous": "anonymous", "anon": "anonymous",
    "multi": "multi", "multiple": "multi",
    "hide-results": "hide_results", "hide": "hide_results", "hidden": "hide_results",
    "closes": "closes", "close": "closes", "until": "closes", "deadline": "closes",
}
_FLAG_HELP = "--anonymous, --multi, --hide-results or --closes"

_UNITS = {"w": 7 * 24 * 60, "d": 24 * 60, "h": 60, "m": 1}
_SPAN_PART = re.compile(r"(\d{1,4})\s*(weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m)")
_SPAN = re.compile(rf"^(?:{_SPAN_PART.pattern}\s*)+$")
_ENGLISH_DAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2, "wednesday": 2,
    "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4, "sat": 5, "saturday": 5,
    "sun": 6, "sunday": 6,
}
_RELATIVE_DAYS = {
    "today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "hoy": 0, "mañana": 1, "manana": 1,
    "今天": 0, "明天": 1, "hôm_nay": 0, "ngày_mai": 1, "mai": 1,
}


@cache
def _weekdays() -> dict[str, int]:
    """Weekday names in every language Huzzah speaks (`vie`, `viernes`, `周五`, `星期五`, `thứ 6`), and in English.
    Read from Babel's locale data when a deadline is first parsed, not when the module is imported."""
    names = dict(_ENGLISH_DAYS)
    for code in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for i, name in get_day_names(width, locale=code).items():
                folded = name.casefold().rstrip(".")
                names.setdefault(folded.replace(" ", "_"), i)
                names.setdefault(_unaccented(folded).replace(" ", "_"), i)
    return names


def _unaccented(word: str) -> str:
    """`mié` → `mie`, `sáb` → `sab`: Spanish typed without accents."""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def _joined(text: str) -> str:
    """Two-word day names (`thứ 6`, `ngày mai`) as one token."""
    for name in _multiword():
        text = text.replace(name, name.replace(" ", "_"))
    return text
_CLOCK_24 = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
_CLOCK_12 = re.compile(r"^(1[0-2]|0?[1-9])(?:[:.]([0-5]\d))?\s*(am|pm)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@cache
def _multiword() -> list[str]:
    """The day names of more than one word, longest first."""
    return sorted({n.replace("_", " ") for n in (*_weekdays(), *_RELATIVE_DAYS) if "_" in n}, key=len, reverse=True)


@dataclass(frozen=True)
class Closes:
    """A deadline as typed: a span from now (`2h`), or a day and/or a time in the asker's time zone.

    `weekday` is 0 for Monday; `in_days` counts from today (`tomorrow` is 1); `on` is a calendar date.
    """

    after: timedelta | None = None
    weekday: int | None = None
    in_days: int | None = None
    on: date | None = None
    at: tuple[int, int] | None = None


@dataclass(frozen=True)
class CreatePoll:
    question: str
    options: tuple[str, ...]
    anonymous: bool = False
    multi: bool = False
    hide_results: bool = False
    closes: Closes | None = None


@dataclass(frozen=True)
class OpenPollBuilder:
    """`poll` with nothing after it: open the form that builds a poll step by step."""


@dataclass(frozen=True)
class _Word:
    text: str
    quoted: bool


def parse_poll(parts: Parts) -> CreatePoll | OpenPollBuilder | GrammarError:
    typed = plain(parts).strip()
    if not typed:
        return OpenPollBuilder()
    words = _words(typed)
    if isinstance(words, GrammarError):
        return words
    items: list[_Word] = []
    switches: set[str] = set()
    closes: Closes | None = None
    i = 0
    while i < len(words):
        word = words[i]
        flag = _FLAG.match(word.text) if not word.quoted else None
        if flag is None:
            items.append(word)
            i += 1
            continue
        name = FLAGS.get(flag.group(1).casefold())
        if name is None:
            return GrammarError(tr("I don't know the option “{option}”. Use {flags}.", option=_short(word.text),
                                   flags=_FLAG_HELP))
        i += 1
        if name != "closes":
            switches.add(name)
            continue
        deadline, i = _closes_after_flag(words, i, flag.group(2))
        if isinstance(deadline, GrammarError):
            return deadline
        closes = deadline
    if not items:
        return GrammarError(tr("Write the question and the options in quotes — e.g. `{example}`.", example=EXAMPLE))
    if not items[0].quoted:
        return GrammarError(tr(
            "Put the question in quotes, then each option — e.g. `{example}`. "
            "Single-word options may go without quotes.", example=EXAMPLE,
        ))
    return CreatePoll(
        question=items[0].text.strip(),
        options=tuple(w.text.strip() for w in items[1:]),
        anonymous="anonymous" in switches,
        multi="multi" in switches,
        hide_results="hide_results" in switches,
        closes=closes,
    )


def _words(typed: str) -> list[_Word] | GrammarError:
    """Quoted strings and bare words; a quote closes at its matching mark followed by a space or the end."""
    words: list[_Word] = []
    i = 0
    while i < len(typed):
        ch = typed[i]
        if ch.isspace():
            i += 1
        elif ch in _CLOSERS:
            end = _closing(typed, i)
            if end is None:
                return GrammarError(tr("The quote that starts “{start}” is never closed — add a closing quote mark.",
                                       start=_short(typed[i + 1:])))
            words.append(_Word(typed[i + 1:end], quoted=True))
            i = end + 1
        else:
            match = _BARE.match(typed, i)
            assert match is not None
            words.append(_Word(match.group(), quoted=False))
            i = match.end()
    return words


def _closing(typed: str, start: int) -> int | None:
    """Where the quote opened at `start` ends: a closing mark followed by a space, another quote or the end.

    Curly quotes nested inside (`"Rename the “Refund” macro?"`) are stepped over as a pair.
    """
    closers = _CLOSERS[typed[start]]
    depth = 0
    for j in range(start + 1, len(typed)):
        ch = typed[j]
        ends_word = j + 1 == len(typed) or typed[j + 1].isspace() or typed[j + 1] in _CLOSERS
        if depth == 0 and ch in closers and ends_word:
            return j
        if ch in _NESTED and not ends_word:
            depth += 1
        elif depth and ch in _NESTED.values():
            depth -= 1
    return None


def _closes_after_flag(words: list[_Word], i: int, glued: str | None) -> tuple[Closes | GrammarError, int]:
    """The deadline after `--closes`: `=2h`, one quoted string, or as many bare words as still read as one."""
    if glued:
        return _or_error(parse_closes(glued)), i
    if i >= len(words) or (not words[i].quoted and _FLAG.match(words[i].text)):
        return GrammarError(tr('Say when the poll closes after --closes, e.g. `--closes 2h` or '
                               '`--closes "fri 17:00"`.')), i
    if words[i].quoted:
        return _or_error(parse_closes(words[i].text)), i + 1
    best: tuple[Closes, int] | None = None
    for end in range(i + 1, min(len(words), i + 4) + 1):
        if any(w.quoted for w in words[i:end]):
            break
        found = parse_closes(" ".join(w.text for w in words[i:end]))
        if found is not None:
            best = (found, end)
    if best is None:
        return _or_error(None, words[i].text), i + 1
    return best


def _or_error(closes: Closes | None, typed: str = "") -> Closes | GrammarError:
    if closes is not None:
        return closes
    hint = tr('Try a span like `--closes 2h` or `--closes 3d`, or a day and time like `--closes "fri 17:00"`, '
              '`--closes "tomorrow 9am"` or `--closes "2026-12-01 12:00"`.')
    if typed:
        return GrammarError(tr("I can't read “{typed}” as a deadline. {hint}", typed=_short(typed), hint=hint))
    return GrammarError(tr("I can't read that as a deadline. {hint}", hint=hint))


def parse_closes(typed: str) -> Closes | None:
    """`2h`, `1h30m`, `3 days`, `fri`, `fri 17:00`, `tomorrow 9am`, `17:00`, `2026-12-01 12:00`; None if unreadable."""
    text = _joined(" ".join(typed.casefold().split()).removeprefix("in ").removesuffix(" from now"))
    if _SPAN.match(text):
        minutes = sum(int(n) * _UNITS[unit[0]] for n, unit in _SPAN_PART.findall(text))
        return Closes(after=timedelta(minutes=minutes))
    closes = Closes()
    for token in _time_tokens(text):
        day, clock = _day(token), _clock(token)
        if day is not None and closes.weekday is None and closes.in_days is None and closes.on is None:
            closes = replace(day, at=closes.at)
        elif clock is not None and closes.at is None:
            closes = Closes(weekday=closes.weekday, in_days=closes.in_days, on=closes.on, at=clock)
        else:
            return None
    return closes if closes != Closes() else None


def _time_tokens(text: str) -> list[str]:
    """Words of a day-and-time deadline, with `5 pm` and `at 5pm` read as one time."""
    tokens = [t for t in text.replace(",", " ").split() if t not in ("at", "on", "next", "this")]
    merged: list[str] = []
    for token in tokens:
        if token in ("am", "pm") and merged:
            merged[-1] += token
        else:
            merged.append(token)
    return merged


def _day(token: str) -> Closes | None:
    """The day half of a deadline (`fri`, `tomorrow`, `2026-12-01`), with no time yet."""
    if token in _weekdays():
        return Closes(weekday=_weekdays()[token])
    if token in _RELATIVE_DAYS:
        return Closes(in_days=_RELATIVE_DAYS[token])
    iso = _ISO_DATE.match(token)
    if iso:
        try:
            return Closes(on=date(int(iso[1]), int(iso[2]), int(iso[3])))
        except ValueError:
            return None
    return None


def _clock(token: str) -> tuple[int, int] | None:
    if token == "noon":
        return (12, 0)
    if token == "midnight":
        return (0, 0)
    if match := _CLOCK_24.match(token):
        return (int(match[1]), int(match[2]))
    if match := _CLOCK_12.match(token):
        hour = int(match[1]) % 12 + (12 if match[3] == "pm" else 0)
        return (hour, int(match[2] or 0))
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 30 else text[:29] + "…"
