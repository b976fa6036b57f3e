"""Every start-up problem an admin can meet is one line on stderr naming what to fix, exit code 2, and never a
traceback — run as the real `huzzah` command, the way an admin meets them.

Nothing here leaves the machine: "unreachable" is a closed port on 127.0.0.1 or a host under `.invalid`
(reserved never to resolve), and the missing database is one on the test PostgreSQL server.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import sysconfig
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ENV

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sysconfig.get_path("scripts")) / ("huzzah.exe" if os.name == "nt" else "huzzah")
APP_ID = "c9e8c047-2a74-40a2-b28a-b162d5f5327c"
SECRET = "s3cret-pw"


def closed_port() -> int:
    """A loopback port nothing listens on, for the whole run: bound and never listening, so connecting to it is
    refused, and no server started meanwhile (here or in another test worker) can be handed it."""
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    _HELD.append(holder)
    return holder.getsockname()[1]


_HELD: list[socket.socket] = []


def huzzah(*args: str, cwd: Path, env: dict[str, str] | None = None, stdin: int | None = subprocess.DEVNULL,
           timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed command with a clean environment: no platform secrets, no DATABASE_URL, no HUZZAH_CONFIG
    from whoever runs the tests."""
    base = {k: v for k, v in os.environ.items()
            if not k.startswith(("SLACK_", "MICROSOFT_", "HUZZAH_CONFIG", "DATABASE_URL"))}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, stdin=stdin,
                          timeout=timeout, env={**base, **(env or {})})


@dataclass
class Case:
    args: list[str]
    says: list[str]
    """Words the one line must contain: what is wrong and what to change."""
    env: dict[str, str] = field(default_factory=dict)
    config: bytes | None = None
    """app.yaml written into the working folder first."""


def _missing_database() -> Case:
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} to check a missing PostgreSQL database")
    name = f"huzzah_missing_{uuid.uuid4().hex[:8]}"
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    return Case(["serve", "--port", "0"], [name, "createdb", "DATABASE_URL"], env={"DATABASE_URL": url})


def _port_in_use(listener: socket.socket) -> Case:
    port = listener.getsockname()[1]
    return Case(["serve", "--port", str(port)], [str(port), "already in use", "--port"])


