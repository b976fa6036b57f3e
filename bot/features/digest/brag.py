"""The company brag sheet: the week's most-backed kudos from every team, for a company-wide channel.

Kudos only — no mood, no vents, no figures — and none that names anyone who said `feature off`.
"""

from __future__ import annotations

from bot.config import Settings
from bot.context import Context
from bot.features.digest.settings import DigestSettings
from bot.features.digest.view import highlight
from bot.features.digest.week import Week
from bot.i18n import tr
from bot.messages import Block, Message, Strong, footnote, message, text
from bot.people import Person
from storage.kudos import KudosRecord, get_kudos
from storage.org import kudos_ids_between, opted_out
from storage.people import people_by_id


def _named(record: KudosRecord) -> set[Person]:
    return {record.giver, *record.recipients, *record.cogivers, *(p for p in record.reason if isinstance(p, Person))}


async def brag_highlights(ctx: Context, week: Week) -> list[KudosRecord]:
    """The week's kudos most people stood behind, leaving out every one that names someone who opted out."""
    zone = ctx.settings.zone
    async with ctx.db.transaction() as conn:
        hidden = set((await people_by_id(conn, list(await opted_out(conn)))).values())
        records = [r for r in [await get_kudos(conn, i) for i in await kudos_ids_between(
            conn, week.start(zone), week.end(zone))] if r is not None]
    fit = [r for r in records if not _named(r) & hidden]
    fit.sort(key=lambda r: (len(r.cogivers), len(r.recipients), r.created_at), reverse=True)
    return fit[: ctx.settings.section(DigestSettings).brag.highlights]


def brag_message(settings: Settings, week: Week, records: list[KudosRecord]) -> Message:
    blocks: list[Block] = [text(Strong(tr("🎉 Kudos from around the company")), f"  {week.span()}")]
    for record in records:
        blocks += [footnote(record.team), *highlight(settings, record)]
    blocks.append(footnote(tr("Anyone can keep themselves off this list: type `feature off` to Huzzah.")))
    return message(*blocks, summary=tr("🎉 {count} kudos from around the company", count=len(records)))
