"""The `checkins:` and `crisis:` sections of app.yaml."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from bot.config import Strict, Weekday, check_time
from bot.i18n import N_, TAGS, language_of


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
    "自殺", "結束生命", "傷害自己", "自殘",
    "suicidio", "suicidarme", "quiero morir", "quitarme la vida", "hacerme daño", "no quiero vivir",
]


class CrisisResource(Strict):
    name: Annotated[str, Field(min_length=1)]
    contact: str = ""
    url: str = ""


class CrisisHelp(Strict):
    """What one language's readers are offered; left out, the default (translated) applies."""

    message: Annotated[str, Field(min_length=1)] = N_(
        "It sounds like things are really hard right now. You don't have to carry this alone — "
        "these people are there to listen, confidentially:"
    )
    resources: list[CrisisResource] = Field(default_factory=lambda: [
        CrisisResource(name=N_("Your Employee Assistance Programme"), contact=N_("ask HR for the number")),
        CrisisResource(name=N_("Find a helpline in your country"), url="https://findahelpline.com"),
    ])


class CrisisSettings(CrisisHelp):
    phrases: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=lambda: list(DEFAULT_CRISIS_PHRASES))
    languages: dict[str, CrisisHelp] = Field(default_factory=dict)
    """Per language (`vi`, `zh-TW`…): the local helplines, e.g. a Vietnamese or Taiwanese one."""

    @field_validator("languages")
    @classmethod
    def _spoken(cls, given: dict[str, CrisisHelp]) -> dict[str, CrisisHelp]:
        out = {}
        for tag, help_ in given.items():
            code = language_of(tag)
            if code is None:
                raise ValueError(f"{tag!r} is not one of Huzzah's languages ({', '.join(TAGS.values())})")
            out[code] = help_
        return out

    def for_language(self, code: str) -> CrisisHelp:
        return self.languages.get(code, self)
