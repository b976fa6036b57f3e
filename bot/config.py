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
PLATFORMS = ("slack", "teams", "console")
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


def parse_where(raw: str) -> Where:
    platform, sep, ref = raw.partition(":")
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

    _time = field_validator("time")(_check_time)


class DigestSettings(_Strict):
    enabled: bool = True
    day: Weekday = "mon"
    time: str = "09:00"
    channels: list[str] = Field(default_factory=list)
    grace_hours: Annotated[int, Field(ge=0, le=168)] = 24

    _time = field_validator("time")(_check_time)
    _channels = field_validator("channels")(_check_channels)


class Settings(_Strict):
    timezone: str = "UTC"
    values: list[CompanyValue] = Field(default_factory=list)
    kudos: KudosSettings = KudosSettings()
    anonymity: AnonymitySettings = AnonymitySettings()
    teams: list[TeamSettings] = Field(default_factory=list)
    checkins: CheckinSettings = CheckinSettings()
    digest: DigestSettings = DigestSettings()
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
