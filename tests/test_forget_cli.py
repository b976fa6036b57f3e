"""`huzzah forget @bob` asks first (y/N on a terminal) unless --yes; with no terminal to ask on it refuses in one
line rather than erase — an erasure cannot be undone."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.test_startup import SCRIPT, huzzah

pty = pytest.importorskip("pty", reason="pseudo-terminals are POSIX's")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A database in which alice thanked bob, made by the real command."""
    run = subprocess.run([str(SCRIPT), "chat", "--as", "alice"], input="@bob thanks for the cover\n/quit\n",
                         capture_output=True, text=True, cwd=tmp_path, timeout=120, env=_env(tmp_path))
    assert run.returncode == 0, run.stderr
    return tmp_path


def _env(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("HUZZAH_CONFIG", "DATABASE_URL")}
    return {**env, "DATABASE_URL": f"sqlite:///{folder}/huzzah.db"}


def on_a_terminal(folder: Path, *args: str, answer: str) -> tuple[int, str]:
    """Run with a pseudo-terminal as stdin, typing `answer` at the prompt; returns the exit code and stdout."""
    leader, follower = pty.openpty()
    try:
        os.write(leader, answer.encode())
        run = subprocess.run([str(SCRIPT), *args], stdin=follower, capture_output=True, text=True, cwd=folder,
                             timeout=120, env=_env(folder))
    finally:
        os.close(follower)
        os.close(leader)
    return run.returncode, run.stdout


def still_stored(folder: Path, who: str) -> bool:
    return huzzah("privacy", who, cwd=folder, env={"DATABASE_URL": f"sqlite:///{folder}/huzzah.db"}).returncode == 0


def test_without_a_terminal_it_refuses_in_one_line_and_erases_nothing(folder: Path) -> None:
    run = huzzah("forget", "@bob", cwd=folder, env={"DATABASE_URL": f"sqlite:///{folder}/huzzah.db"})
    assert run.returncode == 2 and "Traceback" not in run.stderr
    [line] = run.stderr.splitlines()
    assert "bob" in line and "--yes" in line and "no terminal" in line
    assert still_stored(folder, "bob")


def test_on_a_terminal_it_asks_and_only_y_erases(folder: Path) -> None:
    code, out = on_a_terminal(folder, "forget", "@bob", answer="\n")
    assert code == 1 and "[y/N]" in out and "Nothing was erased" in out, "Enter alone means no"
    code, out = on_a_terminal(folder, "forget", "@bob", answer="n\n")
    assert code == 1 and still_stored(folder, "bob")

    code, out = on_a_terminal(folder, "forget", "@bob", answer="y\n")
    assert code == 0 and "Erased bob" in out
    assert not still_stored(folder, "bob")


def test_yes_erases_without_asking(folder: Path) -> None:
    run = huzzah("forget", "@alice", "--yes", cwd=folder, env={"DATABASE_URL": f"sqlite:///{folder}/huzzah.db"})
    assert run.returncode == 0 and "Erased alice" in run.stdout and "[y/N]" not in run.stdout
    assert not still_stored(folder, "alice")
