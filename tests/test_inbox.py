"""The inbox: what `Core.accept` took is on disk before the platform acknowledges it, is done exactly once —
live, or after its instance died by whichever instance finds it — and confidential arrivals are never
written down at all."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from adapters.console.session import ConsoleDirectory, ConsoleMessenger
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.features.checkins.views import MOOD_ACTION
from bot.features.kudos.settings import KudosSettings
from bot.features.polls.views import VOTE
from bot.incoming import Incoming, Pressed, Said
from bot.limits import INBOX_CLAIM_SECONDS, INBOX_MAX_ATTEMPTS
from bot.outgoing import Response
from bot.people import Channel
from bot.platform import Platform
from huzzah.privacy import erase, show
from storage.db import Database
from storage.tables.inbox import inbox
from storage.tables.kudos import kudos
from tests.conftest import TEAM

DIRECTORY = ConsoleDirectory(TEAM)
SUPPORT = Channel("console", "local", "#support", name="#support")
ADDRESS = {"reply_to": "alice", "url": "https://answers.invalid/1"}


@dataclass
class Answers:
    given: list[tuple[Mapping[str, Any], Response]] = field(default_factory=list)

    async def __call__(self, address: Mapping[str, Any], response: Response) -> None:
        self.given.append((address, response))

    def texts(self) -> list[str]:
        return [str(r.replies[0].blocks[0]) for _, r in self.given if r.replies]


def plugged(settings: Settings, db: Database, clock: FakeClock) -> tuple[Huzzah, Answers]:
    core, answers = Huzzah(settings, db, clock), Answers()
    core.plug(Platform("console", ConsoleMessenger(), answer=answers))
    return core, answers


def said(name: str, line: str) -> Said:
    return Said(DIRECTORY.get(name), SUPPORT, DIRECTORY.parts(line))  # type: ignore[arg-type]


async def count(db: Database, table) -> int:  # type: ignore[no-untyped-def]
    async with db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


async def test_what_was_accepted_is_on_disk_and_done_once_after_its_instance_died(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    dead, _ = plugged(settings, db, clock)
    accepted = await dead.accept(said("alice", "@bob thanks for the save"), ADDRESS, prefix="/huzzah ")
    assert accepted is not None and accepted.row is not None
    assert await count(db, inbox) == 1 and await count(db, kudos) == 0  # ... and then its instance died

    alive, answers = plugged(settings, db, clock)
    await alive.tick()
    assert await count(db, kudos) == 0, "the claim has not run out: its holder may still be working on it"
    clock.advance(seconds=INBOX_CLAIM_SECONDS + 1)
    await alive.tick()
    await alive.tick()
    assert await count(db, kudos) == 1 and await count(db, inbox) == 0
    [(address, _)] = answers.given
    assert address == ADDRESS and "Sent!" in answers.texts()[0], "answered where the platform said, once"


async def test_a_request_worked_off_twice_takes_effect_once(settings: Settings, db: Database, clock: FakeClock) -> None:
    """A live worker too slow for its claim, and a second instance that took it for dead: one kudos, one answer."""
    slow, slow_answers = plugged(settings, db, clock)
    accepted = await slow.accept(said("alice", "@bob thanks for the save"), ADDRESS)
    assert accepted is not None
    clock.advance(seconds=INBOX_CLAIM_SECONDS + 1)
    other, other_answers = plugged(settings, db, clock)
    await asyncio.gather(slow.work(accepted), other.tick())
    await other.tick()
    await slow.work(accepted)  # and once more, late
    assert await count(db, kudos) == 1 and await count(db, inbox) == 0
    assert len(slow_answers.given) + len(other_answers.given) == 1


async def test_a_repeated_delivery_is_accepted_once(settings: Settings, db: Database, clock: FakeClock) -> None:
    core, _ = plugged(settings, db, clock)
    assert await core.accept(said("alice", "@bob thanks"), ADDRESS, delivery_id="Ev1") is not None
    assert await core.accept(said("alice", "@bob thanks"), ADDRESS, delivery_id="Ev1") is None
    assert await count(db, inbox) == 1


async def test_requests_acknowledged_together_share_one_commit_and_each_is_done(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    """Twenty people at once: their rows are written together (not one transaction and fsync each, which is what
    made the fiftieth of a busy minute wait for the other forty-nine), and every one is worked off."""
    core, answers = plugged(settings, db, clock)
    begun: list[object] = []

    def count_begin(conn: object) -> None:
        begun.append(conn)

    event.listen(db.engine.sync_engine, "begin", count_begin)
    try:
        accepted = await asyncio.gather(*(
            core.accept(said(name, f"@{'bob' if name != 'bob' else 'carol'} thanks for shift {i}"), ADDRESS,
                        delivery_id=f"Ev{i}")
            for i, name in enumerate(TEAM * 3)
        ))
    finally:
        event.remove(db.engine.sync_engine, "begin", count_begin)
    assert all(a is not None and a.row is not None for a in accepted)
    assert len({a.row for a in accepted if a is not None}) == len(TEAM * 3) == await count(db, inbox)
    assert len(begun) < len(accepted) / 4, f"{len(begun)} transactions for {len(accepted)} acknowledgements"
    await asyncio.gather(*(core.work(a) for a in accepted if a is not None))
    assert await count(db, inbox) == 0
    assert await count(db, kudos) == len(accepted)
    assert len(answers.given) == len(accepted)


async def test_kudos_worked_off_together_are_written_together_and_each_decided_as_alone(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    """After a busy minute's acknowledgements, their kudos share a few transactions (six statements each, whatever
    their number) — and a giver who asked for more than their allowance in that minute is still refused."""
    core, answers = plugged(settings, db, clock)
    per_day = settings.section(KudosSettings).daily_allowance
    lines = [said(name, f"@{'bob' if name != 'bob' else 'carol'} thanks for shift {i}")
             for i, name in enumerate(TEAM[1:] * 2)]
    lines += [said("alice", f"@bob thanks, part {i}") for i in range(per_day + 2)]
    accepted = [a for a in await asyncio.gather(*(core.accept(line, ADDRESS) for line in lines)) if a is not None]
    inserts: list[str] = []
    finished: list[str] = []

    def count_inserts(conn: object, cursor: object, statement: str, *_: object) -> None:
        if statement.startswith("INSERT INTO kudos "):
            inserts.append(statement)
        if statement.startswith("DELETE FROM inbox "):
            finished.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", count_inserts)
    try:
        await asyncio.gather(*(core.work(a) for a in accepted))
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count_inserts)
    given = len(TEAM[1:] * 2) + per_day
    assert await count(db, kudos) == given and await count(db, inbox) == 0
    assert len(inserts) <= len(accepted) / 4, f"{len(inserts)} INSERTs for {len(accepted)} kudos"
    assert len(finished) <= len(accepted) / 4, f"{len(finished)} DELETEs for {len(accepted)} inbox rows"
    refusals = [t for t in answers.texts() if f"0 of your {per_day} daily thank-yous left" in t]
    assert len(refusals) == 2 and len(answers.given) == len(accepted)


async def test_a_delivery_repeated_within_one_commit_is_accepted_once(settings: Settings, db: Database,
                                                                      clock: FakeClock) -> None:
    core, _ = plugged(settings, db, clock)
    first, again = await asyncio.gather(core.accept(said("alice", "@bob thanks"), ADDRESS, delivery_id="Ev7"),
                                        core.accept(said("alice", "@bob thanks"), ADDRESS, delivery_id="Ev7"))
    assert (first is None) != (again is None)
    assert await count(db, inbox) == 1


async def test_work_that_writes_nothing_still_finishes_its_row(settings: Settings, db: Database,
                                                               clock: FakeClock) -> None:
    core, answers = plugged(settings, db, clock)
    accepted = await core.accept(said("alice", "help"), ADDRESS)
    assert accepted is not None
    await core.work(accepted)
    assert await count(db, inbox) == 0 and len(answers.given) == 1


@pytest.mark.parametrize("incoming", [
    pytest.param(Pressed(DIRECTORY.get("alice"), SUPPORT, MOOD_ACTION, "2"), id="a mood"),  # type: ignore[arg-type]
    pytest.param(Pressed(DIRECTORY.get("alice"), SUPPORT, VOTE, "7:1"), id="a vote"),  # type: ignore[arg-type]
    pytest.param(said("alice", "vent I can't take another week like this"), id="a typed vent"),
])
async def test_a_confidence_is_handled_at_once_and_never_written_to_the_inbox(
    settings: Settings, db: Database, clock: FakeClock, incoming: Incoming
) -> None:
    core, answers = plugged(settings, db, clock)
    statements: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute",
                 lambda conn, cursor, sql, *_: statements.append(sql))
    accepted = await core.accept(incoming, ADDRESS, delivery_id="T-1")
    assert accepted is not None and accepted.row is None and accepted.response is not None, "already done"
    await core.work(accepted)
    assert len(answers.given) == 1
    assert not [s for s in statements if "inbox" in s.lower()], "not even a row deleted again"
    assert await core.accept(incoming, ADDRESS, delivery_id="T-1") is None, "a repeat is still recognised"


async def test_a_request_whose_work_keeps_dying_is_given_up_and_logged(
    settings: Settings, db: Database, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    core, answers = plugged(settings, db, clock)
    await core.accept(said("alice", "@bob thanks for the save"), ADDRESS)
    async with db.transaction() as conn:
        await conn.execute(update(inbox).values(attempts=INBOX_MAX_ATTEMPTS))
    clock.advance(seconds=INBOX_CLAIM_SECONDS + 1)
    with caplog.at_level(logging.ERROR):
        await core.tick()
    assert await count(db, inbox) == 0 and await count(db, kudos) == 0 and answers.given == []
    assert "gave up on a console request acknowledged at 2026-11-16 09:00:00Z" in caplog.text
    assert "bob" not in caplog.text and "save" not in caplog.text, "never what anyone wrote"


async def test_a_row_waits_for_an_instance_that_has_its_platform(settings: Settings, db: Database,
                                                                 clock: FakeClock) -> None:
    core, _ = plugged(settings, db, clock)
    await core.accept(said("alice", "@bob thanks for the save"), ADDRESS)
    clock.advance(seconds=INBOX_CLAIM_SECONDS + 1)
    await Huzzah(settings, db, clock).tick()  # no console plugged in here
    assert await count(db, inbox) == 1 and await count(db, kudos) == 0


async def test_forgetting_someone_erases_the_requests_naming_them_that_wait_in_the_inbox(
    settings: Settings, db: Database, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    core, _ = plugged(settings, db, clock)
    done = await core.accept(said("alice", "@bob thanks for the save"), ADDRESS)
    assert done is not None
    await core.work(done)
    await core.accept(said("carol", "@bob thanks for the handover"), ADDRESS)
    await core.accept(said("carol", "@dave thanks for the macro"), ADDRESS)
    assert await show(settings, "bob", url=db.url) == 0
    assert "inbox (requests by or about them, not yet done)" in capsys.readouterr().out
    assert await erase(settings, "bob", yes=True, url=db.url) == 0
    async with db.transaction() as conn:
        left = [r.payload for r in await conn.execute(select(inbox))]
    assert len(left) == 1 and "dave" in repr(left) and "bob" not in repr(left)
