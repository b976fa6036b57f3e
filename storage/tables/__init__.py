"""Importing this package registers every table on `storage.schema.metadata`."""

from storage.tables import checkins, conversations, delivery, digest, inbox, kudos, people, polls

__all__ = ["checkins", "conversations", "delivery", "digest", "inbox", "kudos", "people", "polls"]
