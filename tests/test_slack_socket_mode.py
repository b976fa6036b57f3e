"""`huzzah serve --socket-mode`: the same app over a WebSocket (no public URL), against the fake's socket."""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qsl, urlencode

from adapters.slack.app import SlackAdapter
from adapters.slack.config import SlackConfig
from bot.app import Huzzah
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack_support import BOT_TOKEN, PATIENCE, slash_command


async def until(condition, timeout: float = PATIENCE) -> None:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)


async def test_a_slash_command_over_socket_mode_is_acked_and_gives_kudos(
    core: Huzzah, fake_slack_api: FakeSlackAPI
) -> None:
    api = fake_slack_api
    adapter = SlackAdapter(core, SlackConfig(BOT_TOKEN, "", api.base_url, app_token="xapp-1-test", socket_mode=True))
    core.plug(adapter.platform())
    await adapter.connect_socket_mode()
    try:
        await until(lambda: api.socket_connected)
        command = slash_command("<@UBOB> thanks for the save #ownership", response_url=api.response_url("UALICE"))
        # Socket Mode carries the slash command's form fields as a JSON object
        payload = dict(parse_qsl(urlencode(command)))
        await api.socket_send({"envelope_id": "57d6a792-4d35-4d0b-b6aa-3361493e1caf", "type": "slash_commands",
                               "payload": payload, "accepts_response_payload": True})
        await until(lambda: any(a.get("envelope_id") == "57d6a792-4d35-4d0b-b6aa-3361493e1caf"
                                for a in api.socket_acks))
        await until(lambda: adapter.busy == 0 and bool(api.responses))
        await core.outbox.drain()
    finally:
        await adapter.stop()
        await adapter.client.close()

    assert len(api.posts_in("CKUDOS")) == 1 and len(api.posts_in("DUBOB")) == 1
    assert "Sent!" in api.ephemerals("UALICE")[0]["text"]
    [opened] = [c for c in api.calls if c.method == "apps.connections.open"]
    assert opened.headers["Authorization"] == "Bearer xapp-1-test"  # the app-level token, not the bot token


async def test_a_payload_over_socket_mode_is_checked_like_one_over_http(
    core: Huzzah, fake_slack_api: FakeSlackAPI
) -> None:
    api = fake_slack_api
    adapter = SlackAdapter(core, SlackConfig(BOT_TOKEN, "", api.base_url, app_token="xapp-1-test", socket_mode=True))
    core.plug(adapter.platform())
    await adapter.connect_socket_mode()
    try:
        await until(lambda: api.socket_connected)
        command = dict(parse_qsl(urlencode(slash_command("<@UBOB> thanks", response_url=api.response_url("UALICE")))))
        del command["user_id"]
        await api.socket_send({"envelope_id": "e-no-user", "type": "slash_commands", "payload": command,
                               "accepts_response_payload": True})
        await api.socket_send({"envelope_id": "e-garbled", "type": "events_api", "accepts_response_payload": False,
                               "payload": {"type": "event_callback", "event": {"type": "app_mention", "user": 5}}})
        await until(lambda: {a.get("envelope_id") for a in api.socket_acks} >= {"e-no-user", "e-garbled"})
    finally:
        await adapter.stop()
        await adapter.client.close()

    acks = {a["envelope_id"]: a for a in api.socket_acks}
    assert "user_id is missing" in acks["e-no-user"]["payload"]["text"]
    assert "payload" not in acks["e-garbled"]  # acknowledged, so Slack does not redeliver it, and nothing done
    assert [c.method for c in api.calls] == ["apps.connections.open"]
