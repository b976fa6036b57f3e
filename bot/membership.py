"""Team membership kept in an HR system: a CSV of `email,team,manager`, read afresh each time it is needed.

A bad file is one line naming the row and column, so whoever exports it can fix that row.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

REQUIRED = ("email", "team")


class MembershipError(Exception):
    """One line naming the file, row and column, and what to write instead."""


@dataclass(frozen=True)
class Member:
    email: str
    team: str
    manager: str
    """The email of the person's manager, who then reads this team's digest ('' when the column is empty)."""


def read_members(path: str, teams: Collection[str]) -> list[Member]:
    """Every row, with its team matched case-insensitively to one in app.yaml."""
    known = {t.casefold(): t for t in teams}
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = [c.strip().casefold() for c in reader.fieldnames or []]
            missing = [c for c in REQUIRED if c not in columns]
            if missing:
                raise MembershipError(f"{path}: row 1: no {missing[0]!r} column — the first row must name the "
                                      "columns email,team,manager")
            out = []
            for number, row in enumerate(reader, start=2):
                cells = {(k or "").strip().casefold(): (v or "").strip() for k, v in row.items()}
                email, team = cells.get("email", ""), cells.get("team", "")
                if "@" not in email.strip("@"):
                    raise MembershipError(f"{path}: row {number}, column email: {email!r} is not an email address")
                if team.casefold() not in known:
                    raise MembershipError(f"{path}: row {number}, column team: {team!r} is not a team in app.yaml "
                                          f"(teams: {', '.join(teams) or 'none'})")
                out.append(Member(email, known[team.casefold()], cells.get("manager", "")))
            return out
    except OSError as exc:
        raise MembershipError(f"{path}: cannot be read ({exc.strerror or exc}) — check membership.csv in app.yaml") \
            from None
