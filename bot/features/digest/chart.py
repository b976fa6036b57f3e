"""The digest's small chart — mood trend and kudos per day — as a PNG with alt text that says the same."""

from __future__ import annotations

import io
import math
from typing import TYPE_CHECKING

from bot.features.digest.week import Week
from bot.messages import Image

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
INK = "#3b3b4f"
MOOD = "#7a5cc4"
KUDOS = "#f2a93b"
CHART_COLOURS = 64

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not whenever the bot starts
    from matplotlib.backends.backend_agg import FigureCanvasAgg


def _short(week: str) -> str:
    return week.rsplit("-", 1)[-1]


def alt_text(trend: tuple[tuple[str, float | None], ...], per_day: tuple[int, ...]) -> str:
    if trend:
        mood = ", ".join(f"{_short(w)} {'withheld' if v is None else f'{v:.1f}'}" for w, v in trend)
        mood_part = f"Mood average by week (1 to 5): {mood}."
    else:
        mood_part = "No mood figures this time."
    kudos = ", ".join(f"{d} {n}" for d, n in zip(DAYS, per_day, strict=True))
    return f"{mood_part} Kudos per day: {kudos}."


def draw(week: Week, trend: tuple[tuple[str, float | None], ...], per_day: tuple[int, ...]) -> Image:
    """Two small panels side by side; withheld weeks are gaps, never zeros."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.2, 2.4), dpi=100, layout="constrained")
    canvas = FigureCanvasAgg(figure)
    mood_ax, kudos_ax = figure.subplots(1, 2, width_ratios=(3, 2))

    mood_ax.set_title("Mood, six weeks", fontsize=10, color=INK, loc="left")
    mood_ax.set_ylim(1, 5)
    mood_ax.set_yticks([1, 2, 3, 4, 5])
    if trend:
        values = [math.nan if v is None else v for _, v in trend]
        mood_ax.plot(range(len(trend)), values, marker="o", color=MOOD, linewidth=2)
        mood_ax.set_xticks(range(len(trend)), [_short(w) for w, _ in trend])
    else:
        mood_ax.set_xticks([])
        mood_ax.text(0.5, 0.5, "no mood figures", ha="center", va="center", color=INK, transform=mood_ax.transAxes)

    kudos_ax.set_title("Kudos per day", fontsize=10, color=INK, loc="left")
    kudos_ax.bar(range(len(DAYS)), per_day, color=KUDOS)
    kudos_ax.set_xticks(range(len(DAYS)), DAYS)
    kudos_ax.yaxis.get_major_locator().set_params(integer=True)

    for ax in (mood_ax, kudos_ax):
        ax.tick_params(labelsize=8, colors=INK)
        ax.spines[["top", "right"]].set_visible(False)

    return Image(alt=alt_text(trend, per_day), png=_small_png(canvas), title=f"Mood and kudos, {week.label}")


def _small_png(canvas: FigureCanvasAgg) -> bytes:
    """A few dozen colours are all a chart has: a palette PNG is a quarter of the size (Teams caps card size)."""
    from PIL import Image as Picture

    canvas.draw()
    picture = Picture.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    buffer = io.BytesIO()
    picture.quantize(colors=CHART_COLOURS).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
