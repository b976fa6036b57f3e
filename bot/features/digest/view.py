"""How the weekly digest reads: kudos, mood, polls, then the chart — every withheld figure says why."""

from __future__ import annotations

import random

from bot.config import Settings
from bot.features.digest.figures import Digest
from bot.features.digest.limits import DIGEST_MAX_VENTS
from bot.features.kudos.views import names, reason, value_chips
from bot.features.polls.views import TOO_FEW_VOTERS
from bot.i18n import decimal, number, percent, tr, tr_parts, tr_plural, tr_plural_parts, when
from bot.messages import Block, Divider, Fields, Image, Message, Strong, footnote, message, text
from bot.reports import MoodReport, PollResult
from storage.kudos import KudosRecord

BAR = "▇"
BAR_WIDTH = 10


def change(now: int, before: int) -> str:
    if now == before:
        return tr("same as last week")
    arrow = "▲" if now > before else "▼"
    return tr("{arrow} {difference} vs last week ({before})", arrow=arrow, difference=abs(now - before), before=before)


def _kudos(settings: Settings, digest: Digest) -> list[Block]:
    figures = digest.kudos
    head = text(Strong(tr("🎉 Kudos")))
    if figures.given == 0:
        if figures.given_before:
            return [head, text(tr("No kudos this week (last week: {before}). A good moment to thank someone?",
                                  before=figures.given_before))]
        return [head, text(tr("No kudos this week. A good moment to thank someone?"))]
    top = " · ".join(f"{value_chips(settings, (v,))} ×{number(n)}" for v, n in figures.top_values) or \
        tr("none tagged")
    return [
        head,
        Fields((
            (tr("Kudos given"), f"{number(figures.given)}  {change(figures.given, figures.given_before)}"),
            (tr("People thanked"), number(figures.thanked)),
            (tr("People who thanked"), number(figures.thankers)),
            (tr("Top values"), top),
        )),
        *(block for record in digest.highlights for block in highlight(settings, record)),
    ]


def highlight(settings: Settings, record: KudosRecord) -> list[Block]:
    chips = value_chips(settings, record.values)
    who = tr_plural_parts("{people}, from {giver} (+{n} joined)", "{people}, from {giver} (+{n} joined)",
                          len(record.cogivers), people=names(record.recipients), giver=record.giver) \
        if record.cogivers else tr_parts("{people}, from {giver}", people=names(record.recipients), giver=record.giver)
    return [
        text("🌟 ", *who, f" · {chips}" if chips else ""),
        text(*reason(record), quote=True),
    ]


def _mood_arrow(mood: MoodReport) -> str:
    """Against the latest earlier week that was shown (withheld weeks are skipped, never guessed)."""
    earlier = [(w, v) for w, v in mood.trend if w < mood.week and v is not None]
    if mood.average is None or not earlier:
        return ""
    week, before = earlier[-1]
    delta = mood.average - before
    arrow = "↗" if delta >= 0.05 else "↘" if delta <= -0.05 else "→"
    return "  " + tr("{arrow} {delta} vs {week}", arrow=arrow, delta=decimal(delta, "+0.0;-0.0"),
                     week=week.rsplit("-", 1)[-1])


def _participation(mood: MoodReport, min_group: int) -> str:
    if mood.answered is None or mood.answered < min_group:
        return tr("withheld")
    if not mood.asked:
        return tr("{answered} answered", answered=mood.answered)
    return tr("{answered} of {asked} answered ({percent})", answered=mood.answered, asked=mood.asked,
              percent=percent(mood.answered / mood.asked))


