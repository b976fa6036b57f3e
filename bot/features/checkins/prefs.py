"""`checkin at thu 22:00` and `checkin off|on`: each person's own schedule, for shift workers."""

from __future__ import annotations

from bot.features.checkins.grammar import MoveCheckin, SwitchCheckins
from bot.features.checkins.members import CheckinService
from bot.features.checkins.rounds import when
from bot.features.checkins.schedule import slot_for
from bot.i18n import tr
from bot.incoming import Said
from bot.messages import footnote, message, text
from bot.outgoing import Response, reply
from storage import checkins as repo
from storage.people import upsert_person


class Preferences(CheckinService):
    async def move(self, said: Said, cmd: MoveCheckin) -> Response:
        now = self.ctx.clock.now()
        member = await self.members.find(said.sender)
        tz = said.sender.tz or (member[1].tz if member else None)
        async with self.ctx.db.transaction() as conn:
            me = await upsert_person(conn, said.sender, now)
            await repo.set_prefs(conn, me, day=cmd.day, time=cmd.time)
            prefs = (await repo.prefs_of(conn, [me]))[me]
        slot = slot_for(self.settings, tz, prefs)
        notes = []
        if not tz:
            notes.append(footnote(tr("I don't know your time zone, so I'm using {zone}. "
                                     "Set yours in your profile and I'll follow it.", zone=slot.zone.key)))
        if prefs.opted_out:
            notes.append(footnote(tr("Check-ins are off for you — `checkin on` to start them again.")))
        if member is None:
            notes.append(footnote(tr("You're not in any team's channels yet, so there's nothing to ask you for now.")))
        return reply(message(
            text(tr("🗓️ Done — your check-in is now on {slot}. Next one: {next}.", slot=slot.describe(),
                    next=when(slot.next_after(now), slot))),
            *notes,
        ))

    async def switch(self, said: Said, cmd: SwitchCheckins) -> Response:
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            me = await upsert_person(conn, said.sender, now)
            await repo.set_prefs(conn, me, opted_out=not cmd.on)
        if cmd.on:
            return reply(message(text(tr("👋 Welcome back — you'll get the weekly check-in again.")),
                                 footnote(tr("Type `checkin` to answer this week's now."))))
        return reply(message(
            text(tr("OK — no more check-ins for you. Nobody is told that you opted out.")),
            footnote(tr("`checkin on` brings them back, and `vent` stays open whenever you need it.")),
        ))
