"""`checkin`, `checkin at thu 22:00`, `checkin off|on`, `vent`."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts, is_blank, next_word, plain, strip
from bot.i18n import N_, tr

CHECKIN_VERBS = ("checkin", "check-in")
VENT_VERBS = ("vent",)
DAYS = {
    "mon": "mon", "monday": "mon", "tue": "tue", "tues": "tue", "tuesday": "tue", "wed": "wed",
    "wednesday": "wed", "thu": "thu", "thur": "thu", "thurs": "thu", "thursday": "thu", "fri": "fri",
    "friday": "fri", "sat": "sat", "saturday": "sat", "sun": "sun", "sunday": "sun",
}
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")
EXAMPLE = "`checkin at thu 22:00`, `checkin at friday 3pm`"


@dataclass(frozen=True)
class StartCheckin:
    """Ask me now instead of waiting for my scheduled check-in."""


@dataclass(frozen=True)
class MoveCheckin:
    day: str
    time: str


@dataclass(frozen=True)
class SwitchCheckins:
    on: bool


@dataclass(frozen=True)
class OpenVent:
    typed: bool = False
    """Words came after `vent` in the chat; they are dropped (chat history keeps them) and the form opens."""


HELP = (
    HelpEntry("checkin", N_("Answer this week's anonymous mood check-in now"), "checkin"),
    HelpEntry("checkin at <day> <HH:MM>", N_("Move your weekly check-in to suit your shift (your time zone)"),
              "checkin at thu 22:00"),
    HelpEntry("checkin off | on", N_("Stop or resume your weekly check-in"), "checkin off"),
    HelpEntry("vent", N_("Say what's on your mind, anonymously, in a private form"), "vent"),
)


def parse_time(words: str) -> str | None:
    """`22:00`, `9:30`, `3pm`, `10:15 am` as 24-hour HH:MM; None if it is not a time of day."""
    match = _CLOCK.match(words.strip().casefold())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_checkin(parts: Parts) -> StartCheckin | MoveCheckin | SwitchCheckins | GrammarError:
    word, rest = next_word(parts)
    if word is None:
        return StartCheckin()
    if not isinstance(word, str):
        return GrammarError(tr("Check-ins are only about you — try `checkin`, `checkin off` or "
                               "`checkin at thu 22:00`."))
    verb = word.casefold()
    if verb in ("on", "off") and is_blank(rest):
        return SwitchCheckins(on=verb == "on")
    if verb in ("now", "start") and is_blank(rest):
        return StartCheckin()
    if verb == "at":
        return _parse_move(rest)
    if verb in DAYS:
        return _parse_move(parts)
    return GrammarError(tr("I can start your check-in (`checkin`), move it ({examples}) or switch it `off` or `on`.",
                           examples=EXAMPLE))


def _parse_move(parts: Parts) -> MoveCheckin | GrammarError:
    day_word, rest = next_word(parts)
    day = DAYS.get(day_word.casefold().rstrip(",")) if isinstance(day_word, str) else None
    if day is None:
        return GrammarError(tr("Tell me a day and a time, e.g. {examples}.", examples=EXAMPLE))
    time = parse_time(plain(strip(rest)))
    if time is None:
        return GrammarError(tr("I couldn't read “{typed}” as a time of day — e.g. {examples}.",
                                   typed=plain(strip(rest))[:20], examples=EXAMPLE))
    return MoveCheckin(day, time)


def parse_vent(parts: Parts) -> OpenVent:
    return OpenVent(typed=not is_blank(parts))
