"""How the executive roll-up reads: one block per team shown, then the whole organisation, then what is not shown
and why — and that imported customer metrics beside mood and kudos are a correlation, not a cause."""

from __future__ import annotations

from bot.config import Settings
from bot.features.digest.rollup import TREND_WEEKS, Rollup, Row
from bot.features.kudos.views import value_chips
from bot.messages import Block, Divider, Fields, Image, Message, Strong, footnote, message, text

CORRELATION = (
    "Customer metrics are imported from your own systems (`huzzah import-metrics`) and shown beside mood and kudos "
    "so they can be read together: when they move together that is a correlation, not proof that one causes the other."
)


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _trend(row: Row) -> str:
    return " · ".join(f"{n}w {_number(row.trend.get(n))}" for n in TREND_WEEKS)


def _metric(name: str, now: float, usual: float | None) -> str:
    arrow = "→" if usual is None or abs(now - usual) < 0.005 else "↗" if now > usual else "↘"
    return f"{name} {now:g} ({arrow} 13w {_number(usual, 2)})"


def row_fields(settings: Settings, row: Row) -> Fields:
    top = sorted(row.values.items(), key=lambda vn: (-vn[1], vn[0]))[:3]
    pairs = [
        ("People", str(row.heads)),
        ("Kudos per head", f"{_number(row.per_head(row.given), 2)} given · {_number(row.per_head(row.received), 2)} "
                           "received"),
        ("Participation", "no check-ins" if row.participation is None else f"{row.participation:.0%}"),
        ("Mood", f"{_number(row.mood)} / 5  ({_trend(row)})" if row.mood is not None else f"— ({_trend(row)})"),
        ("Top values", " · ".join(f"{value_chips(settings, (v,))} ×{n}" for v, n in top) or "none tagged"),
    ]
    if row.metrics:
        pairs.append(("Customer metrics", " · ".join(
            _metric(name, value, row.metric_trend.get(name)) for name, value in sorted(row.metrics.items()))))
    return Fields(tuple(pairs))


def rollup_message(settings: Settings, rollup: Rollup, chart: Image | None) -> Message:
    blocks: list[Block] = [text(Strong("📈 Across the teams"), f"  {rollup.period.shown}")]
    for row in rollup.teams:
        blocks += [text(Strong(row.team)), row_fields(settings, row)]
    blocks.append(Divider())
    if rollup.organisation is not None:
        blocks += [text(Strong("🏢 Whole organisation")), row_fields(settings, rollup.organisation)]
    else:
        blocks.append(text("Whole organisation withheld — too few people or answers to show it without risking "
                           "anyone's anonymity."))
    if rollup.left_out:
        blocks.append(footnote(
            f"{rollup.left_out} team{'s are' if rollup.left_out != 1 else ' is'} not shown: fewer than "
            f"{rollup.min_group} people or answers, or withheld so that no team's figures can be worked out by "
            "subtracting the others from the organisation's."))
    if any(r.metrics for r in (*rollup.teams, *([rollup.organisation] if rollup.organisation else []))):
        blocks.append(footnote(CORRELATION))
    blocks += [*([chart] if chart else []),
               footnote("Mood is the 1–5 weekly check-in average; trends average the weeks that were shown.")]
    return message(*blocks, summary=f"📈 Roll-up {rollup.period.label}: {len(rollup.teams)} teams")
