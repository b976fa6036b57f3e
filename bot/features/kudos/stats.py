"""`stats`: what a person gave and received, so thanks feel counted."""

from __future__ import annotations

from bot.calendar import week_start
from bot.context import Context
from bot.features.kudos.grammar import ShowStats
from bot.features.kudos.views import value_chips
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
    whose = "Your" if yours else f"{person.label}'s"
    if stats is None or (stats.given_total == 0 and stats.received_total == 0):
        nothing = "You haven't" if yours else f"{person.label} hasn't"
        return message(text(f"{nothing} given or received a huzzah yet."))
    top = ", ".join(f"{value_chips(ctx.settings, (v,))} ({n})" for v, n in stats.top_values) or "—"
    return message(
        text(Strong(f"{whose} huzzahs")),
        Fields((
            ("This week", f"given {stats.given_week} · received {stats.received_week}"),
            ("All time", f"given {stats.given_total} · received {stats.received_total}"),
            ("Top values", top),
        )),
        summary=f"{whose} huzzahs: received {stats.received_total}, given {stats.given_total}",
    )


async def show_stats(ctx: Context, said: Said, cmd: ShowStats) -> Response:
    person = cmd.who or said.sender
    return reply(stats_message(ctx, person, await stats_of(ctx, person), yours=person == said.sender))
