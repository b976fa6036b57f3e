"""Neutral messages and forms as Adaptive Cards (v1.4, what Teams renders on desktop and mobile).

Every block has a card element; mentions become `<at>name</at>` with a mention entity so Teams
highlights and notifies the person; the card's `fallbackText` and the activity's `summary` carry the
plain-text version for notifications and clients that cannot draw cards. Buttons and forms submit data
that `translate.incoming_of` reads back as `Pressed` / `Submitted`.
"""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable
from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment
from PIL import Image as PILImage

from adapters.msteams.limits import CARD_MAX_BYTES
from adapters.msteams.translate import CHOOSE, DATA_KEY, FIELD_PREFIX, FORM, PRESS
from bot.forms import Checkboxes, Form, Note, Select, TextInput
from bot.i18n import tr
from bot.messages import (
    Buttons,
    Choices,
    Divider,
    Fields,
    Footnote,
    Image,
    Inline,
    Link,
    Message,
    Strong,
    Text,
    message,
    plain_text,
    summary_of,
)
from bot.people import Person

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.4"
STYLES = {"primary": "positive", "danger": "destructive"}
CHOOSE_LABEL = "Choose"
_MARKDOWN = re.compile(r"([\\`*_\[\]~<>])")
_LIST_START = re.compile(r"^(\s*)([-+]|\d+\.)(\s)", re.MULTILINE)


def escape(text: str) -> str:
    """Words people typed are shown as typed: no bold, links, lists or fake mentions made from them."""
    return _LIST_START.sub(r"\1\\\2\3", _MARKDOWN.sub(r"\\\1", text))


class _Mentions:
    """Collects one mention entity per person named in a card."""

    def __init__(self) -> None:
        self.people: dict[Person, str] = {}

    def tag(self, person: Person) -> str:
        name = escape(person.name or person.user_id)
        return self.people.setdefault(person, f"<at>{name}</at>")

    def entities(self) -> list[dict[str, Any]]:
        return [
            {"type": "mention", "text": tag, "mentioned": {"id": p.user_id, "name": p.name or p.user_id}}
            for p, tag in self.people.items()
        ]


def _inline(part: Inline, mentions: _Mentions) -> str:
    if isinstance(part, str):
        return escape(part)
    if isinstance(part, Person):
        return mentions.tag(part) if part.platform == "msteams" else escape(part.label)
    if isinstance(part, Strong):
        core = part.text.strip()
        if not core:
            return escape(part.text)
        lead, trail = part.text[:len(part.text) - len(part.text.lstrip())], part.text[len(part.text.rstrip()):]
        return f"{lead}**{escape(core)}**{trail}"  # `**word **` would show its asterisks
    if isinstance(part, Link):
        return f"[{escape(part.label or part.url)}]({part.url.replace(')', '%29')})"
    return ""


def _text(parts: tuple[Inline, ...], mentions: _Mentions) -> str:
    return "".join(_inline(p, mentions) for p in parts)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def compact_png(png: bytes) -> bytes:
    """The same picture in a 64-colour palette: a chart loses nothing visible and shrinks to about a third."""
    with PILImage.open(io.BytesIO(png)) as image:
        small = image.convert("RGB").quantize(colors=64)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue() if out.tell() < len(png) else png


Shrink = Callable[[bytes], bytes] | None
"""How an inline PNG is fitted into a card: as it is, compacted, or (None) left out for its alt text."""


def _submit(title: str, data: dict[str, Any], style: str | None = None) -> dict[str, Any]:
    action: dict[str, Any] = {"type": "Action.Submit", "title": title, "data": data}
    if style:
        action["style"] = style
    return action


def _elements(msg: Message, mentions: _Mentions, *, images: Shrink) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = []
    separate = False
    for index, block in enumerate(msg.blocks):
        items: list[dict[str, Any]] = []
        match block:
            case Text(parts=parts, quote=True):
                items.append({"type": "Container", "style": "emphasis", "items": [
                    {"type": "TextBlock", "text": _text(parts, mentions), "wrap": True},
                ]})
            case Text(parts=parts):
                items.append({"type": "TextBlock", "text": _text(parts, mentions), "wrap": True})
            case Fields(pairs=pairs):
                items.append({"type": "FactSet", "facts": [{"title": escape(k), "value": escape(v)} for k, v in pairs]})
            case Buttons(buttons=buttons):
                items.append({"type": "ActionSet", "actions": [
                    _submit(b.label, {DATA_KEY: PRESS, "action": b.action, "value": b.value}, STYLES.get(b.style or ""))
                    for b in buttons
                ]})
            case Choices(action=action, placeholder=placeholder, options=options):
                input_id = f"choice{index}"
                items.append({
                    "type": "Input.ChoiceSet", "id": f"{FIELD_PREFIX}{input_id}", "style": "compact",
                    "placeholder": placeholder, "choices": [{"title": label, "value": v} for label, v in options],
                })
                items.append({"type": "ActionSet", "actions": [
                    _submit(CHOOSE_LABEL, {DATA_KEY: CHOOSE, "action": action, "input": input_id}),
                ]})
            case Image(alt=alt, png=png, url=url, title=title):
                if title:
                    items.append({"type": "TextBlock", "text": escape(title), "weight": "Bolder", "wrap": True})
                source = url or (_data_uri(images(png)) if png and images else "")
                if source:
                    items.append({"type": "Image", "url": source, "altText": alt, "size": "Stretch"})
                else:
                    items.append({"type": "TextBlock", "text": escape(alt), "wrap": True, "isSubtle": True})
            case Footnote(parts=parts):
                items.append({"type": "TextBlock", "text": _text(parts, mentions), "wrap": True, "size": "Small",
                              "isSubtle": True})
            case Divider():
                separate = True
                continue
        if separate and items:
            items[0]["separator"] = True
            separate = False
        body += items
    return body


