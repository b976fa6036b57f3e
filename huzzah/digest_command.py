"""`huzzah digest`: preview a team's weekly digest in the terminal (chart saved as a PNG), or post it now."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from adapters.console.render import render as render_text
from bot.app import Huzzah
from bot.features.checkins.report import MoodWeeks
from bot.features.digest.audience import has_audience
from bot.features.digest.figures import gather
from bot.features.digest.period import Period
from bot.features.digest.rollup import gather_rollup
from bot.features.digest.rollup_chart import draw_rollup
from bot.features.digest.rollup_view import rollup_message
from bot.features.digest.settings import DigestSettings
from bot.features.digest.week import Week
from bot.features.digest.weekly import WeeklyDigest, render
from bot.messages import Image, Message
from storage.digest import run_of


def chart_path(folder: Path, team: str, week: Week) -> Path:
    slug = re.sub(r"[^\w-]+", "-", team.casefold()).strip("-") or "team"
    return folder / f"digest-{slug}-{week.label}.png"


def choose(core: Huzzah, team: str | None, week: str | None) -> tuple[list[str], Week] | str:
    """The teams and week asked for, or a one-line error saying what to type instead."""
    known = WeeklyDigest(core.ctx).teams()
    if team is not None:
        match = next((t for t in known if t.casefold() == team.casefold()), None)
        if match is None:
            return f"no team called {team!r}; teams in app.yaml: {', '.join(known)}"
        known = [match]
    if week is None:
        return known, Week.of(core.ctx.clock.now(), core.settings.zone).before()
    try:
        return known, Week.parse(week)
    except ValueError as bad:
        return str(bad)


def show(msg: Message, path: Path) -> None:
    """The message as the terminal reads it, its chart saved as a PNG beside."""
    print(render_text(msg))
    for image in (b for b in msg.blocks if isinstance(b, Image)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(image.png)
        print(f"(chart saved to {path})")
    print()


async def preview(core: Huzzah, teams: list[str], week: Week, folder: Path) -> int:
    weeks = MoodWeeks(core.settings.anonymity.min_group_size)
    for team in teams:
        show(await render(core.ctx, await gather(core.ctx, team, week, weeks)), chart_path(folder, team, week))
    return 0


async def preview_rollup(core: Huzzah, week: Week, folder: Path) -> int:
    """The executive roll-up for the week (or, when monthly and the week ends a month, that month)."""
    period = Period.ending(week, core.settings.section(DigestSettings).rollup.every) or Period((week,), False)
    rollup = await gather_rollup(core.ctx, period)
    show(rollup_message(core.settings, rollup, draw_rollup(rollup)), chart_path(folder, "rollup", week))
    return 0


async def post_now(core: Huzzah, teams: list[str], week: Week) -> int:
    if week.end(core.settings.zone) > core.ctx.clock.now():
        print(f"huzzah: {week.label} has not ended yet — preview it with --print, or post it once it is over",
              file=sys.stderr)
        return 2
    if not has_audience(core.settings):
        print("huzzah: nowhere to post — name managers or digest_channels under each team in app.yaml "
              "(or digest.channels/digest.managers for a single team)", file=sys.stderr)
        return 2
    weeks = MoodWeeks(core.settings.anonymity.min_group_size)
    for team in teams:
        sent = await WeeklyDigest(core.ctx).post(team, week, weeks)
        if sent is None:
            async with core.ctx.db.transaction() as conn:
                outcome, at = await run_of(conn, team, week.label) or ("settled", None)
            when = f" on {at:%Y-%m-%d %H:%M} UTC" if at else ""
            print(f"{team} {week.label}: already {outcome}{when}; a digest goes out at most once per week.")
        elif sent == 0:
            print(f"{team} {week.label}: nothing sent — the team names no managers or digest_channels in app.yaml, "
                  "or no workspace is known yet on their platforms.")
        else:
            print(f"{team} {week.label}: queued for {sent} recipient(s); a running `huzzah serve` delivers it.")
    await core.outbox.drain()
    return 0
