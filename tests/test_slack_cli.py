"""`huzzah serve` refuses to start half-configured: one line naming the variable, exit 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from adapters.slack.config import DEFAULT_API_URL, slack_config
from bot.config import ConfigError

PATIENCE = 300.0
"""Seconds: a safety net for a hung process on a busy machine, never a measurement."""


def serve(tmp_path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    clean.update(env, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/huzzah.db", HUZZAH_CONFIG="")
    return subprocess.run(
        [sys.executable, "-m", "huzzah.cli", "serve", "--host", "127.0.0.1", "--port", "0", *args],
        env=clean, capture_output=True, text=True, timeout=PATIENCE, cwd=tmp_path,
    )


def test_serve_without_the_signing_secret_names_it_and_exits_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = serve(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-1"})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SLACK_SIGNING_SECRET" in lines[0]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "huzzah.db").exists()  # it stopped before touching anything


def test_a_signing_secret_without_the_bot_token_names_the_token(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = serve(tmp_path, {"SLACK_SIGNING_SECRET": "s"})
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "SLACK_BOT_TOKEN" in lines[0] and "Traceback" not in done.stderr


def test_socket_mode_without_an_app_token_names_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = serve(tmp_path, {"SLACK_BOT_TOKEN": "xoxb-1"}, "--socket-mode")
    assert done.returncode == 2 and "SLACK_APP_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_slack_is_off_without_a_bot_token_and_the_api_url_defaults_to_slacks() -> None:
    assert slack_config({}) is None
    config = slack_config({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_API_URL": "http://x/api"})
    assert config is not None and config.api_url == "http://x/api/"
    default = slack_config({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"})
    assert default is not None and default.api_url == DEFAULT_API_URL
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        slack_config({}, socket_mode=True)


async def test_huzzah_serve_answers_slack_with_the_settings_from_the_environment(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The real command in its own process: SLACK_API_URL points it at the fake, a signed command goes in."""
    import asyncio
    import re
    from urllib.parse import urlencode

    import aiohttp

    from tests.fakes.slack_api import FakeSlackAPI
    from tests.slack_support import FORM, SIGNING_SECRET, signed_headers, slash_command

    api = FakeSlackAPI()
    await api.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=api.base_url,
               DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/huzzah.db", HUZZAH_CONFIG="")
    server = await asyncio.create_subprocess_exec(  # port 0: the system picks a free one and the log names it
        sys.executable, "-m", "huzzah.cli", "serve", "--host", "127.0.0.1", "--port", "0",
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    assert server.stderr is not None
    log: list[str] = []

    async def listening_port() -> int:
        """Read the log until the server says where it listens (after its migrations ran)."""
        assert server.stderr is not None
        while line := (await server.stderr.readline()).decode():
            log.append(line)
            if found := re.search(r"listening on http://127\.0\.0\.1:(\d+)", line):
                return int(found.group(1))
        raise AssertionError("huzzah serve ended early:\n" + "".join(log))

    async def keep_reading() -> None:  # so a chatty log can never fill the pipe and stall the server
        assert server.stderr is not None
        while line := (await server.stderr.readline()).decode():
            log.append(line)

    reading = None
    try:
        async with asyncio.timeout(PATIENCE):
            port = await listening_port()
            reading = asyncio.create_task(keep_reading())
            body = urlencode(slash_command("<@UBOB> thanks for the save", response_url=api.response_url("UALICE")))
            async with aiohttp.ClientSession() as http, http.post(
                f"http://127.0.0.1:{port}/slack/events", data=body, headers={"Content-Type": FORM,
                                                                         **signed_headers(body)},
            ) as resp:
                assert resp.status == 200
            while not (len(api.messages) == 2 and api.responses):
                await asyncio.sleep(0.05)
    finally:
        server.terminate()
        await server.wait()
        if reading is not None:
            await reading
        await api.close()
    assert "Sent!" in api.responses[0]["text"], "".join(log)
    assert sorted(m["channel"] for m in api.messages) == ["CSUPPORT", "DUBOB"]  # no app.yaml: posted where given
