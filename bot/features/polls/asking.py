"""Asking: a typed `poll …` or the builder form becomes a poll posted in the channel it was asked in."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.calendar import zone_or
from bot.context import Context
from bot.features.polls import builder, rules
from bot.features.polls.ballot import new_secret
from bot.features.polls.deadline import resolve
from bot.features.polls.grammar import CreatePoll, OpenPollBuilder
from bot.features.polls.settings import PollSettings
from bot.features.polls.views import IN_A_CHANNEL, not_posted, poll_message, posted, track_key
from bot.i18n import speaking, tr, workspace_language
from bot.incoming import Said, Submitted
from bot.messages import say
from bot.metrics import POLLS_ASKED
from bot.outbox import send_later
from bot.outgoing import Direct, Post, Response, reply
from bot.people import Channel, Person
from storage import polls as repo
from storage.people import upsert_person
from storage.polls import Tally


class Asking:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def typed(self, said: Said, cmd: CreatePoll) -> Response:
        if said.channel.is_direct:
            return reply(say(tr(IN_A_CHANNEL)))
        closes_at, problems = self._check(cmd, said.sender)
        if problems:
            return reply(say("\n".join(problems)))
        return await self._post(said.channel, said.sender, cmd, closes_at)

    async def open_builder(self, said: Said, _: OpenPollBuilder) -> Response:
        if said.channel.is_direct:
            return reply(say(tr(IN_A_CHANNEL)))
        return Response(form=builder.builder_form(said.channel, self.ctx.settings.section(PollSettings)))

    async def submitted(self, submitted: Submitted) -> Response:
        where = builder.channel_of(submitted)
        cmd, unreadable = builder.read(submitted.values)
        closes_at, problems = self._check(cmd, submitted.sender)
        problems = unreadable + problems
        if problems:
            settings = self.ctx.settings.section(PollSettings)
            form = builder.builder_form(where, settings, submitted.values, tuple(problems))
            return Response(form=form)
        return await self._post(where, submitted.sender, cmd, closes_at)

    def _check(self, cmd: CreatePoll, asker: Person) -> tuple[datetime | None, list[str]]:
        """The deadline the poll will have, and every rule it breaks (one line each)."""
        settings = self.ctx.settings.section(PollSettings)
        now = self.ctx.clock.now()
        zone = zone_or(asker.tz, self.ctx.settings.zone)
        if cmd.closes is not None:
            hour, minute = map(int, settings.default_close_time.split(":"))
            closes_at: datetime | None = resolve(cmd.closes, now, zone, (hour, minute))
        elif settings.default_open_hours:
            closes_at = now + timedelta(hours=settings.default_open_hours)
        else:
            closes_at = None
        return closes_at, rules.problems(cmd, closes_at, now, settings, zone)

    async def _post(self, where: Channel, asker: Person, cmd: CreatePoll, closes_at: datetime | None) -> Response:
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            asker_id = await upsert_person(conn, asker, now)
            poll_id = await repo.add_poll(
                conn, channel=where, creator_id=asker_id, question=cmd.question, options=cmd.options,
                anonymous=cmd.anonymous, multi=cmd.multi, hide_results=cmd.hide_results,
                secret=new_secret() if cmd.anonymous else None, closes_at=closes_at, at=now,
            )
            poll = await repo.get_poll(conn, poll_id)
            assert poll is not None
            nobody = Tally((0,) * len(poll.options), 0, ((),) * len(poll.options))
            with speaking(workspace_language()):
                message = poll_message(poll, nobody, self.ctx.settings.zone, self.ctx.settings.anonymity.min_group_size)
            track = track_key(poll_id)
            lost = Direct(asker, not_posted(poll))
            await send_later(conn, Post(where, message, track=track, if_lost=lost), now, key=f"{track}:post")
        self.ctx.metrics.count(POLLS_ASKED)
        return reply(posted(poll, zone_or(asker.tz, self.ctx.settings.zone)))
