"""With an app id, only activities carrying a valid Bot Framework token get in; everything else is a 401
that changes nothing. Tokens are real RS256 JWTs checked by botbuilder against signing keys served on loopback."""

from __future__ import annotations

import logging

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import func, inspect, select

from adapters.msteams.config import NO_AUTH_WARNING, MsTeamsConfig
from adapters.msteams.hosting import build_msteams
from bot.app import Huzzah
from bot.config import ConfigError
from storage.schema import metadata
from tests.msteams_support import (
    APP_ID,
    BOT,
    CHANNEL_ID,
    MsTeamsWorld,
    channel_message,
    user,
    world_fixture,
)

secured_msteams = world_fixture("secured_msteams", app_id=APP_ID)

ALICE, BOB = user("Alice"), user("Bob")
KUDOS = "<at>Huzzah</at> <at>Bob</at> thanks for the save #ownership"


async def nothing_stored(world: MsTeamsWorld) -> bool:
    async with world.core.ctx.db.transaction() as conn:
        present = set(await conn.run_sync(lambda sync: inspect(sync).get_table_names()))
        for table in metadata.sorted_tables:
            if table.name in present and (await conn.execute(select(func.count()).select_from(table))).scalar_one():
                return False
    return not world.connector.sent and not world.connector.created


def kudos_activity(world: MsTeamsWorld) -> dict:  # type: ignore[type-arg]
    return channel_message(world.service_url, ALICE, KUDOS, [BOT, BOB])


async def test_no_token_is_refused(secured_msteams: MsTeamsWorld) -> None:
    assert await secured_msteams.send(kudos_activity(secured_msteams)) == 401
    assert await nothing_stored(secured_msteams)


@pytest.mark.parametrize("forge", ["other key", "other issuer", "other app", "other service url", "expired",
                                   "not a jwt", "alg none"])
async def test_forged_tokens_are_refused(secured_msteams: MsTeamsWorld, forge: str) -> None:
    issuer = secured_msteams.connector.issuer
    assert issuer
    url = secured_msteams.service_url
    token = {
        "other key": lambda: issuer.token(APP_ID, url, key=rsa.generate_private_key(public_exponent=65537,
                                                                                     key_size=2048)),
        "other issuer": lambda: issuer.token(APP_ID, url, issuer="https://evil.example/issuer"),
        "other app": lambda: issuer.token("someone-elses-app", url),
        "other service url": lambda: issuer.token(APP_ID, "https://evil.example/"),
        "expired": lambda: issuer.token(APP_ID, url, lifetime=-3600),
        "not a jwt": lambda: "definitely.not.a-token",
        "alg none": lambda: "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJpc3MiOiJ4In0.",
    }[forge]()

    assert await secured_msteams.send(kudos_activity(secured_msteams), token=token) == 401
    assert await nothing_stored(secured_msteams)


async def test_a_valid_token_gets_in_and_replies_are_authenticated(secured_msteams: MsTeamsWorld) -> None:
    issuer = secured_msteams.connector.issuer
    assert issuer
    token = issuer.token(APP_ID, secured_msteams.service_url)

    assert await secured_msteams.send(kudos_activity(secured_msteams), token=token) in (200, 201)
    [post] = secured_msteams.connector.to(CHANNEL_ID)
    assert "<at>Bob</at>" in post.words
    assert len(secured_msteams.connector.sent) >= 3
    assert all(s.authorization.startswith("Bearer ey") for s in secured_msteams.connector.sent)
    assert secured_msteams.credentials and secured_msteams.credentials.made == 1, "one token, reused for every call"


@pytest.mark.parametrize(("body", "content_type"), [
    pytest.param("{nope", "application/json", id="not-json"),
    pytest.param("hello", "text/plain", id="not-json-at-all"),
    pytest.param("[" * 50_000, "application/json", id="nested-past-the-parser"),
    pytest.param('{"type": "message", "from": "alice"}', "application/json", id="not-an-activity"),
])
async def test_a_bad_body_without_a_token_is_refused_before_it_is_read(
    secured_msteams: MsTeamsWorld, body: str, content_type: str
) -> None:
    async with secured_msteams.http.post(f"{secured_msteams.url}/api/messages", data=body,
                                         headers={"Content-Type": content_type}) as response:
        assert response.status == 401
    assert await nothing_stored(secured_msteams)


