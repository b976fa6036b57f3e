"""Answering: a mood button press, or `checkin` to be asked right now.

The answer's transaction writes two things only: the "answered" mark (keyed, so not even who without the server
key) and the answer sealed to its round (what, unreadable until the round closes, and never who). It never
touches the person's own row, the tallies, or anything else that could carry a time or an id.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.config import Settings
from bot.features.checkins.grammar import StartCheckin
from bot.features.checkins.members import CheckinService
from bot.features.checkins.rounds import when
from bot.features.checkins.schedule import Slot, first_close, slot_for
from bot.features.checkins.settings import CheckinSettings
from bot.features.checkins.views import (
    ALREADY,
    CLOSED,
    NO_TEAM,
    NOT_YOURS,
    STALE,
    SWITCHED_OFF,
    THANKS,
    question,
    told,
    vent_form,
)
from bot.i18n import tr
from bot.incoming import Pressed, Said
from bot.messages import say
from bot.metrics import CHECKIN_INVITATIONS
from bot.outgoing import Response, reply
from bot.people import Person
from storage import checkins as repo
from storage.keys import ServerKey
from storage.people import person_id, upsert_person


async def current_round(conn: AsyncConnection, key: ServerKey, settings: Settings, team: str, slot: Slot,
                        now: datetime, answerer: int | None = None) -> repo.Round:
    """The round someone acting now belongs to: the newest open one they haven't answered, else this week's."""
    rounds = await repo.open_rounds(conn, team, now)
    for found in rounds:
        if answerer is None or not await repo.has_answered(conn, key, found.id, answerer):
            return found
    if rounds:
        return rounds[0]
    week = slot.week_of(now)
    return await repo.ensure_round(conn, key, team, week, first_close(settings, week, now))


class Answers(CheckinService):
    async def press(self, pressed: Pressed) -> Response:
        """A mood button: counted once, never echoed — the reply says only that it was recorded."""
        round_id, _, raw = pressed.value.partition(":")
        if raw not in {"1", "2", "3", "4", "5"}:
            return reply(told(STALE))
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            found = await repo.get_round(conn, round_id)
            if found is None:
                return reply(told(STALE))
            if not found.is_open(now) or not await repo.hold_open(conn, found.id):
                return reply(told(CLOSED))
            me = await person_id(conn, pressed.sender)
            if me is None or not await repo.is_invited(conn, found.id, me):
                return reply(told(NOT_YOURS))
            if not await repo.record_mood(conn, self.ctx.db.key, found, me, int(raw)):
                return reply(told(ALREADY))
        await self.ctx.db.forget_page_history()
        return Response(replies=(told(THANKS),), form=vent_form(self.settings, found.id))

    async def start(self, said: Said, _cmd: StartCheckin) -> Response:
        """`checkin`: this round's question right now, privately, once per round."""
        if not self.settings.section(CheckinSettings).enabled:
            return reply(told(SWITCHED_OFF))
        member = await self.members.find(said.sender)
        if member is None:
            return reply(told(NO_TEAM))
        team, person = member
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            me = await upsert_person(conn, _with_tz(said.sender, person), now)
            slot = slot_for(self.settings, person.tz, (await repo.prefs_of(conn, [me])).get(me))
            found = await current_round(conn, self.ctx.db.key, self.settings, team, slot, now, me)
            if await repo.has_answered(conn, self.ctx.db.key, found.id, me):
                return reply(say(tr(
                    "You've already checked in this round — thank you. Your next check-in: {next}. "
                    "`vent` is open any time.", next=when(slot.next_after(found.closes_at), slot),
                )))
            closes = max(found.closes_at, now + timedelta(days=self.settings.section(CheckinSettings).open_days))
            invited = await repo.add_invite(conn, found.id, me, now)
            if invited:
                await repo.keep_open_until(conn, found.id, closes)
            else:
                closes = found.closes_at
        if invited:
            self.ctx.metrics.count(CHECKIN_INVITATIONS, how="asked")
        return reply(question(self.settings, found.id, when(closes, slot)))


def _with_tz(sender: Person, member: Person) -> Person:
    """The sender, with what the directory knows about them when the event itself did not say."""
    if sender.tz or not member.tz:
        return sender
    return Person(sender.platform, sender.workspace, sender.user_id, sender.name or member.name, member.tz,
                  sender.is_bot, sender.active)
