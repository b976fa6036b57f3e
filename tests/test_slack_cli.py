"""`huzzah serve` refuses to start half-configured: one line naming the variable, exit 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from adapters.slack.config import DEFAULT_API_URL, slack_config
from bot.config import ConfigError


def serve(tmp_path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    clean.update(env, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/huzzah.db", HUZZAH_CONFIG="")
    return subprocess.run(
        [sys.executable, "-m", "huzzah.cli", "serve", "--host", "127.0.0.1", "--port", "0", *args],
        env=clean, capture_output=True, text=True, timeout=60, cwd=tmp_path,
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
    import socket
    from urllib.parse import urlencode

    import aiohttp

    from tests.fakes.slack_api import FakeSlackAPI
    from tests.slack_support import FORM, SIGNING_SECRET, signed_headers, slash_command

    api = FakeSlackAPI()
    await api.start()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=api.base_url,
               DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/huzzah.db", HUZZAH_CONFIG="")
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "huzzah.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(500):  # until it listens (migrations run first)
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
                        if health.status == 200:
                            break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
            body = urlencode(slash_command("<@UBOB> thanks for the save", response_url=api.response_url("UALICE")))
            async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                                 headers={"Content-Type": FORM, **signed_headers(body)}) as resp:
                assert resp.status == 200
        for _ in range(500):
            if len(api.messages) == 2 and api.responses:
                break
            await asyncio.sleep(0.05)
    finally:
        server.terminate()
        await server.wait()
        await api.close()
    assert "Sent!" in api.responses[0]["text"]
    assert sorted(m["channel"] for m in api.messages) == ["CSUPPORT", "DUBOB"]  # no app.yaml: posted where given
