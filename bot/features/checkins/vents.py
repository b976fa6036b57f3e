"""Venting: free text typed into a private form, kept anonymously, or let out and kept nowhere.

The text is held only in local variables on its way to being sealed to its round — never logged, never put in
an exception message, a delivery or a key, and never stored readable before the round closes. Its transaction
writes the sealed row alone (plus the round, the first time anyone needs it), nothing with a name or id on it.
"""

from __future__ import annotations

from bot.features.checkins.answers import current_round
from bot.features.checkins.crisis import mentions_crisis
from bot.features.checkins.grammar import OpenVent
from bot.features.checkins.limits import MAX_VENT_CHARS
from bot.features.checkins.members import CheckinService
from bot.features.checkins.schedule import slot_for
from bot.features.checkins.settings import CheckinSettings, CrisisSettings
from bot.features.checkins.views import (
    DISCARD,
    DISCARD_FIELD,
    NO_TEAM,
    NOT_YOURS,
    SWITCHED_OFF,
    TYPED_IN_CHAT,
    VENT_DISCARDED,
    VENT_EMPTY,
    VENT_FIELD,
    VENT_KEPT,
    VENT_NOT_YOURS,
    VENT_TOO_LATE,
    VENT_TOO_LONG,
    crisis,
    told,
    vent_form,
)
from bot.incoming import Pressed, Said, Submitted
from bot.messages import Message
from bot.outgoing import Response, reply
from bot.people import Person
from storage import checkins as repo
from storage.people import person_id


class Vents(CheckinService):
    async def open(self, said: Said, cmd: OpenVent) -> Response:
        if not self.settings.section(CheckinSettings).enabled:
            return reply(told(SWITCHED_OFF))
        notes = (told(TYPED_IN_CHAT),) if cmd.typed else ()
        return Response(replies=notes, form=vent_form(self.settings))

    async def press(self, pressed: Pressed) -> Response:
        """The question's vent button: its form, unless that question was someone else's."""
        if pressed.value and not await self._may_answer(pressed.value, pressed.sender):
            return reply(told(NOT_YOURS))
        return Response(form=vent_form(self.settings, pressed.value))

    async def submit(self, submitted: Submitted) -> Response:
        raw = submitted.values.get(VENT_FIELD, "")
        body = (raw if isinstance(raw, str) else "\n".join(raw)).strip()
        chosen = submitted.values.get(DISCARD_FIELD, ())
        discard = DISCARD in ((chosen,) if isinstance(chosen, str) else chosen)
        replies: list[Message] = []
        if body and mentions_crisis(body, self.settings.section(CrisisSettings).phrases):
            replies.append(crisis(self.settings))
        replies.append(await self._keep(submitted, body, discard))
        return Response(replies=tuple(replies))

    async def _keep(self, submitted: Submitted, body: str, discard: bool) -> Message:
        if not body:
            return told(VENT_EMPTY)
        if discard:
            return told(VENT_DISCARDED)
        if len(body) > MAX_VENT_CHARS:
            return told(VENT_TOO_LONG, limit=MAX_VENT_CHARS)
        if submitted.context and not await self._may_answer(submitted.context, submitted.sender):
            return told(VENT_NOT_YOURS)
        member = await self.members.find(submitted.sender)
        if member is None:
            return told(NO_TEAM)
        team, person = member
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            found = await repo.get_round(conn, submitted.context) if submitted.context else None
            if found is None or found.team != team or not found.is_open(now):
                found = await current_round(conn, self.ctx.db.key, self.settings, team,
                                            slot_for(self.settings, person.tz, None), now)
            if not await repo.hold_open(conn, found.id):
                return told(VENT_TOO_LATE)
            await repo.add_vent(conn, found, body)
        await self.ctx.db.forget_page_history()
        return told(VENT_KEPT)

    async def _may_answer(self, round_id: str, sender: Person) -> bool:
        """Whether a vent for this round may come from this person: they were asked in it (or the round is long
        gone, and the vent goes to their team's current one, as `vent` does).

        Asked in its own read-only transaction, so the one that keeps the vent still writes the vent alone and
        reads nothing with a name on it.
        """
        async with self.ctx.db.transaction() as conn:
            found = await repo.get_round(conn, round_id)
            if found is None:
                return True
            me = await person_id(conn, sender)
            return me is not None and await repo.is_invited(conn, found.id, me)
