"""Taking a kudos back (`undo`, the Undo button, removing the reaction that gave it), correcting it (`edit`)
and moderating it (`remove`): the giver may within a few minutes, an admin always, with a reason on record."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.context import Context
from bot.edge import record_id
from bot.features.kudos.giving import VIEW, Kudos, KudosError, reaction_origin, track_key
from bot.features.kudos.grammar import EditKudos, GiveKudos, RemoveKudos, UndoKudos
from bot.features.kudos.settings import KudosSettings
from bot.features.kudos.views import corrected, removed_notice, taken_back, withdrawn_dm
from bot.i18n import speaking, tr, tr_plural
from bot.incoming import Pressed, Reacted, Said
from bot.messages import Message, say
from bot.outbox import send_later, take_down, unsent
from bot.outgoing import NOTHING, Direct, Refresh, Response, reply
from bot.people import Person
from bot.speakers import language_in
from storage import kudos as repo
from storage.delivery import release_once
from storage.kudos import KudosRecord
from storage.people import person_id, upsert_people, upsert_person

MSTEAMS = "msteams"


class Withdrawal:
    def __init__(self, ctx: Context, kudos: Kudos) -> None:
        self.ctx = ctx
        self.kudos = kudos

    @property
    def minutes(self) -> int:
        return self.ctx.settings.section(KudosSettings).undo_minutes

    async def undo(self, said: Said, cmd: UndoKudos) -> Response:
        return await self._answer(self._undo_latest(said.sender))

    async def undo_pressed(self, pressed: Pressed) -> Response:
        kudos_id = record_id(pressed.value)
        if kudos_id is None:
            return reply(say(tr("That button is out of date — type `undo` to take back your latest huzzah.")))
        return await self._answer(self._take_back(pressed.sender, kudos_id, ""))

    async def remove(self, said: Said, cmd: RemoveKudos) -> Response:
        return await self._answer(self._take_back(said.sender, cmd.kudos_id, cmd.reason))

    async def edit(self, said: Said, cmd: EditKudos) -> Response:
        return await self._answer(self._edit(said.sender, cmd))

    async def react(self, reacted: Reacted) -> Response:
        """An added reaction may give a kudos; a removed one takes back the kudos it gave, within the window
        (after it, the kudos stays and the reactor is told who can remove it)."""
        kudos = self.ctx.settings.section(KudosSettings)
        wanted = kudos.msteams_reaction if reacted.channel.platform == MSTEAMS else kudos.reaction
        if reacted.emoji != wanted:  # Teams names its reactions its own way
            return NOTHING
        reacted = replace(reacted, emoji=kudos.reaction)
        if not reacted.removed:
            return await self.kudos.react(reacted)
        async with self.ctx.db.transaction() as conn:
            kudos_id = await repo.kudos_of_origin(conn, reaction_origin(reacted))
        if kudos_id is None:
            return NOTHING
        return await self._answer(self._take_back(reacted.sender, kudos_id, ""))

    @staticmethod
    async def _answer(work: Awaitable[Message]) -> Response:
        try:
            return reply(await work)
        except KudosError as no:
            return reply(say(str(no)))

    async def _undo_latest(self, giver: Person) -> Message:
        async with self.ctx.db.transaction() as conn:
            pid = await person_id(conn, giver)
            kudos_id = await repo.latest_given(conn, pid) if pid is not None else None
        if kudos_id is None:
            raise KudosError(tr("You haven't given a huzzah yet, so there is nothing to take back."))
        return await self._take_back(giver, kudos_id, "")

    def _open(self, record: KudosRecord) -> bool:
        """Whether its giver may still take it back or correct it."""
        return self.ctx.clock.now() - record.created_at <= timedelta(minutes=self.minutes)

    async def _record(self, conn: AsyncConnection, kudos_id: int) -> KudosRecord:
        record = await repo.get_kudos(conn, kudos_id)
        if record is None:
            raise KudosError(tr("There is no huzzah no. {number} — it may have been removed already.",
                              number=str(kudos_id)))
        return record

    async def _take_back(self, actor: Person, kudos_id: int, reason: str) -> Message:
        now, settings = self.ctx.clock.now(), self.ctx.settings
        async with self.ctx.db.transaction() as conn:
            record = await self._record(conn, kudos_id)
            own, admin = actor == record.giver, settings.is_admin(actor)
            if not own and not admin:
                raise KudosError(tr("Only the person who gave a huzzah, or an admin, can remove it."))
            if own and not admin and not self._open(record):
                raise KudosError(tr_plural(
                    "You gave that huzzah more than {n} minute ago, so it can't be taken back now. "
                    "If it has to go, ask an admin to remove it (they'll need its number and why).",
                    "You gave that huzzah more than {n} minutes ago, so it can't be taken back now. "
                    "If it has to go, ask an admin to remove it (they'll need its number and why).", self.minutes,
                ))
            moderated = not (own and self._open(record))
            if moderated and not reason:
                raise KudosError(tr("Say why you're removing it — e.g. `remove {number} it names a customer`. "
                                    "The reason goes in the audit log, and the giver is told.", number=str(kudos_id)))
            origin = await repo.origin_of(conn, kudos_id)
            if not await repo.remove_kudos(conn, kudos_id):  # a second undo racing this one: it won
                raise KudosError(tr("Huzzah no. {number} was removed already.", number=str(kudos_id)))
            if origin is not None:  # the same reaction, added again, thanks again
                await release_once(conn, origin)
            track = track_key(kudos_id)
            await take_down(conn, track, f"{track}:post", now)
            for person in record.recipients:
                pid = await person_id(conn, person)
                if not await unsent(conn, f"{track}:dm:{pid}", now):  # told it was given: told it is gone
                    with speaking(await language_in(conn, person)):
                        gone = Direct(person, withdrawn_dm(record, by_admin=moderated))
                    await send_later(conn, gone, now, key=f"{track}:withdrawn:{pid}")
            actor_id = await upsert_person(conn, actor, now)
            if moderated:
                giver_id = await upsert_person(conn, record.giver, now)
                await repo.log_removal(conn, kudos_id=kudos_id, giver_id=giver_id, removed_by_id=actor_id,
                                       reason=reason, at=now)
                if not own:
                    with speaking(await language_in(conn, record.giver)):
                        notice = Direct(record.giver, removed_notice(record, reason))
                    await send_later(conn, notice, now, key=f"{track}:removed")
            left = await self.kudos._allowance_left(conn, actor, actor_id, now) if own else None
        return taken_back(record, left)

    async def _edit(self, giver: Person, cmd: EditKudos) -> Message:
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            pid = await person_id(conn, giver)
            kudos_id = await repo.latest_given(conn, pid) if pid is not None else None
            if kudos_id is None:
                raise KudosError(tr("You haven't given a huzzah yet, so there is nothing to correct."))
            record = await self._record(conn, kudos_id)
            if not self._open(record):
                raise KudosError(tr_plural(
                    "You gave your last huzzah more than {n} minute ago, so it can't be changed now. "
                    "If it has to go, ask an admin to remove it.",
                    "You gave your last huzzah more than {n} minutes ago, so it can't be changed now. "
                    "If it has to go, ask an admin to remove it.", self.minutes,
                ))
            self.kudos._check(giver, GiveKudos(record.recipients, cmd.reason, cmd.values))
            mentioned = [p for p in cmd.reason if isinstance(p, Person)]
            ids = {p: stored.id for p, stored in (await upsert_people(conn, mentioned, now)).items()}
            values = self.kudos._values(cmd.values)
            await repo.correct_kudos(conn, kudos_id, repo.encode_reason(cmd.reason, ids), values)
            # drawn afresh when delivered: a post still on its way is corrected as soon as it is out
            await send_later(conn, Refresh(track_key(kudos_id), VIEW, str(kudos_id)), now)
            record = await self._record(conn, kudos_id)
        return corrected(record)
