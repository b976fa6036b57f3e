"""Group commit: what arrives while a commit is under way is written together, in the next one.

Fifty acknowledgements at once would otherwise queue for the database one transaction (and one fsync, and on
SQLite a dozen thread hops) each, and the fiftieth would wait for all the others. Here the first starts a
transaction and everything that arrives meanwhile shares the next: whatever the burst, a caller waits for at
most two commits, and each statement carries the whole batch.

A caller inside a ride-along (`Database.ride_along`: an inbox row to finish with the work's first write) takes it
into the batch: its step runs in the batch's transaction, before the batch is written; a caller whose step fails
is left out of the batch and hears why (such a step must fail before writing, as `storage.inbox.Finishing`
does); the others' steps commit with the batch.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import Database, Ride, SharedStep

T = TypeVar("T")
R = TypeVar("R")

Write = Callable[[AsyncConnection, Sequence[T]], Awaitable[Sequence[R]]]
"""Writes a batch inside one transaction; one result per item, in the items' order."""


class GroupCommit(Generic[T, R]):
    def __init__(self, db: Database, write: Write[T, R], *, most: int = 200) -> None:
        self.db = db
        self.write = write
        self.most = most
        self._waiting: list[_Entry[T, R]] = []
        self._writer: asyncio.Task[None] | None = None
        self._commits = 0
        self._changed = asyncio.Condition()

    @property
    def busy(self) -> bool:
        """Something is waiting to be written, or being written."""
        return bool(self._waiting) or self._writer is not None

    async def add(self, item: T) -> R:
        """Write `item` with whatever else arrives meanwhile; committed when this returns. A failed transaction
        fails every item in it, as it would have failed each alone."""
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append(_Entry(item, future, self.db.riding()))
        if self._writer is None:
            # a context of its own: the batch belongs to no one caller (nor to its ride-along or language)
            self._writer = asyncio.get_running_loop().create_task(self._write_all(), context=contextvars.Context())
        return await future

    async def quiet(self, patience: int) -> None:
        """Until nothing waits to be written — or `patience` commits have gone by, so that whoever yields to this
        group's writes is never starved by a steady stream of them."""
        began = self._commits
        async with self._changed:
            await self._changed.wait_for(lambda: not self.busy or self._commits - began >= patience)

    async def _write_all(self) -> None:
        try:
            while self._waiting:
                batch = [e for e in self._waiting[: self.most] if not e.future.done()]
                del self._waiting[: self.most]
                if batch:
                    await self._commit(batch)
                self._commits += 1
                async with self._changed:
                    self._changed.notify_all()
        finally:
            self._writer = None
            for entry in self._waiting:  # only when this task itself was cancelled (the loop is closing)
                entry.future.cancel()
            self._waiting.clear()
            async with self._changed:
                self._changed.notify_all()

    async def _commit(self, batch: list[_Entry[T, R]]) -> None:
        written: list[_Entry[T, R]] = []
        try:
            async with self.db.transaction() as conn:
                failures = await _ride_steps(conn, batch)
                for entry, failure in zip(batch, failures, strict=True):
                    if failure is None:
                        written.append(entry)
                    elif not entry.future.done():
                        entry.future.set_exception(failure)
                results = await self.write(conn, [e.item for e in written]) if written else []
        except asyncio.CancelledError:
            for entry in batch:
                entry.future.cancel()
            raise
        except Exception as exc:
            for entry in written:
                if not entry.future.done():
                    entry.future.set_exception(exc)
            return
        for entry, result in zip(written, results, strict=True):
            if entry.ride is not None:
                entry.ride.done = True
            if not entry.future.done():
                entry.future.set_result(result)


async def _ride_steps(conn: AsyncConnection, batch: Sequence[_Entry[Any, Any]]) -> list[Exception | None]:
    """Every rider's step, in the batch's transaction: what each failed with (None: done). Shared steps of a kind
    are taken together (`SharedStep`: the inbox rows of a batch, one DELETE)."""
    failures: list[Exception | None] = [None] * len(batch)
    shared: dict[type[SharedStep], list[tuple[int, SharedStep]]] = {}
    for i, entry in enumerate(batch):
        step = entry.ride.step if entry.ride is not None else None
        if isinstance(step, SharedStep):
            shared.setdefault(type(step), []).append((i, step))
        elif step is not None:
            try:
                await step(conn)
            except Exception as exc:
                failures[i] = exc
    for kind, steps in shared.items():
        for (i, _), failure in zip(steps, await kind.take_all(conn, [s for _, s in steps]), strict=True):
            failures[i] = failure
    return failures


@dataclass(frozen=True)
class _Entry(Generic[T, R]):
    item: T
    future: asyncio.Future[R]
    ride: Ride | None
