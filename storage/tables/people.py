from sqlalchemy import Boolean, Column, Integer, String, Table, UniqueConstraint

from storage.schema import metadata
from storage.types import UTCDateTime

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("workspace", String(64), nullable=False),
    Column("user_id", String(128), nullable=False),
    Column("name", String(200), nullable=False, default=""),
    Column("tz", String(64)),
    Column("is_bot", Boolean, nullable=False, default=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("first_seen", UTCDateTime, nullable=False),
    Column("locale", String(35)),  # what the platform says they use (`vi-VN`), refreshed as they come
    Column("language", String(16)),  # their own choice (`language zh-TW`); NULL: what the platform says
    UniqueConstraint("platform", "workspace", "user_id", name="uq_people_account"),
)
