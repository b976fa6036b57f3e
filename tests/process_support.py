"""Real `huzzah` processes for tests, talking to the fake Slack Web API over loopback.

Each process gets a clean environment (no SLACK_ or MICROSOFT_ variables from outside), writes its log to a file,
and is waited on by condition — a line in its log, its exit — with generous timeouts, never by sleeping a fixed
time. `running(...)` kills whatever is still alive when the test ends, however it ends.

    async with running(env, tmp_path) as procs:
        server = await procs.serve()
        port = await server.port()
        ...
        server.signal(signal.SIGTERM)
        assert await server.exited() == 0
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import asyncpg
import pytest
from sqlalchemy.engine import make_url

from storage import keys
from storage.db import normalize_url
from tests.conftest import PG_ENV
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack_support import FORM, SIGNING_SECRET, signed_headers, slash_command

PATIENCE = 90.0
"""Seconds: a safety net for a hung process on a busy machine, never a measurement."""
POLL = 0.05
_LISTENING = re.compile(r"Huzzah is listening on http://[^:]+:(\d+)")


@dataclass
class Proc:
    """One `huzzah` process and its log."""

    process: asyncio.subprocess.Process
    log: Path

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    async def logged(self, pattern: str, timeout: float = PATIENCE) -> re.Match[str]:
        """Wait for a log line matching `pattern`; fails at once if the process ends first."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    found = re.search(pattern, self.text())
                    if found:
                        return found
                    if self.process.returncode is not None:
                        raise AssertionError(f"the process ended ({self.process.returncode}) before logging "
                                             f"{pattern!r}:\n{self.text()}")
                    await asyncio.sleep(POLL)
        except TimeoutError:
            raise AssertionError(f"no {pattern!r} in the log after {timeout}s:\n{self.text()}") from None

    async def port(self) -> int:
        """The port `huzzah serve --port 0` bound (it logs it once it listens, after migrating)."""
        return int((await self.logged(_LISTENING.pattern)).group(1))

    def signal(self, signum: signal.Signals) -> None:
        self.process.send_signal(signum)

    async def exited(self, timeout: float = PATIENCE) -> int:
        return await asyncio.wait_for(self.process.wait(), timeout)


@dataclass
class Processes:
    env: dict[str, str]
    folder: Path
    started: list[Proc] = field(default_factory=list)

    async def start(self, *args: str) -> Proc:
        log = self.folder / f"huzzah-{len(self.started) + 1}.log"
        with open(log, "wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "huzzah.cli", *args, env=self.env, cwd=self.folder,
                stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out,
            )
        proc = Proc(process, log)
        self.started.append(proc)
        return proc

    async def serve(self, *args: str) -> Proc:
        return await self.start("serve", "--host", "127.0.0.1", "--port", "0", *args)


@contextlib.asynccontextmanager
async def running(env: dict[str, str], folder: Path) -> AsyncIterator[Processes]:
    procs = Processes(env, folder)
    try:
        yield procs
    finally:
        for proc in procs.started:
            if proc.process.returncode is None:
                proc.process.kill()
            await proc.process.wait()


def environment(api: FakeSlackAPI, database_url: str, **extra: str) -> dict[str, str]:
    """What a real installation sets, pointed at the fake Slack and a test database; nothing else leaks in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "HUZZAH_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=api.base_url,
               DATABASE_URL=database_url, HUZZAH_CONFIG="", HUZZAH_SECRET_KEY=os.environ[keys.ENV],
               PYTHONUNBUFFERED="1", **extra)
    return env


async def send_command(http: aiohttp.ClientSession, port: int, api: FakeSlackAPI, text: str, *, user: str,
                       name: str) -> int:
    """One signed /huzzah, as Slack sends it; the HTTP status of the acknowledgement."""
    body = urlencode(slash_command(text, user=user, user_name=name, response_url=api.response_url(user)))
    async with http.post(f"http://127.0.0.1:{port}/slack/events", data=body,
                         headers={"Content-Type": FORM, **signed_headers(body)}) as resp:
        await resp.read()
        return resp.status


async def until(condition: Callable[[], Any], what: str, timeout: float = PATIENCE) -> None:
    """Poll `condition()` (sync or async) until it is true."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                result = condition()
                if asyncio.iscoroutine(result):
                    result = await result
                if result:
                    return
                await asyncio.sleep(POLL)
    except TimeoutError:
        raise AssertionError(f"not in {timeout}s: {what}") from None


async def _admin(sql: str) -> None:
    admin = make_url(normalize_url(os.environ[PG_ENV]))
    conn = await asyncpg.connect(host=admin.host, port=admin.port or 5432, user=admin.username,
                                 password=admin.password, database=admin.database)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextlib.asynccontextmanager
async def empty_postgres() -> AsyncIterator[str]:
    """A throw-away, empty database on the test PostgreSQL server (dropped afterwards), as tests/conftest.py
    makes them; skips when no server is configured."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV} to run the PostgreSQL half of the suite")
    name = f"huzzah_proc_{uuid.uuid4().hex[:10]}"
    await _admin(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(normalize_url(base)).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
