"""slack-manifest.yaml is what an admin pastes: it must ask for what the adapter handles, at the right URL."""

from __future__ import annotations

from pathlib import Path

import yaml

from adapters.slack.app import COMMAND, EVENTS_PATH
from bot.features.kudos.giving import GIVE_SHORTCUT

MANIFEST = yaml.safe_load((Path(__file__).parent.parent / "slack-manifest.yaml").read_text(encoding="utf-8"))


def test_every_url_is_the_one_events_endpoint() -> None:
    settings, features = MANIFEST["settings"], MANIFEST["features"]
    urls = [settings["event_subscriptions"]["request_url"], settings["interactivity"]["request_url"],
            *(c["url"] for c in features["slash_commands"])]
    assert all(url.endswith(EVENTS_PATH) for url in urls)
    assert settings["interactivity"]["is_enabled"] is True


def test_the_command_shortcut_and_events_match_the_adapter() -> None:
    features = MANIFEST["features"]
    [command] = features["slash_commands"]
    assert command["command"] == COMMAND and command["should_escape"] is True
    assert [s["callback_id"] for s in features["shortcuts"]] == [GIVE_SHORTCUT]
    assert features["app_home"]["home_tab_enabled"] is True
    assert set(MANIFEST["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened", "app_mention", "message.im", "reaction_added", "reaction_removed"}


def test_the_scopes_cover_every_web_api_method_huzzah_calls() -> None:
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    needed = {"chat:write", "commands", "users:read", "im:write", "reactions:read", "app_mentions:read",
              "channels:read", "files:write", "im:history",
              "channels:history", "groups:history",  # conversations.history: looking for a post in doubt
              "usergroups:read", "users:read.email"}  # team members from a user group or a membership CSV
    assert needed <= scopes
