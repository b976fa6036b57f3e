"""The features Huzzah is built from, in the order their help lines are shown. Adding a feature: its folder
under `bot/features/` (whose `__init__.py` defines a `Feature`, see `bot.feature`) and one line here."""

from __future__ import annotations

from bot.feature import Feature
from bot.features import celebrations, checkins, digest, kudos, language, polls

FEATURES: tuple[Feature, ...] = (
    kudos.FEATURE,
    checkins.FEATURE,
    polls.FEATURE,
    digest.FEATURE,
    celebrations.FEATURE,
    language.FEATURE,
)
