"""The stage `huzzah demo` plays on: one fake clock for the core and the transcript, people acting, the scheduler.

Day headings and time stamps are read from the same clock the core runs on, in the team's time zone, so a
kudos printed under "Friday 20 Nov" is one the digest counts on Friday. The scheduler is the real one's work
(`core.tick()`), run on every hour the story passes through once it is started.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from bot.messages import Buttons
from huzzah.demo_narrator import Mode, Narrator

FormValues = dict[str, str | tuple[str, ...]]
ACT_SECONDS = 5
"""Between one act and the next: a poll's post is edited at most once a second, and the story stays in order."""


class Stage:
    """The core, the console session and the clock, moved together; everything printed goes through `narrator`."""

    def __init__(self, core: Huzzah, session: ConsoleSession, clock: FakeClock, narrator: Narrator,
                 monday: date) -> None:
        self.core = core
        self.session = session
        self.clock = clock
        self.narrator = narrator
        self.monday = monday
        self.scheduler = False
        """Whether moving the clock runs the scheduler on the way (see `start_scheduler`)."""
        self._day: date | None = None

    @property
    def settings(self) -> Settings:
        return self.core.settings

    def local(self) -> datetime:
        return self.clock.now().astimezone(self.settings.zone)

    def moment(self, day: int, hhmm: str) -> datetime:
        """`day` 0 is the demo week's Monday (7 the next one), at `hhmm` in the team's time zone."""
        hours, minutes = (int(part) for part in hhmm.split(":"))
        return datetime.combine(self.monday + timedelta(days=day), time(hours, minutes), self.settings.zone)

    def start_scheduler(self) -> None:
        """From now on the scheduler runs every hour. Not from Monday morning: a first tick then would still
        ask last week's check-in (its round is open until Monday afternoon) — true on the day you install
        Huzzah, but not this story."""
        self.scheduler = True

    async def at(self, day: int, hhmm: str) -> int:
        return await self.until(self.moment(day, hhmm))

    async def until(self, moment: datetime, *, tick: bool = True) -> int:
        """Move the clock to `moment`. While the scheduler runs it ticks on every hour on the way, and at
        `moment` itself unless `tick` is false. How many things its work showed."""
        moment = moment.astimezone(UTC)
        if moment < self.clock.now():
            raise ValueError(f"the demo's script goes back in time, to {moment:%Y-%m-%d %H:%M} UTC")
        shown = 0
        if self.scheduler:
            hour = self.clock.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
            while hour < moment:
                shown += await self._tick(hour)
                hour += timedelta(hours=1)
            if tick or hour == moment:
                shown += await self._tick(moment)
        self.clock.set(moment)
        return shown

    async def later(self) -> None:
        await self.until(self.clock.now() + timedelta(seconds=ACT_SECONDS), tick=False)

    async def _tick(self, moment: datetime) -> int:
        self.clock.set(moment)
        await self.core.tick()
        await self.core.drain()
        return self.narrator.step("full", before=self._stamp)

    def _stamp(self) -> None:
        self.heading()
        self.narrator.note(f"({self.local():%H:%M})")

    def heading(self) -> None:
        """A day's heading, once, before the first thing that happens on it."""
        local = self.local()
        if local.date() != self._day:
            self._day = local.date()
            self.narrator.note(f"—— {local:%A} {local.day} {local:%b} ——")

    def note(self, text: str) -> None:
        self.heading()
        self.narrator.note(text)

    def act(self, who: str, verb: str, what: str) -> None:
        self.heading()
        self.narrator.act(who, verb, what)

    def show(self, mode: Mode = "full") -> int:
        return self.narrator.step(mode, before=self.heading)

    # ---- what people do: `say` and `press` print the act and what the bot showed; `do_*` print nothing.

    async def say(self, who: str, line: str, mode: Mode = "full") -> None:
        await self.later()
        self.act(who, "types", line)
        await self.session.say(who, line)
        self.show(mode)

    async def press(self, who: str, label: str, where: str | None = None, mode: Mode = "full") -> bool:
        pressed = await self.do_press(who, label, where)
        if pressed is not None:
            self.act(who, "presses", f"[{pressed}]" + (f" in {where}" if where else ""))
            self.show(mode)
        return pressed is not None

    async def do_press(self, who: str, label: str, where: str | None = None) -> str | None:
        """Press like `ConsoleSession.press`; the button's whole label, or None (and a note) if none is shown."""
        await self.later()
        found = self._button(label, where)
        if found is None:
            self.note(f"({who} finds no “{label.strip()}” button{f' in {where}' if where else ''}.)")
            return None
        await self.session.press(who, label, where=where)
        return found

    async def do_submit(self, who: str, values: FormValues) -> bool:
        await self.later()
        try:
            await self.session.submit(who, values)
        except KeyError:  # the bot opened no form for them
            self.note(f"({who} has no form to fill in.)")
            return False
        return True

    def sees(self, label: str, where: str | None = None) -> bool:
        """Whether a button with this label is on screen (in `where`)."""
        return self._button(label, where) is not None

    def _button(self, label: str, where: str | None) -> str | None:
        for item in reversed(self.session.messenger.shown):
            if where is not None and item.where != where:
                continue
            for block in item.message.blocks if item.message else ():
                if isinstance(block, Buttons):
                    for button in block.buttons:
                        if label.casefold() in button.label.casefold():
                            return button.label
        return None
