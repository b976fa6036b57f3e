"""`huzzah import-metrics` and `huzzah export`: the contact centre's figures in and out, for HR and executives.

Exports hold kudos (public thanks) and the roll-up's figures exactly as the roll-up shows them — never any
check-in answer of a person. A bad metrics CSV is one line naming the row and the column.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bot.app import Huzzah
from bot.features.digest.period import Period
from bot.features.digest.rollup import TREND_WEEKS, Rollup, Row, gather_rollup
from bot.features.digest.settings import DigestSettings
from bot.features.digest.week import Week
from bot.people import Person
from storage.kudos import KudosRecord, get_kudos
from storage.org import channel_of, kudos_ids_between, put_metrics

MetricRows = list[tuple[str, str, str, float]]
KUDOS_COLUMNS = ["id", "time", "team", "platform", "channel", "giver", "giver_id", "recipients", "recipient_ids",
                 "joined_by", "values", "reason"]


class BadFile(Exception):
    """One line: the file, the row, the column, and what to write instead."""


def _week(text: str) -> Week:
    try:
        return Week.parse(text)
    except ValueError:
        return Week.of_date(date.fromisoformat(text.strip()))


def parse_metrics(path: Path, teams: Collection[str]) -> MetricRows:
    """(team, week, metric, value) for every filled cell; BadFile names the first bad one."""
    known = {t.casefold(): t for t in teams}
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise BadFile(f"{path}: cannot be read ({exc.strerror or exc})") from None
    with handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        folded = [h.casefold() for h in header]
        for needed in ("team", "week"):
            if needed not in folded:
                raise BadFile(f"{path}: row 1: no {needed!r} column — the first row must be team,week,<metric>,…")
        named = [(i, h) for i, h in enumerate(header) if h.casefold() not in ("team", "week")]
        if not named:
            raise BadFile(f"{path}: row 1: no metric columns — add one or more, e.g. team,week,csat,fcr")
        for _, name in named:
            if not name or len(name) > 40:
                raise BadFile(f"{path}: row 1, column {name!r}: name each metric in 1 to 40 characters")
        out: MetricRows = []
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            cells += [""] * (len(header) - len(cells))
            team = cells[folded.index("team")].strip()
            if team.casefold() not in known:
                raise BadFile(f"{path}: row {number}, column team: {team!r} is not a team in app.yaml "
                              f"(teams: {', '.join(teams)})")
            try:
                week = _week(cells[folded.index("week")])
            except ValueError:
                raise BadFile(f"{path}: row {number}, column week: {cells[folded.index('week')]!r} is not a week "
                              "— write 2026-W47 or a date such as 2026-11-16") from None
            for i, name in named:
                raw = cells[i].strip()
                if not raw:
                    continue
                try:
                    value = float(raw)
                except ValueError:
                    value = math.nan
                if not math.isfinite(value):
                    raise BadFile(f"{path}: row {number}, column {name}: {raw!r} is not a number") from None
                out.append((known[team.casefold()], week.label, name, value))
        return out


async def import_metrics(core: Huzzah, path: Path) -> int:
    try:
        rows = parse_metrics(path, [t.name for t in core.settings.teams] or [core.settings.default_team])
    except BadFile as exc:
        print(f"huzzah: {exc}", file=sys.stderr)
        return 2
    async with core.ctx.db.transaction() as conn:
        count = await put_metrics(conn, rows)
    names = sorted({name for _, _, name, _ in rows})
    print(f"Imported {count} figure(s) ({', '.join(names) or 'none'}) for {len({r[0] for r in rows})} team(s); "
          "the roll-up shows them beside mood and kudos.")
    return 0


def _ids(people: Iterable[Person]) -> str:
    return "; ".join(f"{p.platform}:{p.user_id}" for p in people)


def _labels(people: Iterable[Person]) -> str:
    return "; ".join(p.label for p in people)


def kudos_row(record: KudosRecord, where: tuple[str, str]) -> dict[str, Any]:
    return {
        "id": record.id, "time": record.created_at.astimezone(UTC).isoformat(), "team": record.team,
        "platform": where[0], "channel": where[1], "giver": record.giver.label,
        "giver_id": _ids([record.giver]), "recipients": _labels(record.recipients),
        "recipient_ids": _ids(record.recipients), "joined_by": _labels(record.cogivers),
        "values": "; ".join(record.values),
        "reason": "".join(p if isinstance(p, str) else p.label for p in record.reason),
    }


def figures_rows(rollup: Rollup) -> list[dict[str, Any]]:
    """One row per team shown, then the organisation's: the same figures, withheld the same way, as the page."""
    metrics = sorted({m for r in (*rollup.teams, *filter(None, [rollup.organisation])) for m in r.metrics})

    def row(r: Row) -> dict[str, Any]:
        return {
            "period": rollup.period.label, "team": r.team, "people": r.heads, "kudos_given": r.given,
            "kudos_received": r.received, "given_per_head": r.per_head(r.given),
            "received_per_head": r.per_head(r.received),
            "participation": None if r.participation is None else round(r.participation, 3), "mood": r.mood,
            **{f"mood_{n}w": r.trend.get(n) for n in TREND_WEEKS},
            "values": "; ".join(f"{v}={n}" for v, n in sorted(r.values.items())),
            **{f"metric:{m}": r.metrics.get(m) for m in metrics},
        }

    return [row(r) for r in (*rollup.teams, *filter(None, [rollup.organisation]))]


def _write(rows: list[dict[str, Any]], fmt: str, output: str | None, columns: list[str]) -> None:
    if fmt == "json":
        body = json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in rows)
        body = buffer.getvalue()
    if output:
        Path(output).write_text(body, encoding="utf-8")
        print(f"Wrote {len(rows)} row(s) to {output}.", file=sys.stderr)
    else:
        sys.stdout.write(body)


async def export(core: Huzzah, args: argparse.Namespace) -> int:
    zone = core.settings.zone
    if args.what == "kudos":
        since = datetime.combine(args.since or date(1970, 1, 1), datetime.min.time(), tzinfo=zone)
        async with core.ctx.db.transaction() as conn:
            ids = await kudos_ids_between(conn, since)
            where = await channel_of(conn, ids)
            records = [r for r in [await get_kudos(conn, i) for i in ids] if r is not None]
        rows = [kudos_row(r, where[r.id]) for r in records]
        _write(rows, args.format, args.output, KUDOS_COLUMNS)
        return 0
    try:
        week = Week.parse(args.week) if args.week else Week.of(core.ctx.clock.now(), zone).before()
    except ValueError as bad:
        print(f"huzzah: {bad}", file=sys.stderr)
        return 2
    every = core.settings.section(DigestSettings).rollup.every
    period = Period.ending(week, every) or Period((week,), False)
    rows = figures_rows(await gather_rollup(core.ctx, period))
    _write(rows, args.format, args.output, list(rows[0]) if rows else ["period", "team"])
    return 0
