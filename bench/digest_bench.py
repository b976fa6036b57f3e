"""How long one team's weekly digest takes on a big installation — run by hand, not a test.

    /work/venv/bin/python -m bench.digest_bench                       # SQLite, in a temporary folder
    /work/venv/bin/python -m bench.digest_bench --postgres postgresql://postgres@127.0.0.1:5432/postgres
    /work/venv/bin/python -m bench.digest_bench --teams 200 --people-per-team 50 --before   # a contact centre

The PostgreSQL run creates a scratch database next to the one named (and drops it afterwards). Data (at
the default size; --teams and --people-per-team scale it, kudos and answers in proportion):
10,000 people in 20 teams of 500; 125 weekly check-in rounds per team (1,250,000 invitations,
1,000,000 answers — as the check-ins feature stores closed rounds: counts fixed on the round,
tallies per round and mood — and 50,000 vents); 200,000 kudos with ~300,000 recipients, ~200,000 value
tags and ~20,000 co-givers, spread over the same 125 weeks. It is loaded with bulk inserts (sqlite3
executemany / PostgreSQL COPY) into the schema the app declares, then one team's digest for the last week
is computed through the real code path and timed, then every team's digest as one weekly run. Results go in
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import secrets
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.engine import make_url

import storage.tables  # noqa: F401  (registers every table)
from bot.clock import FakeClock
from bot.config import Settings, TeamSettings
from bot.context import Context
from bot.features.checkins.report import MoodWeeks, mood_report
from bot.features.digest.figures import gather
from bot.features.digest.period import Period
from bot.features.digest.rollup import gather_rollup
from bot.features.digest.rollup_chart import draw_rollup
from bot.features.digest.week import Week
from bot.features.digest.weekly import render
from bot.features.polls.report import closed_polls
from storage import checkins as checkins_repo
from storage.db import Database, normalize_url
from storage.digest import kudos_figures
from storage.schema import metadata

WEEKS = 125
ANSWERS_SHARE = 0.8  # of those asked: 20 teams x 125 weeks x 400 = 1,000,000 answers at the default size
VENTS_SHARE = 0.04
KUDOS_PER_PERSON_WEEK = 0.16  # 200,000 kudos at the default size
LAST = Week(2026, 47)
VALUES = ("ownership", "empathy", "teamwork", "craft")
REASONS = ("for taking the angry caller", "for the refund macro", "for covering my shift", "for the outage call")

Rows = dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]]


@dataclass(frozen=True)
class Size:
    teams: int = 20
    per_team: int = 500

    @property
    def people(self) -> int:
        return self.teams * self.per_team


def team_name(t: int) -> str:
    return f"Team {t:03d}"


def generate(rng: random.Random, size: Size) -> Rows:
    """Every table's rows as plain tuples, in the column order given."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    people = [(i, "slack", "T1", f"U{i:06d}", f"person{i}", None, False, True, start)
              for i in range(1, size.people + 1)]
    members = {t: list(range(1 + t * size.per_team, 1 + (t + 1) * size.per_team)) for t in range(size.teams)}
    answers, vents_per_round = round(size.per_team * ANSWERS_SHARE), round(size.per_team * VENTS_SHARE)
    weeks = [LAST.before(k) for k in range(WEEKS)]
    rounds, invites, moods, vents = [], [], [], []
    for t in range(size.teams):
        for week in weeks:
            round_id = secrets.token_hex(16)
            closes = week.start(UTC) + timedelta(days=7)
            rounds.append((round_id, team_name(t), week.label, closes, True, len(members[t]), answers))
            invites += [(round_id, p, week.start(UTC), False) for p in members[t]]
            tally = [0] * 5
            for _ in range(answers):
                tally[min(4, max(0, round(rng.gauss(2.6, 1.0))))] += 1
            moods += [(round_id, m + 1, n) for m, n in enumerate(tally)]
            vents += [(secrets.token_hex(16), round_id, "the queue was brutal") for _ in range(vents_per_round)]
    kudos, recipients, tags, cogivers = [], [], [], []
    for k in range(1, round(size.people * WEEKS * KUDOS_PER_PERSON_WEEK) + 1):
        t = rng.randrange(size.teams)
        giver, *others = rng.sample(members[t], 4)
        when = weeks[rng.randrange(WEEKS)].start(UTC) + timedelta(seconds=rng.randrange(7 * 86400))
        reason = json.dumps([rng.choice(REASONS)])
        kudos.append((k, team_name(t), "slack", "T1", "C1", giver, reason, "", "command", when))
        recipients += [(k, p) for p in others[: rng.choice((1, 1, 2))]]
        tags += [(k, v) for v in rng.sample(VALUES, rng.choice((0, 1, 1, 2)))]
        if rng.random() < 0.1:
            cogivers.append((k, others[2], when + timedelta(minutes=5)))
    return {
        "people": (("id", "platform", "workspace", "user_id", "name", "tz", "is_bot", "active", "first_seen"), people),
        "checkin_rounds": (("id", "team", "week", "closes_at", "closed", "asked", "answered"), rounds),
        "checkin_invites": (("round_id", "person_id", "ask_at", "reminded"), invites),
        "checkin_moods": (("round_id", "mood", "answers"), moods),
        "checkin_vents": (("id", "round_id", "body"), vents),
        "kudos": (("id", "team", "platform", "workspace", "channel", "giver_id", "reason", "link", "source",
                   "created_at"), kudos),
        "kudos_recipients": (("kudos_id", "person_id"), recipients),
        "kudos_values": (("kudos_id", "value"), tags),
        "kudos_cogivers": (("kudos_id", "person_id", "created_at"), cogivers),
    }


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return value


