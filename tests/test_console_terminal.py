"""`huzzah chat` in a real pseudo-terminal (pexpect): arrow keys edit, Up recalls, Ctrl-C and Ctrl-D leave at
once without a traceback, and a mood press never turns the next typed line into a vent."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

ROOT = Path(__file__).resolve().parents[1]
PATIENCE = 120  # seconds for any one thing to appear: a safety net, never a measurement
LEFT, UP = "\x1b[D", "\x1b[A"
PROMPT = "alice> "


@pytest.fixture
def chat(tmp_path: Path) -> Iterator[pexpect.spawn]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "LOG_"))}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/chat.db", TERM="xterm", INPUTRC="/dev/null",
               HUZZAH_CONFIG=str(ROOT / "huzzah" / "templates" / "app.yaml"))
    child = pexpect.spawn(sys.executable, ["-m", "huzzah.cli", "chat", "--as", "alice"], cwd=str(ROOT), env=env,
                          encoding="utf-8", timeout=PATIENCE, dimensions=(50, 200))
    child.expect_exact(PROMPT)
    try:
        yield child
    finally:
        if child.isalive():
            child.terminate(force=True)


def left(child: pexpect.spawn) -> int:
    """Wait for the process to end; its exit status."""
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def vents(tmp_path: Path) -> int:
    with sqlite3.connect(tmp_path / "chat.db") as db:
        return db.execute("SELECT count(*) FROM checkin_vents").fetchone()[0]


def test_arrow_keys_edit_the_line_and_up_recalls_the_last_one(chat: pexpect.spawn) -> None:
    chat.send("@bob thanks for the save" + LEFT * 4 + "big \r")
    chat.expect_exact("> thanks for the big save")
    chat.expect_exact(PROMPT)
    chat.send("help\r")
    chat.expect_exact("Here's what I understand")
    chat.expect_exact(PROMPT)
    chat.send(UP + "\r")  # the line before: help again
    chat.expect_exact("Here's what I understand")
    chat.expect_exact(PROMPT)
    chat.sendcontrol("d")
    assert left(chat) == 0
    assert "^[[" not in chat.before and "Traceback" not in chat.before


def test_ctrl_c_at_the_prompt_leaves_at_once(chat: pexpect.spawn) -> None:
    chat.sendintr()
    assert left(chat) == 0  # no Enter needed
    assert "Traceback" not in chat.before and "KeyboardInterrupt" not in chat.before


def test_a_mood_press_never_swallows_the_next_line_and_yes_to_let_it_out_keeps_nothing(
    chat: pexpect.spawn, tmp_path: Path
) -> None:
    chat.send("checkin\r")
    chat.expect_exact("How was your week?")
    chat.expect_exact(PROMPT)
    chat.send("/press 4\r")
    chat.expect_exact("Thanks — recorded")
    chat.expect_exact("Open “Get it off your chest” now? [y/N]")
    chat.send("stats\r")  # meant as the next command: asked again, never kept
    chat.expect_exact("Please answer yes or no.")
    chat.expect_exact("Open “Get it off your chest” now? [y/N] ")  # asked again: now reading, so Ctrl-C reaches it
    chat.sendintr()  # Ctrl-C inside a form closes it
    chat.expect_exact("(form closed — nothing was sent)")
    chat.expect_exact(PROMPT)
    chat.send("stats\r")
    chat.expect_exact("You haven't given or received a huzzah yet.")
    chat.expect_exact(PROMPT)

    chat.send("vent\r")
    chat.expect_exact("end with an empty line:")
    chat.send("the queue never ends\r\r")
    chat.expect_exact("If you only need to say it: Just let it out — don't keep it? [y/N]")
    chat.send("yes\r")
    chat.expect_exact("Send anonymously? [Y/n]")
    chat.send("\r")
    chat.expect_exact("nothing was kept")
    chat.expect_exact(PROMPT)
    chat.sendcontrol("d")
    assert left(chat) == 0
    assert vents(tmp_path) == 0
