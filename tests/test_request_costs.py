"""What one kudos and one check-in round cost, counted (never timed): database transactions on a kudos's request
path, Web API calls per person in a round, and that Slack is asked nothing twice that it already told us.
"""

from __future__ import annotations

import asyncio
import collections
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

from sqlalchemy import Connection, event

from adapters.slack.roster import SlackRoster
from bot.clock import FakeClock
from storage.db import Database
from tests.slack_support import SlackHarness
from tests.test_checkins_slack import FRIDAY_EVENING

T = TypeVar("T")
TEAM = [f"UMEMBER{i:03d}" for i in range(60)]


@contextmanager
def request_path_transactions(db: Database) -> Iterator[list[str]]:
    """The transactions begun while the block runs, by every task but the outbox worker's and this test's own."""
    begun: list[str] = []
    here = asyncio.current_task()

    def count(conn: object) -> None:
        task = asyncio.current_task()
        name = task.get_coro().__qualname__ if task is not None else ""  # type: ignore[union-attr]
        if task is not here and name != "Outbox.run":
            begun.append(name)

    event.listen(db.engine.sync_engine, "begin", count)
    try:
        yield begun
    finally:
        event.remove(db.engine.sync_engine, "begin", count)


async def a_second_kudos(slack: SlackHarness, watching: AbstractContextManager[T]) -> T:
    """What `watching` saw of a kudos's request path, posts and all (the first kudos warms the caches)."""
    await slack.command("<@UBOB> thanks for the save #ownership", user="UALICE")
    await slack.settle()
    with watching as seen:
        status, _ = await slack.command("<@UCAROL> thanks for the handover, with <@UBOB> #ownership", user="UDAVE")
        await slack.wait_for(lambda: slack.adapter.busy == 0)
    assert status == 200
    await slack.settle()
    assert len(slack.api.posts_in("CKUDOS")) == 2
    return seen


async def test_a_kudos_takes_at_most_three_transactions_from_request_to_stored(slack: SlackHarness) -> None:
    begun = await a_second_kudos(slack, request_path_transactions(slack.core.ctx.db))
    assert 1 <= len(begun) <= 3, begun  # the inbox row with the dedupe claim; the kudos with its posts, inbox done


@contextmanager
def statements_by_transaction(db: Database) -> Iterator[list[list[str]]]:
    """The SQL statements run while the block runs, one list per transaction, in the order they began."""
    transactions: list[list[str]] = []
    current: dict[int, list[str]] = {}

    def begin(conn: Connection) -> None:
        current[id(conn)] = []
        transactions.append(current[id(conn)])

    def execute(conn: Connection, _cursor: object, statement: str, *_: object) -> None:
        if id(conn) in current:
            current[id(conn)].append(statement)

    event.listen(db.engine.sync_engine, "begin", begin)
    event.listen(db.engine.sync_engine, "before_cursor_execute", execute)
    try:
        yield transactions
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", execute)
        event.remove(db.engine.sync_engine, "begin", begin)


async def test_a_kudos_is_stored_and_queued_in_at_most_seven_statements(slack: SlackHarness) -> None:
    transactions = await a_second_kudos(slack, statements_by_transaction(slack.core.ctx.db))
    kudos = [t for t in transactions if any(s.startswith("INSERT INTO kudos ") for s in t)]
    assert len(kudos) == 1, transactions
    # everyone named (three people) at once, the allowance, the kudos, its recipients, its values, its post and
    # DM at once, and the inbox row finished in the same commit (19 statements before)
    assert len(kudos[0]) <= 7, "\n".join(kudos[0])


async def test_a_check_in_round_costs_about_one_web_api_call_per_person(slack: SlackHarness, clock: FakeClock) -> None:
    for user_id in TEAM:
        slack.api.add_user(user_id, user_id.lower())
    slack.api.channels["CSUPPORT"]["members"] = [*TEAM, "UOTHERBOT", "UGONE"]
    slack.core.rosters["slack"] = SlackRoster(slack.adapter.client, slack.adapter.directory)
    before = len(slack.api.calls)

    clock.set(FRIDAY_EVENING)
    await slack.core.tick()
    await slack.settle()

    calls = collections.Counter(c.method for c in slack.api.calls[before:])
    dms = collections.Counter(p["channel"] for p in slack.api.calls_to("chat.postMessage"))
    assert dms == dict.fromkeys(TEAM, 1), "each person asked once, by user id — no conversations.open first"
    assert "conversations.open" not in calls and "users.info" not in calls, calls
    assert calls["users.list"] >= 1  # profiles read in pages
    assert sum(calls.values()) / len(TEAM) <= 1.1, calls
