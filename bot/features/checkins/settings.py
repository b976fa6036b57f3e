"""The `checkins:` and `crisis:` sections of app.yaml."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from bot.config import Strict, Weekday, check_time


class CheckinSettings(Strict):
    enabled: bool = True
    day: Weekday = "fri"
    time: str = "15:00"
    open_days: Annotated[int, Field(ge=1, le=14)] = 3
    reminder: bool = True
    reminder_after_hours: Annotated[int, Field(ge=1, le=336)] = 24

    _time = field_validator("time")(check_time)

    @model_validator(mode="after")
    def _reminder_while_open(self) -> CheckinSettings:
        if self.reminder and self.reminder_after_hours >= self.open_days * 24:
            raise ValueError("reminder_after_hours must be shorter than the open_days the round stays open")
        return self


DEFAULT_CRISIS_PHRASES = [
    "kill myself", "end my life", "suicide", "suicidal", "want to die", "self harm", "self-harm",
    "hurt myself", "no reason to live",
    "自杀", "想死", "不想活", "结束生命", "伤害自己", "自残",
    "tự tử", "muốn chết", "tự làm hại", "không muốn sống", "kết thúc cuộc đời",
]


class CrisisResource(Strict):
    name: Annotated[str, Field(min_length=1)]
    contact: str = ""
    url: str = ""


class CrisisSettings(Strict):
    phrases: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=lambda: list(DEFAULT_CRISIS_PHRASES))
    message: Annotated[str, Field(min_length=1)] = (
        "It sounds like things are really hard right now. You don't have to carry this alone — "
        "these people are there to listen, confidentially:"
    )
    resources: list[CrisisResource] = Field(default_factory=lambda: [
        CrisisResource(name="Your Employee Assistance Programme", contact="ask HR for the number"),
        CrisisResource(name="Find a helpline in your country", url="https://findahelpline.com"),
    ])
