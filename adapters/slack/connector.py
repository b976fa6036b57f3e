"""How Slack is switched on (`bot.platform.Connector`): configured from the environment without slack-bolt, which
only `build` loads, so a process that does not talk to Slack never pays for importing it."""

from __future__ import annotations

from collections.abc import Mapping

from adapters.slack.config import SlackConfig, slack_config
from adapters.slack.render import PLATFORM
from bot.platform import Connector, Core, Platform, Receiving


def configure(env: Mapping[str, str], receiving: Receiving) -> SlackConfig | None:
    return slack_config(env, socket_mode=receiving == "socket", receiving=receiving != "none")


def build(core: Core, config: SlackConfig) -> Platform:
    from adapters.slack.app import SlackAdapter

    return SlackAdapter(core, config).platform()


CONNECTOR = Connector(PLATFORM, configure, build)
