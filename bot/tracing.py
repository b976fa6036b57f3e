"""Which request, platform and feature the work at hand belongs to, for log lines to carry (`huzzah.logs`).

Context variables follow the work into the tasks it starts (Slack's listeners run after the ack), so a line
logged anywhere below a request names it without anyone passing it along. Only ids and names of code travel
here — never what someone typed, chose or is called.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="")
PLATFORM: ContextVar[str] = ContextVar("platform", default="")
FEATURE: ContextVar[str] = ContextVar("feature", default="")
FIELDS: tuple[tuple[str, ContextVar[str]], ...] = (
    ("request_id", REQUEST_ID), ("platform", PLATFORM), ("feature", FEATURE),
)


@contextmanager
def within(var: ContextVar[str], value: str) -> Iterator[None]:
    """`var` is `value` inside the block (and in tasks started there), as it was after it."""
    token = var.set(value)
    try:
        yield
    finally:
        var.reset(token)


def current() -> dict[str, str]:
    """The fields set for the work at hand."""
    return {name: value for name, var in FIELDS if (value := var.get())}
