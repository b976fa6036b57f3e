"""Kudos' part of a person's own page (Slack's App Home): their huzzahs this week and all time, the latest
thanks, our values."""

from __future__ import annotations

from bot.context import Context
from bot.features.kudos.limits import HOME_LATEST_KUDOS
from bot.features.kudos.stats import stats_of
from bot.features.kudos.views import givers, value_chips
from bot.i18n import tr, when
from bot.messages import Block, Divider, Fields, Strong, footnote, text
from bot.people import Person
from storage.kudos import latest_received
from storage.people import person_id


async def home_section(ctx: Context, person: Person, prefix: str) -> list[Block]:
    stats = await stats_of(ctx, person)
    async with ctx.db.transaction() as conn:
        pid = await person_id(conn, person)
        latest = await latest_received(conn, pid, HOME_LATEST_KUDOS) if pid is not None else []
    blocks: list[Block] = [text("🎉 ", Strong(tr("Your huzzahs")))]
    if stats is None or (stats.given_total == 0 and stats.received_total == 0):
        blocks.append(text(tr("No huzzahs yet — thank someone who helped you today and it starts here.")))
    else:
        blocks.append(Fields((
            (tr("This week"), tr("received {received} · given {given}", received=stats.received_week,
                                 given=stats.given_week)),
            (tr("All time"), tr("received {received} · given {given}", received=stats.received_total,
                                given=stats.given_total)),
        )))
    blocks += [Divider(), text(Strong(tr("Latest thanks for you")))]
    if not latest:
        blocks.append(footnote(tr("Nothing yet — it will show up here.")))
    for record in latest:
        chips = value_chips(ctx.settings, record.values)
        blocks.append(text(*record.reason, quote=True))
        blocks.append(footnote(*givers(record), f"  ·  {chips}" if chips else "",
                               f"  ·  {when(record.created_at.astimezone(ctx.settings.zone), 'yMMMd')}"))
    blocks += [Divider(), text(Strong(tr("Our values")))]
    if ctx.settings.values:
        blocks.append(Fields(tuple((f"{v.emoji} #{v.name}".strip(), v.meaning or " ") for v in ctx.settings.values)))
    else:
        blocks.append(footnote(tr("No values are configured yet (see `values` in app.yaml).")))
    example = f"{prefix}@someone thanks for … #value"
    blocks.append(footnote(tr("Give a huzzah: {example}", example=example)))
    return blocks
