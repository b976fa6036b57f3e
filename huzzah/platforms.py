"""The platforms Huzzah can talk to, switched on from the environment and plugged into the core.

Adding a platform: its folder under `adapters/` with a `connector` module exporting a `Connector` (see
`bot.platform`), and one line in CONNECTORS. A connector imports its platform's SDK only when it builds, so a
process loads only the SDKs of the platforms it is configured for. `huzzah serve` and `huzzah scheduler`
connect the same way, so a check-in round opened by either finds the same team members and its invitations
leave through the same messengers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from adapters.console.directory import PLATFORM as CONSOLE
from adapters.msteams import connector as msteams
from adapters.slack import connector as slack
from bot.platform import Connector, Platform, Receiving

if TYPE_CHECKING:
    from bot.app import Huzzah

CONNECTORS: tuple[Connector, ...] = (
    slack.CONNECTOR,
    msteams.CONNECTOR,
)
PLATFORM_NAMES: tuple[str, ...] = (*(c.name for c in CONNECTORS), CONSOLE)
"""What app.yaml may write before a channel or a person (`slack:#kudos`); the console is the terminal's."""

Configured = list[tuple[Connector, Any]]


def connectors(*, teams_emulator: bool = False) -> tuple[Connector, ...]:
    """CONNECTORS, or with Teams' replaced by its unauthenticated one for the Bot Framework Emulator
    (`huzzah serve --teams-emulator`; the server then listens on 127.0.0.1 only)."""
    if not teams_emulator:
        return CONNECTORS
    return tuple(msteams.EMULATOR if c is msteams.CONNECTOR else c for c in CONNECTORS)


def configured(env: Mapping[str, str], receiving: Receiving,
               connectors: Iterable[Connector] = CONNECTORS) -> Configured:
    """Every platform the environment switches on, with its configuration. Raises ConfigError, naming the
    variable to set, before anything has started."""
    return [(c, config) for c in connectors if (config := c.configure(env, receiving)) is not None]


def connect(core: Huzzah, platforms: Configured) -> list[Platform]:
    """Build each configured platform and plug it in: its messenger for the outbox, its roster for check-in
    rounds, its scheduled work for the tick."""
    built = [connector.build(core, config) for connector, config in platforms]
    for platform in built:
        core.plug(platform)
    return built