def _mood(settings: Settings, mood: MoodReport | None) -> list[Block]:
    head = text(Strong(tr("💬 How the team feels")))
    if mood is None:
        return [head, footnote(tr("No mood section: check-ins are switched off (`checkins.enabled` in app.yaml)."))]
    trend = " · ".join(f"{w.rsplit('-', 1)[-1]} {'—' if v is None else decimal(v)}" for w, v in mood.trend)
    if mood.average is None:
        why = tr(mood.withheld) if mood.withheld else tr("fewer than {n} answers", n=settings.anonymity.min_group_size)
        six = [footnote(tr("Six weeks: {trend}", trend=trend))] if trend else []
        return [head, text(tr("Mood withheld — {reason}.", reason=why)), *six]
    participation = _participation(mood, settings.anonymity.min_group_size)
    pairs = [(tr("Mood"), f"{decimal(mood.average)} / 5{_mood_arrow(mood)}"), (tr("Participation"), participation)]
    if mood.distribution is not None:
        pairs.append((tr("Answers 1→5"), " · ".join(number(n) for n in mood.distribution)))
    if trend:
        pairs.append((tr("Six weeks"), trend))
    return [head, Fields(tuple(pairs)), *_vents(settings, mood)]


def _vents(settings: Settings, mood: MoodReport) -> list[Block]:
    if mood.vents is None:
        why = tr(mood.withheld) if mood.withheld else tr(
            "they are shown only when at least {n} people answered, so no one can be recognised by their words",
            n=settings.anonymity.min_free_text_group,
        )
        return [footnote(tr("Vents withheld — {reason}.", reason=why))]
    if not mood.vents:
        return [footnote(tr("No vents this week."))]
    shown = random.SystemRandom().sample(mood.vents, min(len(mood.vents), DIGEST_MAX_VENTS))
    blocks: list[Block] = [text(tr("Vents, in random order:")), *(text(v, quote=True) for v in shown)]
    if len(mood.vents) > len(shown):
        blocks.append(footnote(tr("…and {more} more, not shown to keep the digest short.",
                                  more=len(mood.vents) - len(shown))))
    return blocks


def _poll(settings: Settings, poll: PollResult) -> list[Block]:
    total = poll.voters or sum(n for _, n in poll.options) or 1  # share of voters: multi-choice adds up past 100%
    most = max((n for _, n in poll.options), default=0) or 1
    lines = [f"{label} — {number(n)} ({percent(n / total)}) {BAR * round(BAR_WIDTH * n / most)}"
             for label, n in poll.options]
    closed = when(poll.closed_at.astimezone(settings.zone), "MMMEd")
    if poll.anonymous:
        about = tr_plural("{n} voter · anonymous · closed {closed}", "{n} voters · anonymous · closed {closed}",
                          poll.voters, closed=closed)
    else:
        about = tr_plural("{n} voter · named · closed {closed}", "{n} voters · named · closed {closed}",
                          poll.voters, closed=closed)
    return [text("📊 ", Strong(poll.question)), text("\n".join(lines) or tr(TOO_FEW_VOTERS)), footnote(about)]


def _polls(settings: Settings, polls: tuple[PollResult, ...]) -> list[Block]:
    head = text(Strong(tr("🗳️ Polls closed this week")))
    if not polls:
        return [head, footnote(tr("No polls closed this week."))]
    return [head, *(block for poll in polls for block in _poll(settings, poll))]


def digest_message(settings: Settings, digest: Digest, chart: Image | None) -> Message:
    summary = tr("📰 {team} weekly digest, {week}: {kudos} kudos", team=digest.team, week=digest.week.label,
                 kudos=digest.kudos.given)
    if digest.mood is not None and digest.mood.average is not None:
        summary = tr("{summary}, mood {mood}/5", summary=summary, mood=decimal(digest.mood.average))
    return message(
        text(Strong(tr("📰 {team} — weekly digest", team=digest.team)),
             f"  {digest.week.label} · {digest.week.span()}"),
        *_kudos(settings, digest),
        Divider(),
        *_mood(settings, digest.mood),
        Divider(),
        *_polls(settings, digest.polls),
        chart,
        footnote(tr(
            "Mood figures built from fewer than {n} answers are never shown. "
            "Check-in answers are anonymous: Huzzah does not know who said what.", n=settings.anonymity.min_group_size,
        )),
        summary=summary,
    )
