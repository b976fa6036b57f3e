"""The `digest:` section of app.yaml: the teams' weekly digest, the executive roll-up and the brag sheet."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator

from bot.config import Strict, Weekday, check_channels, check_managers, check_time


class RollupSettings(Strict):
    """Every team side by side for the head of support and executives: posted after the digests."""

    enabled: bool = False
    every: Literal["week", "month"] = "week"
    channels: list[str] = Field(default_factory=list)
    readers: list[str] = Field(default_factory=list)
    """People who get it by DM, as platform:user."""

    _channels = field_validator("channels")(check_channels)
    _readers = field_validator("readers")(check_managers)


class BragSettings(Strict):
    """The week's kudos highlights for the whole company: no mood, no vents, no figures."""

    channels: list[str] = Field(default_factory=list)
    """Company-wide channels (platform:channel); none, and there is no brag sheet."""
    highlights: Annotated[int, Field(ge=1, le=20)] = 5

    _channels = field_validator("channels")(check_channels)


class DigestSettings(Strict):
    enabled: bool = True
    day: Weekday = "tue"
    """The day after the check-in round closes (Friday 15:00 + 3 days): a digest reports closed rounds only."""
    time: str = "09:00"
    channels: list[str] = Field(default_factory=list)
    managers: list[str] = Field(default_factory=list)
    """People who get every team's digest by DM, as platform:user (`slack:U0123ABCD`, `console:carol`) — for
    a single-team install; with several teams, name `managers` under each team instead."""
    grace_hours: Annotated[int, Field(ge=0, le=168)] = 24
    quiet_weeks: Annotated[int, Field(ge=1, le=52)] = 4
    """Managers' fairness nudge: members nobody has thanked in this many weeks."""
    rollup: RollupSettings = RollupSettings()
    brag: BragSettings = BragSettings()

    _time = field_validator("time")(check_time)
    _channels = field_validator("channels")(check_channels)
    _managers = field_validator("managers")(check_managers)
