"""The digest's small chart — mood trend and kudos per day — as a PNG with alt text that says the same.

Drawn with Pillow alone (a line and a bar panel need no plotting library): matplotlib, numpy and fontTools
were ~140 MB of the install for this one picture. It is drawn at twice its size and scaled down, which
smooths lines and text the way a plotting library's anti-aliasing would.
"""

from __future__ import annotations

import io
import itertools
import math
from collections.abc import Sequence

from PIL import Image as Picture
from PIL import ImageDraw, ImageFont

from bot.features.digest.week import Week
from bot.i18n import N_, decimal, number, tr, weekday
from bot.messages import Image

ENGLISH_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MOOD_TITLE = N_("Mood, six weeks")
KUDOS_TITLE = N_("Kudos per day")
NO_MOOD = N_("no mood figures")
INK = "#3b3b4f"
MOOD = "#7a5cc4"
KUDOS = "#f2a93b"
CHART_COLOURS = 64
SIZE = (720, 240)
"""Pixels as shown; drawn at SCALE times this."""
SCALE = 2
TITLE_PX = 14
LABEL_PX = 11

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Box = tuple[float, float, float, float]
"""A panel's plot area: left, top, right, bottom (in drawing pixels)."""


def _short(week: str) -> str:
    return week.rsplit("-", 1)[-1]


def alt_text(trend: tuple[tuple[str, float | None], ...], per_day: tuple[int, ...]) -> str:
    """What the chart shows, in words, in the reader's language."""
    if trend:
        mood = ", ".join(f"{_short(w)} {tr('withheld') if v is None else decimal(v)}" for w, v in trend)
        mood_part = tr("Mood average by week (1 to 5): {mood}.", mood=mood)
    else:
        mood_part = tr("No mood figures this time.")
    kudos = ", ".join(f"{weekday(i, 'abbreviated')} {number(n)}" for i, n in enumerate(per_day))
    return tr("{mood} Kudos per day: {kudos}.", mood=mood_part, kudos=kudos)


def _drawn(words: str, english: str, font: Font) -> str:
    """`words` where the chart's font has every letter of them; else the English (Pillow's own font is Latin-only,
    so Chinese and Vietnamese labels would come out as boxes — the alt text and title carry the translation)."""
    missing = bytes(font.getmask("\uffff"))
    return words if all(c.isspace() or bytes(font.getmask(c)) != missing for c in words) else english


def draw(week: Week, trend: tuple[tuple[str, float | None], ...], per_day: tuple[int, ...]) -> Image:
    """Two small panels side by side; withheld weeks are gaps, never zeros."""
    width, height = SIZE[0] * SCALE, SIZE[1] * SCALE
    picture = Picture.new("RGB", (width, height), "white")
    pen = ImageDraw.Draw(picture)
    title, label = font(TITLE_PX * SCALE), font(LABEL_PX * SCALE)
    split = width * 3 // 5  # the mood panel is 3/5 of the width, as six weeks need more room than seven bars
    _mood_panel(pen, (0, 0, split, height), trend, title, label)
    _kudos_panel(pen, (split, 0, width, height), per_day, title, label)
    return Image(alt=alt_text(trend, per_day), png=small_png(picture),
                 title=tr("Mood and kudos, {week}", week=week.label))


def font(px: int) -> Font:
    """Pillow's own scalable font (no font files to install); a bitmap one where Pillow lacks FreeType."""
    try:
        return ImageFont.load_default(size=px)
    except (ImportError, OSError, TypeError):
        return ImageFont.load_default()


def _plot_area(pen: ImageDraw.ImageDraw, panel: Box, text: str, title: Font, label: Font,
               y_labels: Sequence[str]) -> Box:
    """Draw a panel's title and axes; returns the box inside them."""
    s = SCALE
    left, top, right, bottom = panel
    widest = max((pen.textlength(t, font=label) for t in y_labels), default=0)
    box = (left + 26 * s + widest, top + 28 * s, right - 12 * s, bottom - 22 * s)
    x0, y0, x1, y1 = box
    pen.text((x0, top + 5 * s), text, fill=INK, font=title)
    pen.line([(x0, y0), (x0, y1), (x1, y1)], fill=INK, width=s)  # left and bottom spines only
    return box


