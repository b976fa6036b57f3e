"""Language: `language zh-TW` to choose what Huzzah speaks to you, `language` alone to see it and the choices,
`language auto` to follow your chat platform's setting again."""

from __future__ import annotations

from functools import partial

from bot.context import Context
from bot.feature import Feature, Handlers
from bot.features.language.choosing import HELP, ChooseLanguage, choose, parse_language


def build(ctx: Context) -> Handlers:
    return Handlers(commands={ChooseLanguage: partial(choose, ctx)})


FEATURE = Feature("language", build, verbs={"language": parse_language, "lang": parse_language}, help=HELP)
