"""The `celebrations:` section of app.yaml."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from bot.config import Strict, check_channels


class CelebrationsSettings(Strict):
    csv: str = ""
    """The CSV HR keeps (columns person, birthday, started, timezone); empty: no celebrations."""
    channels: list[str] = Field(default_factory=list)
    """Where the posts go, one channel per platform (`slack:#general`)."""
    hour: Annotated[int, Field(ge=0, le=23)] = 9
    """The hour of the day, in each person's own time zone, from which their day is celebrated."""

    _channels = field_validator("channels")(check_channels)
