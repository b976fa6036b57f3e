"""The console's forms, driven through the REPL itself with scripted lines: one question at a time, yes and no
understood, "let it out" keeping nothing, and a mood press that never swallows the next command."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from adapters.console.repl import CLOSED, Ask, chat, fill, yes_or_no
from adapters.console.session import ConsoleSession, Shown
from bot.features.polls.builder import SETTINGS
from bot.forms import Checkboxes, Form, Select, TextInput
from storage.db import Database
from storage.tables.checkins import checkin_sealed, checkin_vents
from storage.tables.polls import polls
from tests.checkin_support import count

WORDS = "the escalation queue is drowning us"


class Script:
    """A terminal that types these lines (None: Ctrl-D or Ctrl-C), and remembers each prompt it was shown."""

    def __init__(self, lines: Iterable[str | None]) -> None:
        self.lines = list(lines)
        self.prompts: list[str] = []
        self.private: list[str] = []

    def __call__(self, prompt: str, *, private: bool = False, initial: str = "") -> str | None:
        self.prompts.append(prompt)
        if not self.lines:
            return None
        line = self.lines.pop(0)
        if private and line is not None:
            self.private.append(line)
        return line


async def run(console: ConsoleSession, lines: Iterable[str | None], capsys: pytest.CaptureFixture[str],
              who: str = "alice") -> tuple[Script, list[Shown], str]:
    script, shown = Script(lines), []
    assert await chat(console, who, script, shown.append) == 0
    assert script.lines == [], f"not every line was read: {script.lines}"
    return script, shown, capsys.readouterr().out


def said(shown: list[Shown], where: str) -> str:
    return "\n".join(s.text for s in shown if s.where == where)


async def test_yes_to_just_let_it_out_keeps_nothing(console: ConsoleSession, db: Database,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    script, shown, _ = await run(console, ["vent", WORDS, "", "yes", "yes"], capsys)
    assert "Let out, and let go — nothing was kept" in said(shown, "only @alice")
    assert await count(db, checkin_vents) == 0 and await count(db, checkin_sealed) == 0
    assert "  If you only need to say it: Just let it out — don't keep it? [y/N] " in script.prompts
    assert "  Send anonymously? [Y/n] " in script.prompts


async def test_no_to_just_let_it_out_keeps_the_vent(console: ConsoleSession, db: Database,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _, shown, _ = await run(console, ["vent", WORDS, "and nobody listens", "", "n", ""], capsys)
    assert "Thank you for sharing" in said(shown, "only @alice")
    assert await count(db, checkin_sealed) == 1, "kept, sealed to its round"
    assert await count(db, checkin_vents) == 0, "nothing readable before the round closes"


async def test_after_a_mood_press_the_next_line_is_never_the_vent(console: ConsoleSession, db: Database,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The vent form comes with the "thanks": typing on does not fill it in; `stats` is a command again."""
    script, shown, out = await run(console, ["checkin", "/press 4", "stats", "no", "stats"], capsys)
    assert "Thanks — recorded" in said(shown, "only @alice")
    assert "  Open “Get it off your chest” now? [y/N] " in script.prompts
    assert "Please answer yes or no." in out and CLOSED in out
    assert script.private == ["stats", "no"]  # the first `stats` was an answer refused, not a vent
    assert "You haven't given or received a huzzah yet." in said(shown, "only @alice")  # `stats`, the command
    assert await count(db, checkin_vents) == 0


async def test_a_closed_form_sends_nothing_and_the_console_goes_on(console: ConsoleSession, db: Database,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Ctrl-D (or Ctrl-C) inside a form closes it; at the prompt it leaves."""
    _, shown, out = await run(console, ["vent", WORDS, None, "help"], capsys)
    assert CLOSED in out
    assert await count(db, checkin_vents) == 0
    assert "Here's what I understand" in said(shown, "only @alice")  # `help` after the closed form was answered


async def test_the_poll_builder_asks_one_question_at_a_time(console: ConsoleSession, db: Database,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["poll", "Which shift pattern for December?", "4x10", "5x8", "", "", "yes", "no", "no", "yes"]
    script, shown, _ = await run(console, lines, capsys)
    assert "Which shift pattern for December?" in said(shown, "#support")
    assert await count(db, polls) == 1
    assert [p for p in script.prompts if p.startswith("  Settings:")] == [
        f"  Settings: {label}? [y/N] " for label, _ in SETTINGS]


def test_yes_and_no_are_understood_and_anything_else_is_asked_again(capsys: pytest.CaptureFixture[str]) -> None:
    def asked(*lines: str | None, default: bool = False) -> bool | None:
        return yes_or_no(Script(lines), "Open it?", default=default)

    assert asked("Y") is True and asked("yes.") is True and asked("Sure") is True
    assert asked("nope") is False and asked("N") is False
    assert asked("") is False and asked("", default=True) is True
    assert asked("maybe", "what", "yes") is True
    assert capsys.readouterr().out.count("Please answer yes or no.") == 2
    assert asked(None) is None


def test_choices_by_number_or_name_and_a_wrong_one_asked_again(capsys: pytest.CaptureFixture[str]) -> None:
    form = Form("f", "Give a huzzah", "Send", (
        TextInput("reason", "Why?"),
        Select("values", "Which values?", (("🦉 ownership", "ownership"), ("🤝 teamwork", "teamwork")), multi=True,
               optional=True),
        Checkboxes("flags", "Settings", (("Anonymous", "anonymous"),)),
    ))
    ask: Ask = Script(["for the save", "3", "2, own", "y", "yes"])
    assert fill(ask, form, offered=False) == {"reason": "for the save", "values": ("teamwork", "ownership"),
                                              "flags": ("anonymous",)}
    assert "Please pick one or more of the numbers above." in capsys.readouterr().out
    assert fill(Script(["why", "", "n", "no"]), form, offered=False) is None  # "Send? no": nothing sent
