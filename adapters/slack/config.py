"""Slack's secrets come from the environment only; a half-configured install fails fast, naming what to set."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from bot.config import ConfigError

DEFAULT_API_URL = "https://slack.com/api/"


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str
    signing_secret: str
    api_url: str = DEFAULT_API_URL
    app_token: str = ""
    """Only for Socket Mode (`huzzah serve --socket-mode`)."""
    socket_mode: bool = False


def slack_config(environ: Mapping[str, str] | None = None, *, socket_mode: bool = False,
                 receiving: bool = True) -> SlackConfig | None:
    """Slack is switched on by SLACK_BOT_TOKEN; None when it is not set (and Socket Mode was not asked for).

    A process that only sends (`huzzah scheduler`, `receiving=False`) needs no signing secret.
    """
    env = os.environ if environ is None else environ
    token = env.get("SLACK_BOT_TOKEN", "").strip()
    if not token:
        if socket_mode:
            raise ConfigError("--socket-mode needs SLACK_BOT_TOKEN (the xoxb- Bot User OAuth Token) to be set")
        others = [name for name in ("SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN") if env.get(name, "").strip()]
        if others:
            raise ConfigError(
                f"{others[0]} is set but SLACK_BOT_TOKEN is not — set it to the Bot User OAuth Token (xoxb-…) from "
                "your Slack app's OAuth & Permissions page, or unset the other SLACK_ variables to run without Slack"
            )
        return None
    secret = env.get("SLACK_SIGNING_SECRET", "").strip()
    app_token = env.get("SLACK_APP_TOKEN", "").strip()
    if receiving and not secret and not socket_mode:
        raise ConfigError(
            "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not — set it to the Signing Secret from your "
            "Slack app's Basic Information page"
        )
    if socket_mode and not app_token.startswith("xapp-"):
        raise ConfigError(
            "--socket-mode needs SLACK_APP_TOKEN set to an app-level token (xapp-…) with the connections:write scope"
        )
    api_url = env.get("SLACK_API_URL", "").strip() or DEFAULT_API_URL
    return SlackConfig(token, secret, api_url if api_url.endswith("/") else api_url + "/", app_token, socket_mode)
