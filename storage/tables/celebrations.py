"""What people chose about their celebrations. The dates themselves are never stored: they are read from the
CSV (or the platform's profile) that HR keeps, each time."""

from sqlalchemy import Column, ForeignKey, Integer, String, Table

from storage.schema import metadata
from storage.types import UTCDateTime

celebration_choices = Table(
    "celebration_choices",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("choice", String(8), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
