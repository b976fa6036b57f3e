"""The day itself: a post in the team channel once it is that day (and hour) where the person lives, once per
occasion; `celebrate off|private|on`; and the "Say congrats" button, which sends the person a note."""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from pathlib import Path

from bot.calendar import zone_or
from bot.config import parse_where
from bot.context import Context
from bot.features.celebrations.grammar import ChooseCelebration
from bot.features.celebrations.occasions import Listed, Occasion, occasions_on, read_listed
from bot.features.celebrations.settings import CelebrationsSettings
from bot.features.celebrations.views import congrats_note, private_note, public_post
from bot.i18n import N_, speaking, tr, tr_parts, workspace_language
from bot.incoming import Pressed, Said
from bot.messages import say
from bot.outbox import send_later
from bot.outgoing import Delivery, Direct, Post, Response, reply
from bot.people import Channel, Person
from bot.speakers import language_in
from storage.celebrations import account, choice_of, choose
from storage.people import upsert_person

log = logging.getLogger(__name__)

CHOSEN = {
    "on": N_("🎉 Your days will be celebrated in the team channel (if HR has listed them)."),
    "private": N_("🤫 Your days will be marked with a note only you see — nothing in the team channel."),
    "off": N_("👍 Your days won't be celebrated. `celebrate on` or `celebrate private` changes that any time."),
}


def _key(*parts: str) -> str:
    """A delivery key that names the occasion without spelling out anyone's date in the outbox."""
    return "celebrate:" + hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


class Celebrations:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._read: float | None = None
        """When the CSV last read was last changed: its problems are logged once per version."""

    def _listed(self) -> list[Listed]:
        path = self.settings.csv
        try:
            changed: float | None = Path(path).stat().st_mtime if path else None
        except OSError:
            changed = -1.0
        warn, self._read = changed != self._read, changed
        return read_listed(path, warn=warn)

    @property
    def settings(self) -> CelebrationsSettings:
        return self.ctx.settings.section(CelebrationsSettings)

    async def choose(self, said: Said, cmd: ChooseCelebration) -> Response:
        async with self.ctx.db.transaction() as conn:
            pid = await upsert_person(conn, said.sender, self.ctx.clock.now())
            await choose(conn, pid, cmd.choice, self.ctx.clock.now())
        return reply(say(tr(CHOSEN[cmd.choice])))

    async def tick(self) -> None:
        """Queue what is due: each delivery's key names the person, occasion and local day, so a later tick,
        another instance or a restart queues nothing twice."""
        now = self.ctx.clock.now()
        for listed in self._listed():
            async with self.ctx.db.transaction() as conn:
                known = await account(conn, listed.platform, listed.user_id)
                person = known[1] if known else Person(listed.platform, "", listed.user_id)
                choice = (await choice_of(conn, known[0]) if known else None) or "on"
                if choice == "off":
                    continue
                local = now.astimezone(zone_or(listed.timezone or person.tz, self.ctx.settings.zone))
                if local.hour < self.settings.hour:
                    continue
                reads = await language_in(conn, person) if choice == "private" else workspace_language()
                for occasion in occasions_on(listed, local.date()):
                    with speaking(reads):
                        delivery = self._delivery(person, occasion, choice, local.date())
                    if delivery is not None:
                        key = _key(occasion.kind, listed.platform, listed.user_id, local.date().isoformat())
                        await send_later(conn, delivery, now, key=key)

    def _delivery(self, person: Person, occasion: Occasion, choice: str, day: date) -> Delivery | None:
        if choice == "private":
            return Direct(person, private_note(occasion))
        channels = self.ctx.settings.channels_for(self.settings.channels, person.platform)
        if not channels:
            log.warning("a %s celebration is due but celebrations.channels names no %s channel", occasion.kind,
                        person.platform)
            return None
        where = parse_where(f"{person.platform}:{channels[0]}")
        channel = Channel(where.platform, person.workspace, where.ref, name=where.ref)
        value = f"{occasion.kind}|{occasion.years}|{day.isoformat()}|{person.platform}|{person.user_id}"
        return Post(channel, public_post(person, occasion, value))

    async def congrats(self, pressed: Pressed) -> Response:
        """"Say congrats": a note to the person from whoever pressed, once each."""
        found = self._pressed(pressed.value)
        if found is None:
            return reply(say(tr("That button is out of date — congratulate them in the channel instead. 🎉")))
        listed, occasion, day = found
        if (pressed.sender.platform, pressed.sender.user_id) == (listed.platform, listed.user_id):
            return reply(say(tr("It's your day — enjoy it! 🎉")))
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            known = await account(conn, listed.platform, listed.user_id)
            person = known[1] if known else Person(listed.platform, pressed.sender.workspace, listed.user_id)
            key = _key("congrats", occasion.kind, listed.platform, listed.user_id, day,
                       f"{pressed.sender.platform}:{pressed.sender.user_id}")
            with speaking(await language_in(conn, person)):
                note = congrats_note(pressed.sender, occasion)
            sent = await send_later(conn, Direct(person, note), now, key=key)
        if not sent:
            return reply(say(tr("You've already sent your congrats — they'll see it. 💌")))
        return reply(say(*tr_parts("💌 Sent — {person} will get your congrats.", person=person)))

    def _pressed(self, value: str) -> tuple[Listed, Occasion, str] | None:
        """The occasion a button names, if HR still lists that person for it (a forged value finds nothing)."""
        parts = value.split("|", 4)
        if len(parts) != 5 or not parts[1].isdigit():
            return None
        kind, years, day, platform, user_id = parts
        try:
            when = date.fromisoformat(day)
        except ValueError:
            return None
        for listed in read_listed(self.settings.csv, warn=False):
            if (listed.platform, listed.user_id) == (platform, user_id):
                for occasion in occasions_on(listed, when):
                    if occasion.kind == kind and str(occasion.years) == years:
                        return listed, occasion, day
        return None
