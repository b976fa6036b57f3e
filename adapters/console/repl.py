"""`huzzah chat`: type exactly what you would type in Slack, as anyone in a pretend team.

Lines are edited and recalled with the standard library's readline (arrow keys, Ctrl-A/E, Ctrl-R, Up for the
line before); what is typed into a form is never put in that history. Ctrl-C or Ctrl-D at the prompt leaves
at once; inside a form they close it and nothing is sent, as closing a Slack modal does.

A form asks one question at a time, and understands yes and no. A form the bot offers beside an answer (the
vent form after a mood press) opens only if you say yes — the next thing you type is never silently taken
for its answer — and nothing is sent before you say yes to its button.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from typing import Any, Protocol

from adapters.console.render import visible
from adapters.console.session import ConsoleSession, Shown
from bot.forms import Checkboxes, Form, FormField, Note, Select, TextInput
from bot.messages import parts_plain

INTRO = """Huzzah console — you are {who} in {channel}. Type as you would in Slack, e.g.
  @bob thanks for covering my shift #teamwork
Console commands: /as <name>  /in <#channel or @ for a DM with the bot>  /press <button>  /people
  /lang [zh-CN | zh-TW | vi | es | en | auto]  /quit
Arrow keys edit and recall lines. Ctrl-D or Ctrl-C leaves; inside a form they close it, sending nothing.
"""
YES = frozenset({"y", "yes", "yeah", "yep", "ok", "okay", "sure", "true", "1"})
NO = frozenset({"n", "no", "nope", "nah", "false", "0"})
CLOSED = "  (form closed — nothing was sent)"
Values = dict[str, str | tuple[str, ...]]


class Ask(Protocol):
    def __call__(self, prompt: str, *, private: bool = False, initial: str = "") -> str | None:
        """One line typed after `prompt`; None for Ctrl-D or Ctrl-C. `private`: kept out of the history."""


class Terminal:
    """Reads lines with readline's editing when the standard library has it (not on every platform)."""

    def __init__(self) -> None:
        self.readline: Any = None
        with contextlib.suppress(ImportError):
            import readline

            readline.set_auto_history(False)  # only commands are remembered, never a form's answers
            self.readline = readline

    def __call__(self, prompt: str, *, private: bool = False, initial: str = "") -> str | None:
        if self.readline is not None and initial:
            self.readline.set_startup_hook(lambda: self.readline.insert_text(initial))
        try:
            with _interruptible():
                line = input(prompt)
        except (EOFError, KeyboardInterrupt):
            print(flush=True)  # the shell prompt (or the next one) starts on its own line
            return None
        finally:
            if self.readline is not None and initial:
                self.readline.set_startup_hook(None)
        if self.readline is not None and not private and line.strip():
            self.readline.add_history(line)
        return line


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C interrupts the read itself: asyncio's own handler would only cancel the task once Enter came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


def _print(item: Shown) -> None:
    print(item, flush=True)


def yes_or_no(ask: Ask, question: str, *, default: bool) -> bool | None:
    """Ask until the answer is yes or no (Enter: `default`); None when the person closed it (Ctrl-C/D)."""
    hint = "[Y/n]" if default else "[y/N]"
    while True:
        answer = ask(f"  {question} {hint} ", private=True)
        if answer is None:
            return None
        word = answer.strip().casefold().rstrip(".!")
        if not word:
            return default
        if word in YES:
            return True
        if word in NO:
            return False
        print("  Please answer yes or no.", flush=True)


def _text(ask: Ask, field: TextInput) -> str | None:
    """A line, or for a long text several lines ending with an empty one."""
    optional = " (optional — Enter to skip)" if field.optional else ""
    if not field.multiline:
        return ask(f"  {field.label}{optional} ", private=True, initial=field.initial)
    print(f"  {field.label}{optional} — end with an empty line:", flush=True)
    lines: list[str] = []
    while True:
        line = ask("  > ", private=True, initial="" if lines else field.initial)
        if line is None:
            return None
        if not line.strip():
            return "\n".join(lines)
        lines.append(line)


def _choose(ask: Ask, field: Select) -> tuple[str, ...] | None:
    """Options by number or name (several, comma-separated, where the form allows several)."""
    print(f"  {field.label}", flush=True)
    for n, (label, _) in enumerate(field.options, 1):
        print(f"    {n}) {label}", flush=True)
    several = " — one or more, comma-separated" if field.multi else ""
    skip = " (Enter to skip)" if field.optional else ""
    while True:
        answer = ask(f"  Number or name{several}{skip}: ", private=True)
        if answer is None:
            return None
        wanted = [w.strip() for w in (answer.split(",") if field.multi else [answer]) if w.strip()]
        if not wanted and field.optional:
            return ()
        picked = [_option(field.options, w) for w in wanted]
        if wanted and all(p is not None for p in picked):
            return tuple(p for p in picked if p is not None)
        print(f"  Please pick {'one or more' if field.multi else 'one'} of the numbers above.", flush=True)


