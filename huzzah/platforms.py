"""The platforms a process talks to, read from the environment and plugged into the core.

`huzzah serve` and `huzzah scheduler` connect the same way, so a check-in round opened by either finds
the same team members and its invitations leave through the same messengers.
"""

from __future__ import annotations

from dataclasses import dataclass

from adapters.msteams.auth import MsTeamsConfig
from adapters.msteams.hosting import MsTeams, build_msteams
from adapters.slack.app import SlackAdapter
from adapters.slack.config import SlackConfig, slack_config
from adapters.slack.roster import SlackRoster
from bot.app import Huzzah


@dataclass(frozen=True)
class PlatformSettings:
    slack: SlackConfig | None
    """None when SLACK_BOT_TOKEN is not set: Slack is off."""
    teams: MsTeamsConfig

    @classmethod
    def from_env(cls, *, socket_mode: bool = False, receiving: bool = True) -> PlatformSettings:
        """Raises ConfigError, naming the variable to set, before anything has started."""
        teams = MsTeamsConfig.from_env()
        teams.check()
        return cls(slack_config(socket_mode=socket_mode, receiving=receiving), teams)


@dataclass(frozen=True)
class Platforms:
    slack: SlackAdapter | None
    teams: MsTeams


def connect(core: Huzzah, settings: PlatformSettings) -> Platforms:
    """Attach every configured platform's messenger (for the outbox) and roster (for check-in rounds)."""
    slack = SlackAdapter(core, settings.slack) if settings.slack else None
    if slack is not None:
        core.rosters[SlackRoster.platform] = SlackRoster(slack.client, slack.directory)
    return Platforms(slack, build_msteams(core, settings.teams))
