"""Everything stored about one person, and erasing it (`huzzah privacy`, `huzzah forget`).

Found generically, so features added later are covered too: every table with a column pointing at
`people.id`, kudos reasons that mention the person, platform records keyed by their account (Teams
conversation references), queued or sent deliveries that name them, and requests not yet worked off (the
inbox) that name them. Anonymous answers are not and cannot
be among them: nothing links a mood tally or a vent to anyone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.people import Person
from storage.schema import metadata
from storage.tables.authors import message_authors
from storage.tables.conversations import conversations
from storage.tables.delivery import outbox
from storage.tables.inbox import inbox
from storage.tables.kudos import kudos, kudos_recipients
from storage.tables.people import people

SOMEONE = "someone"
"""What a forgotten person becomes where others' kudos mentioned them."""


@dataclass(frozen=True)
class Found:
    id: int
    person: Person


@dataclass
class Holdings:
    """What the database holds about one person, table by table, as plain rows."""

    person: Found
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: str, found: list[dict[str, Any]]) -> None:
        if found:
            self.rows.setdefault(table, []).extend(found)


async def find(conn: AsyncConnection, who: str) -> list[Found]:
    """People matching `@name`, `name`, a platform user id, or `platform:user_id` (case-insensitive)."""
    wanted = who.strip().lstrip("@").casefold()
    platform, _, user = wanted.partition(":") if ":" in wanted else ("", "", wanted)
    out = []
    for row in await conn.execute(select(people)):
        if platform and row.platform != platform:
            continue
        if user in (row.user_id.casefold(), row.name.casefold()):
            out.append(Found(row.id, Person(row.platform, row.workspace, row.user_id, row.name, row.tz,
                                            row.is_bot, row.active)))
    return out


def _person_columns() -> Iterator[tuple[Table, str]]:
    """(table, column) for every column that points at a person."""
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is people:
                yield table, fk.parent.name


def _mentions(value: Any, person: Person, person_id: int) -> bool:
    """Whether a stored JSON value names this person (a kudos reason part, a Person in a delivery)."""
    if isinstance(value, dict):
        if value.get("person") == person_id and len(value) == 1:
            return True
        if value.get("$") == "Person" and (value.get("platform"), value.get("workspace"), value.get("user_id")) == (
            person.platform, person.workspace, person.user_id
        ):
            return True
        return any(_mentions(v, person, person_id) for v in value.values())
    if isinstance(value, list):
        return any(_mentions(v, person, person_id) for v in value)
    return False


def _their_conversations(person: Person) -> Any:
    """Their personal chats' addresses (other conversations name no one)."""
    return and_(conversations.c.platform == person.platform, conversations.c.workspace == person.workspace,
                conversations.c.user_id == person.user_id)


def _their_messages(person: Person) -> Any:
    """Which messages the bot heard them write (for reactions on Teams)."""
    return and_(message_authors.c.platform == person.platform, message_authors.c.workspace == person.workspace,
                message_authors.c.user_id == person.user_id)


async def holdings(conn: AsyncConnection, found: Found) -> Holdings:
    out = Holdings(found)
    pid, person = found.id, found.person
    out.add("people", [dict(r._mapping) for r in await conn.execute(select(people).where(people.c.id == pid))])
    for table, column in _person_columns():
        rows = await conn.execute(select(table).where(table.c[column] == pid))
        out.add(table.name, [dict(r._mapping) for r in rows])
    mentioned = [dict(r._mapping) for r in await conn.execute(select(kudos)) if _mentions(r.reason, person, pid)]
    out.add("kudos (mentioned in the reason)", [r for r in mentioned if r["giver_id"] != pid])
    theirs = await conn.execute(select(conversations).where(_their_conversations(person)))
    out.add(conversations.name, [dict(r._mapping) for r in theirs])
    written = await conn.execute(select(message_authors).where(_their_messages(person)))
    out.add(message_authors.name, [dict(r._mapping) for r in written])
    shown = ("key", "status", "created_at", "sent_at")
    deliveries = [{k: r._mapping[k] for k in shown} for r in await conn.execute(select(outbox))
                  if _mentions(r.payload, person, pid)]
    out.add("outbox (messages to or about them)", deliveries)
    pending = [{"platform": r.platform, "created_at": r.created_at} for r in await conn.execute(select(inbox))
               if _mentions(r.payload, person, pid)]
    out.add("inbox (requests by or about them, not yet done)", pending)
    return out


async def forget(conn: AsyncConnection, found: Found) -> dict[str, int]:
    """Erase the person everywhere; returns how many rows went (or were rewritten), by table."""
    pid, person = found.id, found.person
    counts: dict[str, int] = {}
    for row in (await conn.execute(select(kudos.c.id, kudos.c.reason))).all():
        if row.reason and _mentions(row.reason, person, pid):
            reason = [SOMEONE if _mentions(p, person, pid) else p for p in row.reason]
            await conn.execute(update(kudos).where(kudos.c.id == row.id).values(reason=reason))
            counts["kudos reasons rewritten"] = counts.get("kudos reasons rewritten", 0) + 1
    for r in (await conn.execute(select(outbox.c.id, outbox.c.payload))).all():
        if _mentions(r.payload, person, pid):
            await conn.execute(delete(outbox).where(outbox.c.id == r.id))
            counts["outbox"] = counts.get("outbox", 0) + 1
    for r in (await conn.execute(select(inbox.c.id, inbox.c.payload))).all():
        if _mentions(r.payload, person, pid):
            await conn.execute(delete(inbox).where(inbox.c.id == r.id))
            counts["inbox"] = counts.get("inbox", 0) + 1
    for table, theirs in ((conversations, _their_conversations(person)), (message_authors, _their_messages(person))):
        gone = (await conn.execute(delete(table).where(theirs))).rowcount
        if gone:
            counts[table.name] = gone
    for table, column in _person_columns():
        gone = (await conn.execute(delete(table).where(table.c[column] == pid))).rowcount
        if gone:
            counts[table.name] = counts.get(table.name, 0) + gone
    # a kudos whose only recipient was this person thanks no one now
    orphans = select(kudos_recipients.c.kudos_id).where(kudos_recipients.c.kudos_id == kudos.c.id).exists()
    gone = (await conn.execute(delete(kudos).where(~orphans))).rowcount
    if gone:
        counts["kudos"] = counts.get("kudos", 0) + gone
    counts["people"] = (await conn.execute(delete(people).where(people.c.id == pid))).rowcount
    return counts
