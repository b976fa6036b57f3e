"""The `polls:` section of app.yaml."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from bot.config import Strict, check_time


class PollSettings(Strict):
    default_open_hours: Annotated[int, Field(ge=0, le=24 * 90)] = 24
    """A poll typed without --closes closes after this many hours; 0 leaves it open until its asker closes it."""
    max_open_days: Annotated[int, Field(ge=1, le=90)] = 30
    default_close_time: str = "17:00"
    """When a deadline names a day but no time (`--closes fri`), it is this time in the asker's zone."""

    _time = field_validator("default_close_time")(check_time)
