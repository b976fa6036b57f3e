"""Alembic revisions for Huzzah's schema; `huzzah db upgrade` and every start apply them."""
