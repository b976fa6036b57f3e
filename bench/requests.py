"""The request pipeline under load: Huzzah against a bare slack-bolt app that only acks, side by side.

    python -m bench.requests                                   # bare Bolt and Huzzah on SQLite
    python -m bench.requests --postgres postgresql://postgres@127.0.0.1:5432/postgres   # … and on PostgreSQL
    python -m bench.requests --round --people 10000            # one check-in round (add --postgres to use it)

Everything runs on 127.0.0.1: the fake Slack Web API (`tests/fakes/slack_api.py`, which answers at once) in this
process, `huzzah serve` and the bare app (`bench/bare_bolt.py`) each in its own process. Each run sends signed
`/huzzah @bob thanks … #ownership` slash commands from distinct users, `--concurrency` at a time; runs are
interleaved (every system at one concurrency, then the next, `--repeats` times over) so a busy machine slows all of
them alike, and the table shows medians over the repeats. With `--postgres` a scratch database is made on that
server and dropped afterwards. See bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bench.scratch import scratch_postgres
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack_support import FORM, SIGNING_SECRET, signed_headers, slash_command

ROOT = Path(__file__).resolve().parent.parent
"""The checkout the servers run from."""
TOKEN = re.compile(r"ref(\d+)x(\d+)")
SERVER_KEY = secrets.token_urlsafe(32)
"""The scratch databases' server key (PostgreSQL has no key file beside it; SQLite's would do either way)."""
WARM_UP = 10
"""Requests each server gets before the measured runs: first connections, imports, caches."""
PATIENCE = 300.0
"""Seconds a run waits for its public posts before counting the rest as missing (a safety net)."""
APP_YAML = """\
values:
  - {name: ownership, emoji: "🦉", meaning: We see it through.}
kudos:
  channels: ["slack:#kudos"]
teams:
  - {name: Support, channels: ["slack:#support"]}
"""


class BenchSlack(FakeSlackAPI):
    """The fake Web API, noting when each kudos's public post arrived (by the token in its reason)."""

    def __init__(self) -> None:
        super().__init__()
        self.posted: dict[tuple[int, int], float] = {}

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        answer = super()._chat_postMessage(params)
        key = str(((params.get("metadata") or {}).get("event_payload") or {}).get("key", ""))
        if answer.get("ok") and key.endswith(":post"):
            found = TOKEN.search(json.dumps(params.get("blocks") or params.get("text", "")))
            if found:
                self.posted.setdefault((int(found[1]), int(found[2])), time.monotonic())
        return answer


@dataclass
class Server:
    name: str
    process: asyncio.subprocess.Process
    log: Path
    port: int = 0

    async def listening(self, pattern: str) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            found = re.search(pattern, self.log.read_text(errors="replace"))
            if found:
                self.port = int(found[1])
                return
            if self.process.returncode is not None:
                break
            await asyncio.sleep(0.1)
        raise SystemExit(f"{self.name} did not start:\n{self.log.read_text(errors='replace')[-3000:]}")

    def cpu_seconds(self) -> float:
        """User + system CPU the process has used so far (Linux /proc): what a run cost it, whatever else the
        machine was doing meanwhile."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


async def start(name: str, args: list[str], env: dict[str, str], folder: Path, pattern: str) -> Server:
    """Start a server in `folder` (its log goes there too) and wait until it listens."""
    log = folder / f"{name}.log"
    with open(log, "wb") as out:
        process = await asyncio.create_subprocess_exec(sys.executable, *args, env=env, cwd=folder,
                                                       stdin=asyncio.subprocess.DEVNULL, stdout=out, stderr=out)
    server = Server(name, process, log)
    await server.listening(pattern)
    return server


def huzzah_env(api: FakeSlackAPI, database_url: str, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "MICROSOFT_", "HUZZAH_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=api.base_url,
               DATABASE_URL=database_url, HUZZAH_CONFIG=str(config), HUZZAH_SECRET_KEY=SERVER_KEY,
               PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT))
    return env


@dataclass
class Run:
    system: str
    concurrency: int
    acks_per_s: float
    ack_p50: float
    ack_p99: float
    kudos_per_s: float | None = None
    post_p50: float | None = None
    post_p99: float | None = None
    missing: int = 0
    cpu_ms: float = 0.0
    """The server's CPU per request, all its work included (for Huzzah: until the last public post)."""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@dataclass
class Load:
    api: BenchSlack
    http: aiohttp.ClientSession
    runs: int = 0
    acked: dict[tuple[int, int], float] = field(default_factory=dict)

    async def run(self, server: Server, concurrency: int, requests: int, posts: bool) -> Run:
        self.runs += 1
        run = self.runs
        givers = [giver(run, i) for i in range(requests)]
        latencies: list[float] = []
        queue = list(enumerate(givers))
        queue.reverse()
        url = f"http://127.0.0.1:{server.port}/slack/events"

        async def sender() -> None:
            while queue:
                i, (user, name) = queue.pop()
                form = slash_command(f"<@UBOB> thanks for ticket ref{run}x{i} #ownership", user=user,
                                     user_name=name, response_url=self.api.response_url(user))
                body = urlencode(form)
                began = time.monotonic()
                async with self.http.post(url, data=body, headers={"Content-Type": FORM, **signed_headers(body)}) as r:
                    await r.read()
                    if r.status != 200:
                        raise SystemExit(f"{server.name} answered {r.status}")
                done = time.monotonic()
                latencies.append(done - began)
                self.acked[(run, i)] = done

        cpu = server.cpu_seconds()
        began = time.monotonic()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        elapsed = time.monotonic() - began
        result = Run(server.name, concurrency, requests / elapsed, percentile(latencies, 50) * 1000,
                     percentile(latencies, 99) * 1000)
        if posts:
            wanted = [(run, i) for i in range(requests)]
            deadline = time.monotonic() + PATIENCE
            while not all(k in self.api.posted for k in wanted) and time.monotonic() < deadline:
                await asyncio.sleep(0.01)
            arrived = [self.api.posted[k] for k in wanted if k in self.api.posted]
            delays = [self.api.posted[k] - self.acked[k] for k in wanted if k in self.api.posted]
            result.missing = requests - len(arrived)
            if arrived:
                result.kudos_per_s = len(arrived) / (max(arrived) - began)
                result.post_p50, result.post_p99 = percentile(delays, 50), percentile(delays, 99)
        result.cpu_ms = (server.cpu_seconds() - cpu) * 1000 / requests
        return result


