"""Kudos: thank colleagues in public, tagged with a company value, within a daily allowance."""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.calendar import day_start, zone_or
from bot.config import CompanyValue, Settings
from bot.context import Context
from bot.edge import record_id
from bot.features.kudos.grammar import GiveKudos
from bot.features.kudos.limits import MAX_REASON_CHARS, MAX_RECIPIENTS
from bot.features.kudos.settings import KudosSettings
from bot.features.kudos.views import (
    REACTION_REASON,
    confirmation,
    give_form,
    not_posted,
    public_post,
    recipient_dm,
)
from bot.grammar.tokens import plain
from bot.i18n import current, speaking, tr, workspace_language
from bot.incoming import Pressed, Reacted, Said, Shortcut, Submitted
from bot.messages import Message, say
from bot.metrics import KUDOS_GIVEN, KUDOS_JOINED
from bot.outbox import send_all_later, send_later
from bot.outgoing import NOTHING, Delivery, Direct, Post, Refresh, Response, reply
from bot.people import Channel, Person
from bot.speakers import language_stored
from storage import kudos as repo
from storage.delivery import claim_all_once, release_all_once
from storage.group_commit import GroupCommit
from storage.people import people_by_id, upsert_people, upsert_person

VIEW = "kudos"
GIVE_SHORTCUT = "kudos.give"


class KudosError(Exception):
    """A rule said no; the message says why and what to do instead."""


class _AlreadyGiven(Exception):
    """This reaction already became a kudos (the emoji was removed and added again)."""


def track_key(kudos_id: int) -> str:
    return f"kudos:{kudos_id}"


def reaction_origin(reacted: Reacted) -> str:
    """Names one person's reaction on one message: it thanks once, and removing it finds that kudos."""
    ref = reacted.message
    return f"kudos:reaction:{ref.platform}:{ref.workspace}:{ref.channel}:{ref.id}:{reacted.sender.user_id}"


@dataclass(frozen=True)
class _Gift:
    """A kudos on its way to `_give_all`, with the language its giver reads (the batch is written elsewhere)."""

    said: Said
    cmd: GiveKudos
    values: tuple[str, ...]
    link: str
    source: str
    once: str
    language: str


@dataclass(frozen=True)
class _Given:
    record: repo.KudosRecord
    shown_in: str
    left: int


