"""Huzzah's settings: app.yaml for everything that is not a secret, the environment for the rest.

A mistake in the file is reported as one line naming the file, the key, the value and what is allowed;
the CLI turns ConfigError into exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.limits import MIN_GROUP_FLOOR

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./huzzah.db"
PLATFORMS = ("slack", "msteams", "console")
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ConfigError(Exception):
    """One line that says what to fix."""


@dataclass(frozen=True)
class Where:
    """A channel named in app.yaml as `platform:channel`, e.g. `slack:#kudos` or `console:#kudos`."""

    platform: str
    ref: str


RENAMED_PLATFORMS = {"teams": "msteams"}
"""Platform prefixes an older app.yaml may still use: refused with the new spelling, never guessed."""


def _check_platform(platform: str, example: str) -> None:
    if platform in RENAMED_PLATFORMS:
        new = RENAMED_PLATFORMS[platform]
        raise ValueError(f"Microsoft Teams is now written {new}: — change {platform}:{example} to {new}:{example}")


def parse_where(raw: str) -> Where:
    platform, sep, ref = raw.partition(":")
    _check_platform(platform, ref.strip() or "…")
    if not sep or platform not in PLATFORMS or not ref.strip():
        raise ValueError(f"write channels as platform:channel with platform one of {', '.join(PLATFORMS)}")
    return Where(platform, ref.strip())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError("use 24-hour HH:MM, e.g. 15:00")
    return value


def _check_channels(value: list[str]) -> list[str]:
    for raw in value:
        parse_where(raw)
    return value


class CompanyValue(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[\w-]+$")]
    emoji: str = ""
    meaning: str = ""


class KudosSettings(_Strict):
    channels: list[str] = Field(default_factory=list)
    daily_allowance: Annotated[int, Field(ge=1, le=100)] = 5
    reaction: Annotated[str, Field(min_length=1)] = "tada"

    _channels = field_validator("channels")(_check_channels)


class AnonymitySettings(_Strict):
    min_group_size: Annotated[int, Field(ge=MIN_GROUP_FLOOR, le=1000)] = 5
    min_free_text_group: Annotated[int, Field(ge=MIN_GROUP_FLOOR, le=1000)] = 10

    @model_validator(mode="after")
    def _free_text_needs_a_larger_crowd(self) -> AnonymitySettings:
        if self.min_free_text_group < self.min_group_size:
            raise ValueError("min_free_text_group may not be below min_group_size")
        return self


class TeamSettings(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)]
    channels: list[str] = Field(default_factory=list)

    _channels = field_validator("channels")(_check_channels)


class CheckinSettings(_Strict):
    enabled: bool = True
    day: Weekday = "fri"
    time: str = "15:00"
    open_days: Annotated[int, Field(ge=1, le=14)] = 3
    reminder: bool = True
    reminder_after_hours: Annotated[int, Field(ge=1, le=336)] = 24

    _time = field_validator("time")(_check_time)

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


class CrisisResource(_Strict):
    name: Annotated[str, Field(min_length=1)]
    contact: str = ""
    url: str = ""


class CrisisSettings(_Strict):
    phrases: list[Annotated[str, Field(min_length=2)]] = Field(default_factory=lambda: list(DEFAULT_CRISIS_PHRASES))
    message: Annotated[str, Field(min_length=1)] = (
        "It sounds like things are really hard right now. You don't have to carry this alone — "
        "these people are there to listen, confidentially:"
    )
    resources: list[CrisisResource] = Field(default_factory=lambda: [
        CrisisResource(name="Your Employee Assistance Programme", contact="ask HR for the number"),
        CrisisResource(name="Find a helpline in your country", url="https://findahelpline.com"),
    ])


class DigestSettings(_Strict):
    enabled: bool = True
    day: Weekday = "mon"
    time: str = "09:00"
    channels: list[str] = Field(default_factory=list)
    managers: list[str] = Field(default_factory=list)
    """People who get the digest by DM, as platform:user (`slack:U0123ABCD`, `console:carol`)."""
    grace_hours: Annotated[int, Field(ge=0, le=168)] = 24

    _time = field_validator("time")(_check_time)
    _channels = field_validator("channels")(_check_channels)

    @field_validator("managers")
    @classmethod
    def _people(cls, value: list[str]) -> list[str]:
        for raw in value:
            platform, sep, user = raw.partition(":")
            _check_platform(platform, user.strip() or "…")
            if not sep or platform not in PLATFORMS or not user.strip().lstrip("@"):
                raise ValueError(f"write managers as platform:user id with platform one of {', '.join(PLATFORMS)}")
        return value


class PollSettings(_Strict):
    default_open_hours: Annotated[int, Field(ge=0, le=24 * 90)] = 24
    """A poll typed without --closes closes after this many hours; 0 leaves it open until its asker closes it."""
    max_open_days: Annotated[int, Field(ge=1, le=90)] = 30
    default_close_time: str = "17:00"
    """When a deadline names a day but no time (`--closes fri`), it is this time in the asker's zone."""

    _time = field_validator("default_close_time")(_check_time)


