"""Closing a poll: by its asker's button, or at its deadline by the scheduler's tick.

Closing is claimed in the database (`closed_at` set once), so a press and a tick racing each other, a tick
run twice, or two instances ticking together close the poll once; the results reply is keyed by poll,
so it is posted once. A deadline that passed while Huzzah was down is closed on the first tick after start.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.context import Context
from bot.edge import record_id
from bot.failures import log_failure
from bot.features.polls.views import ALREADY_CLOSED, CLOSED_NOW, GONE, VIEW, only_the_asker, results_message, track_key
from bot.i18n import speaking, tr, workspace_language
from bot.incoming import Pressed
from bot.messages import say
from bot.metrics import POLLS_CLOSED
from bot.outbox import send_later
from bot.outgoing import Post, Refresh, Response, reply
from storage import polls as repo
from storage.polls import AT_DEADLINE, BY_ASKER

log = logging.getLogger(__name__)


class Closing:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def press(self, pressed: Pressed) -> Response:
        """The Close button: everyone sees it, only the asker can use it."""
        poll_id = record_id(pressed.value)
        if poll_id is None:
            return reply(say(tr(GONE)))
        async with self.ctx.db.transaction() as conn:
            poll = await repo.get_poll(conn, poll_id)
        if poll is None:
            return reply(say(tr(GONE)))
        if pressed.sender != poll.creator:
            return reply(only_the_asker(poll, self.ctx.settings.zone))
        if poll.closed_at is not None:
            return reply(say(tr(ALREADY_CLOSED)))
        now = self.ctx.clock.now()
        if poll.is_due(now) and poll.closes_at is not None:  # the tick has not come round yet
            closed = await self.close(poll.id, poll.closes_at, by=AT_DEADLINE)
        else:
            closed = await self.close(poll.id, now, by=BY_ASKER)
        return reply(say(tr(CLOSED_NOW if closed else ALREADY_CLOSED)))

    async def tick(self) -> None:
        """Close every poll whose deadline has passed (the scheduler calls this; safe to call any time)."""
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            due = await repo.due_polls(conn, now)
        for poll_id, deadline in due:
            try:
                await self.close(poll_id, deadline, by=AT_DEADLINE)
            except Exception as exc:
                log_failure(log, f"closing poll {poll_id}", exc)

    async def close(self, poll_id: int, at: datetime, *, by: str) -> bool:
        """Close once and announce it: the message redrawn as closed, the results replied in its thread."""
        now = self.ctx.clock.now()
        async with self.ctx.db.transaction() as conn:
            if not await repo.close_poll(conn, poll_id, at, by):
                return False
            poll = await repo.get_poll(conn, poll_id)
            assert poll is not None
            tally = await repo.tally(conn, poll)
            track = track_key(poll_id)
            await send_later(conn, Refresh(track, VIEW, str(poll_id)), now)
            with speaking(workspace_language()):
                results = results_message(poll, tally, self.ctx.settings.anonymity.min_group_size)
            await send_later(conn, Post(poll.channel, results, thread=track), now,
                             key=f"{track}:results")
        if poll.anonymous:
            await self.ctx.db.forget_page_history()
        self.ctx.metrics.count(POLLS_CLOSED, by=by)
        return True
