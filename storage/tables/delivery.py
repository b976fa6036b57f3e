"""Tables that make delivery durable and idempotent across restarts and instances."""

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text

from storage.schema import metadata
from storage.types import UTCDateTime

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(200), nullable=False, unique=True),
    Column("platform", String(16)),
    Column("workspace", String(64)),
    Column("payload", JSON, nullable=False),
    Column("status", String(12), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("version", Integer, nullable=False, default=1),
    Column("not_before", UTCDateTime, nullable=False),
    Column("claimed_until", UTCDateTime),
    Column("unsure_since", UTCDateTime),  # an attempt since then may have reached the platform unacknowledged
    Column("last_error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime),
    Index("ix_outbox_due", "status", "not_before"),
)

tracked_messages = Table(
    "tracked_messages",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("workspace", String(64), nullable=False),
    Column("channel", String(256), nullable=False),
    Column("message_id", String(128), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

once_keys = Table(
    "once_keys",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_once_keys_created", "created_at"),
)
