"""Importing this package registers every table on `storage.schema.metadata`."""

from storage.tables import checkins, delivery, digest, kudos, msteams, people, polls

__all__ = ["checkins", "delivery", "digest", "kudos", "msteams", "people", "polls"]
