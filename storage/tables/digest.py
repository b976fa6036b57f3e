"""One row per team per ISO week: the claim that makes the weekly digest happen exactly once."""

from sqlalchemy import Column, Float, ForeignKey, Integer, String, Table

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

team_metrics = Table(
    "team_metrics",
    metadata,
    Column("team", String(80), primary_key=True),
    Column("week", String(8), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("value", Float, nullable=False),
)
"""Business figures a site imports per team and ISO week (`huzzah import-metrics`): CSAT, handle time, …"""

brag_optouts = Table(
    "brag_optouts",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("since", UTCDateTime, nullable=False),
)
"""People who asked not to be featured on the company brag sheet (`feature off`)."""
