"""Who is in a console channel: everyone in the pretend workspace (the bot flagged as one), unless the
session was told who sits in which channel (tests and the demo use that for several teams)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from bot.people import Channel, Person

if TYPE_CHECKING:
    from adapters.console.directory import ConsoleDirectory


class ConsoleRoster:
    platform = "console"

    def __init__(self, directory: ConsoleDirectory, channels: Mapping[str, Iterable[str]] | None = None) -> None:
        self.directory = directory
        self.channels = {name: tuple(names) for name, names in (channels or {}).items()}

    async def members(self, channel: Channel) -> list[Person]:
        """A channel's people, or the one person an email (`carol@example.com`, from a membership CSV) names."""
        everyone = list(self.directory.people.values())
        if "@" in channel.id[1:] and channel.id not in self.channels:
            local = channel.id.split("@", 1)[0].casefold()
            return [p for p in everyone if p.user_id == local]
        if channel.id not in self.channels:
            return everyone
        wanted = {n.casefold() for n in self.channels[channel.id]}
        return [p for p in everyone if p.user_id in wanted]
