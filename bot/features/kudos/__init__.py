"""Kudos: thank colleagues in public, tagged with a company value, within a daily allowance — by typing, by a
form or message shortcut, by a reaction, or by joining someone else's thanks ("Me too"); and `stats`."""

from __future__ import annotations

from functools import partial

from bot.context import Context
from bot.feature import Feature, Handlers
from bot.features.kudos.giving import GIVE_SHORTCUT, VIEW, Kudos
from bot.features.kudos.grammar import (
    HELP,
    KUDOS_VERBS,
    EditKudos,
    GiveKudos,
    RemoveKudos,
    ShowStats,
    UndoKudos,
    parse_edit,
    parse_kudos,
    parse_remove,
    parse_stats,
    parse_undo,
)
from bot.features.kudos.home import home_section
from bot.features.kudos.settings import KudosSettings
from bot.features.kudos.stats import show_stats
from bot.features.kudos.views import GIVE_FORM, ME_TOO, UNDO
from bot.features.kudos.withdrawal import Withdrawal


def build(ctx: Context) -> Handlers:
    settings = ctx.settings.section(KudosSettings)
    kudos = Kudos(ctx)
    withdrawal = Withdrawal(ctx, kudos)
    return Handlers(
        commands={GiveKudos: kudos.give, ShowStats: partial(show_stats, ctx), UndoKudos: withdrawal.undo,
                  EditKudos: withdrawal.edit, RemoveKudos: withdrawal.remove},
        actions={ME_TOO: kudos.me_too, UNDO: withdrawal.undo_pressed},
        forms={GIVE_FORM: kudos.submitted},
        shortcuts={GIVE_SHORTCUT: kudos.shortcut},
        reactions=dict.fromkeys((settings.reaction, settings.msteams_reaction), withdrawal.react),
        views={VIEW: kudos.view},
        home=(partial(home_section, ctx),),
    )


FEATURE = Feature(
    "kudos", build,
    verbs={**dict.fromkeys(KUDOS_VERBS, parse_kudos), "stats": parse_stats, "undo": parse_undo,
           "edit": parse_edit, "remove": parse_remove},
    mention=parse_kudos, help=HELP,
    settings={"kudos": KudosSettings},
)
