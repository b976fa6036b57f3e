"""What a platform acknowledged and the core has not finished yet (see `bot.inbox`)."""

from sqlalchemy import JSON, Column, Index, Integer, String, Table

from storage.schema import metadata
from storage.types import UTCDateTime

inbox = Table(
    "inbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("payload", JSON, nullable=False),  # the translated incoming, its prefix, and how to answer
    Column("attempts", Integer, nullable=False, default=0),
    Column("claimed_until", UTCDateTime, nullable=False),  # held until then; after, any instance may finish it
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_inbox_claimed_until", "claimed_until"),
)
