"""Two real `huzzah serve` processes on one PostgreSQL, as behind a load balancer, talking to the fake Slack Web
API (SLACK_API_URL): kudos sent to either are each handled once — also the same event delivered to both, as a
Slack retry landing on the other instance would be — and the weekly digest, due as they start, is posted once.
Their /metrics together count each kudos once, and their JSON logs hold none of the words or names."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import WEEKDAYS
from bot.features.digest.week import Week, at
from bot.incoming import Said
from bot.people import Channel, Person
from bot.settings import load_settings
from storage.db import Database
from storage.tables.delivery import outbox
from storage.tables.digest import digest_runs
from storage.tables.kudos import kudos
from tests.fakes.slack_api import TEAM_ID, FakeSlackAPI
from tests.slack_support import (
    BOT_TOKEN,
    FORM,
    JSON,
    SIGNING_SECRET,
    app_mention,
    event_callback,
    signed_headers,
    slash_command,
)

ROOT = Path(__file__).resolve().parents[1]
PATIENCE = 120.0  # seconds: a safety net for a hung process, never a measurement
SEEDED = "for last week's outage call"
ON_A = "thanks for the refund macro"
ON_B = "thanks for covering the night shift"
ON_BOTH = "thanks for the handover notes"
LISTENING = re.compile(r"Huzzah is listening on http://127\.0\.0\.1:(\d+)")
NAMES = ("alice", "bob", "carol", "dave", "UALICE", "UBOB", "UCAROL", "UDAVE")


def config_due_now() -> str:
    """The digest due at 00:00 today (UTC): passed, and within its grace window, as both processes start."""
    today = WEEKDAYS[datetime.now(UTC).weekday()]
    return f"""
timezone: UTC
kudos: {{channels: ["slack:#kudos"]}}
teams:
  - {{name: Support, channels: ["slack:#support"]}}
checkins: {{enabled: false}}
digest: {{day: {today}, time: "00:00", channels: ["slack:#support-leads"]}}
"""


@dataclass
class Instance:
    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    reader: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        """Where it listens: `--port 0` lets the system pick a free port, and the log names it."""
        [port] = [found[1] for line in self.logged() if (found := LISTENING.search(line["message"]))]
        return f"http://127.0.0.1:{port}"

    def logged(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines if line.startswith("{")]

    async def read(self) -> None:
        assert self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self.lines.append(line.decode())


async def until(condition: Callable[[], Any], what: str, timeout: float = PATIENCE) -> None:
    """Poll `condition()` (sync or async) until it is true."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = condition()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not in {timeout:.0f}s: {what}")
        await asyncio.sleep(0.1)


@pytest.fixture
async def instances(db: Database, tmp_path: Path, fake_slack_api: FakeSlackAPI) -> AsyncIterator[list[Instance]]:
    config = tmp_path / "app.yaml"
    config.write_text(config_due_now(), encoding="utf-8")
    # Someone used Huzzah last week (a kudos given on Slack, stored as the real path stores it): there is a week
    # to report, in a Slack workspace the digest can be posted to.
    last_week = Week.of(datetime.now(UTC), UTC).before()
    seeding = Huzzah(load_settings(config), db, FakeClock(at(last_week.day(2), time(12), UTC)))
    alice, bob = Person("slack", TEAM_ID, "UALICE", "alice"), Person("slack", TEAM_ID, "UBOB", "bob")
    support = Channel("slack", TEAM_ID, "CSUPPORT", name="#support")
    await seeding.handle(Said(alice, support, (bob, f" {SEEDED}")))

    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "LOG_"))}
    env.update(HUZZAH_CONFIG=str(config), DATABASE_URL=db.url, SLACK_BOT_TOKEN=BOT_TOKEN,
               SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=fake_slack_api.base_url)
    started: list[Instance] = []
    try:
        for _ in range(2):
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "huzzah.cli", "--log-format", "json", "serve", "--host", "127.0.0.1",
                "--port", "0", cwd=ROOT, env=env, stderr=asyncio.subprocess.PIPE)
            instance = Instance(process)
            instance.reader = asyncio.create_task(instance.read())
            started.append(instance)
        for instance in started:
            await until(lambda i=instance: any("scheduler running" in line["message"] for line in i.logged())
                        or i.process.returncode is not None, "both processes up, their first tick done")
            assert instance.process.returncode is None, "".join(instance.lines)
        yield started
    finally:
        for instance in started:
            if instance.process.returncode is None:
                instance.process.terminate()
            try:
                await asyncio.wait_for(instance.process.wait(), 30)
            except TimeoutError:
                instance.process.kill()
                await instance.process.wait()
            if instance.reader is not None:
                await instance.reader


