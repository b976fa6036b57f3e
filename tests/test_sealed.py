"""Anonymity while a round is open and after it closes, checked as someone holding the database would check it:
full dumps at any moment, row order and `xmin`, two snapshots around one answer, every statement and parameter
sent to the database (and PostgreSQL's own statement log), and the raw pages once the round has closed."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from nacl.bindings import crypto_box_SEALBYTES
from sqlalchemy import event, text

from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import ConfigError
from bot.features.checkins.report import STILL_OPEN, mood_report
from storage import keys
from storage.checkins import SEALED_BLOCK
from storage.db import Database
from storage.schema import metadata
from tests.checkin_support import FRIDAY, NAMES, WEEK, answer, close_round, dump, open_round, session, texts
from tests.test_anonymity import VENTS, six_answer

IDENTITY_TABLES = ("people", "checkin_invites", "checkin_prefs", "conversations", "outbox")
"""Where a person is named; nothing written while answering may share a transaction with these."""


@pytest.fixture
def six(core: Huzzah) -> ConsoleSession:
    return session(core, NAMES[:8])


def readable_answers(rows: dict[str, list[dict]]) -> list[str]:
    """Every mood or vent someone could read out of a dump: tallies above zero, vent texts, unsealed JSON."""
    found = [f"{r['mood']}×{r['answers']}" for r in rows.get("checkin_moods", []) if r["answers"]]
    everything = str(rows)
    found += [v for v in VENTS if v in everything]
    return found + re.findall(r'"(?:mood|vent)"', everything)


async def xmins(db: Database, table: str) -> set[str]:
    async with db.transaction() as conn:
        return set((await conn.execute(text(f'SELECT xmin::text FROM "{table}"'))).scalars())


# --- the server key --------------------------------------------------------------------------------------------

async def test_the_embedded_default_makes_its_key_beside_the_sqlite_file_once_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(keys.ENV)
    url = f"sqlite+aiosqlite:///{tmp_path}/huzzah.db"
    first = Database(url)
    await first.migrate()
    await first.close()
    [warning] = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"created the server key {tmp_path / 'huzzah.key'}" in warning and "\n" not in warning
    assert (tmp_path / "huzzah.key").stat().st_mode & 0o077 == 0  # the owner's only
    again = Database(url)
    assert again.key.keyed("x", 1) == first.key.keyed("x", 1)  # the same key next start, and no new warning
    await again.close()
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 1


async def test_postgresql_without_a_server_key_stops_at_start_in_one_line(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(keys.ENV)
    db = Database(postgres_url)
    try:
        with pytest.raises(ConfigError, match="no server key for PostgreSQL — set HUZZAH_SECRET_KEY") as caught:
            await db.migrate()
    finally:
        await db.close()
    assert "\n" not in str(caught.value)


def test_the_key_comes_from_a_named_file_and_a_short_one_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(keys.ENV)
    (tmp_path / "key").write_text("k" * 40)
    monkeypatch.setenv(keys.FILE_ENV, str(tmp_path / "key"))
    assert keys.load_server_key("postgresql+asyncpg://h.invalid/x").keyed("a") == keys.ServerKey("k" * 40).keyed("a")
    monkeypatch.setenv(keys.ENV, "too short")
    with pytest.raises(ConfigError, match="shorter than 32 characters"):
        keys.load_server_key("postgresql+asyncpg://h.invalid/x")


# --- while the round is open -------------------------------------------------------------------------------------

async def test_while_open_no_dump_row_order_xmin_or_snapshot_pair_pairs_a_person_with_an_answer(
    six: ConsoleSession, clock: FakeClock, db: Database
) -> None:
    await six_answer(six, clock)
    rows = await dump(db)
    assert readable_answers(rows) == []  # six moods and six vents in, and not one readable anywhere
    assert len(rows["checkin_sealed"]) == 12 and len(rows["checkin_answered"]) == 6
    people = {str(r["id"]) for r in rows["people"]} | {r["user_id"] for r in rows["people"]}
    assert not any(r["mark"] in people for r in rows["checkin_answered"])  # a mark is no one's without the key
    # in whatever order rows lie (pg_dump follows it), each is a box no key in the database opens, all one size
    assert {len(r["box"]) for r in rows["checkin_sealed"]} == {SEALED_BLOCK + crypto_box_SEALBYTES}

    before = await dump(db)
    await answer(six, NAMES[6], 5, "a seventh voice")
    after = await dump(db)
    changed = {t for t in after if after[t] != before[t]}
    assert changed == {"checkin_answered", "checkin_sealed"}  # no tally moved: the pair shows no mood
    assert len(after["checkin_sealed"]) - len(before["checkin_sealed"]) == 2 and readable_answers(after) == []

    if db.dialect == "postgresql":
        written_by_answers = await xmins(db, "checkin_sealed") | await xmins(db, "checkin_answered")
        for table in IDENTITY_TABLES:
            assert not written_by_answers & await xmins(db, table), f"an answer shares a transaction with {table}"


@contextmanager
def statements(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every statement and its parameters as they leave for the database."""
    seen: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", capture)


