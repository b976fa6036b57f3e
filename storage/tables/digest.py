"""One row per team per ISO week: the claim that makes the weekly digest happen exactly once."""

from sqlalchemy import Column, Integer, String, Table

from storage.schema import metadata
from storage.types import UTCDateTime

digest_runs = Table(
    "digest_runs",
    metadata,
    Column("team", String(80), primary_key=True),
    Column("week", String(8), primary_key=True),
    Column("outcome", String(12), nullable=False),
    Column("recipients", Integer, nullable=False, default=0),
    Column("claimed_at", UTCDateTime, nullable=False),
)
