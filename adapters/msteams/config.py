"""Teams' settings, read from the environment without botbuilder: a process that does not talk to Teams (the demo,
the chat, `huzzah serve` for Slack alone) only ever loads this file of the Teams adapter (`connector`).

`MICROSOFT_APP_ID`, `MICROSOFT_APP_PASSWORD`, `MICROSOFT_APP_TYPE` and `MICROSOFT_APP_TENANT_ID`; without an app id
Teams is off, unless the server was started for the Bot Framework Emulator (`--teams-emulator`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from types import SimpleNamespace

from bot.config import ConfigError

PLATFORM = "msteams"
APP_TYPES = ("multitenant", "singletenant", "userassignedmsi")
NO_AUTH_WARNING = (
    "Teams emulator mode: Microsoft Teams requests are NOT authenticated. Anyone who can reach /api/messages "
    "can act as any user and make Huzzah call any address. Use this only with the Bot Framework Emulator on "
    "your own machine; set MICROSOFT_APP_ID for real Teams."
)


@dataclass(frozen=True)
class Endpoints:
    """Where tokens are issued and checked. Microsoft's public cloud unless given (a sovereign cloud, tests)."""

    openid_metadata_url: str
    token_issuer: str
    login_url: str
    oauth_scope: str
    emulator_openid_metadata_url: str = ""


@dataclass(frozen=True)
class MsTeamsConfig:
    app_id: str = ""
    app_password: str = ""
    app_type: str = "MultiTenant"
    tenant_id: str = ""
    endpoints: Endpoints | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> MsTeamsConfig:
        env = os.environ if env is None else env
        return cls(
            app_id=env.get("MICROSOFT_APP_ID", "").strip(),
            app_password=env.get("MICROSOFT_APP_PASSWORD", ""),
            app_type=env.get("MICROSOFT_APP_TYPE", "").strip() or "MultiTenant",
            tenant_id=env.get("MICROSOFT_APP_TENANT_ID", "").strip(),
        )

    @property
    def authenticated(self) -> bool:
        return bool(self.app_id)

    def check(self) -> None:
        """Stop at start, in one line, on settings botbuilder would reject later or silently reinterpret."""
        kind = self.app_type.casefold()
        if kind not in APP_TYPES:
            raise ConfigError(f"MICROSOFT_APP_TYPE={self.app_type!r}: use MultiTenant, SingleTenant or UserAssignedMSI")
        if not self.app_id:
            if self.app_password or kind != "multitenant":
                raise ConfigError("MICROSOFT_APP_ID is missing: set it to your Azure bot's Microsoft App ID")
            return
        if kind != "userassignedmsi" and not self.app_password:
            raise ConfigError("MICROSOFT_APP_PASSWORD is missing: create a client secret for the bot in Azure")
        if kind != "multitenant" and not self.tenant_id:
            raise ConfigError(f"MICROSOFT_APP_TENANT_ID is missing: a {self.app_type} bot needs its tenant id")

    def botbuilder_settings(self) -> SimpleNamespace:
        """The attribute names botbuilder's configuration classes read."""
        settings = SimpleNamespace(
            APP_ID=self.app_id, APP_PASSWORD=self.app_password, APP_TYPE=self.app_type,
            APP_TENANTID=self.tenant_id,
        )
        if self.endpoints:
            e = self.endpoints
            settings.TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL = e.openid_metadata_url
            settings.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER = e.token_issuer
            settings.TO_CHANNEL_FROM_BOT_LOGIN_URL = e.login_url
            settings.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE = e.oauth_scope
            settings.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL = e.emulator_openid_metadata_url or e.openid_metadata_url
            settings.OAUTH_URL = e.oauth_scope
        return settings