async def test_bad_bodies_with_a_valid_token_are_refused_without_a_stack_trace(
    secured_msteams: MsTeamsWorld, caplog  # type: ignore[no-untyped-def]
) -> None:
    issuer = secured_msteams.connector.issuer
    assert issuer
    token = {"Authorization": f"Bearer {issuer.token(APP_ID, secured_msteams.service_url)}"}
    url = f"{secured_msteams.url}/api/messages"
    with caplog.at_level(logging.INFO):
        async with secured_msteams.http.post(url, data="{nope", headers={"Content-Type": "application/json",
                                                                         **token}) as response:
            assert response.status == 400
        async with secured_msteams.http.post(url, data="hello", headers=token) as response:
            assert response.status == 415
        no_conversation = {**kudos_activity(secured_msteams), "conversation": None}
        async with secured_msteams.http.post(url, json=no_conversation, headers=token) as response:
            assert response.status == 400 and "conversation is missing" in await response.text()
    assert await nothing_stored(secured_msteams)
    assert "Traceback" not in caplog.text and not any(r.exc_info for r in caplog.records)


async def test_the_server_warns_loudly_when_authentication_is_off(core: Huzzah, caplog) -> None:  # type: ignore[no-untyped-def]

    with caplog.at_level(logging.WARNING):
        build_msteams(core, MsTeamsConfig()).platform()
    assert NO_AUTH_WARNING in caplog.text

    caplog.clear()
    with caplog.at_level(logging.WARNING):
        build_msteams(core, MsTeamsConfig(app_id=APP_ID, app_password="x")).platform()
    assert "NOT authenticated" not in caplog.text


@pytest.mark.parametrize(("env", "says"), [
    ({"MICROSOFT_APP_ID": APP_ID}, "MICROSOFT_APP_PASSWORD"),
    ({"MICROSOFT_APP_PASSWORD": "pw"}, "MICROSOFT_APP_ID"),
    ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "pw", "MICROSOFT_APP_TYPE": "SingleTenant"},
     "MICROSOFT_APP_TENANT_ID"),
    ({"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "pw", "MICROSOFT_APP_TYPE": "Multi"},
     "MICROSOFT_APP_TYPE"),
])
def test_incomplete_settings_stop_the_server_with_one_line(env: dict[str, str], says: str) -> None:
    with pytest.raises(ConfigError, match=says):
        MsTeamsConfig.from_env(env).check()


def test_settings_come_from_the_environment() -> None:
    config = MsTeamsConfig.from_env({"MICROSOFT_APP_ID": " abc ", "MICROSOFT_APP_PASSWORD": "pw",
                                   "MICROSOFT_APP_TYPE": "SingleTenant", "MICROSOFT_APP_TENANT_ID": "t1"})
    assert (config.app_id, config.app_password, config.app_type, config.tenant_id) == (
        "abc", "pw", "SingleTenant", "t1")
    assert config.authenticated and not MsTeamsConfig.from_env({}).authenticated


async def test_teams_is_served_by_huzzahs_own_web_app(core: Huzzah) -> None:
    import aiohttp

    from huzzah.server import build_web_app, listening

    core.plug(build_msteams(core, MsTeamsConfig(app_id=APP_ID, app_password="x")).platform())
    app = build_web_app(core)
    async with listening(app, "127.0.0.1", 0) as port, aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/healthz") as health:
            assert health.status == 200
        activity = channel_message("https://smba.trafficmanager.net/emea/", ALICE, KUDOS, [BOT, BOB])
        async with http.post(f"http://127.0.0.1:{port}/api/messages", json=activity) as refused:
            assert refused.status == 401