class Settings(_Strict):
    timezone: str = "UTC"
    values: list[CompanyValue] = Field(default_factory=list)
    kudos: KudosSettings = KudosSettings()
    anonymity: AnonymitySettings = AnonymitySettings()
    teams: list[TeamSettings] = Field(default_factory=list)
    checkins: CheckinSettings = CheckinSettings()
    crisis: CrisisSettings = CrisisSettings()
    digest: DigestSettings = DigestSettings()
    polls: PollSettings = PollSettings()
    retention_weeks: Annotated[int, Field(ge=1, le=520)] = 52

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("use an IANA time zone such as Europe/London or America/New_York") from None
        return value

    @field_validator("values")
    @classmethod
    def _unique_values(cls, values: list[CompanyValue]) -> list[CompanyValue]:
        seen: set[str] = set()
        for v in values:
            if v.name.casefold() in seen:
                raise ValueError(f"the value {v.name!r} is listed twice")
            seen.add(v.name.casefold())
        return values

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def value_named(self, name: str) -> CompanyValue | None:
        folded = name.casefold()
        return next((v for v in self.values if v.name.casefold() == folded), None)

    def channels_for(self, channels: list[str], platform: str) -> list[str]:
        return [w.ref for w in map(parse_where, channels) if w.platform == platform]

    def team_of_channel(self, platform: str, channel_ref: str, channel_name: str = "") -> str | None:
        """The configured team a channel belongs to, matched by id or by #name."""
        names = {channel_ref, channel_name, f"#{channel_name}"} - {"", "#"}
        for team in self.teams:
            if any(ref in names for ref in self.channels_for(team.channels, platform)):
                return team.name
        return None

    @property
    def default_team(self) -> str:
        return self.teams[0].name if self.teams else "everyone"


def _describe(error: dict[str, Any]) -> str:
    key = ".".join(str(p) for p in error["loc"]) or "(top level)"
    msg = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown setting — check the spelling against the commented app.yaml"
    return f"{key}: got {error['input']!r} — {msg}"


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Read app.yaml (or $HUZZAH_CONFIG); with neither present, the defaults."""
    chosen = Path(path or os.environ.get("HUZZAH_CONFIG") or "app.yaml")
    if not chosen.exists():
        if path or os.environ.get("HUZZAH_CONFIG"):
            raise ConfigError(f"{chosen}: no such file — set HUZZAH_CONFIG to your app.yaml")
        return Settings()
    try:
        raw = yaml.safe_load(chosen.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{chosen}: not valid YAML{where} — {getattr(exc, 'problem', exc)}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{chosen}: expected a mapping of settings at the top level")
    try:
        return Settings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{chosen}: {_describe(exc.errors()[0])}") from None


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
