"""`huzzah privacy @person` and `huzzah forget @person`: a person's data, shown or erased, from the terminal.

For subject-access and erasure requests. Check-in answers are never part of it — nothing links them to
anyone — which the report says, so whoever handles the request can tell the person so.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Any

from bot.config import Settings
from bot.features.celebrations.settings import CelebrationsSettings
from huzzah.wiring import running_core
from storage import privacy
from storage.db import Database

NO_ANSWERS = (
    "Check-in answers and vents: none can be shown or erased for anyone — they are stored with no link to "
    "the person who gave them. (checkin_invites records that they were asked; whether they answered an open round "
    "is a mark only the server key can match, gone when the round closes.)"
)


def _value(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


async def _one(db: Database, who: str) -> privacy.Found | None:
    async with db.transaction() as conn:
        found = await privacy.find(conn, who)
    if not found:
        print(f"huzzah: no one called {who} is stored — nothing held about them.", file=sys.stderr)
        return None
    if len(found) > 1:
        options = ", ".join(f"{f.person.platform}:{f.person.user_id} ({f.person.name})" for f in found)
        print(f"huzzah: {who} matches several people: {options}. Name one as platform:user_id.", file=sys.stderr)
        return None
    return found[0]


async def show(settings: Any, who: str, url: str | None = None) -> int:
    async with running_core(settings, url) as core:
        found = await _one(core.ctx.db, who)
        if found is None:
            return 2
        async with core.ctx.db.transaction() as conn:
            held = await privacy.holdings(conn, found)
    person = found.person
    print(f"Everything Huzzah stores about {person.name or person.user_id} ({person.platform}:{person.user_id}):")
    for table, rows in held.rows.items():
        print(f"\n{table} — {len(rows)} row{'s' if len(rows) != 1 else ''}")
        for row in rows:
            print("  " + ", ".join(f"{k}={_value(v)}" for k, v in row.items()))
    print(f"\n{NO_ANSWERS}")
    if _celebrations_csv(settings):
        print(f"\nCelebrations: their dates, if HR listed them, are in {_celebrations_csv(settings)}, which Huzzah "
              "reads each day and never copies (only their choice, celebration_choices above, is stored).")
    return 0


async def erase(settings: Any, who: str, *, yes: bool, url: str | None = None) -> int:
    async with running_core(settings, url) as core:
        found = await _one(core.ctx.db, who)
        if found is None:
            return 2
        label = f"{found.person.name or found.person.user_id} ({found.person.platform}:{found.person.user_id})"
        if not yes:
            if not sys.stdin.isatty():  # a script or a pipe: no one to ask, and silence is never a yes
                print(f"huzzah: this would erase everything about {label} and there is no terminal to ask on "
                      "— add --yes to confirm.", file=sys.stderr)
                return 2
            if not confirmed(label):
                return 1
        async with core.ctx.db.transaction() as conn:
            counts = await privacy.forget(conn, found)
    print(f"Erased {label}: " + ", ".join(f"{table} {n}" for table, n in counts.items() if n) + ".")
    print("Messages already delivered to Slack or Teams stay there; remove them in the platform if needed.")
    if _celebrations_csv(settings):
        print(f"If they are in the celebrations CSV ({_celebrations_csv(settings)}), remove them there too: Huzzah "
              "reads that file, never changes it, and would celebrate them again.")
    return 0


def _celebrations_csv(settings: Any) -> str:
    return str(settings.section(CelebrationsSettings).csv) if isinstance(settings, Settings) else ""


def confirmed(label: str) -> bool:
    """Ask on the terminal, defaulting to no: an erasure cannot be undone, so only y or yes erases."""
    try:
        answer = input(f"Erase everything about {label}? This cannot be undone. [y/N] ")
    except (EOFError, KeyboardInterrupt):
        answer = ""
        print()
    if answer.strip().casefold() in ("y", "yes"):
        return True
    print("Nothing was erased.")
    return False
