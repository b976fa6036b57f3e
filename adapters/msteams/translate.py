"""Teams activities into the core's words: people, channels, and what someone said, pressed or submitted.

Mentions arrive as `<at>Name</at>` in the text plus a `mention` entity carrying the account; they become
neutral `Person`s (the bot's own mention is dropped: it only addresses the bot). Card buttons and forms
come back as a message whose `value` is the `Action.Submit` data the card renderer wrote, merged with the
card's inputs.
"""

from __future__ import annotations

import html
import re
from typing import Any

from botbuilder.schema import Activity, ChannelAccount

from adapters.msteams.config import PLATFORM
from bot.incoming import Incoming, MessageRef, Part, Pressed, Reacted, Said, Submitted
from bot.people import Channel, Person

PERSONAL = "personal"
DATA_KEY = "huzzah"
"""Marks Action.Submit data written by our card renderer: its value says which kind of action it is."""
PRESS, CHOOSE, FORM = "press", "choose", "form"
FIELD_PREFIX = "field:"
"""Card inputs are named `field:<name>`, so a form field can never collide with our own data keys."""

_AT = re.compile(r"<at>(.*?)</at>", re.DOTALL)
_BREAKS = re.compile(r"<br\s*/?>|</p>|</div>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def object_at(value: Any, key: str) -> dict[str, Any]:
    """`value[key]` when both are JSON objects, else an empty one: channelData is whatever Teams put there."""
    inner = value.get(key) if isinstance(value, dict) else None
    return inner if isinstance(inner, dict) else {}


def tenant_of(activity: Activity) -> str:
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return str(conversation.tenant_id)
    return str(object_at(activity.channel_data, "tenant").get("id") or "unknown-tenant")


def is_bot_account(account_id: str) -> bool:
    """Bot accounts in Teams are `28:<app id>`; people are `29:…` (or an AAD object id)."""
    return account_id.startswith("28:")


def is_bot(account: ChannelAccount) -> bool:
    """Another bot or app: its account id, or the role the Bot Connector gives it."""
    return is_bot_account(account.id or "") or account.role == "bot"


def person(account: ChannelAccount, tenant: str, tz: str | None = None, locale: str | None = None) -> Person:
    """`locale` is the activity's (`vi-VN`): the language of the Teams client that sent it."""
    return Person(PLATFORM, tenant, account.id, account.name or "", tz or None, is_bot=is_bot(account),
                  locale=locale or None)


def base_conversation_id(conversation_id: str) -> str:
    """A channel thread is `19:…@thread.tacv2;messageid=123`; the channel itself is the part before `;`."""
    return conversation_id.split(";", 1)[0]


def channel_of(activity: Activity) -> Channel:
    tenant = tenant_of(activity)
    conversation = activity.conversation
    kind = conversation.conversation_type or PERSONAL
    if kind == PERSONAL:
        return Channel(PLATFORM, tenant, conversation.id, is_direct=True)
    name = str(object_at(activity.channel_data, "channel").get("name") or conversation.name or "")
    return Channel(PLATFORM, tenant, base_conversation_id(conversation.id), name=name)


def _mentions(activity: Activity) -> list[dict[str, Any]]:
    found = []
    for entity in activity.entities or []:
        props = entity.serialize() if hasattr(entity, "serialize") else dict(entity)
        props.update(getattr(entity, "additional_properties", None) or {})
        mentioned = props.get("mentioned")
        if props.get("type") == "mention" and isinstance(mentioned, dict) and isinstance(mentioned.get("id"), str):
            found.append(props)
    return found


def _name(mentioned: dict[str, Any]) -> str:
    name = mentioned.get("name")
    return name if isinstance(name, str) else ""


def _plain(fragment: str) -> str:
    """Teams may send a little HTML around words; keep the words exactly, spaces normalised."""
    return html.unescape(_TAGS.sub("", _BREAKS.sub("\n", fragment))).replace("\xa0", " ")


def parts_of(activity: Activity) -> tuple[Part, ...]:
    """The message text with each `<at>…</at>` resolved to a Person through its mention entity, in order."""
    text = activity.text or ""
    tenant = tenant_of(activity)
    bot_id = activity.recipient.id if activity.recipient else ""
    unused = _mentions(activity)
    out: list[Part] = []
    last = 0
    for match in _AT.finditer(text):
        out.append(_plain(text[last:match.start()]))
        last = match.end()
        tag = match.group(0)
        entity = next((m for m in unused if m.get("text") == tag), None)
        if entity is None:
            entity = next((m for m in unused if _plain(_name(m["mentioned"])) == _plain(match.group(1))), None)
        if entity is None:
            out.append("@" + _plain(match.group(1)))
            continue
        unused.remove(entity)
        mentioned = entity["mentioned"]
        if mentioned.get("id") == bot_id:
            continue
        out.append(Person(PLATFORM, tenant, mentioned["id"], _plain(_name(mentioned) or match.group(1)),
                          is_bot=is_bot_account(mentioned["id"])))
    out.append(_plain(text[last:]))
    joined: list[Part] = []
    for part in out:
        if isinstance(part, str) and joined and isinstance(joined[-1], str):
            joined[-1] += part
        elif part != "":
            joined.append(part)
    if joined and isinstance(joined[0], str):
        joined[0] = joined[0].lstrip()
    if joined and isinstance(joined[-1], str):
        joined[-1] = joined[-1].rstrip()
    return tuple(p for p in joined if p != "")


def _form_values(value: dict[str, Any]) -> dict[str, str | tuple[str, ...]]:
    """The card's inputs: text, or for a multi-choice input the chosen values (Teams joins them with commas).
    A value no input of ours can produce (a list, an object) reads as empty."""
    listed = value.get("multi")
    multi = {m for m in listed if isinstance(m, str)} if isinstance(listed, list) else set()
    values: dict[str, str | tuple[str, ...]] = {}
    for key, raw in value.items():
        if not key.startswith(FIELD_PREFIX):
            continue
        name = key.removeprefix(FIELD_PREFIX)
        text = str(raw) if isinstance(raw, str | int | float) else ""
        values[name] = tuple(v for v in text.split(",") if v) if name in multi else text
    return values


def time_zone(activity: Activity) -> str | None:
    """The sender's IANA time zone: the activity's `localTimezone`, else what its clientInfo entity says."""
    if activity.local_timezone:
        return str(activity.local_timezone)
    for entity in activity.entities or []:
        props = entity.serialize() if hasattr(entity, "serialize") else dict(entity)
        props.update(getattr(entity, "additional_properties", None) or {})
        if props.get("type") == "clientInfo" and isinstance(props.get("timezone"), str):
            return str(props["timezone"])
    return None


def sender_of(activity: Activity) -> Person:
    return person(activity.from_property, tenant_of(activity), time_zone(activity), activity.locale)


def submitted_of(sender: Person, channel: Channel, value: dict[str, Any]) -> Submitted:
    """A form's card came back (in a message, or in a message extension's dialog)."""
    return Submitted(sender, channel, str(value.get("form", "")), _form_values(value), str(value.get("context", "")))


def reactions_of(activity: Activity, author: Person) -> list[Reacted]:
    """A `messageReaction` activity: each reaction added to (or removed from) `author`'s message."""
    sender, channel = sender_of(activity), channel_of(activity)
    ref = MessageRef(PLATFORM, sender.workspace, channel.id, str(activity.reply_to_id or ""))
    added = [(r, False) for r in activity.reactions_added or []]
    removed = [(r, True) for r in activity.reactions_removed or []]
    return [Reacted(sender, channel, str(r.type), author, ref, removed=gone) for r, gone in added + removed if r.type]


def incoming_of(activity: Activity) -> Incoming | None:
    """What a message activity means to the core; None for anything that is not for us (an empty message)."""
    if activity.type != "message" or activity.from_property is None or activity.conversation is None:
        return None
    if is_bot(activity.from_property):  # another bot's message never gives kudos, votes or answers
        return None
    tenant = tenant_of(activity)
    sender = sender_of(activity)
    channel = channel_of(activity)
    value = activity.value if isinstance(activity.value, dict) else None
    if value and value.get(DATA_KEY) in (PRESS, CHOOSE, FORM):
        card = MessageRef(PLATFORM, tenant, channel.id, activity.reply_to_id) if activity.reply_to_id else None
        kind = value[DATA_KEY]
        if kind == FORM:
            return submitted_of(sender, channel, value)
        chosen = value.get(f"{FIELD_PREFIX}{value.get('input', '')}") if kind == CHOOSE else value.get("value")
        if kind == CHOOSE and not chosen:
            return None
        return Pressed(sender, channel, str(value.get("action", "")), str(chosen or ""), card)
    parts = parts_of(activity)
    if not parts and not (activity.text or "").strip():
        return None
    return Said(sender, channel, parts)
