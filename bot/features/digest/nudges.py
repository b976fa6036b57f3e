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
        when = f"since {last.astimezone(zone):%-d %b}" if last else f"in the last {quiet} weeks"
        lines.append(text("Nobody has thanked ", person, f" {when} — worth a word?"))
    named = lines[:MAX_NAMED]
    if len(lines) > len(named):
        named.append(footnote(f"…and {len(lines) - len(named)} more."))
    blocks: list[Block] = [
        Divider(), text(Strong("🤝 For the team's managers only")), *named,
        footnote(f"Over the last {quiet} weeks {gave} different people gave thanks and {received} received them, "
                 f"of {len(members)} in the team."),
    ]
    return replace(msg, blocks=(*msg.blocks, *blocks))
