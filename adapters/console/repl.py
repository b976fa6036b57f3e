"""`huzzah chat`: type exactly what you would type in Slack, as anyone in a pretend team."""

from __future__ import annotations

import asyncio
import sys

from adapters.console.render import visible
from adapters.console.session import ConsoleSession, Shown
from bot.forms import Checkboxes, Select, TextInput

INTRO = """Huzzah console — you are {who} in {channel}. Type as you would in Slack, e.g.
  @bob thanks for covering my shift #teamwork
Console commands: /as <name>  /in <#channel or @ for a DM with the bot>  /press <button>  /people  /quit
"""


def _print(item: Shown) -> None:
    print(item, flush=True)


async def _ask(prompt: str) -> str | None:
    try:
        return await asyncio.to_thread(input, prompt)
    except EOFError:
        return None


async def _fill_form(session: ConsoleSession, who: str) -> None:
    """Ask for each field of the form the bot just opened, then submit it."""
    form = session.open_forms[session.person(who).user_id]
    values: dict[str, str | tuple[str, ...]] = {}
    for field in form.fields:
        if isinstance(field, TextInput | Select | Checkboxes):
            answer = await _ask(f"  {field.label}: ")
            if answer is None:
                return
            options = getattr(field, "options", ())
            if options:
                picked = tuple(v for label, v in options if answer and answer.casefold() in (label.casefold(), v))
                values[field.name] = picked
            else:
                values[field.name] = answer
    await session.submit(who, values)


async def chat(session: ConsoleSession, who: str) -> int:
    session.messenger.echo = _print
    print(INTRO.format(who=who, channel=session.channel))
    while True:
        line = await _ask(f"{who}> ")
        if line is None or line.strip() in ("/quit", "/exit"):
            return 0
        command, _, arg = line.strip().partition(" ")
        try:
            if command == "/as" and arg:
                who = session.person(arg).name
            elif command == "/in" and arg:
                session.channel = arg
            elif command == "/people":
                print(visible(", ".join(p.name for p in session.directory.people.values() if not p.is_bot)))
            elif command == "/press" and arg:
                await session.press(who, arg)
            elif line.strip():
                await session.say(who, line)
            if session.open_forms.get(session.person(who).user_id):
                await _fill_form(session, who)
        except (KeyError, LookupError) as exc:
            print(visible(str(exc.args[0])), file=sys.stderr)
