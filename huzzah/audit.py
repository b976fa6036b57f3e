"""`huzzah audit`: the moderation log — who removed which kudos, when and why, and nothing else about anyone."""

from __future__ import annotations

from bot.config import database_url
from storage.db import Database
from storage.kudos import removals


async def show_audit(db: Database) -> int:
    async with db.transaction() as conn:
        log = await removals(conn)
    if not log:
        print("No kudos have been removed by an admin.")
        return 0
    for entry in log:
        print(f"{entry.removed_at:%Y-%m-%d %H:%M UTC}  {entry.removed_by} removed huzzah no. {entry.kudos_id} "
              f"given by {entry.giver} — why: {entry.reason}")
    return 0


async def audit(url: str | None = None) -> int:
    """The log in the database $DATABASE_URL names (migrated first, so a new install shows an empty log)."""
    db = Database(url or database_url())
    try:
        await db.migrate()
        return await show_audit(db)
    finally:
        await db.close()
