"""Huzzah's tables and repositories: SQLAlchemy 2 Core on SQLite (embedded) or PostgreSQL (shared)."""
