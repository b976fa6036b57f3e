"""The check-in ticker: ask each member when their own time comes, remind once, close rounds, forget old ones.

Every step is claimed in the database before it happens — an invitation row per person per round (written
with its DM in one transaction, the DM keyed `checkin:<round>:<person>`), a `reminded` flag, a `closed`
flag — so a restart mid-fan-out, a late tick or a second instance neither skips nor repeats anyone.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.failures import log_failure
from bot.features.checkins.members import CheckinService
from bot.features.checkins.schedule import Slot, first_close, slot_for
from bot.features.checkins.settings import CheckinSettings
from bot.features.checkins.views import question
from bot.i18n import speaking, tr, weekday
from bot.i18n import when as when_
from bot.metrics import CHECKIN_ANSWERS, CHECKIN_INVITATIONS, CHECKIN_REMINDERS, CHECKIN_ROUNDS_CLOSED, CHECKIN_VENTS
from bot.outbox import send_later
from bot.outgoing import Direct
from bot.people import Person
from bot.speakers import language_in
from storage import checkins as repo
from storage.people import people_by_id, upsert_person

log = logging.getLogger(__name__)


def when(moment: datetime, slot: Slot) -> str:
    """`Monday 23 Nov at 15:00` in the slot's time zone, written as the reader's language writes dates."""
    local = moment.astimezone(slot.zone)
    return tr("{day} {date} at {time}", day=weekday(local.weekday()), date=when_(local, "dMMM"),
              time=when_(local, "Hm"))


def invite_key(round_id: str, person_id: int) -> str:
    return f"checkin:{round_id}:{person_id}"


class Rounds(CheckinService):
    async def tick(self) -> None:
        now = self.ctx.clock.now()
        if self.settings.section(CheckinSettings).enabled:
            for team, people in (await self.members.by_team()).items():
                try:
                    await self._ask_due(team, people, now)
                except Exception as exc:
                    log_failure(log, f"check-in fan-out for team {team!r}", exc)
            if self.settings.section(CheckinSettings).reminder:
                await self._remind(now)
        await self._close(now)
        await self._forget(now)

    async def _ask_due(self, team: str, people: list[Person], now: datetime) -> None:
        """Invite everyone whose own check-in time has come and whose window is still open."""
        open_for = timedelta(days=self.settings.section(CheckinSettings).open_days)
        askable = [p for p in people if not p.is_bot and p.active]
        async with self.ctx.db.transaction() as conn:
            known = await repo.people_ids(conn, askable)
            prefs = await repo.prefs_of(conn, known.values())
            invited: dict[str, set[int] | None] = {}  # None: that week's round has closed
            due: list[tuple[Person, Slot, datetime, str]] = []
            for person in askable:
                pid = known.get(person)
                pref = prefs.get(pid) if pid is not None else None
                if pref is not None and pref.opted_out:
                    continue
                slot = slot_for(self.settings, person.tz, pref)
                ask_at = next((t for t in slot.recent(now) if t <= now < t + open_for), None)
                if ask_at is None:
                    continue
                week = slot.week_of(ask_at)
                if week not in invited:
                    existing = await repo.round_for(conn, team, week)
                    if existing is None:
                        invited[week] = set()
                    else:
                        invited[week] = await repo.invited(conn, existing.id) if existing.is_open(now) else None
                asked = invited[week]
                if asked is not None and (pid is None or pid not in asked):
                    due.append((person, slot, ask_at, week))
        for person, slot, ask_at, week in due:
            await self._invite(team, person, slot, ask_at, week, now)

    async def _invite(self, team: str, person: Person, slot: Slot, ask_at: datetime, week: str, now: datetime) -> None:
        """One person's invitation and DM, together or not at all."""
        closes = ask_at + timedelta(days=self.settings.section(CheckinSettings).open_days)
        async with self.ctx.db.transaction() as conn:
            pid = await upsert_person(conn, person, now)
            found = await repo.ensure_round(conn, self.ctx.db.key, team, week, first_close(self.settings, week, ask_at))
            # asked now, not at the missed slot time: a catch-up after downtime must not bring its reminder along
            if not found.is_open(now) or not await repo.add_invite(conn, found.id, pid, now):
                return
            await repo.keep_open_until(conn, found.id, closes)
            with speaking(await language_in(conn, person)):
                dm = Direct(person, question(self.settings, found.id, when(closes, slot)))
            await send_later(conn, dm, now, key=invite_key(found.id, pid))
        self.ctx.metrics.count(CHECKIN_INVITATIONS, how="scheduled")

    async def _remind(self, now: datetime) -> None:
        asked_before = now - timedelta(hours=self.settings.section(CheckinSettings).reminder_after_hours)
        async with self.ctx.db.transaction() as conn:
            due = await repo.due_reminders(conn, self.ctx.db.key, asked_before, now)
        for round_id, pid in due:
            async with self.ctx.db.transaction() as conn:
                if not await repo.claim_reminder(conn, round_id, pid):
                    continue
                person = (await people_by_id(conn, [pid])).get(pid)
                pref = (await repo.prefs_of(conn, [pid])).get(pid)
                found = await repo.get_round(conn, round_id)
                if person is None or found is None or not person.active or (pref and pref.opted_out):
                    continue
                slot = slot_for(self.settings, person.tz, pref)
                with speaking(await language_in(conn, person)):
                    dm = Direct(person, question(self.settings, round_id, when(found.closes_at, slot), reminder=True))
                await send_later(conn, dm, now, key=f"{invite_key(round_id, pid)}:reminder")
            self.ctx.metrics.count(CHECKIN_REMINDERS)

    async def _close(self, now: datetime) -> None:
        async with self.ctx.db.transaction() as conn:
            due = await repo.rounds_due_to_close(conn, now)
        for round_id in due:
            async with self.ctx.db.transaction() as conn:
                closed = await repo.close_round(conn, self.ctx.db.key, round_id)
            if closed is not None:  # counted once, by the instance that closed it, and never before it closed
                await self.ctx.db.scrub(repo.ANSWER_TABLES)
                self.ctx.metrics.count(CHECKIN_ROUNDS_CLOSED)
                self.ctx.metrics.count(CHECKIN_ANSWERS, closed.answers)
                self.ctx.metrics.count(CHECKIN_VENTS, closed.vents)

    async def _forget(self, now: datetime) -> None:
        cutoff = now - timedelta(weeks=self.settings.retention_weeks)
        async with self.ctx.db.transaction() as conn:
            gone = await repo.forget_rounds_closed_before(conn, cutoff)
        if gone:
            log.info("retention: erased %d check-in round(s) older than %d weeks", gone, self.settings.retention_weeks)
