"""Conversation references: the address Teams gives each conversation, kept so the bot can speak first.

Saved from `installationUpdate`, `conversationUpdate` and every message, stripped of the activity that
carried them (and, outside personal chats, of whoever happened to speak), so a stored reference says where
the bot may talk and nothing about what anyone did.
"""

from __future__ import annotations

from datetime import datetime

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from adapters.msteams.translate import PERSONAL, base_conversation_id, tenant_of
from storage.db import Database
from storage.msteams import MsTeamsConversation, save_conversation

SAVED_FROM = frozenset({"message", "conversationUpdate", "installationUpdate"})


def conversation_of(reference: ConversationReference, tenant: str) -> MsTeamsConversation:
    kind = reference.conversation.conversation_type or PERSONAL
    user_id = reference.user.id if kind == PERSONAL and reference.user else None
    return MsTeamsConversation(
        id=reference.conversation.id, tenant_id=tenant, kind=kind, user_id=user_id,
        service_url=reference.service_url, reference=reference.serialize(),
    )


def reference_of(activity: Activity) -> ConversationReference:
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    reference.locale = None
    reference.conversation.id = base_conversation_id(reference.conversation.id)
    reference.conversation.tenant_id = tenant_of(activity)
    if (reference.conversation.conversation_type or PERSONAL) != PERSONAL:
        reference.user = None
    return reference


def restore(conv: MsTeamsConversation, conversation_id: str | None = None) -> ConversationReference:
    """The stored reference, pointed at `conversation_id` (a thread of the channel) when given."""
    reference = ConversationReference().deserialize(conv.reference)
    reference.service_url = conv.service_url
    reference.conversation.id = conversation_id or conv.id
    return reference


async def remember(db: Database, activity: Activity, at: datetime) -> None:
    if activity.type not in SAVED_FROM or activity.conversation is None or not activity.service_url:
        return
    async with db.transaction() as conn:
        await save_conversation(conn, conversation_of(reference_of(activity), tenant_of(activity)), at)
