"""Who wrote a message the bot heard in a channel, for platforms whose reaction events name only the reactor
(Teams' messageReaction). Kept a week (a reaction after that gives no kudos), and erased by `huzzah forget`."""

from sqlalchemy import Column, Index, String, Table

from storage.schema import metadata
from storage.types import UTCDateTime

message_authors = Table(
    "message_authors",
    metadata,
    Column("platform", String(16), primary_key=True),
    Column("conversation", String(256), primary_key=True),
    Column("message_id", String(128), primary_key=True),
    Column("workspace", String(64), nullable=False),
    Column("user_id", String(128), nullable=False),
    Column("name", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_message_authors_created", "created_at"),
)
