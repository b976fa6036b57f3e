"""Polls, their options, and ballots — named ballots point to people, anonymous ones never can.

An anonymous ballot is filed under a keyed hash of its voter (HMAC with the poll's own secret) with no
timestamp and no serial id; when the poll closes the ballots are folded into per-option counts and
deleted, and the secret is wiped, so nothing is left that ties a person to a choice.
"""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from storage.schema import metadata
from storage.types import UTCDateTime

polls = Table(
    "polls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("workspace", String(64), nullable=False),
    Column("channel", String(256), nullable=False),
    Column("channel_name", String(200), nullable=False, default=""),
    Column("creator_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("question", Text, nullable=False),
    Column("anonymous", Boolean, nullable=False),
    Column("multi", Boolean, nullable=False),
    Column("hide_results", Boolean, nullable=False),
    Column("secret", LargeBinary(32)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("closes_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("closed_by", String(16)),
    Column("voters", Integer),
    Index("ix_polls_open_due", "closed_at", "closes_at"),
)

poll_options = Table(
    "poll_options",
    metadata,
    Column("poll_id", Integer, ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("label", Text, nullable=False),
    Column("votes", Integer),
)

poll_votes = Table(
    "poll_votes",
    metadata,
    Column("poll_id", Integer, ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("slot", Integer, primary_key=True),
    Column("position", Integer, nullable=False),
    Index("ix_poll_votes_person", "person_id"),
)
"""Named polls. `slot` is 0 on a pick-one poll (so one row per voter, changed in place) and the option's
position on a multiple-choice poll (one row per pick)."""

poll_ballots = Table(
    "poll_ballots",
    metadata,
    Column("poll_id", Integer, ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True),
    Column("voter", String(64), primary_key=True),
    Column("slot", Integer, primary_key=True),
    Column("position", Integer, nullable=False),
)
"""Anonymous polls while open: `voter` is the HMAC of the voter's account under the poll's secret."""
