"""One check-in round to N people through the real Slack adapter and outbox, against the fake Web API.

Run through `python -m bench.requests --round [--people N] [--postgres URL]`. The core runs in this process on a
fake clock set to the round's hour (so the round opens at the first tick), with #support holding N people; the
outbox worker delivers as `huzzah serve`'s does. Reported: Web API calls per person and per method, people who
got the question twice, peak RSS (of this process, the fake Slack included), the time to reach everyone against
the fake, and how long the same calls would take at Slack's published per-method limits.
"""

from __future__ import annotations

import asyncio
import collections
import resource
import tempfile
import time
from datetime import UTC, datetime

from adapters.slack.app import SlackAdapter
from adapters.slack.config import SlackConfig
from bench.scratch import scratch_postgres
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings, TeamSettings
from storage.db import Database
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackAPI
from tests.slack_support import SIGNING_SECRET

FRIDAY_EVENING = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
"""Friday 15:00 has come in every time zone the fake's people live in."""
PER_MINUTE = {
    # https://api.slack.com/apis/rate-limits: Tier 2 = 20/min, Tier 3 = 50/min, Tier 4 = 100/min
    "users.list": 20, "users.info": 100, "conversations.members": 100, "conversations.list": 20,
    "conversations.open": 50, "conversations.info": 50, "conversations.history": 50, "auth.test": 100,
    # "Special": one message per second per channel. Every DM is its own channel, and Slack publishes no
    # workspace-wide figure; 600/min (10/s) is assumed here, a pace Slack is known to tolerate for DMs.
    "chat.postMessage": 600,
}


async def round_bench(people: int, postgres: str | None) -> None:
    api = FakeSlackAPI()
    await api.start()
    members = [f"UR{i:06d}" for i in range(people)]
    for user_id in members:
        api.add_user(user_id, f"person{user_id[2:]}")
    api.channels["CSUPPORT"]["members"] = [*members, BOT_USER_ID]
    folder = tempfile.mkdtemp(prefix="huzzah-round-")
    async with scratch_postgres(postgres) as pg_url:
        db = Database(pg_url or f"sqlite:///{folder}/huzzah.db")
        await db.migrate()
        settings = Settings(timezone="UTC", teams=[TeamSettings(name="Support", channels=["slack:#support"])])
        core = Huzzah(settings, db, FakeClock(FRIDAY_EVENING))
        adapter = SlackAdapter(core, SlackConfig("xoxb-bench", SIGNING_SECRET, api.base_url))
        core.plug(adapter.platform())
        stop = asyncio.Event()
        worker = asyncio.create_task(core.outbox.run(stop))
        began = time.monotonic()
        await core.tick()
        while len({m["channel"] for m in api.messages}) < people and time.monotonic() - began < 3600:
            await asyncio.sleep(0.05)
        took = time.monotonic() - began
        stop.set()
        await worker
        await adapter.stop()
        await adapter.client.close()
        await db.close()
    await api.close()
    report(api, people, took, "PostgreSQL" if postgres else "SQLite")


def report(api: FakeSlackAPI, people: int, took: float, database: str) -> None:
    calls = collections.Counter(c.method for c in api.calls)
    dms = collections.Counter(m["channel"] for m in api.messages if m["channel"].startswith("D"))
    twice = sum(1 for n in dms.values() if n > 1)
    minutes = sum(n / PER_MINUTE.get(method, 20) for method, n in calls.items())
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"check-in round to {people:,} people on {database}")
    print("| | |\n|---|---|")
    print(f"| people reached | {len(dms):,} |")
    print(f"| Web API calls per person | {sum(calls.values()) / people:.2f} |")
    for method, n in calls.most_common():
        print(f"| … {method} | {n:,} ({PER_MINUTE.get(method, 20)}/min) |")
    print(f"| people asked twice | {twice} |")
    print(f"| peak RSS (this process, fake Slack included) | {rss:.0f} MB |")
    print(f"| time against the fake | {took:.0f} s |")
    print(f"| minutes at Slack's published limits | {minutes:.1f} |")
