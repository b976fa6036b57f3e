"""Micro-polls: ask the channel, vote with a button, see it live (or not), close on time — named or anonymous."""

from __future__ import annotations

from typing import Any

from bot.context import Context
from bot.features.polls.asking import Asking
from bot.features.polls.builder import BUILDER
from bot.features.polls.closing import Closing
from bot.features.polls.views import CLOSE, VIEW, VOTE, poll_message
from bot.features.polls.voting import Voting
from bot.grammar.polls import CreatePoll, OpenPollBuilder
from bot.messages import Message, say
from storage import polls as repo


class Polls:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.asking = Asking(ctx)
        self.closing = Closing(ctx)
        self.voting = Voting(ctx, self.closing)

    def register(self, core: Any) -> None:
        """Hook into the core's commands, buttons, form, outbox views and scheduled work."""
        core.commands[CreatePoll] = self.asking.typed
        core.commands[OpenPollBuilder] = self.asking.open_builder
        core.actions[VOTE] = self.voting.press
        core.actions[CLOSE] = self.closing.press
        core.forms[BUILDER] = self.asking.submitted
        core.outbox.views[VIEW] = self.view
        core.tickers.append(self.closing.tick)

    async def view(self, poll_id: str) -> Message:
        """The channel message as it stands now, for Refresh deliveries."""
        async with self.ctx.db.transaction() as conn:
            poll = await repo.get_poll(conn, int(poll_id))
            tally = await repo.tally(conn, poll) if poll else None
        if poll is None or tally is None:
            return say("This poll was removed.")
        return poll_message(poll, tally, self.ctx.settings.zone)
