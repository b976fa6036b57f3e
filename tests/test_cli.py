"""The console script a newcomer runs first."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from huzzah.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
APP_YAML = ROOT / "huzzah" / "templates" / "app.yaml"


def huzzah(*args: str, cwd: Path = ROOT, stdin: str | None = None,
           env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "huzzah.cli", *args], capture_output=True, text=True,
                          cwd=cwd, input=stdin, timeout=300, env={**os.environ, **(env or {})})


def test_help_lists_every_command_with_one_line_each() -> None:
    run = huzzah("--help", env={"COLUMNS": "80"})
    assert run.returncode == 0
    listing = run.stdout.split("COMMAND\n", 1)[1].split("\n\n", 1)[0].splitlines()
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert [line.split()[0] for line in listing] == list(commands)
    assert all(len(line.split(maxsplit=1)) == 2 for line in listing), "every command says what it does"


def test_demo_runs_on_the_given_sqlite_file_and_config(tmp_path: Path) -> None:
    """More about the demo in test_demo.py; here, its options: --db, and the global --config."""
    run = huzzah("--config", str(APP_YAML), "demo", "--db", str(tmp_path / "demo.db"), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert "#kudos │ 🎉 Huzzah for" in run.stdout
    assert "can't give yourself a huzzah" in run.stdout
    assert run.stdout.count("Your huzzahs") == 1, "one person's stats: the others' would look the same"
    assert "Vents withheld — comments need at least 10 answers" in run.stdout, "app.yaml's anonymity, not the demo's"
    assert (tmp_path / "demo.db").exists()


def test_chat_lets_you_type_as_anyone(tmp_path: Path) -> None:
    script = "@bob thanks for the cover #teamwork\n/as bob\nstats\n/quit\n"
    run = huzzah("--config", str(APP_YAML), "chat", "--as", "alice", cwd=tmp_path, stdin=script)
    assert run.returncode == 0, run.stderr
    assert "DM @bob │ 🎉 @alice thanked you" in run.stdout
    assert "only @bob │ Your huzzahs" in run.stdout


def test_db_upgrade_creates_the_schema(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    run = subprocess.run([sys.executable, "-m", "huzzah.cli", "db", "upgrade"], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "up to date" in run.stdout
