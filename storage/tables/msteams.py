"""Microsoft Teams conversation references: where the bot may speak proactively.

No timestamp is refreshed on later messages (only `created_at`, when a conversation is first seen), so this
table can never tell when someone last pressed a card button — check-in answers stay unlinkable by time.
"""

from sqlalchemy import JSON, Column, Index, String, Table, Text

from storage.schema import metadata
from storage.types import UTCDateTime

msteams_conversations = Table(
    "msteams_conversations",
    metadata,
    Column("id", String(256), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("user_id", String(128)),
    Column("service_url", Text, nullable=False),
    Column("reference", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_msteams_conversations_tenant_kind_user", "tenant_id", "kind", "user_id"),
)
