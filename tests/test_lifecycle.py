"""How a process stops: the shutdown timeout's sources, and stages run in order within it."""

from __future__ import annotations

import asyncio

import pytest

from bot.config import ConfigError
from huzzah.cli import build_parser
from huzzah.lifecycle import SHUTDOWN_ENV, stop_in_order
from huzzah.lifecycle import shutdown_timeout as timeout_of


def test_the_shutdown_timeout_comes_from_the_flag_then_the_environment_then_ten_seconds() -> None:
    assert timeout_of(None, {}) == 10
    assert timeout_of(None, {SHUTDOWN_ENV: " 25 "}) == 25
    assert timeout_of(3.5, {SHUTDOWN_ENV: "25"}) == 3.5
    for command in ("serve", "scheduler"):
        assert build_parser().parse_args([command, "--shutdown-timeout", "4"]).shutdown_timeout == 4


@pytest.mark.parametrize(("given", "env", "named"), [
    (None, {SHUTDOWN_ENV: "soon"}, SHUTDOWN_ENV),
    (None, {SHUTDOWN_ENV: "-1"}, SHUTDOWN_ENV),
    (0.0, {}, "--shutdown-timeout"),
])
def test_a_shutdown_timeout_that_is_not_a_sensible_number_of_seconds_names_where_it_came_from(
    given: float | None, env: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError, match=named):
        timeout_of(given, env)


async def test_stages_run_in_order_and_one_failing_does_not_keep_the_next_from_running() -> None:
    ran: list[str] = []

    async def first() -> None:
        ran.append("first")
        raise RuntimeError("broken")

    async def second() -> None:
        ran.append("second")

    assert await stop_in_order([("first", first), ("second", second)], 5, asyncio.Event()) is True
    assert ran == ["first", "second"]


async def test_past_the_timeout_the_stage_in_progress_is_cut_short_and_the_rest_skipped() -> None:
    ran: list[str] = []
    cut: list[bool] = []

    async def stuck() -> None:
        ran.append("stuck")
        await asyncio.Event().wait()

    async def never() -> None:
        ran.append("never")

    done = await stop_in_order([("stuck", stuck), ("never", never)], 0.05, asyncio.Event(), lambda: cut.append(True))
    assert done is False and ran == ["stuck"] and cut == [True]


async def test_a_second_signal_stops_waiting_at_once() -> None:
    hurry = asyncio.Event()
    hurry.set()
    assert await stop_in_order([("stuck", asyncio.Event().wait)], 60, hurry) is False
