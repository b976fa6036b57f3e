"""The `kudos:` section of app.yaml."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, field_validator

from bot.config import Strict, check_channels, parse_where

_EMOJI_NAME = re.compile(r"^[\w+'.-]+$")


class KudosSettings(Strict):
    channels: list[str] = Field(default_factory=list)
    daily_allowance: Annotated[int, Field(ge=1, le=100)] = 5
    reaction: Annotated[str, Field(min_length=1)] = "tada"
    msteams_reaction: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[\w-]+$")] = "heart"
    """The Teams reaction that thanks a message's author, as Teams names it: like, heart, laugh, surprised…"""
    undo_minutes: Annotated[int, Field(ge=1, le=1440)] = 15
    """How long the giver may take a kudos back (`undo`) or correct it (`edit`); after that only an admin
    can remove it."""

    _channels = field_validator("channels")(check_channels)

    @field_validator("channels")
    @classmethod
    def _one_per_platform(cls, value: list[str]) -> list[str]:
        """A kudos is posted in one channel per platform: a second one would be silently ignored."""
        seen: dict[str, str] = {}
        for raw in value:
            platform = parse_where(raw).platform
            if platform in seen:
                raise ValueError(f"{seen[platform]} and {raw} are both for {platform}: kudos are posted in one "
                                 "channel per platform — keep one")
            seen[platform] = raw
        return value

    @field_validator("reaction")
    @classmethod
    def _emoji_name(cls, value: str) -> str:
        """Slack names a reaction `tada`, never `:tada:` as people type it; the colons would never match."""
        name = value.strip().strip(":").casefold()
        if not _EMOJI_NAME.match(name):
            raise ValueError("write the emoji's Slack name, e.g. tada for 🎉 (with or without the colons)")
        return name
