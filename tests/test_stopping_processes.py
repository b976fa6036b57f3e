"""Real `huzzah serve` processes stopped the ways production stops them — SIGTERM on a deploy, SIGKILL when a
machine goes, a shutdown that runs out of time — against the fake Slack: nothing acknowledged is lost, nothing
is posted twice.

Where a test needs a process to die at one exact moment it makes that moment reachable instead of timing it:
the fake Slack holds a call's answer until told (`FakeSlackAPI.hold`), or the test holds a database lock the
process's work is waiting for. Claims that would run out a minute later are run out by the test (that is all
the minute does), so nothing here waits on a clock.
"""

from __future__ import annotations

import asyncio
import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import asyncpg
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.engine import make_url

from storage.db import Database, normalize_url
from storage.tables.delivery import outbox, tracked_messages
from storage.tables.inbox import inbox
from storage.tables.kudos import kudos
from tests.fakes.slack_api import FakeSlackAPI
from tests.process_support import empty_postgres, environment, running, send_command, until

GIVERS = [(f"UGIVER{i:02d}", f"giver{i:02d}") for i in range(1, 21)]


def add_givers(api: FakeSlackAPI) -> None:
    for user_id, name in GIVERS:
        api.add_user(user_id, name)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An empty database the processes migrate themselves, and a handle for the test to look inside."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/huzzah.db"
        db = Database(url)
        yield url, db
        await db.close()
        return
    async with empty_postgres() as url:
        db = Database(url)
        try:
            yield url, db
        finally:
            await db.close()


async def count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    async with db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


async def outbox_rows(db: Database) -> dict[str, str]:
    async with db.transaction() as conn:
        return dict((await conn.execute(select(outbox.c.key, outbox.c.status))).all())


async def all_sent(db: Database) -> bool:
    rows = await outbox_rows(db)
    return bool(rows) and set(rows.values()) == {"sent"}


async def run_out_claims(db: Database, table) -> None:  # type: ignore[no-untyped-def]
    """What waiting out a dead worker's claim does, without the wait."""
    gone = datetime.now(UTC) - timedelta(seconds=1)
    async with db.transaction() as conn:
        await conn.execute(update(table).where(table.c.claimed_until.is_not(None)).values(claimed_until=gone))


def each_once(api: FakeSlackAPI, keys: list[str]) -> dict[str, int]:
    """How often Slack shows each delivery key, for those not shown exactly once."""
    return {key: len(api.delivered(key)) for key in keys if len(api.delivered(key)) != 1}


