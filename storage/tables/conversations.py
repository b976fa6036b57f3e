"""Where the bot may speak first: each conversation's address as its platform gave it (Teams' conversation
references; Slack needs none, it opens a DM by user id).

No timestamp is refreshed on later messages (only `created_at`, when a conversation is first seen), so this
table can never tell when someone last pressed a card button — check-in answers stay unlinkable by time.
"""

from sqlalchemy import JSON, Column, Index, String, Table, Text

from storage.schema import metadata
from storage.types import UTCDateTime

conversations = Table(
    "conversations",
    metadata,
    Column("id", String(256), primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("workspace", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("user_id", String(128)),
    Column("endpoint", Text, nullable=False),
    Column("reference", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_conversations_person", "platform", "workspace", "kind", "user_id"),
)
