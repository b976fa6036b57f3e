"""How Teams is switched on (`bot.platform.Connector`): configured from the environment without botbuilder, which
only `build` loads, so a process that does not talk to Teams never pays for importing it."""

from __future__ import annotations

from collections.abc import Mapping

from adapters.msteams.config import PLATFORM, MsTeamsConfig
from bot.config import ConfigError
from bot.platform import Connector, Core, Platform, Receiving


def configure(env: Mapping[str, str], receiving: Receiving) -> MsTeamsConfig | None:
    """Teams with authentication, when MICROSOFT_APP_ID is set; None (off: no route, nothing sent) without."""
    config = MsTeamsConfig.from_env(env)
    config.check()  # a password or an app type without the app id is a mistake to name, not "off"
    return config if config.authenticated else None


def configure_emulator(env: Mapping[str, str], receiving: Receiving) -> MsTeamsConfig:
    """Teams without authentication, for the Bot Framework Emulator (`serve --teams-emulator`)."""
    config = MsTeamsConfig.from_env(env)
    if config.authenticated:
        raise ConfigError("--teams-emulator is for trying Teams without MICROSOFT_APP_ID, and it is set — "
                          "drop the flag (or unset MICROSOFT_APP_ID)")
    config.check()
    return config


def build(core: Core, config: MsTeamsConfig) -> Platform:
    from adapters.msteams.hosting import build_msteams

    return build_msteams(core, config).platform()


CONNECTOR = Connector(PLATFORM, configure, build)
EMULATOR = Connector(PLATFORM, configure_emulator, build)
"""Teams switched on unauthenticated: only the composition root picks it, for `serve --teams-emulator`."""