def load_sqlite(path: str, rows: Rows) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=OFF")
    with conn:
        for table, (columns, data) in rows.items():
            marks = ", ".join("?" * len(columns))
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                ([_sqlite_value(v) for v in row] for row in data),
            )
    conn.execute("ANALYZE")
    conn.close()


async def load_postgres(url: str, rows: Rows) -> None:
    import asyncpg

    u = make_url(url)
    conn = await asyncpg.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                                 database=u.database)
    try:
        for table, (columns, data) in rows.items():
            await conn.copy_records_to_table(table, records=data, columns=list(columns))
        await conn.execute("SELECT setval('people_id_seq', (SELECT max(id) FROM people))")
        await conn.execute("SELECT setval('kudos_id_seq', (SELECT max(id) FROM kudos))")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()


async def admin(url: str, sql: str) -> None:
    import asyncpg

    u = make_url(url)
    conn = await asyncpg.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                                 database=u.database)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def create_schema(url: str) -> None:
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    await db.close()


async def kudos_part(ctx: Context, team: str) -> None:
    async with ctx.db.transaction() as conn:
        await kudos_figures(conn, team, LAST.days(UTC), LAST.before().start(UTC), top=3, highlights=3)


def timed(runs: list[float]) -> str:
    warm = statistics.median(runs[1:]) * 1000
    return f"first {runs[0] * 1000:.0f} ms, median of the next {len(runs) - 1}: {warm:.0f} ms"


async def weekly_run(ctx: Context, shared: bool) -> list[float]:
    """Every team's digest of the last week, as the ticker computes them: seconds per team.

    `shared`: one MoodWeeks for the run (each week's figures counted once); otherwise every team's report
    counts every week again, as before that change."""
    weeks = MoodWeeks(ctx.settings.anonymity.min_group_size) if shared else None
    out = []
    counted = checkins_repo.figures_for_week
    calls = 0

    async def counting(conn: Any, week: str) -> Any:
        nonlocal calls
        calls += 1
        return await counted(conn, week)

    checkins_repo.figures_for_week = counting  # type: ignore[assignment]
    try:
        for team in ctx.settings.teams:
            began = time.perf_counter()
            await render(ctx, await gather(ctx, team.name, LAST, weeks))
            out.append(time.perf_counter() - began)
    finally:
        checkins_repo.figures_for_week = counted  # type: ignore[assignment]
    print(f"    ({calls} counts of a week's check-in figures, every team's, for {len(out)} team digests)")
    return out


def whole(runs: list[float]) -> str:
    return (f"{sum(runs):.1f} s for {len(runs)} teams, median {statistics.median(runs) * 1000:.0f} ms a team, "
            f"slowest {max(runs) * 1000:.0f} ms")