class Kudos:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._gifts: GroupCommit[_Gift, _Given | Exception] = GroupCommit(ctx.db, self._give_all)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    async def give(self, said: Said, cmd: GiveKudos) -> Response:
        try:
            self._check(said.sender, cmd)
            return reply(await self._give(said, cmd))
        except KudosError as no:
            return reply(say(str(no)))

    def _check(self, giver: Person, cmd: GiveKudos) -> None:
        if len(cmd.recipients) > MAX_RECIPIENTS:
            raise KudosError(tr(
                "That's {count} people — a huzzah can thank at most {limit} at once. "
                "Split it into two, or thank the whole channel in your own words.",
                count=len(cmd.recipients), limit=MAX_RECIPIENTS,
            ))
        if giver in cmd.recipients:
            raise KudosError(tr("You can't give yourself a huzzah — but you can thank someone who helped you today."))
        bots = [p for p in cmd.recipients if p.is_bot]
        if bots:
            raise KudosError(tr("{name} is a bot, and bots don't need thanks. Mention a person instead.",
                                name=bots[0].label))
        gone = [p for p in cmd.recipients if not p.active]
        if gone:
            raise KudosError(tr("{name} has left this workspace, so they can't receive a huzzah.", name=gone[0].label))
        reason = plain(cmd.reason)
        if not reason.strip():
            raise KudosError(tr(
                "Say why you're thanking them — a huzzah without a reason teaches nothing. "
                "e.g. `@alice thanks for calming down the angry caller #ownership`"
            ))
        if len(reason) > MAX_REASON_CHARS:
            raise KudosError(tr("Your reason is {count} characters; please keep it under {limit}.",
                                count=len(reason), limit=MAX_REASON_CHARS))
        for name in cmd.values:
            if self.settings.value_named(name) is None:
                raise KudosError(self._unknown_value(name))

    def _value(self, name: str) -> CompanyValue:
        """A value by the name typed, as configured (`_check` has turned away unknown ones)."""
        value = self.settings.value_named(name)
        if value is None:
            raise KudosError(self._unknown_value(name))
        return value

    def _values(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """The configured values named, each once however it was typed (`#ownership #Ownership`)."""
        return tuple(dict.fromkeys(self._value(name).name for name in names))

    def _unknown_value(self, name: str) -> str:
        known = [v.name for v in self.settings.values]
        if not known:
            return tr("#{name} isn't one of our values — no values are configured yet (see `values` in app.yaml).",
                      name=name)
        folded = {k.casefold(): k for k in known}
        close = difflib.get_close_matches(name.casefold(), list(folded), n=1, cutoff=0.5)
        ours = ", ".join("#" + k for k in known)
        if close:
            return tr("#{name} isn't one of our values. Did you mean #{close}? Our values: {values}.",
                      name=name, close=folded[close[0]], values=ours)
        return tr("#{name} isn't one of our values. Our values: {values}.", name=name, values=ours)

    async def _allowance_left(self, conn: AsyncConnection, giver: Person, giver_id: int, now: datetime) -> int:
        return (await self._allowances_left(conn, {giver: giver_id}, now))[giver]

    async def _allowances_left(self, conn: AsyncConnection, givers: Mapping[Person, int],
                               now: datetime) -> dict[Person, int]:
        """Thank-yous each giver has left today, in their own time zone: one statement per zone among them."""
        by_day: dict[datetime, list[Person]] = {}
        for giver in givers:
            by_day.setdefault(day_start(now, zone_or(giver.tz, self.settings.zone)), []).append(giver)
        per_day = self.settings.section(KudosSettings).daily_allowance
        left: dict[Person, int] = {}
        for since, them in by_day.items():
            spent = await repo.thanks_given_since(conn, [givers[p] for p in them], since)
            left.update((p, per_day - spent[givers[p]]) for p in them)
        return left

    def _no_allowance(self, left: int, wanted: int) -> KudosError:
        per_day = self.settings.section(KudosSettings).daily_allowance
        return KudosError(tr(
            "You have {left} of your {per_day} daily thank-yous left and this needs {wanted}. "
            "Your allowance refills at midnight — save the rest for tomorrow!",
            left=max(left, 0), per_day=per_day, wanted=wanted,
        ))

    def _public_channel(self, where: Channel) -> Channel:
        configured = self.settings.channels_for(self.settings.section(KudosSettings).channels, where.platform)
        if configured:
            return Channel(where.platform, where.workspace, configured[0], name=configured[0])
        return where

    async def react(self, reacted: Reacted) -> Response:
        """The configured emoji on someone's message thanks its author, once per reactor and message.

        Reactions that are not meant as thanks (another emoji, your own message, a bot's) pass silently.
        """
        author = reacted.author
        if reacted.emoji != self.settings.section(KudosSettings).reaction or author == reacted.sender or author.is_bot:
            return NOTHING
        cmd = GiveKudos((author,), (REACTION_REASON,), ())
        once = reaction_origin(reacted)
        try:
            self._check(reacted.sender, cmd)
            said = Said(reacted.sender, reacted.channel, ())
            return reply(await self._give(said, cmd, link=reacted.link, source="reaction", once=once))
        except KudosError as no:
            return reply(say(str(no)))
        except _AlreadyGiven:
            return NOTHING

    async def shortcut(self, shortcut: Shortcut) -> Response:
        """"Give a huzzah" on a message: a form addressed to its author, linking the message."""
        cmd = GiveKudos((shortcut.author,), ("…",), ())
        try:
            self._check(shortcut.sender, cmd)
        except KudosError as no:
            return reply(say(str(no)))
        async with self.ctx.db.transaction() as conn:
            author_id = await upsert_person(conn, shortcut.author, self.ctx.clock.now())
        context = json.dumps({"to": author_id, "link": shortcut.link})
        return Response(form=give_form(self.settings, shortcut.author, shortcut.link, context))

    async def submitted(self, submitted: Submitted) -> Response:
        """The "Give a huzzah" form came back; a refusal shows the form again with what was typed."""
        wanted, author = _form_context(submitted.context), None
        if wanted is not None:
            async with self.ctx.db.transaction() as conn:
                author = (await people_by_id(conn, [wanted[0]])).get(wanted[0])
        if wanted is None or author is None:
            return reply(say(tr("That form is out of date — open “Give a huzzah” on the message again.")))
        link = wanted[1]
        typed = submitted.values.get("reason", "")
        reason = (typed if isinstance(typed, str) else "\n".join(typed)).strip()
        chosen = submitted.values.get("values", ())
        values = (chosen,) if isinstance(chosen, str) else tuple(chosen)
        cmd = GiveKudos((author,), (reason,) if reason else (), values)
        try:
            self._check(submitted.sender, cmd)
            said = Said(submitted.sender, submitted.channel, ())
            return reply(await self._give(said, cmd, link=link, source="shortcut"))
        except KudosError as no:
            form = give_form(self.settings, author, link, submitted.context,
                             problem=str(no), reason=reason, values=values)
            return Response(form=form)

    async def _give(
        self, said: Said, cmd: GiveKudos, *, link: str = "", source: str = "command", once: str = ""
    ) -> Message:
        """Store and queue one kudos, with the others given at the same moment (`_give_all`)."""
        given = await self._gifts.add(_Gift(said, cmd, self._values(cmd.values), link, source, once, current()))
        if isinstance(given, Exception):
            raise given
        self.ctx.metrics.count(KUDOS_GIVEN, len(cmd.recipients), source=source)
        undo_minutes = self.settings.section(KudosSettings).undo_minutes
        return confirmation(given.record, given.shown_in, given.left, undo_minutes)

    async def _give_all(self, conn: AsyncConnection, gifts: Sequence[_Gift]) -> list[_Given | Exception]:
        """Kudos given at the same moment, in one transaction of six statements whatever their number (a kudos
        alone would take as many): a busy minute's thanks are stored as fast as one person's.

        Each is decided as it would be alone, in the order they came: a giver who gives twice in one batch spends
        their allowance twice, and a refusal writes nothing of its kudos.
        """
        now = self.ctx.clock.now()
        first_time = await claim_all_once(conn, (g.once for g in gifts if g.once), now)
        # Everyone's row is locked in one order (`upsert_people`), the givers' until commit: concurrent kudos
        # from one giver, in this instance or another, see each other's spending.
        named = await upsert_people(conn, {p for g in gifts for p in (g.said.sender, *g.cmd.recipients,
                                                                       *_mentioned(g.cmd))}, now)
        left = await self._allowances_left(conn, {g.said.sender: named[g.said.sender].id for g in gifts}, now)
        outcomes: list[_Given | Exception | None] = []
        taking: list[_Gift] = []
        unclaim: list[str] = []
        for gift in gifts:
            giver, wanted = gift.said.sender, len(gift.cmd.recipients)
            if gift.once and gift.once not in first_time:
                outcomes.append(_AlreadyGiven(gift.once))
            elif left[giver] < wanted:
                with speaking(gift.language):
                    outcomes.append(self._no_allowance(left[giver], wanted))
                unclaim += [gift.once] if gift.once else []  # it may thank once the allowance refills
            else:
                left[giver] -= wanted
                outcomes.append(None)
                taking.append(gift)
            first_time.discard(gift.once)
        await release_all_once(conn, unclaim)
        records = await repo.add_all_kudos(conn, [self._new_kudos(g) for g in taking], named, now)
        await repo.remember_origins(conn, [(r.id, g.once) for r, g in zip(records, taking, strict=True) if g.once])
        deliveries: dict[str, Delivery] = {}
        given: list[_Given] = []
        for gift, record in zip(taking, records, strict=True):
            public = self._public_channel(gift.said.channel)
            key = track_key(record.id)
            with speaking(workspace_language()):
                shown = public_post(self.settings, record)
            with speaking(gift.language):
                lost = Direct(gift.said.sender, not_posted(record, public.label))
            deliveries[f"{key}:post"] = Post(public, shown, track=key, if_lost=lost)
            for person in record.recipients:
                with speaking(language_stored(named[person])):
                    deliveries[f"{key}:dm:{named[person].id}"] = Direct(
                        person, recipient_dm(self.settings, record, public.label))
            given.append(_Given(record, public.label, left[gift.said.sender]))
        await send_all_later(conn, deliveries, now)
        done = iter(given)
        return [outcome if outcome is not None else next(done) for outcome in outcomes]

    def _new_kudos(self, gift: _Gift) -> repo.NewKudos:
        where = gift.said.channel
        return repo.NewKudos(
            team=self.settings.team_of_channel(where.platform, where.id, where.name) or self.settings.default_team,
            platform=where.platform, workspace=where.workspace, channel=where.id, giver=gift.said.sender,
            recipients=gift.cmd.recipients, values=gift.values, reason=gift.cmd.reason, link=gift.link,
            source=gift.source,
        )

    async def me_too(self, pressed: Pressed) -> Response:
        """Join someone's thanks as a co-giver, within your own allowance."""
        try:
            return reply(await self._me_too(pressed))
        except KudosError as no:
            return reply(say(str(no)))

    async def _me_too(self, pressed: Pressed) -> Message:
        now = self.ctx.clock.now()
        kudos_id = record_id(pressed.value)
        if kudos_id is None:
            raise KudosError(tr("That button is out of date — give your own huzzah instead."))
        async with self.ctx.db.transaction() as conn:
            record = await repo.get_kudos(conn, kudos_id)
            if record is None:
                raise KudosError(tr("That huzzah no longer exists."))
            if pressed.sender in record.recipients:
                raise KudosError(tr("This huzzah is for you — you can't join your own thanks. 😊"))
            if pressed.sender == record.giver or pressed.sender in record.cogivers:
                raise KudosError(tr("You're already part of this thank-you."))
            me = await upsert_person(conn, pressed.sender, now)
            left = await self._allowance_left(conn, pressed.sender, me, now)
            if left < len(record.recipients):
                raise self._no_allowance(left, len(record.recipients))
            if not await repo.add_cogiver(conn, kudos_id, me, now):  # a double click racing this one won
                raise KudosError(tr("You're already part of this thank-you."))
            await send_later(conn, Refresh(track_key(kudos_id), VIEW, str(kudos_id)), now)
        self.ctx.metrics.count(KUDOS_JOINED)
        return say(tr("🙌 You've joined the thanks — your name is on it now."))

    async def view(self, kudos_id: str) -> Message:
        """The public post as it stands now (for Refresh deliveries)."""
        async with self.ctx.db.transaction() as conn:
            record = await repo.get_kudos(conn, int(kudos_id))
        if record is None:
            return say(tr("This huzzah was removed."))
        return public_post(self.settings, record)


def _form_context(context: str) -> tuple[int, str] | None:
    """Who a "Give a huzzah" form is for and the message it links, as `shortcut` wrote them; None when the
    context is anything else (an old form, a forged one)."""
    try:
        wanted = json.loads(context)
    except ValueError:
        return None
    if not isinstance(wanted, dict) or not isinstance(wanted.get("link", ""), str):
        return None
    to = record_id(str(wanted.get("to"))) if isinstance(wanted.get("to"), int | str) else None
    return (to, wanted.get("link", "")) if to is not None else None


def _mentioned(cmd: GiveKudos) -> list[Person]:
    return [p for p in cmd.reason if isinstance(p, Person)]