CASES: dict[str, Callable[..., Case]] = {
    "database refused": lambda: Case(
        ["serve", "--port", "0"], [f"127.0.0.1:{PORT}", "start PostgreSQL", "DATABASE_URL"],
        env={"DATABASE_URL": f"postgresql://huzzah:{SECRET}@127.0.0.1:{PORT}/huzzah"}),
    "database refused, db upgrade": lambda: Case(
        ["db", "upgrade"], [f"127.0.0.1:{PORT}", "DATABASE_URL"],
        env={"DATABASE_URL": f"postgresql://huzzah@127.0.0.1:{PORT}/huzzah"}),
    "database host unknown": lambda: Case(
        ["serve", "--port", "0"], ["unknown host", "db.invalid", "DATABASE_URL"],
        env={"DATABASE_URL": "postgresql://u@db.invalid/x"}),
    "database missing": _missing_database,
    "mysql scheme": lambda: Case(
        ["serve", "--port", "0"], ["mysql", "postgresql://", "sqlite:///"],
        env={"DATABASE_URL": "mysql://huzzah@127.0.0.1/huzzah"}),
    "driver not installed": lambda: Case(
        ["db", "upgrade"], ["psycopg2", "postgresql://"],
        env={"DATABASE_URL": "postgresql+psycopg2://huzzah@127.0.0.1/huzzah"}),
    "not a url": lambda: Case(["db", "upgrade"], ["not a database URL"], env={"DATABASE_URL": "huzzah.db"}),
    "sqlite folder missing": lambda: Case(
        ["db", "upgrade"], ["nowhere", "folder"], env={"DATABASE_URL": "sqlite:///nowhere/at/all/huzzah.db"}),
    "port out of range": lambda: Case(["serve", "--port", "99999"], ["--port", "99999", "65535"]),
    "port in use": _port_in_use,
    "host unknown": lambda: Case(["serve", "--host", "nowhere.invalid", "--port", "0"], ["--host", "127.0.0.1"]),
    "emulator on every interface": lambda: Case(
        ["serve", "--teams-emulator", "--host", "0.0.0.0", "--port", "0"], ["--teams-emulator", "127.0.0.1"]),
    "emulator with an app id": lambda: Case(
        ["serve", "--teams-emulator", "--port", "0"], ["--teams-emulator", "MICROSOFT_APP_ID"],
        env={"MICROSOFT_APP_ID": APP_ID, "MICROSOFT_APP_PASSWORD": "pw"}),
    "config not utf-8": lambda: Case(["db", "upgrade"], ["app.yaml", "UTF-8", "line 3"],
                                     config=b"timezone: UTC\nvalues:\n  - {name: caf\xe9}\n"),
    "config empty": lambda: Case(["db", "upgrade"], ["app.yaml", "empty", "{}"], config=b"# all commented out\n"),
    "time unquoted": lambda: Case(["db", "upgrade"], ["checkins.time", "900", "quote", '"15:00"'],
                                  config=b"checkins:\n  time: 15:00\n"),
    "yes as a number": lambda: Case(["db", "upgrade"], ["kudos.daily_allowance", "whole number"],
                                    config=b"kudos:\n  daily_allowance: yes\n"),
    "two slack kudos channels": lambda: Case(
        ["db", "upgrade"], ["slack:#kudos", "slack:#thanks", "one channel per platform"],
        config=b'kudos:\n  channels: ["slack:#kudos", "console:#kudos", "slack:#thanks"]\n'),
    "reaction not an emoji name": lambda: Case(["db", "upgrade"], ["kudos.reaction", "tada"],
                                               config='kudos:\n  reaction: "🎉"\n'.encode()),
    "teams package developer too long": lambda: Case(
        ["teams-package", "--app-id", APP_ID, "--website", "https://intranet.example.com/huzzah",
         "--developer", "Contoso Customer Support Operations Ltd"], ["--developer", "32", "developer.name"]),
    "teams package version": lambda: Case(
        ["teams-package", "--app-id", APP_ID, "--website", "https://intranet.example.com/huzzah",
         "--version", "1.0"], ["--version", "1.0.0"]),
    "unknown command": lambda: Case(["serv"], ["serv", "huzzah --help"]),
}
PORT = closed_port()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """Something already listening on a loopback port, as another copy of Huzzah would be."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock


@pytest.mark.parametrize("name", CASES)
def test_a_start_up_problem_is_one_line_exit_2_and_no_traceback(name: str, tmp_path: Path,
                                                                 listener: socket.socket) -> None:
    make = CASES[name]
    case = make(listener) if make is _port_in_use else make()
    if case.config is not None:
        (tmp_path / "app.yaml").write_bytes(case.config)
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/huzzah.db", **case.env}

    run = huzzah(*case.args, cwd=tmp_path, env=env)

    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert run.returncode == 2, run.stderr
    for words in case.says:
        assert words in lines[0], f"{words!r} not in {lines[0]!r}"
    assert SECRET not in run.stderr, "the database password is never shown"
    assert not (tmp_path / "huzzah-teams.zip").exists(), "nothing is written when it is refused"
    if case.config is not None or name.startswith("port"):
        assert not (tmp_path / "huzzah.db").exists(), "it stopped before touching the database"


def test_db_upgrade_names_the_default_database_it_created(tmp_path: Path) -> None:
    """Without DATABASE_URL it is ./huzzah.db: the answer says so, with the full path, rather than "up to date"
    about a database the admin did not mean."""
    first = huzzah("db", "upgrade", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    path = str((tmp_path / "huzzah.db").resolve())
    assert path in first.stdout and "DATABASE_URL is not set" in first.stdout
    assert "from an empty database" in first.stdout and "up to date" in first.stdout

    again = huzzah("db", "upgrade", cwd=tmp_path)
    assert path in again.stdout and "already up to date" in again.stdout


def test_db_upgrade_names_a_postgresql_database(tmp_path: Path, postgres_url: str) -> None:
    run = huzzah("db", "upgrade", cwd=tmp_path, env={"DATABASE_URL": postgres_url})
    assert run.returncode == 0, run.stderr
    url = make_url(postgres_url)
    assert f"PostgreSQL database postgresql://{url.username}" in run.stdout and str(url.database) in run.stdout
    assert "already up to date" in run.stdout
    if url.password:
        assert url.password not in run.stdout and "***" in run.stdout


def test_version_and_python_dash_m(tmp_path: Path) -> None:
    from importlib.metadata import version

    shown = huzzah("--version", cwd=tmp_path)
    assert shown.returncode == 0 and shown.stdout.strip() == f"huzzah {version('huzzah')}"
    helped = subprocess.run([sys.executable, "-m", "huzzah", "--help"], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert helped.returncode == 0 and "usage: huzzah" in helped.stdout and "teams-package" in helped.stdout


def test_the_license_is_the_one_pyproject_declares() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) The Huzzah authors" in text
    assert 'license = { text = "MIT" }' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_the_constraints_pin_every_dependency_pyproject_names() -> None:
    """`pip install -c constraints.txt .` reproduces a tested install only if every dependency is pinned."""
    import re
    import tomllib

    pinned = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, exact = line.partition("==")
            assert exact.strip(), f"{line!r}: pin an exact version"
            pinned[re.sub(r"[-_.]+", "-", name.strip().lower())] = exact.strip()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for wanted in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name = re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", wanted)[0].lower())  # type: ignore[index]
        assert name in pinned, f"{name} is not in constraints.txt: regenerate it (see its header)"
