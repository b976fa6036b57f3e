"""The roll-up's picture: one small mood chart per team (and the organisation's first), same scale, side by side
— small multiples read at a glance where a table must be read — with alt text that gives every figure."""

from __future__ import annotations

import itertools

from PIL import Image as Picture
from PIL import ImageDraw

from bot.features.digest.chart import INK, MOOD, SCALE, font, scale, small_png
from bot.features.digest.rollup import Rollup, Row
from bot.i18n import decimal, tr
from bot.messages import Image

COLUMNS = 4
PANEL = (180, 110)
"""Pixels as shown, per team."""
MAX_PANELS = 16
GRID = "#e4e4ec"


def _short(week: str) -> str:
    return week.rsplit("-", 1)[-1]


def alt_text(rows: list[Row], more: int) -> str:
    parts = []
    withheld, none = tr("withheld"), tr("no rounds")
    for row in rows:
        weeks = ", ".join(f"{_short(w)} {withheld if v is None else decimal(v)}" for w, v in row.series)
        parts.append(f"{row.team}: {weeks or none}.")
    tail = " " + tr("{more} more teams are in the table.", more=more) if more else ""
    return tr("Mood by week (1 to 5), one small chart per team, last 13 weeks.") + " " + " ".join(parts) + tail


def _panel(pen: ImageDraw.ImageDraw, box: tuple[float, float, float, float], row: Row) -> None:
    s = SCALE
    left, top, right, bottom = box
    pen.text((left + 6 * s, top + 4 * s), row.team[:24], fill=INK, font=font(11 * s))
    x0, y0, x1, y1 = left + 8 * s, top + 22 * s, right - 8 * s, bottom - 8 * s
    for level in (1, 3, 5):
        y = scale(level, 1, 5, y1, y0)
        pen.line([(x0, y), (x1, y)], fill=GRID, width=s)
    step = (x1 - x0) / max(len(row.series) - 1, 1)
    points = [None if v is None else (x0 + i * step, scale(v, 1, 5, y1, y0)) for i, (_, v) in enumerate(row.series)]
    for a, b in itertools.pairwise(points):
        if a is not None and b is not None:  # a withheld week is a gap, never a zero
            pen.line([a, b], fill=MOOD, width=2 * s)
    for point in points:
        if point is not None:
            x, y = point
            pen.ellipse((x - 2 * s, y - 2 * s, x + 2 * s, y + 2 * s), fill=MOOD)


def draw_rollup(rollup: Rollup) -> Image:
    rows = [*([rollup.organisation] if rollup.organisation else []), *rollup.teams]
    shown, more = rows[:MAX_PANELS], max(len(rows) - MAX_PANELS, 0)
    lines = max((len(shown) + COLUMNS - 1) // COLUMNS, 1)
    size = (PANEL[0] * COLUMNS, PANEL[1] * lines)
    picture = Picture.new("RGB", (size[0] * SCALE, size[1] * SCALE), "white")
    pen = ImageDraw.Draw(picture)
    for i, row in enumerate(shown):
        col, line = i % COLUMNS, i // COLUMNS
        w, h = PANEL[0] * SCALE, PANEL[1] * SCALE
        _panel(pen, (col * w, line * h, (col + 1) * w, (line + 1) * h), row)
    return Image(alt=alt_text(shown, more), png=small_png(picture, size),
                 title=tr("Mood by team, {period}", period=rollup.period.label))