def _option(options: tuple[tuple[str, str], ...], typed: str) -> str | None:
    """By number, by name (with or without its emoji), or by the start of a name when only one starts so."""
    word = typed.casefold().lstrip("#")
    if word.isdigit() and 1 <= int(word) <= len(options):
        return options[int(word) - 1][1]
    names = {v: {label.casefold(), _words(label), v.casefold()} for label, v in options}
    exact = [v for v, known in names.items() if word in known]
    starts = [v for v, known in names.items() if any(n.startswith(word) for n in known)]
    found = exact or starts
    return found[0] if len(found) == 1 else None


def _words(label: str) -> str:
    """A label without the emoji or marks before its first letter: "🦉 ownership" → "ownership"."""
    return label[next((i for i, c in enumerate(label) if c.isalnum()), len(label)):].casefold()


def _ticks(ask: Ask, field: Checkboxes) -> tuple[str, ...] | None:
    """One yes/no per box: "If you only need to say it: Just let it out — don't keep it?" """
    ticked: list[str] = []
    for label, value in field.options:
        chosen = yes_or_no(ask, f"{field.label}: {label}?", default=value in field.initial)
        if chosen is None:
            return None
        if chosen:
            ticked.append(value)
    return tuple(ticked)


def ask_field(ask: Ask, field: FormField) -> str | tuple[str, ...] | None:
    """One field's answer; None when the person closed the form."""
    match field:
        case TextInput():
            return _text(ask, field)
        case Select():
            return _choose(ask, field)
        case Checkboxes():
            return _ticks(ask, field)
        case Note(parts=parts):
            print(f"  {parts_plain(parts)}", flush=True)
    return ""


def fill(ask: Ask, form: Form, *, offered: bool) -> Values | None:
    """Ask for a form's fields one at a time; the values to submit, or None when it was closed unsent.

    `offered`: the bot offered the form beside an answer (a mood press's "thanks" and the vent form), so it opens
    only on a yes — a line meant as the next command is never taken for its first answer.
    """
    if offered and not yes_or_no(ask, f"Open “{form.title}” now?", default=False):
        return None
    values: Values = {}
    for field in form.fields:
        answer = ask_field(ask, field)
        if answer is None:
            return None
        if not isinstance(field, Note):
            values[field.name] = answer
    return values if yes_or_no(ask, f"{form.submit}?", default=True) else None


async def _forms(session: ConsoleSession, who: str, ask: Ask, shown: list[Shown]) -> None:
    """Fill in whatever form the bot opened for `who` (again, if it sends the form back with a problem)."""
    user = session.person(who).user_id
    while (form := session.open_forms.get(user)) is not None:
        offered = any(s.where.startswith("only ") for s in shown)
        values = fill(ask, form, offered=offered)
        if values is None:
            session.open_forms.pop(user, None)
            print(CLOSED, flush=True)
            return
        shown = await session.submit(who, values)


async def chat(session: ConsoleSession, who: str, ask: Ask | None = None,
               out: Callable[[Shown], None] = _print) -> int:
    """The console until /quit, Ctrl-D or Ctrl-C; `ask` reads a line (a real terminal unless tests give one)."""
    ask = ask or Terminal()
    session.messenger.echo = out
    print(INTRO.format(who=who, channel=session.channel), flush=True)
    while True:
        line = ask(f"{who}> ")
        if line is None or line.strip() in ("/quit", "/exit"):
            return 0
        command, _, arg = line.strip().partition(" ")
        try:
            shown: list[Shown] = []
            if command == "/as" and arg:
                who = session.person(arg).name
            elif command == "/in" and arg:
                session.channel = arg
            elif command == "/people":
                print(visible(", ".join(p.name for p in session.directory.people.values() if not p.is_bot)), flush=True)
            elif command == "/press" and arg:
                shown = await session.press(who, arg)
            elif command == "/lang":  # the language the bot speaks to whoever you are now
                shown = await session.say(who, f"language {arg}".strip())
            elif line.strip():
                shown = await session.say(who, line)
            await _forms(session, who, ask, shown)
        except (KeyError, LookupError) as exc:
            print(visible(str(exc.args[0])), file=sys.stderr, flush=True)