def _card(body: list[dict[str, Any]], fallback: str, mentions: _Mentions,
          actions: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    card: dict[str, Any] = {
        "type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body, "fallbackText": fallback,
        "msteams": {"width": "Full"},
    }
    if actions:
        card["actions"] = actions
    entities = mentions.entities()
    if entities:
        card["msteams"]["entities"] = entities
    return card


def message_card(msg: Message) -> dict[str, Any]:
    """The Adaptive Card for a message, under Teams' size limit: an inline image is compacted if need be, and
    left out for its alt text when even that does not fit."""
    shrinks: tuple[Shrink, ...] = (lambda png: png, compact_png, None)
    for images in shrinks:
        mentions = _Mentions()
        card = _card(_elements(msg, mentions, images=images), plain_text(msg), mentions)
        if len(json.dumps(card)) <= CARD_MAX_BYTES:
            break
    return card


def form_card(form: Form, above: Message | None = None) -> dict[str, Any]:
    """`above`: what the same answer said before the form (a confirmation), shown on top of it in one card."""
    mentions = _Mentions()
    body: list[dict[str, Any]] = _elements(above, mentions, images=None) if above else []
    body.append(
        {"type": "TextBlock", "text": escape(form.title), "weight": "Bolder", "size": "Medium", "wrap": True},
    )
    multi: list[str] = []
    for field in form.fields:
        match field:
            case TextInput():
                element: dict[str, Any] = {
                    "type": "Input.Text", "id": f"{FIELD_PREFIX}{field.name}", "label": field.label,
                    "isMultiline": field.multiline, "isRequired": not field.optional,
                    "errorMessage": tr("Please fill in “{field}”.", field=field.label),
                }
                if field.max_length:
                    element["maxLength"] = field.max_length
                if field.initial:
                    element["value"] = field.initial
                if field.hint:
                    element["placeholder"] = field.hint
                body.append(element)
            case Select() | Checkboxes():
                many = isinstance(field, Checkboxes) or field.multi
                if many:
                    multi.append(field.name)
                element = {
                    "type": "Input.ChoiceSet", "id": f"{FIELD_PREFIX}{field.name}", "label": field.label,
                    "choices": [{"title": label, "value": v} for label, v in field.options],
                    "isMultiSelect": many, "style": "expanded" if many else "compact",
                    "isRequired": not field.optional,
                    "errorMessage": tr("Please choose for “{field}”.", field=field.label),
                }
                if field.initial:
                    element["value"] = ",".join(field.initial)
                body.append(element)
            case Note(parts=parts):
                body.append({"type": "TextBlock", "text": _text(parts, mentions), "wrap": True, "isSubtle": True})
    data = {DATA_KEY: FORM, "form": form.id, "context": form.context, "multi": multi}
    return _card(body, form.title, mentions, [_submit(form.submit, data, "positive")])


def card_activity(card: dict[str, Any], summary: str) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        summary=summary,
        attachments=[Attachment(content_type=CARD_TYPE, content=card)],
    )


def message_activity(msg: Message) -> Activity:
    return card_activity(message_card(msg), summary_of(msg))


def form_activity(form: Form) -> Activity:
    return card_activity(form_card(form), form.title)


def answer_activity(replies: tuple[Message, ...], form: Form | None) -> Activity:
    """Everything one press answered (confirmations, a lifeline, the next form) as one card, to take the place of
    the card pressed: Teams has no private replies, and a new message would stay in the chat's record."""
    summary = summary_of(replies[0]) if replies else ""
    said = message(*(block for reply in replies for block in reply.blocks), summary=summary)
    if form is None:
        return message_activity(said)
    return card_activity(form_card(form, above=said if replies else None), form.title)
