"""Fairness nudges, only in the managers' own copy of their team's digest: who nobody has thanked lately (an
invitation to look, never a ranking), and how many different people gave and received thanks — so a
popularity contest forming is seen early."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.context import Context
from bot.features.checkins.members import TeamMembers
from bot.features.digest.settings import DigestSettings
from bot.features.digest.week import Week
from bot.i18n import tr, tr_parts, tr_plural, tr_plural_parts, when
from bot.messages import Block, Divider, Message, Strong, footnote, text
from storage.checkins import people_ids
from storage.org import last_thanked, spread

MAX_NAMED = 10


async def nudges(ctx: Context, team: str, week: Week, msg: Message, teams: TeamMembers | None = None) -> Message | None:
    """`msg` with the nudges added, or None when there is nothing to add (no roster for the team's members).

    `teams`: one per run, so every team's digest shares one fresh reading of who is in which team."""
    quiet = ctx.settings.section(DigestSettings).quiet_weeks
    teams = teams or TeamMembers(ctx, ctx.rosters)
    members = [p for p in (await teams.by_team()).get(team, []) if p.active and not p.is_bot] if ctx.rosters else []
    if not members:
        return None
    zone = ctx.settings.zone
    since = week.end(zone) - timedelta(weeks=quiet)
    async with ctx.db.transaction() as conn:
        ids = await people_ids(conn, members)
        thanked = await last_thanked(conn, ids.values())
        gave, received = await spread(conn, team, since, week.end(zone))
    lines: list[Block] = []
    for person in sorted(members, key=lambda p: p.label.casefold()):
        last = thanked.get(ids[person]) if person in ids else None
        if last is not None and last >= since:
            continue
        said = tr_parts("Nobody has thanked {person} since {date} — worth a word?", person=person,
                        date=when(last.astimezone(zone), "dMMM")) if last else \
            tr_plural_parts("Nobody has thanked {person} in the last {n} week — worth a word?",
                            "Nobody has thanked {person} in the last {n} weeks — worth a word?", quiet, person=person)
        lines.append(text(*said))
    named = lines[:MAX_NAMED]
    if len(lines) > len(named):
        named.append(footnote(tr("…and {more} more.", more=len(lines) - len(named))))
    blocks: list[Block] = [
        Divider(), text(Strong(tr("🤝 For the team's managers only"))), *named,
        footnote(tr_plural("Over the last {n} week {gave} different people gave thanks and {received} received them, "
                           "of {members} in the team.",
                           "Over the last {n} weeks {gave} different people gave thanks and {received} received them, "
                           "of {members} in the team.", quiet, gave=gave, received=received, members=len(members))),
    ]
    return replace(msg, blocks=(*msg.blocks, *blocks))
