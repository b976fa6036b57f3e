"""How a celebration looks: the warm post, the private note, the congrats note it turns into."""

from __future__ import annotations

from bot.features.celebrations.occasions import Occasion
from bot.i18n import tr, tr_parts, tr_plural
from bot.messages import Button, Buttons, Message, footnote, message, text
from bot.people import Person

CONGRATS = "celebrate.congrats"


def _wish(occasion: Occasion) -> tuple[str, str]:
    """(emoji, words) for the day."""
    match occasion.kind:
        case "birthday":
            return "🎂", tr("Happy birthday")
        case "anniversary":
            return "🎊", tr_plural("Happy {n} year with the team", "Happy {n} years with the team", occasion.years)
    return "👋", tr("Welcome to your first week")


def public_post(person: Person, occasion: Occasion, value: str) -> Message:
    emoji, words = _wish(occasion)
    return message(
        text(f"{emoji} ", *tr_parts("{wish}, {person}!", wish=words, person=person)),
        Buttons((Button(tr("🎉 Say congrats"), CONGRATS, value, style="primary"),)),
        footnote(tr("Press the button and they'll get a note from you.")),
        summary=f"{emoji} " + tr("{wish}, {person}!", wish=words, person=person.label),
    )


def private_note(occasion: Occasion) -> Message:
    emoji, words = _wish(occasion)
    return message(
        text(f"{emoji} " + tr("{wish}! Everyone at Huzzah is glad you're here.", wish=words)),
        footnote(tr("Only you see this: you chose `celebrate private`. `celebrate on` shares your day with the team; "
                    "`celebrate off` stops these notes.")),
    )


def congrats_note(sender: Person, occasion: Occasion) -> Message:
    emoji, words = _wish(occasion)
    return message(
        text(f"{emoji} ", *tr_parts("{sender} says: {wish}!", sender=sender, wish=words)),
        footnote(tr("From the button under your celebration in the team channel.")),
        summary=f"{emoji} " + tr("{sender} says: {wish}!", sender=sender.label, wish=words),
    )