def _y_ticks(pen: ImageDraw.ImageDraw, box: Box, ticks: Sequence[float], low: float, high: float,
             label: Font) -> None:
    x0, y0, _, y1 = box
    for tick in ticks:
        y = scale(tick, low, high, y1, y0)
        pen.line([(x0 - 4 * SCALE, y), (x0, y)], fill=INK, width=SCALE)
        shown = f"{tick:g}"
        pen.text((x0 - 7 * SCALE, y), shown, fill=INK, font=label, anchor="rm")


def _x_label(pen: ImageDraw.ImageDraw, x: float, box: Box, text: str, label: Font) -> None:
    y1 = box[3]
    pen.line([(x, y1), (x, y1 + 4 * SCALE)], fill=INK, width=SCALE)
    pen.text((x, y1 + 7 * SCALE), text, fill=INK, font=label, anchor="mt")


def scale(value: float, low: float, high: float, start: float, end: float) -> float:
    return start + (value - low) / (high - low) * (end - start)


def _mood_panel(pen: ImageDraw.ImageDraw, panel: Box, trend: tuple[tuple[str, float | None], ...], title: Font,
                label: Font) -> None:
    ticks = (1, 2, 3, 4, 5)
    box = _plot_area(pen, panel, _drawn(tr(MOOD_TITLE), MOOD_TITLE, title), title, label, [str(t) for t in ticks])
    x0, y0, x1, y1 = box
    _y_ticks(pen, box, ticks, 1, 5, label)
    if not trend:
        empty = _drawn(tr(NO_MOOD), NO_MOOD, label)
        pen.text(((x0 + x1) / 2, (y0 + y1) / 2), empty, fill=INK, font=label, anchor="mm")
        return
    pad = (x1 - x0) * 0.05
    step = (x1 - x0 - 2 * pad) / max(len(trend) - 1, 1)
    xs = [x0 + pad + i * step for i in range(len(trend))] if len(trend) > 1 else [(x0 + x1) / 2]
    points = [None if v is None else (x, scale(v, 1, 5, y1, y0)) for x, (_, v) in zip(xs, trend, strict=True)]
    for a, b in itertools.pairwise(points):
        if a is not None and b is not None:  # a withheld week breaks the line: a gap, not a zero
            pen.line([a, b], fill=MOOD, width=3 * SCALE)
    radius = 4 * SCALE
    for point in points:
        if point is not None:
            x, y = point
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=MOOD)
    for x, (week, _) in zip(xs, trend, strict=True):
        _x_label(pen, x, box, _short(week), label)


def _integer_ticks(top: int) -> list[int]:
    """0 up to at least `top` in whole steps of 1, 2, 5, 10, 20, … — at most six ticks."""
    top = max(top, 1)
    step = next(s for s in (m * 10**e for e in range(12) for m in (1, 2, 5)) if math.ceil(top / s) <= 5)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _kudos_panel(pen: ImageDraw.ImageDraw, panel: Box, per_day: tuple[int, ...], title: Font, label: Font) -> None:
    ticks = _integer_ticks(max(per_day, default=0))
    box = _plot_area(pen, panel, _drawn(tr(KUDOS_TITLE), KUDOS_TITLE, title), title, label, [str(t) for t in ticks])
    x0, y0, x1, y1 = box
    _y_ticks(pen, box, ticks, 0, ticks[-1], label)
    days = [_drawn(weekday(i, "abbreviated"), ENGLISH_DAYS[i], label) for i in range(7)]
    slot = (x1 - x0) / len(days)
    for i, (day, count) in enumerate(zip(days, per_day, strict=True)):
        middle = x0 + slot * (i + 0.5)
        if count:
            top = scale(count, 0, ticks[-1], y1, y0)
            pen.rectangle((middle - slot * 0.4, top, middle + slot * 0.4, y1 - SCALE), fill=KUDOS)
        _x_label(pen, middle, box, day, label)


def small_png(picture: Picture.Image, size: tuple[int, int] = SIZE) -> bytes:
    """Scaled down to its shown size, then a palette PNG: a few dozen colours are all a chart has, and it is a
    quarter of the size (Teams caps card size)."""
    small = picture.resize(size, Picture.Resampling.LANCZOS)
    buffer = io.BytesIO()
    small.quantize(colors=CHART_COLOURS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