async def measure_runs(url: str, size: Size, before: bool) -> None:
    settings = Settings(timezone="UTC", teams=[TeamSettings(name=team_name(t)) for t in range(size.teams)])
    db = Database(url)
    ctx = Context(settings, db, FakeClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    try:
        after = await weekly_run(ctx, shared=True)
        print(f"  whole weekly run, figures once per run: {whole(after)}")
        began = time.perf_counter()
        rollup = await gather_rollup(ctx, Period((LAST,), False))
        draw_rollup(rollup)
        print(f"  executive roll-up of every team (figures + chart, on its own): "
              f"{(time.perf_counter() - began) * 1000:.0f} ms, {len(rollup.teams)} teams shown")
        if before:
            old = await weekly_run(ctx, shared=False)
            print(f"  whole weekly run, figures once per team (before): {whole(old)}")
            print(f"  ratio before/after: total ×{sum(old) / sum(after):.1f}, "
                  f"median a team ×{statistics.median(old) / statistics.median(after):.1f}")
    finally:
        await db.close()


async def measure(url: str, repeats: int, size: Size) -> dict[str, list[float]]:
    settings = Settings(timezone="UTC", teams=[TeamSettings(name=team_name(t)) for t in range(size.teams)])
    db = Database(url)
    ctx = Context(settings, db, FakeClock(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    team = team_name(7)
    result: dict[str, list[float]] = {
        "kudos figures (storage.digest)": [], "mood report (check-ins)": [], "closed polls (polls)": [],
        "whole digest: all figures + chart + message": [],
    }
    try:
        for _ in range(repeats + 1):
            began = time.perf_counter()
            digest = await gather(ctx, team, LAST)
            await render(ctx, digest)
            result["whole digest: all figures + chart + message"].append(time.perf_counter() - began)
            for name, part in (
                ("kudos figures (storage.digest)", kudos_part(ctx, team)),
                ("mood report (check-ins)", mood_report(ctx, team, LAST.label)),
                ("closed polls (polls)", closed_polls(ctx, team, LAST.start(UTC), LAST.end(UTC))),
            ):
                began = time.perf_counter()
                await part
                result[name].append(time.perf_counter() - began)
        print(f"  {team} {LAST.label}: {digest.kudos.given} kudos, mood "
              f"{digest.mood.average if digest.mood else 'n/a'}, trend {digest.mood.trend if digest.mood else ()}")
    finally:
        await db.close()
    return result


def sizes(rows: Rows) -> Iterator[str]:
    for table, (_, data) in rows.items():
        yield f"{table} {len(data):,}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL URL whose server gets a scratch database for the run")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the loaded database afterwards (to EXPLAIN queries)")
    parser.add_argument("--teams", type=int, default=Size.teams, help=f"how many teams (default {Size.teams})")
    parser.add_argument("--people-per-team", type=int, default=Size.per_team,
                        help=f"people in each team (default {Size.per_team})")
    parser.add_argument("--before", action="store_true",
                        help="also time the whole run with figures counted once per team, as before (slow)")
    args = parser.parse_args()
    size = Size(args.teams, args.people_per_team)

    began = time.perf_counter()
    rows = generate(random.Random(47), size)
    print(f"generated in {time.perf_counter() - began:.1f} s: " + ", ".join(sizes(rows)))

    scratch = None
    if args.postgres:
        scratch = f"huzzah_bench_{uuid.uuid4().hex[:8]}"
        await admin(args.postgres, f'CREATE DATABASE "{scratch}"')
        url = make_url(normalize_url(args.postgres)).set(database=scratch).render_as_string(hide_password=False)
    else:
        url = f"sqlite+aiosqlite:///{tempfile.mkdtemp(prefix='huzzah-bench-')}/bench.db"
    try:
        await create_schema(url)
        began = time.perf_counter()
        if args.postgres:
            await load_postgres(url, rows)
        else:
            load_sqlite(make_url(url).database, rows)  # type: ignore[arg-type]
        print(f"loaded into {make_url(url).get_backend_name()} in {time.perf_counter() - began:.1f} s")
        del rows
        for name, runs in (await measure(url, args.repeats, size)).items():
            print(f"  {name}: {timed(runs)}")
        await measure_runs(url, size, args.before)
    finally:
        if args.keep:
            print(f"kept: {url}")
        elif scratch:
            await admin(args.postgres, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