def giver(run: int, i: int) -> tuple[str, str]:
    return f"UB{run:03d}{i:05d}", f"giver{run}x{i}"


def add_givers(api: FakeSlackAPI, runs: list[int]) -> None:
    """Everyone who will give a kudos, as members of #support from the start: a real team exists before its busy
    minute, and Huzzah has read its profiles (users.list) by then."""
    for run, requests in enumerate(runs, 1):
        for i in range(requests):
            user, name = giver(run, i)
            api.add_user(user, name)
            api.channels["CSUPPORT"]["members"].append(user)


def median(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def table(runs: list[Run], systems: list[str], levels: list[int]) -> str:
    def num(value: float | None, unit: str = "", digits: int = 0) -> str:
        return "—" if value is None else f"{value:,.{digits}f}{unit}"

    lines = ["| concurrency | system | acks/s | × bare | ack p50 | ack p99 | completed kudos/s | × bare acks/s "
             "| ack → post p50 | ack → post p99 | server CPU per request | missing |", "|" + "---|" * 12]
    for level in levels:
        bare = median([r.acks_per_s for r in runs if r.system == "bare bolt" and r.concurrency == level])
        for system in systems:
            mine = [r for r in runs if r.system == system and r.concurrency == level]
            if not mine:
                continue
            acks = median([r.acks_per_s for r in mine])
            kudos = median([r.kudos_per_s for r in mine])
            lines.append(" | ".join([
                f"| {level}", system, num(acks), num(acks / bare if bare and acks else None, "×", 2),
                num(median([r.ack_p50 for r in mine]), " ms", 1), num(median([r.ack_p99 for r in mine]), " ms", 1),
                num(kudos, "", 1), num(kudos / bare if bare and kudos else None, "×", 2),
                num(median([r.post_p50 for r in mine]), " s", 2), num(median([r.post_p99 for r in mine]), " s", 2),
                num(median([r.cpu_ms for r in mine]), " ms", 1), str(sum(r.missing for r in mine)) + " |",
            ]))
    return "\n".join(lines)


async def requests_bench(args: argparse.Namespace) -> None:
    api = BenchSlack()
    await api.start()
    folder = Path(tempfile.mkdtemp(prefix="huzzah-bench-"))
    config = folder / "app.yaml"
    config.write_text(APP_YAML)
    servers: list[Server] = []
    levels = [int(c) for c in args.concurrency.split(",")]
    systems = 3 if args.postgres else 2
    per_run = [args.requests or max(40, 4 * level) for level in levels]
    add_givers(api, [WARM_UP] * systems + [n for _ in range(args.repeats) for n in per_run for _ in range(systems)])
    async with scratch_postgres(args.postgres) as pg_url:
        try:
            bare_env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
            servers.append(await start("bare bolt", ["-m", "bench.bare_bolt", "--api", api.base_url, "--secret",
                                                     SIGNING_SECRET], bare_env, folder, r"Running on http://[^:]+:(\d+)"))
            databases = {"huzzah sqlite": f"sqlite:///{folder}/huzzah.db"}
            if pg_url:
                databases["huzzah postgresql"] = pg_url
            for name, url in databases.items():
                servers.append(await start(name, ["-m", "huzzah.cli", "serve", "--host", "127.0.0.1", "--port", "0"],
                                           huzzah_env(api, url, config), folder,
                                           r"Huzzah is listening on http://[^:]+:(\d+)"))
            runs: list[Run] = []
            async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
                load = Load(api, http)
                for server in servers:  # warm up: first connections, caches, imports
                    await load.run(server, 5, WARM_UP, posts=server.name != "bare bolt")
                for repeat in range(args.repeats):
                    for level, requests in zip(levels, per_run, strict=True):
                        for server in servers:
                            run = await load.run(server, level, requests, posts=server.name != "bare bolt")
                            runs.append(run)
                            print(f"repeat {repeat + 1} · c={level} · {server.name}: {run.acks_per_s:.0f} acks/s, "
                                  f"p99 {run.ack_p99:.0f} ms, kudos/s {run.kudos_per_s or 0:.1f}, "
                                  f"post p99 {run.post_p99 or 0:.2f} s, CPU {run.cpu_ms:.1f} ms/request",
                                  file=sys.stderr, flush=True)
            print(table(runs, [s.name for s in servers], levels))
        finally:
            for server in servers:
                await server.stop()
            await api.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", metavar="URL", help="also run on PostgreSQL (a scratch database is made there)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--concurrency", default="1,10,50", help="comma-separated levels (default 1,10,50)")
    parser.add_argument("--requests", type=int, default=0, help="per run (default: max(40, 4 × concurrency))")
    parser.add_argument("--round", action="store_true", help="time one check-in round instead")
    parser.add_argument("--people", type=int, default=10_000, help="people in the check-in round (default 10,000)")
    args = parser.parse_args()
    if args.round:
        from bench.checkin_round import round_bench

        asyncio.run(round_bench(args.people, args.postgres))
    else:
        asyncio.run(requests_bench(args))


if __name__ == "__main__":
    main()
