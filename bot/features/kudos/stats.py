"""`stats`: what a person gave and received, so thanks feel counted."""

from __future__ import annotations

from bot.calendar import week_start
from bot.context import Context
from bot.features.kudos.grammar import ShowStats
from bot.features.kudos.views import value_chips
from bot.i18n import number, tr
from bot.incoming import Said
from bot.messages import Fields, Message, Strong, message, text
from bot.outgoing import Response, reply
from bot.people import Person
from storage.kudos import PersonStats, person_stats
from storage.people import person_id


async def stats_of(ctx: Context, person: Person) -> PersonStats | None:
    async with ctx.db.transaction() as conn:
        pid = await person_id(conn, person)
        if pid is None:
            return None
        return await person_stats(conn, pid, week_start(ctx.clock.now(), ctx.settings.zone))


def stats_message(ctx: Context, person: Person, stats: PersonStats | None, *, yours: bool) -> Message:
    if stats is None or (stats.given_total == 0 and stats.received_total == 0):
        if yours:
            return message(text(tr("You haven't given or received a huzzah yet.")))
        return message(text(tr("{name} hasn't given or received a huzzah yet.", name=person.label)))
    top = ", ".join(f"{value_chips(ctx.settings, (v,))} ({number(n)})" for v, n in stats.top_values) or "—"
    title = tr("Your huzzahs") if yours else tr("{name}'s huzzahs", name=person.label)
    return message(
        text(Strong(title)),
        Fields((
            (tr("This week"), tr("given {given} · received {received}", given=stats.given_week,
                                 received=stats.received_week)),
            (tr("All time"), tr("given {given} · received {received}", given=stats.given_total,
                                received=stats.received_total)),
            (tr("Top values"), top),
        )),
        summary=tr("{title}: received {received}, given {given}", title=title, received=stats.received_total,
                   given=stats.given_total),
    )


async def show_stats(ctx: Context, said: Said, cmd: ShowStats) -> Response:
    person = cmd.who or said.sender
    return reply(stats_message(ctx, person, await stats_of(ctx, person), yours=person == said.sender))
