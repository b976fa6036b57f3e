from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Table, Text

from storage.schema import metadata
from storage.types import UTCDateTime

kudos = Table(
    "kudos",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team", String(80), nullable=False),
    Column("platform", String(16), nullable=False),
    Column("workspace", String(64), nullable=False),
    Column("channel", String(256), nullable=False),
    Column("giver_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("reason", JSON, nullable=False),
    Column("link", Text, nullable=False, default=""),
    Column("source", String(16), nullable=False, default="command"),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_kudos_team_created", "team", "created_at"),
    Index("ix_kudos_giver_created", "giver_id", "created_at"),
)

kudos_recipients = Table(
    "kudos_recipients",
    metadata,
    Column("kudos_id", Integer, ForeignKey("kudos.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_kudos_recipients_person", "person_id", "kudos_id"),
)

kudos_values = Table(
    "kudos_values",
    metadata,
    Column("kudos_id", Integer, ForeignKey("kudos.id", ondelete="CASCADE"), primary_key=True),
    Column("value", String(40), primary_key=True),
)

kudos_cogivers = Table(
    "kudos_cogivers",
    metadata,
    Column("kudos_id", Integer, ForeignKey("kudos.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_kudos_cogivers_person_created", "person_id", "created_at"),
)

kudos_origins = Table(
    "kudos_origins",
    metadata,
    Column("kudos_id", Integer, ForeignKey("kudos.id", ondelete="CASCADE"), primary_key=True),
    Column("origin", String(200), nullable=False, unique=True),
)
"""What made a kudos when it was not typed (a reaction: the message and who reacted), so removing the reaction
finds the kudos it gave."""

kudos_removals = Table(
    "kudos_removals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kudos_id", Integer, nullable=False),
    Column("giver_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("removed_by_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("reason", Text, nullable=False),
    Column("removed_at", UTCDateTime, nullable=False),
)
"""The moderation audit log (`huzzah audit`): who removed which kudos (its number and giver), when and why —
nothing of what the kudos said, nor anything else about anyone."""
