"""The poll part of `huzzah demo`: a quick anonymous decision closed by its asker, and a named one that
closes itself at its deadline on the scheduler's tick — votes, a change of mind, and a refused close."""

from __future__ import annotations

from collections.abc import Callable

from adapters.console.session import ConsoleSession, Shown
from bot.app import Huzzah
from bot.clock import FakeClock

Echo = Callable[[Shown], None]
MACROS = 'poll "Which macro should we fix first?" "Refund" "Shipping delay" "Password reset" --anonymous --hide-results'
LUNCH = 'poll "Where should Friday\'s team lunch be?" "Tacos" "Ramen" "Salad" --multi --closes 3h'


async def poll_scene(core: Huzzah, session: ConsoleSession, clock: FakeClock, echo: Echo) -> None:
    echo(Shown("demo", "—— Deciding together: polls ——"))
    await _say(session, echo, "dave", MACROS)
    for name, choice in (("alice", "Refund"), ("bob", "Shipping"), ("erin", "Refund"), ("frank", "Password"),
                         ("bob", "Refund")):
        await _press(session, clock, echo, name, choice)
    await _press(session, clock, echo, "alice", "Close poll")  # only dave may close it
    await _press(session, clock, echo, "dave", "Close poll")

    await _say(session, echo, "carol", LUNCH)
    for name, choice in (("grace", "Tacos"), ("heidi", "Ramen"), ("grace", "Ramen"), ("alice", "Salad")):
        await _press(session, clock, echo, name, choice)
    clock.advance(hours=3)
    echo(Shown("demo", f"—— {clock.now().astimezone(core.settings.zone):%H:%M}: the lunch poll's deadline passes ——"))
    await core.tick()
    clock.advance(seconds=2)
    await core.outbox.drain()


async def _say(session: ConsoleSession, echo: Echo, who: str, line: str) -> None:
    echo(Shown(f"{who} types", line))
    await session.say(who, line)


async def _press(session: ConsoleSession, clock: FakeClock, echo: Echo, who: str, label: str) -> None:
    echo(Shown(f"{who} presses", label))
    clock.advance(seconds=2)  # edits of one message go out at most once a second
    await session.press(who, label)
