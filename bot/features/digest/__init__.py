"""The weekly digest for managers (kudos, mood and polls of the ISO week just ended, once per team), the
executive roll-up across teams, and the company brag sheet (`feature off|on` keeps someone off it)."""

from __future__ import annotations

from bot.context import Context
from bot.feature import Feature, Handlers
from bot.features.digest.audience import check_audiences
from bot.features.digest.featuring import FEATURE_VERBS, HELP, Featuring, SwitchFeatured, parse_feature
from bot.features.digest.settings import DigestSettings
from bot.features.digest.weekly import WeeklyDigest


def build(ctx: Context) -> Handlers:
    return Handlers(commands={SwitchFeatured: Featuring(ctx).switch}, tickers=(WeeklyDigest(ctx).tick,))


FEATURE = Feature("digest", build, verbs=dict.fromkeys(FEATURE_VERBS, parse_feature), help=HELP,
                  settings={"digest": DigestSettings}, check=check_audiences)
