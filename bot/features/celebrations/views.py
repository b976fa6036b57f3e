"""How a celebration looks: the warm post, the private note, the congrats note it turns into."""

from __future__ import annotations

from bot.features.celebrations.occasions import Occasion
from bot.messages import Button, Buttons, Message, footnote, message, text
from bot.people import Person

CONGRATS = "celebrate.congrats"


def _wish(occasion: Occasion) -> tuple[str, str]:
    """(emoji, words) for the day."""
    match occasion.kind:
        case "birthday":
            return "🎂", "Happy birthday"
        case "anniversary":
            years = f"{occasion.years} year{'s' if occasion.years != 1 else ''}"
            return "🎊", f"Happy {years} with the team"
    return "👋", "Welcome to your first week"


def public_post(person: Person, occasion: Occasion, value: str) -> Message:
    emoji, words = _wish(occasion)
    return message(
        text(f"{emoji} {words}, ", person, "!"),
        Buttons((Button("🎉 Say congrats", CONGRATS, value, style="primary"),)),
        footnote("Press the button and they'll get a note from you."),
        summary=f"{emoji} {words}, {person.label}!",
    )


def private_note(occasion: Occasion) -> Message:
    emoji, words = _wish(occasion)
    return message(
        text(f"{emoji} {words}! Everyone at Huzzah is glad you're here."),
        footnote("Only you see this: you chose `celebrate private`. `celebrate on` shares your day with the team; "
                 "`celebrate off` stops these notes."),
    )


def congrats_note(sender: Person, occasion: Occasion) -> Message:
    emoji, words = _wish(occasion)
    return message(
        text(f"{emoji} ", sender, f" says: {words}!"),
        footnote("From the button under your celebration in the team channel."),
        summary=f"{emoji} {sender.label} says: {words}!",
    )
