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

from bot.incoming import Incoming, MessageRef, Part, Pressed, Said, Submitted
from bot.people import Channel, Person

PLATFORM = "msteams"
PERSONAL = "personal"
DATA_KEY = "huzzah"
"""Marks Action.Submit data written by our card renderer: its value says which kind of action it is."""
PRESS, CHOOSE, FORM = "press", "choose", "form"
FIELD_PREFIX = "field:"
"""Card inputs are named `field:<name>`, so a form field can never collide with our own data keys."""

_AT = re.compile(r"<at>(.*?)</at>", re.DOTALL)
_BREAKS = re.compile(r"<br\s*/?>|</p>|</div>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def tenant_of(activity: Activity) -> str:
    conversation = activity.conversation
    if conversation is not None and conversation.tenant_id:
        return conversation.tenant_id
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    return (data.get("tenant") or {}).get("id", "") or "unknown-tenant"


def is_bot_account(account_id: str) -> bool:
    """Bot accounts in Teams are `28:<app id>`; people are `29:…` (or an AAD object id)."""
    return account_id.startswith("28:")


def person(account: ChannelAccount, tenant: str, tz: str | None = None) -> Person:
    return Person(PLATFORM, tenant, account.id, account.name or "", tz or None, is_bot=is_bot_account(account.id))


def base_conversation_id(conversation_id: str) -> str:
    """A channel thread is `19:…@thread.tacv2;messageid=123`; the channel itself is the part before `;`."""
    return conversation_id.split(";", 1)[0]


def channel_of(activity: Activity) -> Channel:
    tenant = tenant_of(activity)
    conversation = activity.conversation
    kind = conversation.conversation_type or PERSONAL
    if kind == PERSONAL:
        return Channel(PLATFORM, tenant, conversation.id, is_direct=True)
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    name = (data.get("channel") or {}).get("name") or conversation.name or ""
    return Channel(PLATFORM, tenant, base_conversation_id(conversation.id), name=name)


def _mentions(activity: Activity) -> list[dict[str, Any]]:
    found = []
    for entity in activity.entities or []:
        props = entity.serialize() if hasattr(entity, "serialize") else dict(entity)
        props.update(getattr(entity, "additional_properties", None) or {})
        if props.get("type") == "mention" and isinstance(props.get("mentioned"), dict):
            found.append(props)
    return found


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
            entity = next((m for m in unused if _plain(m["mentioned"].get("name", "")) == _plain(match.group(1))),
                          None)
        if entity is None:
            out.append("@" + _plain(match.group(1)))
            continue
        unused.remove(entity)
        mentioned = entity["mentioned"]
        if mentioned.get("id") == bot_id:
            continue
        out.append(Person(PLATFORM, tenant, mentioned["id"], _plain(mentioned.get("name") or match.group(1)),
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
    multi = set(value.get("multi") or ())
    values: dict[str, str | tuple[str, ...]] = {}
    for key, raw in value.items():
        if not key.startswith(FIELD_PREFIX):
            continue
        name = key.removeprefix(FIELD_PREFIX)
        text = "" if raw is None else str(raw)
        values[name] = tuple(v for v in text.split(",") if v) if name in multi else text
    return values


def incoming_of(activity: Activity) -> Incoming | None:
    """What a message activity means to the core; None for anything that is not for us (an empty message)."""
    if activity.type != "message" or activity.from_property is None or activity.conversation is None:
        return None
    tenant = tenant_of(activity)
    sender = person(activity.from_property, tenant, activity.local_timezone)
    channel = channel_of(activity)
    value = activity.value if isinstance(activity.value, dict) else None
    if value and value.get(DATA_KEY) in (PRESS, CHOOSE, FORM):
        card = MessageRef(PLATFORM, tenant, channel.id, activity.reply_to_id) if activity.reply_to_id else None
        kind = value[DATA_KEY]
        if kind == FORM:
            return Submitted(sender, channel, str(value.get("form", "")), _form_values(value),
                             str(value.get("context", "")))
        chosen = value.get(f"{FIELD_PREFIX}{value.get('input', '')}") if kind == CHOOSE else value.get("value")
        if kind == CHOOSE and not chosen:
            return None
        return Pressed(sender, channel, str(value.get("action", "")), str(chosen or ""), card)
    parts = parts_of(activity)
    if not parts and not (activity.text or "").strip():
        return None
    return Said(sender, channel, parts)
