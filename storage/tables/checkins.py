"""Check-in tables, split so that no row can tie an answer to a person.

Identity lives only in `checkin_prefs` and `checkin_invites` (who was asked). `checkin_answered` holds one
mark per answer, an HMAC of round and person under the server key (never in the database), so the database
alone cannot say whose mark it is; marks go at close, when the round keeps its counts. While a round is open
its answers are `checkin_sealed` rows, sealed to the round's public key, whose private key is itself locked
with the server key. At close they are opened in memory and become `checkin_moods` (one counter per round and
mood, never a row per answer) and `checkin_vents` (random ids, shuffled). No answer table has a person,
channel, message id or timestamp column; the round (a team's ISO week) is the only time. On SQLite every table
a person's action writes is WITHOUT ROWID, so its physical order follows the (random) key, not the writing.
"""

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
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
    Column("public_key", LargeBinary),  # while open: what answers are sealed to
    Column("locked_key", LargeBinary),  # while open: the private key, locked with the server key
    Column("asked", Integer),  # fixed at close, like the tallies: a closed round's figures never change
    Column("answered", Integer),
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
    Column("mark", String(64), primary_key=True),
    sqlite_with_rowid=False,
)

checkin_sealed = Table(
    "checkin_sealed",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("round_id", ROUND_ID, ForeignKey("checkin_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("box", LargeBinary, nullable=False),
    Index("ix_checkin_sealed_round", "round_id"),
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
