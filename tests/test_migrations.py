"""The migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, column, inspect, select, table
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url

import storage.tables  # noqa: F401  (registers every table)
from bot.codec import decode, encode
from bot.config import Settings
from bot.messages import footnote, message, text
from bot.outgoing import Direct, Post
from bot.people import Channel, Person
from huzzah.privacy import erase
from storage import checkins
from storage.db import Database, alembic_config, normalize_url
from storage.schema import metadata
from storage.tables.delivery import once_keys, outbox
from storage.tables.kudos import kudos
from storage.tables.people import people
from storage.types import UTCDateTime
from tests.conftest import PG_ENV


async def test_upgrade_on_an_empty_database_leaves_no_drift_from_the_models(db: Database) -> None:
    def diff(sync_conn):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return compare_metadata(context, metadata)

    async with db.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == []


async def test_migrating_twice_is_harmless(db: Database) -> None:
    await db.migrate()
    await db.migrate()


def test_the_revisions_form_one_line_of_history() -> None:
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert len(heads) == 1, f"several heads {heads}: give the newest revision the previous head as down_revision"


# --- 0006_msteams: data written while Microsoft Teams was the platform `teams` ---------------------------

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SUPPORT = Channel("msteams", TENANT, "19:support@thread.tacv2", name="support")
ALICE = Person("msteams", TENANT, "29:1alice", "alice", "Europe/Berlin")
BOB = Person("msteams", TENANT, "29:1bob", "bob")
KUDOS_POST = Post(SUPPORT, message(text("🎉 Huzzah for ", BOB, "!"), footnote("🤝 teamwork  —  from ", ALICE)),
                  track="kudos:1")
"""A kudos post still waiting in the outbox when the upgrade runs, as the code writes it today."""
ALICE_CHAT = "a:1Xq9personal-chat-with-alice"
REFERENCE = {"conversation": {"id": ALICE_CHAT, "conversationType": "personal", "tenantId": TENANT},
             "bot": {"id": "28:huzzah-bot"}, "channelId": "msteams", "serviceUrl": "https://smba.trafficmanager.net/emea/"}
TEAMS_CONVERSATIONS_0005 = table(
    "teams_conversations", column("id"), column("tenant_id"), column("kind"), column("user_id"),
    column("service_url"), column("reference", JSON), column("created_at", UTCDateTime),
)
"""Teams' conversation references as revision 0005 created them."""
REFERENCES = next(t for t in metadata.sorted_tables if "reference" in t.c)
"""Wherever the code keeps conversation references today."""


