"""The `digest:` section of app.yaml."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from bot.config import Strict, Weekday, check_channels, check_managers, check_time


class DigestSettings(Strict):
    enabled: bool = True
    day: Weekday = "tue"
    """The day after the check-in round closes (Friday 15:00 + 3 days): a digest reports closed rounds only."""
    time: str = "09:00"
    channels: list[str] = Field(default_factory=list)
    managers: list[str] = Field(default_factory=list)
    """People who get the digest by DM, as platform:user (`slack:U0123ABCD`, `console:carol`)."""
    grace_hours: Annotated[int, Field(ge=0, le=168)] = 24

    _time = field_validator("time")(check_time)
    _channels = field_validator("channels")(check_channels)
    _managers = field_validator("managers")(check_managers)
