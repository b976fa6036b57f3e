"""The weekly digest for managers: kudos, mood and polls of the ISO week just ended, posted once per team."""

from __future__ import annotations

from bot.context import Context
from bot.feature import Feature, Handlers
from bot.features.digest.audience import check_audiences
from bot.features.digest.settings import DigestSettings
from bot.features.digest.weekly import WeeklyDigest


def build(ctx: Context) -> Handlers:
    return Handlers(tickers=(WeeklyDigest(ctx).tick,))


FEATURE = Feature("digest", build, settings={"digest": DigestSettings}, check=check_audiences)
