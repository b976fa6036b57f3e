"""Importing this package registers every table on `storage.schema.metadata`."""

from storage.tables import (
    authors,
    celebrations,
    checkins,
    conversations,
    delivery,
    digest,
    inbox,
    kudos,
    people,
    polls,
)

__all__ = [
    "authors", "celebrations", "checkins", "conversations", "delivery", "digest", "inbox", "kudos", "people", "polls",
]
