"""Check-in tables, split so that no row can tie an answer to a person.

Identity lives only in `checkin_prefs`, `checkin_invites` (who was asked) and `checkin_answered` (who has
answered, with no link to what). Answers live in `checkin_moods` — one counter per round and mood, never a
row per answer — and `checkin_vents`, keyed by random ids. Neither answer table has a person, channel,
message id or timestamp column; the round (a team's ISO week) is the only time. On SQLite every table that
a person's action writes is WITHOUT ROWID, so its physical order follows the key, not the order of writing.
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from storage.schema import metadata
from storage.types import UTCDateTime

ROUND_ID = String(32)

checkin_rounds = Table(
    "checkin_rounds",
    metadata,
    Column("id", ROUND_ID, primary_key=True),
    Column("team", String(80), nullable=False),
    Column("week", String(10), nullable=False),
    Column("closes_at", UTCDateTime, nullable=False),
    Column("closed", Boolean, nullable=False, default=False),
    UniqueConstraint("team", "week", name="uq_checkin_rounds_team_week"),
    Index("ix_checkin_rounds_open", "closed", "closes_at"),
)

checkin_prefs = Table(
    "checkin_prefs",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("opted_out", Boolean, nullable=False, default=False),
    Column("day", String(3)),
    Column("time", String(5)),
)

checkin_invites = Table(
    "checkin_invites",
    metadata,
    Column("round_id", ROUND_ID, ForeignKey("checkin_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("ask_at", UTCDateTime, nullable=False),
    Column("reminded", Boolean, nullable=False, default=False),
    Index("ix_checkin_invites_person", "person_id"),
    sqlite_with_rowid=False,
)

checkin_answered = Table(
    "checkin_answered",
    metadata,
    Column("round_id", ROUND_ID, ForeignKey("checkin_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_checkin_answered_person", "person_id"),
    sqlite_with_rowid=False,
)

checkin_moods = Table(
    "checkin_moods",
    metadata,
    Column("round_id", ROUND_ID, ForeignKey("checkin_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("mood", SmallInteger, primary_key=True),
    Column("answers", Integer, nullable=False, default=0),
    CheckConstraint("mood BETWEEN 1 AND 5", name="mood_range"),
    sqlite_with_rowid=False,
)

checkin_vents = Table(
    "checkin_vents",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("round_id", ROUND_ID, ForeignKey("checkin_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("body", Text, nullable=False),
    Index("ix_checkin_vents_round", "round_id"),
    sqlite_with_rowid=False,
)
