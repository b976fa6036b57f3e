"""Anonymous polls keep their promise to people watching the channel and to whoever holds the database."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.features.polls.ballot import ballot_key
from bot.features.polls.report import closed_polls
from bot.features.polls.views import TOO_FEW_VOTERS
from storage.db import Database
from tests.checkin_support import dump
from tests.test_polls import LUNCH, latest, settle

VOTERS = tuple(f"voter{i:02d}" for i in range(1, 21))
COUNTS = re.compile(r"\d+ votes? ·")
"""How an option's count reads on the channel's message (`2 votes · 40%`)."""


async def test_a_two_voter_anonymous_poll_shows_no_split_anywhere(console: ConsoleSession, clock: FakeClock) -> None:
    await console.say("carol", LUNCH + " --anonymous")
    alice = await console.press("alice", "Tacos")
    await console.press("bob", "Ramen")
    await settle(console, clock)
    closed = await console.press("carol", "Close poll")
    await settle(console, clock)

    results = [s.text for s in console.messenger.shown if "The poll has closed" in s.text]
    for shown in (latest(console), *results):
        assert TOO_FEW_VOTERS in shown and "2 people have voted" in shown
        assert not COUNTS.search(shown) and "wins" not in shown and "tie" not in shown
    assert "Tacos" in alice[0].text and "Ramen" not in alice[0].text  # each voter sees their own pick only
    assert "Closed" in closed[0].text
    [lunch] = await closed_polls(console.core.ctx, "Support", datetime(2026, 11, 16, tzinfo=UTC),
                                 datetime(2026, 11, 23, tzinfo=UTC))
    assert lunch.options == () and lunch.voters == 2  # the digest gets no split to show either


async def test_twenty_votes_one_by_one_never_produce_an_edit_that_reveals_a_vote(
    core: Huzzah, clock: FakeClock
) -> None:
    console = ConsoleSession(core, ConsoleDirectory(("carol", *VOTERS)), channel="#support")
    await console.say("carol", LUNCH + " --anonymous")
    edits: list[str] = []
    for n, name in enumerate(VOTERS):
        await console.press(name, ("Tacos", "Ramen", "Salad")[n % 3])
        await settle(console, clock)
        edits.append(latest(console))
    assert len(set(edits)) == 20, "each vote shows, as one more voter"
    for n, edit in enumerate(edits, start=1):
        assert not COUNTS.search(edit) and f"{n} people have voted" in edit.replace("1 person has", "1 people have")

    await console.press("carol", "Close poll")
    await settle(console, clock)
    assert "7 votes · 35%" in latest(console)  # twenty voters: the split is shown once the poll has closed


async def test_the_database_alone_cannot_recompute_an_anonymous_voters_ballot(
    console: ConsoleSession, db: Database
) -> None:
    await console.say("carol", LUNCH + " --anonymous")
    await console.press("alice", "Tacos")
    rows = await dump(db)
    [poll] = rows["polls"]
    [ballot] = rows["poll_ballots"]
    alice = console.person("alice")
    assert ballot["voter"] == ballot_key(db.key, poll["secret"], alice)  # the server key is what it takes
    account = "\x1f".join(alice.key).encode()
    assert ballot["voter"] != hmac.new(poll["secret"], account, hashlib.sha256).hexdigest()  # the poll's secret alone
    assert ballot["voter"] not in str(rows["people"]) and alice.user_id not in str(rows["poll_ballots"])
