"""How the weekly digest reads: kudos, mood, polls, then the chart — every withheld figure says why."""

from __future__ import annotations

import random

from bot.config import Settings
from bot.features.digest.figures import Digest
from bot.features.digest.limits import DIGEST_MAX_VENTS
from bot.features.kudos.views import names, value_chips
from bot.messages import Block, Divider, Fields, Image, Message, Strong, footnote, message, text
from bot.reports import MoodReport, PollResult
from storage.kudos import KudosRecord

BAR = "▇"
BAR_WIDTH = 10


def change(now: int, before: int) -> str:
    if now == before:
        return "same as last week"
    arrow = "▲" if now > before else "▼"
    return f"{arrow} {abs(now - before)} vs last week ({before})"


def _kudos(settings: Settings, digest: Digest) -> list[Block]:
    figures = digest.kudos
    head = text(Strong("🎉 Kudos"))
    if figures.given == 0:
        before = f" (last week: {figures.given_before})" if figures.given_before else ""
        return [head, text(f"No kudos this week{before}. A good moment to thank someone?")]
    top = " · ".join(f"{value_chips(settings, (v,))} ×{n}" for v, n in figures.top_values) or "none tagged"
    return [
        head,
        Fields((
            ("Kudos given", f"{figures.given}  {change(figures.given, figures.given_before)}"),
            ("People thanked", str(figures.thanked)),
            ("People who thanked", str(figures.thankers)),
            ("Top values", top),
        )),
        *(block for record in digest.highlights for block in highlight(settings, record)),
    ]


def highlight(settings: Settings, record: KudosRecord) -> list[Block]:
    chips = value_chips(settings, record.values)
    backers = f" (+{len(record.cogivers)} joined)" if record.cogivers else ""
    return [
        text("🌟 ", *names(record.recipients), ", from ", record.giver, backers, f" · {chips}" if chips else ""),
        text(*record.reason, quote=True),
    ]


def _mood_arrow(mood: MoodReport) -> str:
    """Against the latest earlier week that was shown (withheld weeks are skipped, never guessed)."""
    earlier = [(w, v) for w, v in mood.trend if w < mood.week and v is not None]
    if mood.average is None or not earlier:
        return ""
    week, before = earlier[-1]
    delta = mood.average - before
    arrow = "↗" if delta >= 0.05 else "↘" if delta <= -0.05 else "→"
    return f"  {arrow} {delta:+.1f} vs {week.rsplit('-', 1)[-1]}"


def _participation(mood: MoodReport, min_group: int) -> str:
    if mood.answered is None or mood.answered < min_group:
        return "withheld"
    if not mood.asked:
        return f"{mood.answered} answered"
    return f"{mood.answered} of {mood.asked} answered ({mood.answered / mood.asked:.0%})"


def _mood(settings: Settings, mood: MoodReport | None) -> list[Block]:
    head = text(Strong("💬 How the team feels"))
    if mood is None:
        return [head, footnote("No mood section: check-ins are switched off (`checkins.enabled` in app.yaml).")]
    trend = " · ".join(f"{w.rsplit('-', 1)[-1]} {'—' if v is None else f'{v:.1f}'}" for w, v in mood.trend)
    if mood.average is None:
        reason = mood.withheld or f"fewer than {settings.anonymity.min_group_size} answers"
        return [head, text(f"Mood withheld — {reason}."), *([footnote(f"Six weeks: {trend}")] if trend else [])]
    participation = _participation(mood, settings.anonymity.min_group_size)
    pairs = [("Mood", f"{mood.average:.1f} / 5{_mood_arrow(mood)}"), ("Participation", participation)]
    if mood.distribution is not None:
        pairs.append(("Answers 1→5", " · ".join(str(n) for n in mood.distribution)))
    if trend:
        pairs.append(("Six weeks", trend))
    return [head, Fields(tuple(pairs)), *_vents(settings, mood)]


def _vents(settings: Settings, mood: MoodReport) -> list[Block]:
    if mood.vents is None:
        reason = mood.withheld or (
            f"they are shown only when at least {settings.anonymity.min_free_text_group} people answered, "
            "so no one can be recognised by their words"
        )
        return [footnote(f"Vents withheld — {reason}.")]
    if not mood.vents:
        return [footnote("No vents this week.")]
    shown = random.SystemRandom().sample(mood.vents, min(len(mood.vents), DIGEST_MAX_VENTS))
    blocks: list[Block] = [text("Vents, in random order:"), *(text(v, quote=True) for v in shown)]
    if len(mood.vents) > len(shown):
        blocks.append(footnote(f"…and {len(mood.vents) - len(shown)} more, not shown to keep the digest short."))
    return blocks


def _poll(settings: Settings, poll: PollResult) -> list[Block]:
    total = poll.voters or sum(n for _, n in poll.options) or 1  # share of voters: multi-choice adds up past 100%
    most = max((n for _, n in poll.options), default=0) or 1
    lines = [f"{label} — {n} ({n / total:.0%}) {BAR * round(BAR_WIDTH * n / most)}" for label, n in poll.options]
    kind = "anonymous" if poll.anonymous else "named"
    closed = poll.closed_at.astimezone(settings.zone)
    return [
        text("📊 ", Strong(poll.question)),
        text("\n".join(lines)),
        footnote(f"{poll.voters} voter{'s' if poll.voters != 1 else ''} · {kind} · closed {closed:%a %d %b}"),
    ]


def _polls(settings: Settings, polls: tuple[PollResult, ...]) -> list[Block]:
    head = text(Strong("🗳️ Polls closed this week"))
    if not polls:
        return [head, footnote("No polls closed this week.")]
    return [head, *(block for poll in polls for block in _poll(settings, poll))]


def digest_message(settings: Settings, digest: Digest, chart: Image | None) -> Message:
    summary = f"📰 {digest.team} weekly digest, {digest.week.label}: {digest.kudos.given} kudos"
    if digest.mood is not None and digest.mood.average is not None:
        summary += f", mood {digest.mood.average:.1f}/5"
    return message(
        text(Strong(f"📰 {digest.team} — weekly digest"), f"  {digest.week.label} · {digest.week.span()}"),
        *_kudos(settings, digest),
        Divider(),
        *_mood(settings, digest.mood),
        Divider(),
        *_polls(settings, digest.polls),
        chart,
        footnote(
            f"Mood figures built from fewer than {settings.anonymity.min_group_size} answers are never shown. "
            "Check-in answers are anonymous: Huzzah does not know who said what."
        ),
        summary=summary,
    )
