"""Anonymous mood check-ins and venting: asked privately on each person's own schedule, reported only in
groups large enough that no answer can be traced back to whoever gave it."""

from __future__ import annotations

from bot.context import Context
from bot.feature import Feature, Handlers
from bot.features.checkins.answers import Answers
from bot.features.checkins.grammar import (
    CHECKIN_VERBS,
    HELP,
    VENT_VERBS,
    MoveCheckin,
    OpenVent,
    StartCheckin,
    SwitchCheckins,
    parse_checkin,
    parse_vent,
)
from bot.features.checkins.members import TeamMembers
from bot.features.checkins.prefs import Preferences
from bot.features.checkins.rounds import Rounds
from bot.features.checkins.settings import CheckinSettings, CrisisSettings
from bot.features.checkins.vents import Vents
from bot.features.checkins.views import MOOD_ACTION, VENT_ACTION, VENT_FORM


def build(ctx: Context) -> Handlers:
    members = TeamMembers(ctx, ctx.rosters)
    answers, vents, preferences = Answers(ctx, members), Vents(ctx, members), Preferences(ctx, members)
    return Handlers(
        commands={StartCheckin: answers.start, MoveCheckin: preferences.move, SwitchCheckins: preferences.switch,
                  OpenVent: vents.open},
        actions={MOOD_ACTION: answers.press, VENT_ACTION: vents.press},
        forms={VENT_FORM: vents.submit},
        tickers=(Rounds(ctx, members).tick,),
        confidential=frozenset({MOOD_ACTION, VENT_ACTION, VENT_FORM, OpenVent}),
    )


FEATURE = Feature(
    "checkins", build,
    verbs={**dict.fromkeys(CHECKIN_VERBS, parse_checkin), **dict.fromkeys(VENT_VERBS, parse_vent)}, help=HELP,
    settings={"checkins": CheckinSettings, "crisis": CrisisSettings},
)
