"""Importing this package registers every table on `storage.schema.metadata`."""

from storage.tables import delivery, kudos, people

__all__ = ["delivery", "kudos", "people"]