def as_0005(value: Any) -> Any:
    """What 0005-era code wrote for the same thing: platform `teams`, small print a `Context` block."""
    if isinstance(value, list):
        return [as_0005(v) for v in value]
    if isinstance(value, dict):
        renamed = {"platform": {"msteams": "teams"}, "$": {"Footnote": "Context"}}
        return {k: renamed[k].get(v, v) if k in renamed else as_0005(v) for k, v in value.items()}
    return value


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A database with no tables at all, so a test can stop the migrations at any revision."""
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path}/old.db")
        yield database
        await database.close()
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} to run the PostgreSQL half of the suite")
    admin = make_url(normalize_url(base))
    name = f"huzzah_migrate_{uuid.uuid4().hex[:10]}"

    async def admin_sql(sql: str) -> None:
        conn = await asyncpg.connect(host=admin.host, port=admin.port or 5432, user=admin.username,
                                     password=admin.password, database=admin.database)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    await admin_sql(f'CREATE DATABASE "{name}"')
    database = Database(admin.set(database=name).render_as_string(hide_password=False))
    try:
        yield database
    finally:
        await database.close()
        await admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def migrate_to(db: Database, revision: str) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: command.upgrade(alembic_config(sync), revision))


async def test_teams_data_written_under_0005_reads_as_msteams_after_the_upgrade(empty_db: Database) -> None:
    """An installation that used Teams before the rename keeps its people, kudos, queued posts and retry memory."""
    db, at = empty_db, datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    await migrate_to(db, "0005_teams")
    async with db.transaction() as conn:
        for row_id, (platform, user) in enumerate((("teams", ALICE), ("slack", Person("slack", "T1", "UCAROL"))), 1):
            await conn.execute(people.insert().values(id=row_id, platform=platform, workspace=user.workspace,
                                                      user_id=user.user_id, name=user.name, tz=user.tz,
                                                      is_bot=False, active=True, first_seen=at))
        await conn.execute(kudos.insert().values(id=1, team="Support", platform="teams", workspace=TENANT,
                                                 channel=SUPPORT.id, giver_id=1, reason=["for the handover"],
                                                 link="", source="command", created_at=at))
        await conn.execute(outbox.insert().values(
            id=1, key="kudos:1:post", platform="teams", workspace=TENANT, payload=as_0005(encode(KUDOS_POST)),
            status="pending", attempts=0, version=1, not_before=at, created_at=at,
        ))
        await conn.execute(once_keys.insert(), [{"key": "teams:message:abc", "created_at": at},
                                                {"key": "slack:Ev0123", "created_at": at}])
        await conn.execute(TEAMS_CONVERSATIONS_0005.insert().values(
            id=ALICE_CHAT, tenant_id=TENANT, kind="personal", user_id=ALICE.user_id,
            service_url="https://smba.trafficmanager.net/emea/", reference=REFERENCE, created_at=at,
        ))

    await db.migrate()

    async with db.transaction() as conn:
        assert list(await conn.execute(select(people.c.platform, people.c.user_id).order_by(people.c.id))) == [
            ("msteams", ALICE.user_id), ("slack", "UCAROL"),
        ]
        assert (await conn.execute(select(kudos.c.platform))).scalar_one() == "msteams"
        queued = (await conn.execute(select(outbox.c.platform, outbox.c.payload))).one()
        keys = set((await conn.execute(select(once_keys.c.key))).scalars())
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        chats = [tuple(r) for r in await conn.execute(select(REFERENCES.c.id, REFERENCES.c.reference))]
    assert queued.platform == "msteams"
    assert queued.payload == encode(KUDOS_POST) and "Context" not in json.dumps(queued.payload)
    assert decode(queued.payload) == KUDOS_POST, "the queued post is still deliverable, to the same people"
    assert keys == {"msteams:message:abc", "slack:Ev0123"}, "a Teams retry of an old message is still recognised"
    assert tables >= {t.name for t in metadata.sorted_tables} and "teams_conversations" not in tables
    assert chats == [(ALICE_CHAT, REFERENCE)], "the bot can still write to Alice first, where it could before"


async def test_messages_sent_to_a_teams_user_before_the_upgrade_are_still_erased_with_them(
    empty_db: Database, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """`huzzah forget` must find every stored message that names the person, delivered or not, after 0006 too."""
    db, at = empty_db, datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    thanked = Direct(ALICE, message(text("🎉 ", BOB, " thanked you:"), footnote("Everyone can see it in #kudos.")))
    await migrate_to(db, "0005_teams")
    async with db.transaction() as conn:
        await conn.execute(people.insert().values(id=1, platform="teams", workspace=TENANT, user_id=ALICE.user_id,
                                                  name=ALICE.name, tz=ALICE.tz, is_bot=False, active=True,
                                                  first_seen=at))
        await conn.execute(outbox.insert(), [
            {"id": i, "key": f"kudos:{i}:dm", "platform": "teams", "workspace": TENANT, "status": status,
             "payload": as_0005(encode(thanked)), "attempts": 1, "version": 1, "not_before": at, "created_at": at,
             "sent_at": at if status == "sent" else None}
            for i, status in enumerate(("sent", "failed", "pending"), 1)
        ])
    await db.migrate()

    assert await erase(settings, "alice", yes=True, url=db.url) == 0

    assert "Erased alice" in capsys.readouterr().out
    async with db.transaction() as conn:
        left = [tuple(r) for r in await conn.execute(select(outbox.c.key, outbox.c.payload))]
    assert not [key for key, payload in left if ALICE.user_id in json.dumps(payload)], "a message naming Alice is left"


async def test_check_ins_stored_before_0010_are_keyed_or_fixed_and_stay_counted(empty_db: Database) -> None:
    """An open round's "answered" rows become keyed marks (the person still cannot answer twice) and the round
    gets its key pair; a closed round keeps its tallies and vents and gets its counts fixed, its rows gone."""
    db, at = empty_db, datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    await migrate_to(db, "0008_inbox")
    async with db.transaction() as conn:
        for pid in (1, 2):
            await conn.execute(people.insert().values(id=pid, platform="console", workspace="local", user_id=f"u{pid}",
                                                      name=f"u{pid}", tz=None, is_bot=False, active=True,
                                                      first_seen=at))
        for round_id, week, closed in (("open", "2026-W47", False), ("done", "2026-W46", True)):
            await conn.execute(sql("INSERT INTO checkin_rounds (id, team, week, closes_at, closed) "
                                    "VALUES (:id, 'Support', :week, :at, :closed)"),
                               {"id": round_id, "week": week, "at": at + timedelta(days=3), "closed": closed})
            await conn.execute(sql("INSERT INTO checkin_moods (round_id, mood, answers) VALUES (:r, 3, :n)"),
                               {"r": round_id, "n": 1 if closed else 0})
            for pid in (1, 2):
                await conn.execute(sql("INSERT INTO checkin_invites (round_id, person_id, ask_at, reminded) "
                                        "VALUES (:r, :p, :at, :f)"), {"r": round_id, "p": pid, "at": at, "f": False})
            await conn.execute(sql("INSERT INTO checkin_answered (round_id, person_id) VALUES (:r, 1)"),
                               {"r": round_id})

    await db.migrate()

    async with db.transaction() as conn:
        [done] = await checkins.figures_for_week(conn, "2026-W46")
        still_open = await checkins.get_round(conn, "open")
        assert still_open is not None and still_open.public_key is not None
        assert await checkins.has_answered(conn, db.key, "open", 1)
        assert not await checkins.has_answered(conn, db.key, "open", 2)
        marks = (await conn.execute(sql("SELECT * FROM checkin_answered"))).mappings().all()
    assert (done.asked, done.answered, done.distribution) == (2, 1, (0, 0, 1, 0, 0))
    assert [set(m) for m in marks] == [{"round_id", "mark"}] and marks[0]["round_id"] == "open"
