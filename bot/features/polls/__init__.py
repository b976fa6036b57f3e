"""Micro-polls: ask the channel, vote with a button, see it live (or not), close on time — named or anonymous."""

from __future__ import annotations

from bot.context import Context
from bot.feature import Feature, Handlers
from bot.features.polls.asking import Asking
from bot.features.polls.builder import BUILDER
from bot.features.polls.closing import Closing
from bot.features.polls.grammar import HELP, VERB, CreatePoll, OpenPollBuilder, parse_poll
from bot.features.polls.settings import PollSettings
from bot.features.polls.views import CLOSE, VIEW, VOTE, poll_message
from bot.features.polls.voting import Voting
from bot.i18n import tr
from bot.messages import Message, say
from storage import polls as repo


def build(ctx: Context) -> Handlers:
    asking, closing = Asking(ctx), Closing(ctx)
    voting = Voting(ctx, closing)

    async def view(poll_id: str) -> Message:
        """The channel message as it stands now, for Refresh deliveries."""
        async with ctx.db.transaction() as conn:
            poll = await repo.get_poll(conn, int(poll_id))
            tally = await repo.tally(conn, poll) if poll else None
        if poll is None or tally is None:
            return say(tr("This poll was removed."))
        return poll_message(poll, tally, ctx.settings.zone, ctx.settings.anonymity.min_group_size)

    return Handlers(
        commands={CreatePoll: asking.typed, OpenPollBuilder: asking.open_builder},
        actions={VOTE: voting.press, CLOSE: closing.press},
        forms={BUILDER: asking.submitted},
        views={VIEW: view},
        tickers=(closing.tick,),
        confidential=frozenset({VOTE}),  # a ballot in an anonymous poll (one button for both kinds of poll)
    )


FEATURE = Feature("polls", build, verbs={VERB: parse_poll}, help=HELP, settings={"polls": PollSettings})
