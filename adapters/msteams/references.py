"""Conversation references: the address Teams gives each conversation, kept so the bot can speak first.

Saved from `installationUpdate`, `conversationUpdate` and every message, stripped of the activity that
carried them (and, outside personal chats, of whoever happened to speak), so a stored reference says where
the bot may talk and nothing about what anyone did.

A reference saved while requests were not authenticated (`--teams-emulator`) is marked `UNVERIFIED`: its
service URL came from whoever posted the activity, so an authenticated server never sends a token there.
"""

from __future__ import annotations

from botbuilder.core import TurnContext
from botbuilder.schema import Activity, ConversationReference

from adapters.msteams.config import PLATFORM
from adapters.msteams.translate import PERSONAL, base_conversation_id, tenant_of
from bot.ports import Conversation, Conversations

SAVED_FROM = frozenset({"message", "conversationUpdate", "installationUpdate", "messageReaction", "invoke"})
UNVERIFIED = "huzzahUnverified"
"""Key in a stored reference: its service URL did not come with a valid token."""


def conversation_of(reference: ConversationReference, tenant: str, *, verified: bool) -> Conversation:
    """`verified`: the service URL came with a valid Bot Framework token (or from a reference that did)."""
    kind = reference.conversation.conversation_type or PERSONAL
    user_id = reference.user.id if kind == PERSONAL and reference.user else None
    stored = reference.serialize()
    if not verified:
        stored[UNVERIFIED] = True
    return Conversation(
        platform=PLATFORM, id=reference.conversation.id, workspace=tenant, kind=kind, user_id=user_id,
        endpoint=reference.service_url, reference=stored,
    )


def is_verified(conv: Conversation) -> bool:
    return not conv.reference.get(UNVERIFIED)


def reference_of(activity: Activity) -> ConversationReference:
    reference = TurnContext.get_conversation_reference(activity)
    reference.activity_id = None
    reference.locale = None
    reference.conversation.id = base_conversation_id(reference.conversation.id)
    reference.conversation.tenant_id = tenant_of(activity)
    if (reference.conversation.conversation_type or PERSONAL) != PERSONAL:
        reference.user = None
    return reference


def restore(conv: Conversation, conversation_id: str | None = None) -> ConversationReference:
    """The stored reference, pointed at `conversation_id` (a thread of the channel) when given."""
    reference = ConversationReference().deserialize(conv.reference)
    reference.service_url = conv.endpoint
    reference.conversation.id = conversation_id or conv.id
    return reference


async def remember(conversations: Conversations, activity: Activity, *, verified: bool) -> None:
    """`verified`: the activity came with a valid token (the server authenticates requests)."""
    if activity.type not in SAVED_FROM or activity.conversation is None or not activity.service_url:
        return
    await conversations.save(conversation_of(reference_of(activity), tenant_of(activity), verified=verified))
