"""Keeping under Teams' message rates before Teams has to say 429.

Sliding windows, one per conversation and one per tenant; a send waits until every window it belongs to
has room. This paces one process; several instances are kept honest by Teams' 429s, which the messenger
retries with backoff.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

from adapters.msteams.limits import PER_CONVERSATION, PER_TENANT

Sleep = Callable[[float], Awaitable[None]]


class Window:
    """At most `limit` events in any `period` seconds."""

    def __init__(self, limit: int, period: float) -> None:
        self.limit = limit
        self.period = period
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 when it fits now)."""
        while self.times and self.times[0] <= now - self.period:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return self.times[0] + self.period - now

    def take(self, now: float) -> None:
        self.times.append(now)


class Pacer:
    def __init__(self, *, now: Callable[[], float] = time.monotonic, sleep: Sleep = asyncio.sleep,
                 per_conversation: tuple[int, float] = PER_CONVERSATION,
                 per_tenant: tuple[int, float] = PER_TENANT) -> None:
        self.now = now
        self.sleep = sleep
        self.per_conversation = per_conversation
        self.per_tenant = per_tenant
        self.conversations: dict[str, Window] = {}
        self.tenants: dict[str, Window] = {}

    def _windows(self, conversation: str, tenant: str) -> tuple[Window, Window]:
        if len(self.conversations) > 10_000:
            self._forget_idle()
        return (
            self.conversations.setdefault(conversation, Window(*self.per_conversation)),
            self.tenants.setdefault(tenant, Window(*self.per_tenant)),
        )

    def _forget_idle(self) -> None:
        now = self.now()
        self.conversations = {k: w for k, w in self.conversations.items() if w.wait(now) or w.times}

    async def turn(self, conversation: str, tenant: str) -> None:
        """Wait until a message to `conversation` in `tenant` stays within every limit, then count it."""
        windows = self._windows(conversation, tenant)
        while True:
            now = self.now()
            delay = max(w.wait(now) for w in windows)
            if delay <= 0:
                for w in windows:
                    w.take(now)
                return
            await self.sleep(delay)