def writes_to(sent: list[tuple[str, Any]]) -> set[str]:
    return {m.group(2) for s, _ in sent if (m := re.match(r"\s*(INSERT INTO|UPDATE|DELETE FROM) (\w+)", s))}


async def test_every_statement_and_parameter_sent_while_answering_is_sealed_or_keyed(
    six: ConsoleSession, clock: FakeClock, db: Database
) -> None:
    await open_round(six, clock)
    with statements(db) as sent:
        for i, (name, vent) in enumerate(zip(NAMES, VENTS, strict=False)):
            await answer(six, name, 1 + i % 5, vent)
    assert writes_to(sent) == {"checkin_answered", "checkin_sealed"}  # no tally, no vent, no name written
    parameters = str([p for _, p in sent])
    assert not [v for v in VENTS if v in parameters] and '"mood"' not in parameters


SERVER_LOG = "/var/log/postgresql/postgresql-15-main.log"
"""Where Debian's PostgreSQL writes its log (the test server's); read through pg_read_file, as a superuser can."""


async def test_postgresqls_own_statement_log_shows_no_person_beside_an_answer(
    six: ConsoleSession, clock: FakeClock, db: Database
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("PostgreSQL's own statement log")
    async with db.transaction() as conn:
        name = (await conn.execute(text("SELECT current_database()"))).scalar_one()
        try:
            start = (await conn.execute(text("SELECT (pg_stat_file(:f)).size"), {"f": SERVER_LOG})).scalar()
        except Exception as exc:  # any reason the log cannot be read is a reason to skip, loudly
            pytest.skip(f"PostgreSQL's server log is not readable here ({type(exc).__name__}): not checked")
        await conn.execute(text(f"ALTER DATABASE \"{name}\" SET log_statement = 'all'"))
    await db.engine.dispose()  # new connections pick the setting up
    try:
        await open_round(six, clock)
        for i, (who, vent) in enumerate(zip(NAMES, VENTS, strict=False)):
            await answer(six, who, 1 + i % 5, vent)
    finally:
        async with db.transaction() as conn:
            await conn.execute(text(f'ALTER DATABASE "{name}" RESET log_statement'))
            logged = (await conn.execute(text("SELECT pg_read_file(:f, :s, 100000000)"),
                                         {"f": SERVER_LOG, "s": start})).scalar_one()
        await db.engine.dispose()
    ours = "\n".join(line for line in logged.splitlines() if f"@{name} " in line or line.startswith("\t"))
    assert "INSERT INTO checkin_sealed" in ours, "log_statement='all' took effect"
    assert not [v for v in VENTS if v in ours]
    assert "UPDATE checkin_moods" not in ours and "INSERT INTO checkin_vents" not in ours  # nothing in the clear


# --- after the close ------------------------------------------------------------------------------------------------

async def sealed_bytes(db: Database) -> list[bytes]:
    """What only the open round held: its sealed boxes, its marks and its locked private key."""
    rows = await dump(db)
    return ([r["box"] for r in rows["checkin_sealed"]] + [r["mark"].encode() for r in rows["checkin_answered"]]
            + [r["locked_key"] for r in rows["checkin_rounds"] if r["locked_key"]])


async def raw_pages(db: Database) -> list[bytes]:
    """Every tuple, live or dead, in every page of every table (pageinspect); the files' bytes on SQLite."""
    if db.dialect == "sqlite":
        file = Path(db.url.split(":///", 1)[1])
        return [p.read_bytes() for p in (file, file.with_name(file.name + "-wal")) if p.exists()]
    async with db.transaction() as conn:
        try:
            await conn.execute(text("CREATE EXTENSION IF NOT EXISTS pageinspect"))
        except Exception as exc:  # without pageinspect the pages cannot be read: skip, loudly
            pytest.skip(f"pageinspect is not available ({type(exc).__name__}): raw pages not checked")
    found: list[bytes] = []
    async with db.transaction() as conn:
        for table in metadata.sorted_tables:
            pages = (await conn.execute(text(f"SELECT pg_relation_size('{table.name}') / 8192"))).scalar_one()
            for page in range(pages):
                found += [bytes(t) for t in (await conn.execute(text(
                    f"SELECT t_data FROM heap_page_items(get_raw_page('{table.name}', {page})) WHERE t_data IS NOT NULL"
                ))).scalars()]
    return found


async def test_after_the_close_no_page_holds_a_sealed_answer_a_mark_or_the_round_key(
    six: ConsoleSession, clock: FakeClock, db: Database
) -> None:
    await six_answer(six, clock)
    gone = await sealed_bytes(db)
    assert len(gone) == 6 + 12 + 1

    await close_round(six)

    pages = b"\n".join(await raw_pages(db))
    assert [g for g in gone if g in pages] == []  # no old row version, free page or log frame kept any of it
    report = await mood_report(six.core.ctx, "Support", WEEK)
    assert report.answered == 6 and report.distribution == (2, 1, 1, 1, 1)  # all counted, in one close


# --- across digests ----------------------------------------------------------------------------------------------

async def test_consecutive_digests_never_differ_on_a_round_so_no_subtraction_isolates_anyone(
    six: ConsoleSession, clock: FakeClock
) -> None:
    """Three weekly rounds, read mid-round, after each close, and in every later trend; a late answer arrives after
    each close. Every difference between two figures of one round is tried: each must be nothing at all."""
    seen: dict[str, set[tuple[object, ...]]] = {}
    trends: dict[str, set[float | None]] = {}
    for n, week in enumerate(("2026-W47", "2026-W48", "2026-W49")):
        await open_round(six, clock, FRIDAY + timedelta(weeks=n))
        for i, name in enumerate(NAMES[:6]):
            await answer(six, name, 1 + (i + n) % 5)
            mid = await mood_report(six.core.ctx, "Support", week)
            assert mid.withheld == STILL_OPEN and mid.answered is None and mid.average is None
        await close_round(six)
        assert "closed" in texts(await answer(six, NAMES[6], 5))[0]  # late: refused
        for past in seen | {week: set()}:
            report = await mood_report(six.core.ctx, "Support", past)
            seen.setdefault(past, set()).add((report.asked, report.answered, report.average, report.distribution))
            for trend_week, value in report.trend:
                trends.setdefault(trend_week, set()).add(value)

    for week, figures in seen.items():
        assert len(figures) == 1, f"{week} was shown with different figures: {figures}"
        [(_, answered, average, _)] = figures
        assert answered == 6 and trends[week] == {average}  # the trend repeats the round, never recomputes it


async def test_a_round_sealed_under_a_lost_server_key_still_closes_with_what_was_tallied(
    six: ConsoleSession, clock: FakeClock, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    await six_answer(six, clock)
    db._key = keys.ServerKey("a-different-key-after-the-old-one-was-lost")  # the operator changed it mid-round
    await close_round(six)
    report = await mood_report(six.core.ctx, "Support", WEEK)
    assert (report.asked, report.answered) == (8, 0)  # the round closed; what it could not open is not counted
    assert any("sealed under another server key" in r.getMessage() for r in caplog.records)
    assert (await dump(db))["checkin_sealed"] == []
