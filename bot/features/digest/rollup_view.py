"""How the executive roll-up reads: one block per team shown, then the whole organisation, then what is not shown
and why — and that imported customer metrics beside mood and kudos are a correlation, not a cause."""

from __future__ import annotations

from bot.config import Settings
from bot.features.digest.rollup import TREND_WEEKS, Rollup, Row
from bot.features.kudos.views import value_chips
from bot.i18n import N_, decimal, number, percent, tr, tr_plural
from bot.messages import Block, Divider, Fields, Image, Message, Strong, footnote, message, text

CORRELATION = N_(
    "Customer metrics are imported from your own systems (`huzzah import-metrics`) and shown beside mood and kudos "
    "so they can be read together: when they move together that is a correlation, not proof that one causes the other."
)


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else decimal(value, "0." + "0" * digits)


def _trend(row: Row) -> str:
    return " · ".join(f"{n}w {_number(row.trend.get(n))}" for n in TREND_WEEKS)


def _metric(name: str, now: float, usual: float | None) -> str:
    arrow = "→" if usual is None or abs(now - usual) < 0.005 else "↗" if now > usual else "↘"
    shown = f"{now:g}"
    return tr("{name} {now} ({arrow} 13w {usual})", name=name, now=shown, arrow=arrow, usual=_number(usual, 2))


def row_fields(settings: Settings, row: Row) -> Fields:
    top = sorted(row.values.items(), key=lambda vn: (-vn[1], vn[0]))[:3]
    pairs = [
        (tr("People"), number(row.heads)),
        (tr("Kudos per head"), tr("{given} given · {received} received", given=_number(row.per_head(row.given), 2),
                                  received=_number(row.per_head(row.received), 2))),
        (tr("Participation"), tr("no check-ins") if row.participation is None else percent(row.participation)),
        (tr("Mood"), f"{_number(row.mood)} / 5  ({_trend(row)})" if row.mood is not None else f"— ({_trend(row)})"),
        (tr("Top values"), " · ".join(f"{value_chips(settings, (v,))} ×{n}" for v, n in top) or tr("none tagged")),
    ]
    if row.metrics:
        pairs.append((tr("Customer metrics"), " · ".join(
            _metric(name, value, row.metric_trend.get(name)) for name, value in sorted(row.metrics.items()))))
    return Fields(tuple(pairs))


def rollup_message(settings: Settings, rollup: Rollup, chart: Image | None) -> Message:
    blocks: list[Block] = [text(Strong(tr("📈 Across the teams")), f"  {rollup.period.shown}")]
    for row in rollup.teams:
        blocks += [text(Strong(row.team)), row_fields(settings, row)]
    blocks.append(Divider())
    if rollup.organisation is not None:
        blocks += [text(Strong(tr("🏢 Whole organisation"))), row_fields(settings, rollup.organisation)]
    else:
        blocks.append(text(tr("Whole organisation withheld — too few people or answers to show it without risking "
                              "anyone's anonymity.")))
    if rollup.left_out:
        blocks.append(footnote(tr_plural(
            "{n} team is not shown: fewer than {least} people or answers, or withheld so that no team's figures can "
            "be worked out by subtracting the others from the organisation's.",
            "{n} teams are not shown: fewer than {least} people or answers, or withheld so that no team's figures "
            "can be worked out by subtracting the others from the organisation's.",
            rollup.left_out, least=rollup.min_group)))
    if any(r.metrics for r in (*rollup.teams, *([rollup.organisation] if rollup.organisation else []))):
        blocks.append(footnote(tr(CORRELATION)))
    blocks += [*([chart] if chart else []),
               footnote(tr("Mood is the 1–5 weekly check-in average; trends average the weeks that were shown."))]
    return message(*blocks, summary=tr("📈 Roll-up {period}: {teams} teams", period=rollup.period.label,
                                       teams=len(rollup.teams)))
