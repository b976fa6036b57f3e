"""`GET /metrics` on the real server: Prometheus text that prometheus_client's own parser reads, counting the
kudos, votes, rounds, requests, retries and outbox of a run — and never a person, a choice or a time an
anonymous answer was given."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from huzzah.metrics import PrometheusMetrics
from huzzah.server import build_web_app, listening
from storage.db import Database
from storage.delivery import enqueue
from tests.checkin_support import answer, open_round, session
from tests.fakes.slack_api import FakeSlackAPI
from tests.msteams_support import MsTeamsWorld, bot_added_to_team, user, world_fixture
from tests.slack_support import SlackHarness, reaction_added, serving
from tests.test_msteams_delivery import queue_posts
from tests.test_polls_slack import ask, press

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]
PEOPLE_AND_WORDS = ("UALICE", "UBOB", "UCAROL", "alice", "bob", "carol", "Alice", "Bob", "outage", "shift")


def parse(text: str) -> Samples:
    """Every sample, by name and sorted labels, as prometheus_client reads the exposition."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def core(settings: Settings, db: Database, clock: FakeClock) -> Huzzah:
    """conftest's core, counting with Prometheus (the Teams world below is built on it)."""
    return Huzzah(settings, db, clock, metrics=PrometheusMetrics())


msteams = world_fixture("msteams")


@pytest.fixture
async def counted(settings: Settings, db: Database, clock: FakeClock,
                  fake_slack_api: FakeSlackAPI) -> AsyncIterator[SlackHarness]:
    """The `slack` harness, its core counting with Prometheus as `huzzah serve`'s does."""
    core = Huzzah(settings, db, clock, metrics=PrometheusMetrics())
    async with serving(core, fake_slack_api) as harness:
        yield harness


async def scrape(slack: SlackHarness) -> tuple[str, Samples]:
    async with slack.http.get(f"{slack.base_url}/metrics") as resp:
        assert resp.status == 200
        assert resp.headers["Content-Type"].startswith("text/plain; version=0.0.4")
        text = await resp.text()
    return text, parse(text)


async def test_metrics_parse_and_count_the_kudos_of_a_run(counted: SlackHarness) -> None:
    slack = counted
    _, before = await scrape(slack)
    assert before[("huzzah_kudos_given_total", (("source", "command"),))] == 0  # declared up front: a zero shows

    status, _ = await slack.command("<@UBOB|bob> <@UCAROL|carol> thanks for the outage call #teamwork")
    assert status == 200
    await slack.event(reaction_added(user="UALICE", item_user="UBOB", ts="1763280000.000042"))
    await slack.settle()

    text, after = await scrape(slack)
    assert value(after, "huzzah_kudos_given_total", source="command") == 2  # one per recipient
    assert value(after, "huzzah_kudos_given_total", source="reaction") == 1
    assert value(after, "huzzah_outbox_deliveries_total", outcome="sent") == 5  # 2 posts, 3 DMs
    assert not [name for name, _ in after if name.endswith("_created")]  # no time of a first event
    assert value(after, "huzzah_outbox_pending", platform="slack") == 0
    assert value(after, "huzzah_platform_api_calls_total", platform="slack", method="chat.postMessage",
                 outcome="ok") >= 5
    assert value(after, "huzzah_http_request_duration_seconds_count", method="POST", route="/slack/events",
                 status="200") == 2
    assert value(after, "huzzah_http_request_duration_seconds_count", method="GET", route="/metrics",
                 status="200") == 1  # the first scrape
    assert not any(word in text for word in PEOPLE_AND_WORDS)


async def test_the_outbox_shows_its_depth_and_how_long_the_oldest_delivery_has_waited(
    counted: SlackHarness, clock: FakeClock
) -> None:
    """A delivery for a platform this process cannot reach waits: counted, with its age, per platform."""
    async with counted.core.ctx.db.transaction() as conn:
        await enqueue(conn, "test:waiting", {"kind": "nothing"}, clock.now() - timedelta(seconds=90),
                      platform="msteams")
        await enqueue(conn, "test:later", {"kind": "nothing"}, clock.now(), platform="msteams",
                      not_before=clock.now() + timedelta(hours=1))
    _, samples = await scrape(counted)
    assert value(samples, "huzzah_outbox_pending", platform="msteams") == 2
    assert value(samples, "huzzah_outbox_oldest_pending_age_seconds", platform="msteams") == 90
    assert value(samples, "huzzah_outbox_readable") == 1


