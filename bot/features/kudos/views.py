"""How a kudos looks: the public post, the recipient's DM, the giver's confirmation."""

from __future__ import annotations

from bot.config import Settings
from bot.features.kudos.limits import MAX_REASON_CHARS
from bot.forms import Form, FormField, Note, Select, TextInput
from bot.i18n import N_, listing, tr, tr_parts, tr_plural, tr_plural_parts
from bot.messages import Button, Buttons, Footnote, Inline, Link, Message, Strong, footnote, message, text
from bot.people import Person
from storage.kudos import KudosRecord

ME_TOO = "kudos.metoo"
UNDO = "kudos.undo"
GIVE_FORM = "kudos.give"
REACTION_REASON = N_("for this message")
"""The reason a reaction kudos carries: the message itself is linked, never copied (it may be private)."""


def names(people: tuple[Person, ...] | list[Person]) -> tuple[Inline, ...]:
    """`@a`, `@a and @b`, `@a, @b and @c` — with real mentions, listed as the reader's language lists."""
    return listing(list(people))


def givers(record: KudosRecord) -> tuple[Inline, ...]:
    """`from @a`, or `from @a with @b and @c`."""
    if record.cogivers:
        return tr_parts("from {giver} with {others}", giver=record.giver, others=names(record.cogivers))
    return tr_parts("from {giver}", giver=record.giver)


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
    parts += givers(record)
    if record.link:
        parts += ["  ·  ", Link(record.link, tr("the message"))]
    parts.append("  ·  " + tr("no. {number}", number=str(record.id)))
    return footnote(*parts)


def public_post(settings: Settings, record: KudosRecord) -> Message:
    return message(
        text("🎉 ", *(p if isinstance(p, Person) else Strong(str(p))
                      for p in tr_parts("Huzzah for {people}!", people=names(record.recipients)))),
        text(*reason(record), quote=True),
        _byline(settings, record),
        Buttons((Button(tr("🙌 Me too"), ME_TOO, str(record.id)),)),
        summary=tr("🎉 Huzzah for {people} from {giver}", people=", ".join(p.label for p in record.recipients),
                   giver=record.giver.label),
    )


def reason(record: KudosRecord) -> tuple[Inline, ...]:
    """What the giver wrote, as written; a reaction's stock reason in the reader's language."""
    return (tr(REACTION_REASON),) if record.reason == (REACTION_REASON,) else tuple(record.reason)


def recipient_dm(settings: Settings, record: KudosRecord, where: str) -> Message:
    chips = value_chips(settings, record.values)
    return message(
        text("🎉 ", *(tr_parts("{giver} thanked you ({values}):", giver=record.giver, values=chips) if chips
                      else tr_parts("{giver} thanked you:", giver=record.giver))),
        text(*reason(record), quote=True),
        footnote(tr("Everyone can see it in {where}.", where=where) if where else tr("Keep it up!")),
        summary=tr("🎉 {giver} thanked you", giver=record.giver.label),
    )


def _left(left: int) -> str:
    return tr_plural("You have {n} thank-you left today.", "You have {n} thank-yous left today.", left)


def confirmation(record: KudosRecord, where: str, left: int, undo_minutes: int) -> Message:
    return message(
        text(*tr_plural_parts("Sent! {people} has been told, and it's posted in {where}.",
                              "Sent! {people} have been told, and it's posted in {where}.",
                              len(record.recipients), people=names(record.recipients), where=where)),
        footnote(_left(left), " ", tr_plural("A slip? Undo it, or type `edit …` to correct it, within {n} minute.",
                                             "A slip? Undo it, or type `edit …` to correct it, within {n} minutes.",
                                             undo_minutes)),
        Buttons((Button(tr("↩️ Undo"), UNDO, str(record.id)),)),
    )


def taken_back(record: KudosRecord, left: int | None) -> Message:
    """To whoever removed it: what happened, and (for its giver) the allowance they have again."""
    return message(
        text(*tr_plural_parts("↩️ Taken back: the post is removed and {people} was told privately.",
                              "↩️ Taken back: the post is removed and {people} were told privately.",
                              len(record.recipients), people=names(record.recipients))),
        footnote(_left(left)) if left is not None else None,
    )


def withdrawn_dm(record: KudosRecord, by_admin: bool) -> Message:
    """To each recipient: the thanks they were told about is gone, said kindly."""
    said = tr_parts("An admin removed the huzzah for you, so it's no longer posted.") if by_admin else \
        tr_parts("{giver} took back the huzzah they gave you, so it's no longer posted.", giver=record.giver)
    return message(
        text(*said),
        footnote(tr("Nothing you need to do.")),
        summary=tr("A huzzah for you was withdrawn"),
    )


def removed_notice(record: KudosRecord, reason: str) -> Message:
    """To the giver, privately, when an admin removed their kudos."""
    return message(
        text(*tr_parts("An admin removed your huzzah for {people}.", people=names(record.recipients))),
        text(reason, quote=True),
        footnote(tr("Your thank-you is back in your allowance. Questions? Ask the person who runs Huzzah.")),
        summary=tr("An admin removed your huzzah"),
    )


def corrected(record: KudosRecord) -> Message:
    return message(text(tr("✏️ Corrected — the post now reads:")), text(*record.reason, quote=True))


def not_posted(record: KudosRecord, where: str) -> Message:
    """To the giver, when the public post could never be made: the kudos itself is safe."""
    return message(text(*tr_parts(
        "⚠️ I couldn't post your huzzah for {people} in {where}. It is saved and counted, "
        "and the people you thanked were told privately. Ask whoever runs Huzzah to check that channel "
        "(does it exist, and has the bot been invited?).", people=names(record.recipients), where=where,
    )))


def give_form(
    settings: Settings, author: Person, link: str, context_: str, *,
    problem: str = "", reason: str = "", values: tuple[str, ...] = (),
) -> Form:
    """"Give a huzzah" for a message's author; shown again with `problem` on top when a rule said no."""
    linked = Link(link, tr("this message"))
    about = (tr_parts("Thanking {author} for {message}.", author=author, message=linked)
             if link else tr_parts("Thanking {author} for their message.", author=author))
    fields: list[FormField] = [Note((f"⚠️ {problem}",))] if problem else []
    fields += [
        Note(about),
        TextInput("reason", tr("Why are you thanking them?"), multiline=True, max_length=MAX_REASON_CHARS,
                  initial=reason, hint=tr("e.g. thanks for calming down the angry caller")),
    ]
    if settings.values:
        options = tuple((f"{v.emoji} {v.name}".strip(), v.name) for v in settings.values)
        fields.append(Select("values", tr("Which of our values did they show?"), options, multi=True,
                             optional=True, initial=values))
    return Form(GIVE_FORM, tr("Give a huzzah"), tr("Send huzzah"), tuple(fields), context_)