async def test_twenty_kudos_acked_just_before_sigterm_are_all_stored_and_posted_once(
    database: tuple[str, Database], fake_slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    url, db = database
    api = fake_slack_api
    add_givers(api)
    async with running(environment(api, url), tmp_path) as procs, aiohttp.ClientSession() as http:
        server = await procs.serve("--shutdown-timeout", "30")  # ample on a busy machine; the default is 10
        port = await server.port()
        acks = await asyncio.gather(*(send_command(http, port, api, f"<@UBOB> thanks for covering shift {i}",
                                                   user=user, name=name)
                                      for i, (user, name) in enumerate(GIVERS, 1)))
        server.signal(signal.SIGTERM)  # right after the last ack, with their work still going on
        assert acks == [200] * 20
        assert await server.exited() == 0, server.text()
        assert "stopped cleanly" in server.text() and "Traceback" not in server.text(), server.text()

        assert await count(db, kudos) == 20, "every acknowledged kudos was stored before the process exited"
        assert await count(db, inbox) == 0
        told = [r for r in api.responses if "Sent!" in r.get("text", "")]
        assert sorted(r["_user"] for r in told) == sorted(u for u, _ in GIVERS), "and every giver was told"

        again = await procs.serve()
        await again.port()
        await until(lambda: all_sent(db), "everything queued before the restart delivered")
        again.signal(signal.SIGTERM)
        assert await again.exited() == 0, again.text()
    keys = list(await outbox_rows(db))
    assert len(keys) == 40  # a post and a DM per kudos
    assert each_once(api, keys) == {}, "every post and DM reached Slack exactly once"
    assert len(api.messages) == 40


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
async def test_killed_between_slack_posting_and_marking_it_sent_the_post_is_not_sent_twice(
    database: tuple[str, Database], fake_slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    url, db = database
    api = fake_slack_api
    held = api.hold("chat.postMessage", when=lambda params: "metadata" in params)  # the outbox's first post
    async with running(environment(api, url), tmp_path) as procs, aiohttp.ClientSession() as http:
        server = await procs.serve()
        port = await server.port()
        assert await send_command(http, port, api, "<@UBOB> thanks for the save", user="UALICE", name="alice") == 200
        await asyncio.wait_for(held.reached.wait(), 90)  # Slack has posted it; the process has not heard back
        server.process.kill()
        await server.exited()
        held.release()
        key = held.params["metadata"]["event_payload"]["key"]
        [posted] = api.delivered(key)
        async with db.transaction() as conn:
            row = (await conn.execute(select(outbox).where(outbox.c.key == key))).one()
        assert row.status == "pending" and row.unsure_since is not None, "claimed, outcome unknown"

        await run_out_claims(db, outbox)
        again = await procs.serve()
        await again.port()
        await until(lambda: all_sent(db), "the delivery in doubt settled, and the rest delivered")
        again.signal(signal.SIGTERM)
        assert await again.exited() == 0, again.text()

    assert len(api.delivered(key)) == 1, "found on Slack, so not posted again"
    assert each_once(api, list(await outbox_rows(db))) == {}
    looked = api.calls_to("conversations.history")
    assert looked and looked[0]["channel"] == posted["channel"] and looked[0]["include_all_metadata"] in ("1", "true")
    async with db.transaction() as conn:
        tracked = (await conn.execute(select(tracked_messages.c.message_id))).scalars().all()
    assert posted["ts"] in tracked, "the message found is the one later edits go to"


@pytest.mark.parametrize("database", ["postgresql"], indirect=True)
async def test_requests_acked_by_a_process_killed_before_doing_them_are_done_once_after_the_restart(
    database: tuple[str, Database], fake_slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    """The acknowledgement is the promise: the work behind it is on disk before it goes out."""
    url, db = database
    api = fake_slack_api
    add_givers(api)
    target = make_url(normalize_url(url))
    async with running(environment(api, url), tmp_path) as procs, aiohttp.ClientSession() as http:
        server = await procs.serve()
        port = await server.port()
        blocker = await asyncpg.connect(host=target.host, port=target.port or 5432, user=target.username,
                                        password=target.password, database=target.database)
        try:
            blocking = blocker.transaction()
            await blocking.start()
            await blocker.execute("LOCK TABLE kudos IN EXCLUSIVE MODE")  # every kudos insert now waits
            acks = await asyncio.gather(*(send_command(http, port, api, f"<@UBOB> thanks for shift {i}",
                                                       user=user, name=name)
                                          for i, (user, name) in enumerate(GIVERS[:5], 1)))
            assert acks == [200] * 5
            server.process.kill()
            await server.exited()
            assert await count(db, inbox) == 5, "acknowledged, so on disk"
            assert await count(db, kudos) == 0 and not api.responses, "and none of it done"
            await blocking.rollback()
        finally:
            await blocker.close()

        await run_out_claims(db, inbox)
        again = await procs.serve()
        await again.port()
        async def all_done() -> bool:  # every request worked off and every post out; not just those seen so far
            return (await count(db, kudos) == 5 and await count(db, inbox) == 0 and await all_sent(db)
                    and len(api.responses) == 5)

        await until(all_done, "the requests finished, their posts delivered and every giver told")
        again.signal(signal.SIGTERM)
        assert await again.exited() == 0, again.text()

    assert await count(db, kudos) == 5 and await count(db, inbox) == 0
    assert all("Sent!" in r["text"] for r in api.responses)
    assert each_once(api, list(await outbox_rows(db))) == {} and len(api.messages) == 10


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_a_shutdown_that_cannot_finish_in_time_exits_at_its_timeout_and_loses_nothing(
    database: tuple[str, Database], fake_slack_api: FakeSlackAPI, tmp_path: Path
) -> None:
    """Slack hangs on a post: `--shutdown-timeout 2` exits anyway, and the next start settles that post."""
    url, db = database
    api = fake_slack_api
    held = api.hold("chat.postMessage", when=lambda params: "metadata" in params)
    async with running(environment(api, url), tmp_path) as procs, aiohttp.ClientSession() as http:
        server = await procs.serve("--shutdown-timeout", "2")
        port = await server.port()
        assert await send_command(http, port, api, "<@UBOB> thanks for the save", user="UALICE", name="alice") == 200
        await asyncio.wait_for(held.reached.wait(), 90)
        server.signal(signal.SIGTERM)
        assert await server.exited() == 0, server.text()
        assert "work unfinished (the shutdown timeout is 2s)" in server.text(), server.text()
        held.release()
        key = held.params["metadata"]["event_payload"]["key"]

        await run_out_claims(db, outbox)
        again = await procs.serve()
        await again.port()
        await until(lambda: all_sent(db), "the post in doubt settled")
        again.signal(signal.SIGINT)  # Ctrl-C stops the same way
        assert await again.exited() == 0, again.text()
        assert "stopped cleanly" in again.text()
    assert len(api.delivered(key)) == 1 and each_once(api, list(await outbox_rows(db))) == {}


async def test_huzzah_scheduler_stops_cleanly_on_sigterm(fake_slack_api: FakeSlackAPI, tmp_path: Path) -> None:
    env = environment(fake_slack_api, f"sqlite+aiosqlite:///{tmp_path}/huzzah.db")
    async with running(env, tmp_path) as procs:
        scheduler = await procs.start("scheduler", "--shutdown-timeout", "5")
        await scheduler.logged("scheduler running")
        scheduler.signal(signal.SIGTERM)
        assert await scheduler.exited() == 0, scheduler.text()
        assert "SIGTERM received: stopping within 5s" in scheduler.text() and "stopped cleanly" in scheduler.text()
