"""Structured logs: every line of an end-to-end Slack run (kudos, a check-in with vents, a poll) as JSON, at
DEBUG, carries the request id, platform, feature and latency — and none of what anyone typed or is called."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from adapters.slack.roster import SlackRoster
from bot.clock import FakeClock
from huzzah import logs
from tests.slack_support import SlackHarness, app_mention, block_actions, reaction_added, view_submission
from tests.test_polls_slack import ask, press

ROOT = Path(__file__).resolve().parents[1]
FRIDAY_EVENING = datetime(2026, 11, 20, 21, 0, tzinfo=UTC)
WHY = "thanks for untangling the Zendesk refund macro"
NIGHT = "thanks for covering the night shift again"
VENT = "My manager Priya keeps moving the escalation targets"
CRISIS = "some nights I think about how to end my life"
QUESTION = "Which refund macro do we rewrite first?"
OPTIONS = ("Partial refund", "Store credit")
TYPED = (WHY, NIGHT, VENT, CRISIS, QUESTION, *OPTIONS, "Zendesk", "Priya", "escalation targets")
NAMES = ("alice", "bob", "carol", "dave", "UALICE", "UBOB", "UCAROL", "UDAVE")


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Every record of the process, as `huzzah --log-format json` writes it at LOG_LEVEL=DEBUG."""
    root = logging.getLogger()
    touched = [root, *(logging.getLogger(n) for n in (*logs.CHATTY, *logs.QUIET))]
    levels = [logger.level for logger in touched]
    stream = io.StringIO()
    handler = logs.setup("DEBUG", "json", stream)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for logger, level in zip(touched, levels, strict=True):
            logger.setLevel(level)


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def button(message: dict[str, Any], label_end: str) -> dict[str, Any]:
    return next(e for b in message["blocks"] for e in b.get("elements", [])
                if e.get("type") == "button" and e["text"]["text"].endswith(label_end))


async def check_in(slack: SlackHarness, user: str, name: str, mood: int, words: str) -> None:
    dm = next(m for m in slack.api.messages if m["channel"] == f"D{user}" and "How was your week" in m["text"])
    chosen = button(dm, f" {mood}")
    await slack.interact(block_actions(user=user, name=name, action_id=chosen["action_id"], value=chosen["value"],
                                       channel=dm["channel"], message=dm, response_url=slack.api.response_url(user)))
    await slack.settle()
    form = slack.api.calls_to("views.open")[-1]["view"]
    await slack.interact(view_submission(form, {"text": words, "discard": ()}, user=user, name=name))
    await slack.settle()


async def test_json_logs_of_a_slack_run_carry_ids_and_latency_but_no_words_or_names(
    slack: SlackHarness, clock: FakeClock, json_log: io.StringIO
) -> None:
    slack.core.rosters["slack"] = SlackRoster(slack.adapter.client, slack.adapter.directory)
    await slack.command(f"<@UBOB|bob> {WHY} #teamwork")
    await slack.event(app_mention(f"<@UHUZZAHBOT> <@UCAROL> {NIGHT}", user="UDAVE"))
    await slack.event(reaction_added(user="UALICE", item_user="UBOB"))
    await slack.settle()
    clock.set(FRIDAY_EVENING)
    await slack.core.tick()
    await slack.settle()
    await check_in(slack, "UBOB", "bob", 2, VENT)
    await check_in(slack, "UCAROL", "carol", 1, CRISIS)
    poll = await ask(slack, f'poll "{QUESTION}" "{OPTIONS[0]}" "{OPTIONS[1]}" --anonymous')
    assert await press(slack, poll, "UALICE", OPTIONS[1]) == 200
    slack.api.script("chat.postMessage", body={"ok": False, "error": "channel_not_found"})
    await slack.command(f"<@UDAVE|dave> {WHY}")  # its post fails for good: an error line, still without words
    await slack.settle()

    everything = lines(json_log)
    # The fake Slack Web API is an aiohttp server in this process too; its access lines (`aiohttp.access`,
    # quoting its own URLs) are the fake's. Huzzah's server writes `huzzah.access` lines instead.
    assert all(line["message"].split('"')[1].split()[1].startswith(("/api/", "/respond/", "/upload/"))
               for line in everything if line["logger"] == "aiohttp.access")
    logged = [line for line in everything if line["logger"] != "aiohttp.access"]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in logged)
    assert not [w for w in TYPED if w.casefold() in text.casefold()]
    assert not [n for n in NAMES if n.casefold() in text.casefold()]

    access = [line for line in logged if line["logger"] == "huzzah.access"]
    assert len(access) >= 8 and all(line["route"] == "/slack/events" and line["status"] == 200 for line in access)
    assert all(line["platform"] == "slack" and len(line["request_id"]) == 16 and line["latency_ms"] >= 0
               for line in access)
    handled = [line for line in logged if " handled by " in line["message"]]
    assert {line.get("feature") for line in handled} >= {"kudos", "checkins", "polls"}
    assert all(line["request_id"] and line["platform"] == "slack" and "latency_ms" in line for line in handled)
    assert any(line["level"] == "ERROR" and "channel_not_found" in line["message"] for line in logged)
    assert logging.getLogger().level == logging.DEBUG  # as LOG_LEVEL=DEBUG: only libraries that quote bodies held
    assert logging.getLogger("slack_sdk").level == logging.WARNING


def test_an_exception_is_logged_as_its_type_and_place_never_its_text() -> None:
    for fmt in logs.FORMATS:
        stream = io.StringIO()
        handler = logs.setup("INFO", fmt, stream)
        try:
            try:
                raise ValueError(f"could not store {VENT!r}")
            except ValueError:
                logging.getLogger("huzzah.test").exception("storing a vent failed")
        finally:
            logging.getLogger().removeHandler(handler)
        out = stream.getvalue()
        assert "ValueError" in out and "test_logs.py" in out and "storing a vent failed" in out
        assert VENT not in out and "Priya" not in out


async def test_a_request_id_is_taken_when_plain_and_echoed(slack: SlackHarness, json_log: io.StringIO) -> None:
    for given, kept in (("req-7f3a.1", True), ("<script>alert(1)</script>", False)):
        async with slack.http.get(f"{slack.base_url}/healthz", headers={"X-Request-Id": given}) as resp:
            echoed = resp.headers["X-Request-Id"]
        assert (echoed == given) is kept
        assert any(line["request_id"] == echoed and line["route"] == "/healthz" for line in lines(json_log))


def test_log_level_and_format_come_from_the_environment_and_a_bad_one_is_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("LOG_LEVEL", "LOG_FORMAT")}
    run = subprocess.run([sys.executable, "-m", "huzzah.cli", "db", "upgrade"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, env={**env, "LOG_LEVEL": "loud"})
    assert run.returncode == 2 and run.stderr.count("\n") == 1
    assert "log level 'LOUD' is not one of DEBUG, INFO, WARNING, ERROR, CRITICAL" in run.stderr
    assert logs.level_from({"LOG_LEVEL": "warn"}, None, "INFO") == "WARNING"
    assert logs.level_from({"LOG_LEVEL": "debug"}, "error", "INFO") == "ERROR"  # the flag wins
    assert logs.format_from({"LOG_FORMAT": "JSON"}, None) == "json"
