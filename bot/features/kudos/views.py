"""How a kudos looks: the public post, the recipient's DM, the giver's confirmation."""

from __future__ import annotations

from bot.config import Settings
from bot.features.kudos.limits import MAX_REASON_CHARS
from bot.forms import Form, FormField, Note, Select, TextInput
from bot.messages import Button, Buttons, Footnote, Inline, Link, Message, Strong, footnote, message, text
from bot.people import Person
from storage.kudos import KudosRecord

ME_TOO = "kudos.metoo"
UNDO = "kudos.undo"
GIVE_FORM = "kudos.give"
REACTION_REASON = "for this message"
"""The reason a reaction kudos carries: the message itself is linked, never copied (it may be private)."""


def names(people: tuple[Person, ...] | list[Person]) -> list[Inline]:
    """`@a`, `@a and @b`, `@a, @b and @c` — with real mentions."""
    out: list[Inline] = []
    for i, person in enumerate(people):
        if i:
            out.append(" and " if i == len(people) - 1 else ", ")
        out.append(person)
    return out


def value_chips(settings: Settings, values: tuple[str, ...]) -> str:
    chips = []
    for name in values:
        value = settings.value_named(name)
        chips.append(f"{value.emoji} {value.name}".strip() if value else name)
    return " · ".join(chips)


def _byline(settings: Settings, record: KudosRecord) -> Footnote:
    parts: list[Inline] = []
    chips = value_chips(settings, record.values)
    if chips:
        parts += [chips, "  —  "]
    parts += ["from ", record.giver]
    if record.cogivers:
        parts += [" with ", *names(record.cogivers)]
    if record.link:
        parts += ["  ·  ", Link(record.link, "the message")]
    parts.append(f"  ·  no. {record.id}")
    return footnote(*parts)


def public_post(settings: Settings, record: KudosRecord) -> Message:
    return message(
        text("🎉 ", Strong("Huzzah for "), *names(record.recipients), Strong("!")),
        text(*record.reason, quote=True),
        _byline(settings, record),
        Buttons((Button("🙌 Me too", ME_TOO, str(record.id)),)),
        summary=f"🎉 Huzzah for {', '.join(p.label for p in record.recipients)} from {record.giver.label}",
    )


def recipient_dm(settings: Settings, record: KudosRecord, where: str) -> Message:
    chips = value_chips(settings, record.values)
    return message(
        text("🎉 ", record.giver, " thanked you", f" ({chips})" if chips else "", ":"),
        text(*record.reason, quote=True),
        footnote(f"Everyone can see it in {where}." if where else "Keep it up!"),
        summary=f"🎉 {record.giver.label} thanked you",
    )


def _left(left: int) -> str:
    return f"You have {left} thank-you{'s' if left != 1 else ''} left today."


def confirmation(record: KudosRecord, where: str, left: int, undo_minutes: int) -> Message:
    told = "has" if len(record.recipients) == 1 else "have"
    return message(
        text("Sent! ", *names(record.recipients), f" {told} been told, and it's posted in {where}."),
        footnote(_left(left), f" A slip? Undo it, or type `edit …` to correct it, within {undo_minutes} minutes."),
        Buttons((Button("↩️ Undo", UNDO, str(record.id)),)),
    )


def taken_back(record: KudosRecord, left: int | None) -> Message:
    """To whoever removed it: what happened, and (for its giver) the allowance they have again."""
    told = "was" if len(record.recipients) == 1 else "were"
    return message(
        text("↩️ Taken back: the post is removed and ", *names(record.recipients), f" {told} told privately."),
        footnote(_left(left)) if left is not None else None,
    )


def withdrawn_dm(record: KudosRecord, by_admin: bool) -> Message:
    """To each recipient: the thanks they were told about is gone, said kindly."""
    who: list[Inline] = ["An admin removed"] if by_admin else [record.giver, " took back"]
    return message(
        text(*who, " the huzzah ", *(["they gave "] if not by_admin else ["for "]), "you, so it's no longer posted."),
        footnote("Nothing you need to do."),
        summary="A huzzah for you was withdrawn",
    )


def removed_notice(record: KudosRecord, reason: str) -> Message:
    """To the giver, privately, when an admin removed their kudos."""
    return message(
        text("An admin removed your huzzah for ", *names(record.recipients), "."),
        text(reason, quote=True),
        footnote("Your thank-you is back in your allowance. Questions? Ask the person who runs Huzzah."),
        summary="An admin removed your huzzah",
    )


def corrected(record: KudosRecord) -> Message:
    return message(text("✏️ Corrected — the post now reads:"), text(*record.reason, quote=True))


def not_posted(record: KudosRecord, where: str) -> Message:
    """To the giver, when the public post could never be made: the kudos itself is safe."""
    return message(text(
        "⚠️ I couldn't post your huzzah for ", *names(record.recipients), f" in {where}. It is saved and counted, "
        "and the people you thanked were told privately. Ask whoever runs Huzzah to check that channel "
        "(does it exist, and has the bot been invited?).",
    ))


def give_form(
    settings: Settings, author: Person, link: str, context_: str, *,
    problem: str = "", reason: str = "", values: tuple[str, ...] = (),
) -> Form:
    """"Give a huzzah" for a message's author; shown again with `problem` on top when a rule said no."""
    about: list[Inline] = ["Thanking ", author, " for ", Link(link, "this message") if link else "their message", "."]
    fields: list[FormField] = [Note((f"⚠️ {problem}",))] if problem else []
    fields += [
        Note(tuple(about)),
        TextInput("reason", "Why are you thanking them?", multiline=True, max_length=MAX_REASON_CHARS,
                  initial=reason, hint="e.g. thanks for calming down the angry caller"),
    ]
    if settings.values:
        options = tuple((f"{v.emoji} {v.name}".strip(), v.name) for v in settings.values)
        fields.append(Select("values", "Which of our values did they show?", options, multi=True, optional=True,
                             initial=values))
    return Form(GIVE_FORM, "Give a huzzah", "Send huzzah", tuple(fields), context_)
