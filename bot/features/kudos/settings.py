"""The `kudos:` section of app.yaml."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator

from bot.config import Strict, check_channels


class KudosSettings(Strict):
    channels: list[str] = Field(default_factory=list)
    daily_allowance: Annotated[int, Field(ge=1, le=100)] = 5
    reaction: Annotated[str, Field(min_length=1)] = "tada"

    _channels = field_validator("channels")(check_channels)