async def test_a_rate_limit_and_its_retry_are_counted(counted: SlackHarness) -> None:
    counted.api.script("chat.postMessage", status=429, headers={"Retry-After": "1"})
    await counted.command("<@UBOB|bob> thanks for the outage call")
    await counted.settle()
    _, samples = await scrape(counted)
    assert value(samples, "huzzah_platform_api_rate_limited_total", platform="slack") == 1
    assert value(samples, "huzzah_platform_api_retries_total", platform="slack", reason="rate_limited") == 1
    assert value(samples, "huzzah_kudos_given_total", source="command") == 1


async def test_poll_votes_are_counted_without_the_option_or_the_voter(counted: SlackHarness) -> None:
    poll = await ask(counted, 'poll "Which shift pattern for December?" "4x10" "5x8" --anonymous')
    for voter, option in (("UALICE", "4x10"), ("UBOB", "5x8"), ("UBOB", "5x8")):  # the same vote again: no change
        assert await press(counted, poll, voter, option) == 200
        await counted.settle()
    text, samples = await scrape(counted)
    assert value(samples, "huzzah_polls_asked_total") == 1
    assert value(samples, "huzzah_poll_votes_total") == 2
    assert "4x10" not in text and "5x8" not in text


async def test_check_in_answers_are_counted_only_when_their_round_closes(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    """A counter that moved as each answer came in would time it; the round's totals arrive with its close."""
    counting = PrometheusMetrics()
    core = Huzzah(settings, db, clock, metrics=counting)
    console = session(core)
    await open_round(console, clock)
    for name, mood in (("agent01", 4), ("agent02", 2), ("agent03", 5)):
        await answer(console, name, mood, vent="the queue is long" if name == "agent02" else None)
    open_now = parse(counting.exposition()[0].decode())
    assert value(open_now, "huzzah_checkin_invitations_total", how="scheduled") == 18
    assert value(open_now, "huzzah_checkin_answers_total") == 0
    assert value(open_now, "huzzah_checkin_vents_total") == 0

    clock.advance(days=4)
    await core.tick()
    closed = parse(counting.exposition()[0].decode())
    assert value(closed, "huzzah_checkin_rounds_closed_total") == 1
    assert value(closed, "huzzah_checkin_answers_total") == 3
    assert value(closed, "huzzah_checkin_vents_total") == 1
    assert not [k for k in closed if any("mood" in label for label, _ in k[1])]


async def test_metrics_can_be_switched_off_and_errors_are_counted(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    import logging

    core = Huzzah(settings, db, clock, metrics=PrometheusMetrics())
    async with listening(build_web_app(core, expose_metrics=False), "127.0.0.1", 0) as port, \
            aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as resp:
        assert resp.status == 404
        logging.getLogger("bot.outbox").error("the outbox worker (retrying shortly) failed: OSError")
    assert isinstance(core.metrics, PrometheusMetrics)
    samples = parse(core.metrics.exposition()[0].decode())
    assert value(samples, "huzzah_errors_total", logger="bot.outbox") == 1
    assert value(samples, "huzzah_http_request_duration_seconds_count", method="GET", route="unmatched",
                 status="404") == 1


async def test_teams_calls_retries_and_rate_limits_are_counted(msteams: MsTeamsWorld) -> None:
    await msteams.send(bot_added_to_team(msteams.service_url, user("Alice")))
    msteams.connector.fail_next(2, 429, retry_after="2")
    await queue_posts(msteams, 3)
    await msteams.core.outbox.drain()
    assert isinstance(msteams.core.metrics, PrometheusMetrics)
    samples = parse(msteams.core.metrics.exposition()[0].decode())
    assert value(samples, "huzzah_platform_api_calls_total", platform="msteams", method="send", outcome="ok") == 3
    assert value(samples, "huzzah_platform_api_rate_limited_total", platform="msteams") == 2
    assert value(samples, "huzzah_platform_api_retries_total", platform="msteams", reason="rate_limited") == 2
