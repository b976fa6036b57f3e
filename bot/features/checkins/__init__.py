"""Anonymous mood check-ins and venting: asked privately on each person's own schedule, reported only in
groups large enough that no answer can be traced back to whoever gave it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.context import Context
from bot.features.checkins.answers import Answers
from bot.features.checkins.members import TeamMembers
from bot.features.checkins.prefs import Preferences
from bot.features.checkins.rounds import Rounds
from bot.features.checkins.vents import Vents
from bot.features.checkins.views import MOOD_ACTION, VENT_ACTION, VENT_FORM
from bot.grammar.checkins import MoveCheckin, OpenVent, StartCheckin, SwitchCheckins
from bot.ports import Roster


class Checkins:
    def __init__(self, ctx: Context, rosters: Mapping[str, Roster]) -> None:
        self.members = TeamMembers(ctx, rosters)
        self.answers = Answers(ctx, self.members)
        self.vents = Vents(ctx, self.members)
        self.preferences = Preferences(ctx, self.members)
        self.rounds = Rounds(ctx, self.members)

    def register(self, core: Any) -> None:
        """Hook into the core's commands, buttons, forms and scheduled work."""
        core.commands[StartCheckin] = self.answers.start
        core.commands[MoveCheckin] = self.preferences.move
        core.commands[SwitchCheckins] = self.preferences.switch
        core.commands[OpenVent] = self.vents.open
        core.actions[MOOD_ACTION] = self.answers.press
        core.actions[VENT_ACTION] = self.vents.press
        core.forms[VENT_FORM] = self.vents.submit
        core.tickers.append(self.rounds.tick)