async def post(http: aiohttp.ClientSession, instance: Instance, body: str, content_type: str,
               extra: dict[str, str] | None = None) -> int:
    headers = {"Content-Type": content_type, **signed_headers(body), **(extra or {})}
    async with http.post(f"{instance.url}/slack/events", data=body.encode(), headers=headers) as resp:
        return resp.status


async def command(http: aiohttp.ClientSession, api: FakeSlackAPI, instance: Instance, text: str, user: str,
                  name: str) -> int:
    form = slash_command(text, user=user, user_name=name, response_url=api.response_url(user))
    return await post(http, instance, urlencode(form), FORM)


async def scrape(http: aiohttp.ClientSession, instance: Instance) -> dict[tuple[str, str], float]:
    async with http.get(f"{instance.url}/metrics") as resp:
        assert resp.status == 200
        text = await resp.text()
    return {(s.name, json.dumps(s.labels, sort_keys=True)): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
async def test_two_serve_processes_on_one_postgresql_handle_each_kudos_once_and_post_one_digest(
    instances: list[Instance], db: Database, fake_slack_api: FakeSlackAPI
) -> None:
    api, (a, b) = fake_slack_api, instances
    async with aiohttp.ClientSession() as http:
        assert await command(http, api, a, f"<@UCAROL|carol> {ON_A}", "UALICE", "alice") == 200
        assert await command(http, api, b, f"<@UDAVE|dave> {ON_B}", "UBOB", "bob") == 200
        # One event, delivered to both at once: the first attempt on A, Slack's retry (same event id) on B.
        body = json.dumps(event_callback(app_mention(f"<@UHUZZAHBOT> <@UALICE> {ON_BOTH}", user="UCAROL"),
                                         event_id="Ev0TWOINSTANCES"))
        statuses = await asyncio.gather(
            post(http, a, body, JSON), post(http, b, body, JSON, {"X-Slack-Retry-Num": "1",
                                                                   "X-Slack-Retry-Reason": "http_timeout"}))
        assert statuses == [200, 200]

        async def everything_delivered() -> bool:
            async with db.transaction() as conn:
                stored = (await conn.execute(select(func.count()).select_from(kudos))).scalar_one()
                waiting = (await conn.execute(select(func.count()).select_from(outbox)
                                              .where(outbox.c.status != "sent"))).scalar_one()
            return stored == 4 and waiting == 0 and len(api.posts_in("CLEADS")) >= 1

        await until(everything_delivered, "the kudos stored and every delivery sent")
        metrics = [await scrape(http, instance) for instance in instances]

    posts = [json.dumps(p, ensure_ascii=False) for p in api.posts_in("CKUDOS")]
    for words in (SEEDED, ON_A, ON_B, ON_BOTH):
        assert sum(words in text for text in posts) == 1, posts
    assert len(posts) == 4
    for user in ("UBOB", "UCAROL", "UDAVE", "UALICE"):
        assert len([m for m in api.messages if m["channel"] == f"D{user}"]) == 1, user

    digests = api.posts_in("CLEADS")
    assert len(digests) == 1 and "weekly digest" in digests[0]["text"]
    async with db.transaction() as conn:
        runs = [(r.team, r.outcome) for r in await conn.execute(select(digest_runs))]
    assert runs == [("Support", "posted")]

    def total(name: str, **labels: str) -> float:
        return sum(m.get((name, json.dumps(labels, sort_keys=True)), 0.0) for m in metrics)

    assert total("huzzah_kudos_given_total", source="command") == 3  # two commands, one event, across both
    assert total("huzzah_digests_total", outcome="posted") == 1
    assert total("huzzah_outbox_pending", platform="slack") == 0

    logged = "".join(a.lines + b.lines)
    assert not [w for w in (SEEDED, ON_A, ON_B, ON_BOTH, *NAMES) if w.casefold() in logged.casefold()]
    ignored = [line for i in instances for line in i.logged() if "ignored a repeated Slack delivery" in line["message"]]
    assert len(ignored) == 1 and ignored[0]["request_id"]
