"""Kudos end to end through the console adapter, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import func, select

from adapters.console.session import ConsoleSession
from storage.tables.kudos import kudos, kudos_recipients, kudos_values


async def count(console: ConsoleSession, table) -> int:  # type: ignore[no-untyped-def]
    async with console.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


def where(shown, place: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [s.text for s in shown if s.where == place]


async def test_kudos_round_trip_posts_publicly_tells_recipients_and_confirms(console: ConsoleSession) -> None:
    shown = await console.say(
        "alice", "@bob @carol thanks for staying late with the outage customer #ownership #teamwork"
    )

    post = where(shown, "#kudos")
    assert len(post) == 1
    assert "Huzzah for @bob and @carol" in post[0]
    assert "> thanks for staying late with the outage customer" in post[0]
    assert "🦉 ownership · 🤝 teamwork" in post[0] and "from @alice" in post[0]
    assert len(where(shown, "DM @bob")) == 1 and len(where(shown, "DM @carol")) == 1
    assert "Sent!" in where(shown, "only @alice")[0]
    assert await count(console, kudos) == 1
    assert await count(console, kudos_recipients) == 2
    assert await count(console, kudos_values) == 2
