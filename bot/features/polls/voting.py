"""Voting: one press, one transaction — the ballot and the redraw of the channel message go in together.

The redraw is a `Refresh`, drawn from the database when it is delivered and coalesced to one edit per
second, so a burst of votes is never lost and never floods the platform. Anonymous voters are not
looked up or stored as people: their ballot is found by a keyed hash only (see `ballot`).
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.edge import record_id
from bot.features.polls.ballot import ballot_key
from bot.features.polls.closing import Closing
from bot.features.polls.views import CLOSED, GONE, VIEW, counts_hidden, track_key, vote_counted
from bot.i18n import tr
from bot.incoming import Pressed
from bot.messages import say
from bot.metrics import POLL_VOTES
from bot.outbox import send_later
from bot.outgoing import Refresh, Response, reply
from storage import polls as repo
from storage.people import upsert_person
from storage.polls import AT_DEADLINE, PollRecord

_POSITION = re.compile("[0-9]{1,2}")
"""An option's place on the poll (ASCII digits: there are never more than MAX_POLL_OPTIONS)."""


def _choice(value: str) -> tuple[int, int] | None:
    """`poll id:option position` as the button carries it; None for anything else."""
    raw_poll, _, raw_position = value.partition(":")
    poll_id = record_id(raw_poll)
    if poll_id is None or not _POSITION.fullmatch(raw_position):
        return None
    return poll_id, int(raw_position)


def _shows(poll: PollRecord, before: frozenset[int], after: frozenset[int]) -> bool:
    """Whether the channel message changes: with hidden results (and on every open anonymous poll) only the
    number of voters is shown, so no edit can tell anyone watching what a colleague just picked."""
    if counts_hidden(poll):
        return bool(before) != bool(after)
    return before != after


class Voting:
    def __init__(self, ctx: Context, closing: Closing) -> None:
        self.ctx = ctx
        self.closing = closing

    async def press(self, pressed: Pressed) -> Response:
        choice = _choice(pressed.value)
        if choice is None:
            return reply(say(tr(GONE)))
        poll_id, position = choice
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            found = await repo.poll_for_vote(conn, poll_id)
            if found is None or position >= len(found[0].options):
                return reply(say(tr(GONE)))
            poll, secret = found
            voted: tuple[frozenset[int], frozenset[int]] | None = None
            if poll.closed_at is None and not poll.is_due(now) and (secret or not poll.anonymous):
                voter = ballot_key(self.ctx.db.key, secret, pressed.sender) if secret else \
                    await upsert_person(conn, pressed.sender, now)
                voted = await repo.cast(conn, poll, voter, position)
                if _shows(poll, *voted):
                    await send_later(conn, Refresh(track_key(poll.id), VIEW, str(poll.id)), now)
        if voted is not None:
            if voted[0] != voted[1]:  # a count of votes, never of choices: counting it live tells no more
                self.ctx.metrics.count(POLL_VOTES)
            return reply(vote_counted(poll, *voted))
        if poll.is_due(now) and poll.closes_at is not None:
            await self.closing.close(poll.id, poll.closes_at, by=AT_DEADLINE)
        return reply(say(tr(CLOSED)))
