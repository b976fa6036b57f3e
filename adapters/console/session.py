"""A terminal workspace: people by name, channels by #name, and everything the bot says, shown readably.

`ConsoleSession` is also the simplest end-to-end harness: tests and `huzzah demo` type lines as
different people and read back what the bot posted, where, and to whom.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from adapters.console.directory import PLATFORM, WORKSPACE, ConsoleDirectory
from adapters.console.render import render, render_form, visible
from adapters.console.roster import ConsoleRoster
from bot.forms import Form
from bot.incoming import MessageRef, Pressed, Said, Submitted
from bot.messages import Buttons, Message
from bot.outgoing import Response
from bot.people import Channel, Person
from bot.platform import Core, Platform


@dataclass(frozen=True)
class Shown:
    """One thing the bot showed: where ('#kudos', 'DM @bob', 'only @alice'), and the rendered text."""

    where: str
    text: str
    message: Message | None = None
    ref: MessageRef | None = None

    def __str__(self) -> str:
        where = visible(self.where)
        indent = " " * (len(where) + 3)
        body = visible(self.text).replace("\n", "\n" + indent)
        return f"{where} │ {body}"


@dataclass
class ConsoleMessenger:
    """Delivers by recording (and optionally printing) what each person would see."""

    platform: str = PLATFORM
    echo: Callable[[Shown], None] | None = None
    shown: list[Shown] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def record(self, item: Shown) -> None:
        self.shown.append(item)
        if self.echo:
            self.echo(item)

    def _show(self, where: str, msg: Message, channel: str) -> MessageRef:
        ref = MessageRef(PLATFORM, WORKSPACE, channel, str(next(self._ids)))
        self.record(Shown(where, render(msg), msg, ref))
        return ref

    async def post(self, channel: Channel, message: Message, thread: MessageRef | None, *,
                   key: str = "") -> MessageRef:
        where = channel.label + (" (thread)" if thread else "")
        return self._show(where, message, channel.id)

    async def direct(self, person: Person, message: Message, *, key: str = "") -> MessageRef:
        return self._show(f"DM {person.label}", message, f"dm:{person.user_id}")

    async def find(self, where: Channel | Person, key: str, since: datetime,
                   thread: MessageRef | None = None) -> MessageRef | None:
        """The terminal keeps nothing to look in."""
        return None

    async def update(self, ref: MessageRef, message: Message) -> None:
        self.record(Shown(f"(edited) #{ref.channel.lstrip('#')}", render(message), message, ref))

    async def delete(self, ref: MessageRef) -> None:
        self.record(Shown(f"(deleted) #{ref.channel.lstrip('#')}", "(removed)", None, ref))


class ConsoleSession:
    """Type as anyone, anywhere; see what the bot does."""

    def __init__(self, core: Core, directory: ConsoleDirectory, *, echo: Callable[[Shown], None] | None = None,
                 channel: str = "#general") -> None:
        self.core = core
        self.directory = directory
        self.messenger = ConsoleMessenger(echo=echo)
        core.plug(Platform(PLATFORM, self.messenger, ConsoleRoster(directory)))
        self.channel = channel
        self.open_forms: dict[str, Form] = {}

    def person(self, name: str) -> Person:
        person = self.directory.get(name)
        if person is None:
            raise KeyError(f"no one called {name} here; known: {', '.join(sorted(self.directory.people))}")
        return person

    def where(self, channel: str | None) -> Channel:
        chosen = channel or self.channel
        if chosen.startswith("@"):
            return Channel(PLATFORM, WORKSPACE, f"dm:{chosen[1:]}", is_direct=True)
        return Channel(PLATFORM, WORKSPACE, chosen, name=chosen)

    async def say(self, name: str, line: str, channel: str | None = None) -> list[Shown]:
        """`name` types `line` in a channel (or DM with the bot, channel='@'); returns all the bot showed."""
        sender = self.person(name)
        said = Said(sender, self.where(channel), self.directory.parts(line))
        return await self._answer(sender, await self.core.handle(said))

    async def press(self, name: str, label: str, where: str | None = None) -> list[Shown]:
        """Press the newest button with this label that `name` can see (only among what was shown `where`)."""
        sender = self.person(name)
        for item in reversed(self.messenger.shown):
            if where is not None and item.where != where:
                continue
            for block in item.message.blocks if item.message else ():
                if isinstance(block, Buttons):
                    for button in block.buttons:
                        if label.casefold() in button.label.casefold():
                            pressed = Pressed(sender, self.where(None), button.action, button.value, item.ref)
                            return await self._answer(sender, await self.core.handle(pressed))
        raise LookupError(f"no button labelled {label!r} on screen")

    async def submit(self, name: str, values: Mapping[str, str | tuple[str, ...]]) -> list[Shown]:
        """Fill in the form the bot last opened for `name`."""
        sender = self.person(name)
        form = self.open_forms.pop(sender.user_id)
        submitted = Submitted(sender, self.where(None), form.id, dict(values), form.context)
        return await self._answer(sender, await self.core.handle(submitted))

    async def _answer(self, sender: Person, response: Response) -> list[Shown]:
        start = len(self.messenger.shown)
        for reply in response.replies:
            self.messenger.record(Shown(f"only {sender.label}", render(reply), reply))
        if response.form is not None:
            self.open_forms[sender.user_id] = response.form
            self.messenger.record(Shown(f"form for {sender.label}", render_form(response.form)))
        await self.core.drain()
        return self.messenger.shown[start:]
