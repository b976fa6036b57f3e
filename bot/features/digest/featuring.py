"""`feature off|on`: whether a person may appear on the company brag sheet (kudos highlights for everyone)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.context import Context
from bot.grammar.errors import GrammarError
from bot.grammar.help import HelpEntry
from bot.grammar.tokens import Parts, is_blank, next_word
from bot.i18n import N_, tr
from bot.incoming import Said
from bot.messages import footnote, message, text
from bot.outgoing import Response, reply
from storage.org import set_featured
from storage.people import upsert_person

FEATURE_VERBS = ("feature",)
HELP = (
    HelpEntry("feature off | on", N_("Keep yourself off the company brag sheet of kudos highlights, or come back on"),
              "feature off"),
)


@dataclass(frozen=True)
class SwitchFeatured:
    on: bool


def parse_feature(parts: Parts) -> SwitchFeatured | GrammarError:
    word, rest = next_word(parts)
    if isinstance(word, str) and word.casefold() in ("on", "off") and is_blank(rest):
        return SwitchFeatured(on=word.casefold() == "on")
    return GrammarError(tr("Type `feature off` to stay off the company brag sheet, or `feature on` to be back on it."))


class Featuring:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def switch(self, said: Said, cmd: SwitchFeatured) -> Response:
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            await set_featured(conn, await upsert_person(conn, said.sender, now), cmd.on, now)
        if cmd.on:
            return reply(message(text(tr("🎉 You're back on the company brag sheet: kudos that name you can be shown "
                                         "there again.")), footnote(tr("`feature off` takes you off it."))))
        return reply(message(
            text(tr("OK — no kudos that names you will appear on the company brag sheet.")),
            footnote(tr("Your team still sees your kudos as before. `feature on` puts you back on the sheet.")),
        ))
