"""What the Bot Connector sends, checked before botbuilder reads it.

botbuilder deserializes an activity leniently and then reads it with plain attribute and key access, so a
list where an object belongs, a mention without an account or a conversation without an id ends in a 500.
Every field Huzzah or botbuilder reads is checked here first; the activity itself is then built by
botbuilder from the body as sent (unknown fields are Microsoft's to add).
"""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from adapters.msteams.limits import (
    MAX_ACCOUNT_ID_CHARS,
    MAX_CONVERSATION_ID_CHARS,
    MAX_TENANT_ID_CHARS,
    MAX_TEXT_CHARS,
)
from adapters.shapes import Malformed, anything, array, flag, need, record, text, token

ACCOUNT_ID = token(r"[!-~]+", most=MAX_ACCOUNT_ID_CHARS)
TENANT_ID = token(r"[!-~]+", most=MAX_TENANT_ID_CHARS)
LABEL = token(r"[^\x00-\x1f\x7f]+", most=255)
URL = token(r"https?://[!-~]+", most=2000)
NAME = text(500)

ACCOUNT = record(id=need(ACCOUNT_ID), name=NAME, aadObjectId=text(64), role=LABEL)
CONVERSATION = record(
    id=need(token(r"[!-~]+", most=MAX_CONVERSATION_ID_CHARS)), conversationType=LABEL, tenantId=TENANT_ID,
    isGroup=flag, name=NAME,
)
REACTION = record(type=need(LABEL))
ENTITY = record(type=LABEL, text=text(MAX_TEXT_CHARS), mentioned=record(id=need(ACCOUNT_ID), name=NAME))
CHANNEL_DATA = record(
    tenant=record(id=TENANT_ID), channel=record(id=text(MAX_CONVERSATION_ID_CHARS), name=NAME),
    team=record(id=text(MAX_CONVERSATION_ID_CHARS), name=NAME), eventType=LABEL,
    teamsChannelId=text(MAX_CONVERSATION_ID_CHARS), teamsTeamId=text(MAX_CONVERSATION_ID_CHARS),
)
ACTIVITY = record(
    type=need(LABEL), id=text(200), timestamp=text(64), localTimestamp=text(64), localTimezone=text(64),
    serviceUrl=need(URL), channelId=LABEL, locale=LABEL, textFormat=LABEL, action=LABEL, name=LABEL,
    deliveryMode=LABEL, replyToId=text(200),
    **{"from": need(ACCOUNT)}, recipient=need(ACCOUNT), conversation=need(CONVERSATION),
    text=text(MAX_TEXT_CHARS), entities=array(ENTITY, most=100), channelData=CHANNEL_DATA,
    value=anything(depth=8, most=200), attachments=array(anything(depth=16, most=200), most=20),
    membersAdded=array(ACCOUNT, most=1000), membersRemoved=array(ACCOUNT, most=1000),
    reactionsAdded=array(REACTION, most=50), reactionsRemoved=array(REACTION, most=50),
)


def activity_of(body: Any) -> Activity:
    """The activity in a parsed body, each field Huzzah or botbuilder reads checked; raises `Malformed`."""
    ACTIVITY(body, "")
    try:
        return Activity().deserialize(body)
    except Exception:  # msrest's DeserializationError and friends, for values the schema types differently
        raise Malformed("the body does not follow the Bot Framework activity schema") from None
