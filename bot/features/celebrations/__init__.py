"""Celebrations: birthdays, work anniversaries and first weeks from HR's CSV, marked on the day in each person's
own time zone — in the team channel with a "Say congrats" button, privately, or not at all, as each chooses."""

from __future__ import annotations

from bot.context import Context
from bot.feature import Feature, Handlers
from bot.features.celebrations.celebrating import Celebrations
from bot.features.celebrations.grammar import HELP, ChooseCelebration, parse_celebrate
from bot.features.celebrations.settings import CelebrationsSettings
from bot.features.celebrations.views import CONGRATS


def build(ctx: Context) -> Handlers:
    celebrations = Celebrations(ctx)
    return Handlers(
        commands={ChooseCelebration: celebrations.choose},
        actions={CONGRATS: celebrations.congrats},
        tickers=(celebrations.tick,),
    )


FEATURE = Feature("celebrations", build, verbs={"celebrate": parse_celebrate}, help=HELP,
                  settings={"celebrations": CelebrationsSettings})
