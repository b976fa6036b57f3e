"""Teams is secure by default: with no MICROSOFT_APP_ID there is no Teams endpoint at all (404) and Huzzah calls
no service URL, whatever an activity names; `--teams-emulator` is the one way to run it unauthenticated, on
127.0.0.1 only. An authenticated server never sends its token to an address saved unauthenticated."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from botbuilder.schema import Activity

from adapters.msteams import connector as teams
from adapters.msteams.config import NO_AUTH_WARNING, PLATFORM
from adapters.msteams.references import conversation_of, reference_of
from bot.config import ConfigError
from bot.messages import message, text
from bot.people import Channel
from bot.ports import DeliveryError
from huzzah.platforms import configured, connectors
from tests.fakes.bot_connector import FakeBotConnector
from tests.msteams_support import (
    APP_ID,
    BOT,
    CHANNEL_ID,
    TENANT,
    MsTeamsWorld,
    channel_message,
    installed_personally,
    personal_message,
    user,
    world_fixture,
)
from tests.process_support import Proc

secured_msteams = world_fixture("secured_msteams", app_id=APP_ID)
ALICE, BOB = user("Alice"), user("Bob")


@asynccontextmanager
async def served(tmp_path: Path, *args: str) -> AsyncIterator[tuple[str, Path]]:
    """The real `huzzah serve` in its own process with no platform secrets at all; yields its base URL and
    the file its log goes to, once it listens (on a port the system picked: its log names it)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "HUZZAH_CONFIG"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path}/huzzah.db"
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "huzzah", "serve", "--port", "0", *args,
            env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL, stderr=sink,
        )
    try:
        yield f"http://127.0.0.1:{await Proc(server, log).port()}", log
    finally:
        server.terminate()
        await server.wait()


def activities(service_url: str) -> list[dict]:  # type: ignore[type-arg]
    """A typed command, a channel mention, and an install (which makes Huzzah write a welcome first)."""
    return [personal_message(service_url, ALICE, "help"),
            channel_message(service_url, ALICE, "<at>Huzzah</at> <at>Bob</at> thanks #teamwork", [BOT, BOB]),
            installed_personally(service_url, BOB)]


async def test_serve_without_an_app_id_answers_404_and_calls_no_service_url(tmp_path: Path) -> None:
    connector = FakeBotConnector()
    await connector.start()
    try:
        async with served(tmp_path) as (base, log), aiohttp.ClientSession() as http:
            for activity in activities(connector.url + "/"):
                async with http.post(f"{base}/api/messages", json=activity) as response:
                    assert response.status == 404
            await asyncio.sleep(1.0)  # anything Huzzah would send after answering has had time to leave
        assert connector.calls == [] and connector.sent == [] and connector.created == []
        assert "listening on http://127.0.0.1:" in log.read_text(), "127.0.0.1 unless --host says otherwise"
        assert "NOT authenticated" not in log.read_text()
    finally:
        await connector.close()


async def test_the_emulator_flag_turns_teams_on_unauthenticated_and_warns(tmp_path: Path) -> None:
    """The same activities with `--teams-emulator`: answered, and the replies do reach the service URL — so the
    test above would have seen any call."""
    connector = FakeBotConnector()
    await connector.start()
    try:
        async with served(tmp_path, "--teams-emulator") as (base, log), aiohttp.ClientSession() as http:
            async with http.post(f"{base}/api/messages", json=personal_message(connector.url + "/", ALICE,
                                                                               "help")) as response:
                assert response.status in (200, 201)
            for _ in range(200):
                if connector.sent:
                    break
                await asyncio.sleep(0.05)
        assert connector.sent, "the emulator's service URL got the answer"
        assert NO_AUTH_WARNING in log.read_text()
        assert "listening on http://127.0.0.1:" in log.read_text()
    finally:
        await connector.close()


def test_teams_is_off_without_an_app_id_and_on_with_one() -> None:
    assert teams.configure({}, "http") is None
    assert teams.configure({}, "none") is None, "the scheduler sends nothing to Teams either"
    assert [c.name for c, _ in configured({}, "http")] == []
    on = teams.configure({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "pw"}, "http")
    assert on is not None and on.authenticated
    with pytest.raises(ConfigError, match="MICROSOFT_APP_ID"):
        teams.configure({"MICROSOFT_APP_PASSWORD": "pw"}, "http")  # half a configuration is named, not "off"


def test_only_the_emulator_connector_runs_teams_unauthenticated() -> None:
    [(connector, config)] = configured({}, "http", connectors(teams_emulator=True))
    assert connector is teams.EMULATOR and not config.authenticated
    assert teams.CONNECTOR not in connectors(teams_emulator=True)
    with pytest.raises(ConfigError, match="--teams-emulator"):
        teams.configure_emulator({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "pw"}, "http")


async def test_an_authenticated_server_never_sends_to_an_address_saved_unauthenticated(
        secured_msteams: MsTeamsWorld) -> None:
    """A conversation remembered in emulator mode carries a service URL whoever posted it chose: with an app id
    set, Huzzah refuses it for good rather than send a Bot Framework token there."""
    activity = Activity().deserialize(channel_message("http://127.0.0.1:9/", ALICE, "hi", [BOT]))
    conversations = secured_msteams.core.conversations(PLATFORM)
    await conversations.save(conversation_of(reference_of(activity), TENANT, verified=False))

    with pytest.raises(DeliveryError) as refused:
        await secured_msteams.msteams.messenger.post(Channel(PLATFORM, TENANT, CHANNEL_ID), message(text("hi")), None)
    assert refused.value.permanent and "--teams-emulator" in str(refused.value)
    with pytest.raises(DeliveryError):
        await secured_msteams.msteams.messenger.post(Channel(PLATFORM, TENANT, "19:never-seen@thread.tacv2"),
                                                     message(text("hi")), None)
    assert secured_msteams.connector.calls == []
