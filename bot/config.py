"""Huzzah's settings: app.yaml for everything that is not a secret, the environment for the rest.

The core's own keys are modelled here; each feature owns the models of its sections (`Feature.settings`),
validated in the same pass. A mistake in the file is reported as one line naming the file, the key, the
value and what is allowed; the CLI turns ConfigError into exit code 2, never a traceback.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from bot.i18n import TAGS, language_of
from bot.limits import MIN_GROUP_FLOOR
from bot.people import Person

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./huzzah.db"
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_PLATFORM = re.compile(r"^[a-z][a-z0-9]*$")
Section = TypeVar("Section", bound=BaseModel)


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


def parse_where(raw: str, known: Collection[str] | None = None) -> Where:
    """`known`: the platforms this process can talk to, when checking a file (anything shaped right otherwise)."""
    platform, sep, ref = raw.partition(":")
    _check_platform(platform, ref.strip() or "…")
    if not sep or not _PLATFORM.match(platform) or not ref.strip() or (known is not None and platform not in known):
        allowed = f" with platform one of {', '.join(known)}" if known is not None else ""
        raise ValueError(f"write channels as platform:channel{allowed}, e.g. slack:#kudos")
    return Where(platform, ref.strip())


def known_platforms(info: ValidationInfo) -> Collection[str] | None:
    """The platform names `load_settings` was given to check against (None: any well-formed name)."""
    return (info.context or {}).get("platforms")


def check_channels(value: list[str], info: ValidationInfo) -> list[str]:
    for raw in value:
        parse_where(raw, known_platforms(info))
    return value


def check_managers(value: list[str], info: ValidationInfo) -> list[str]:
    """Managers named as platform:user id (`slack:U0123ABCD`, `console:carol`)."""
    return check_people(value, info, "managers")


def check_people(value: list[str], info: ValidationInfo, what: str) -> list[str]:
    """People named as platform:user id; `what` they are, for the message."""
    known = known_platforms(info)
    for raw in value:
        platform, sep, user = raw.partition(":")
        _check_platform(platform, user.strip() or "…")
        if not sep or not _PLATFORM.match(platform) or not user.strip().lstrip("@") or (
                known is not None and platform not in known):
            allowed = f" with platform one of {', '.join(known)}" if known is not None else ""
            raise ValueError(f"write {what} as platform:user id{allowed}, e.g. slack:U0123ABCD")
    return value


class Strict(BaseModel):
    """A section of app.yaml: unknown keys are mistakes, and settings never change once loaded.

    Strict types: YAML turns `yes` into true and pydantic would then turn true into the number 1, so
    `daily_allowance: yes` became an allowance of one. A yes/no is never a number here, nor a number a text.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


def check_time(value: str) -> str:
    if not _TIME.match(value):
        raise ValueError("use 24-hour HH:MM, e.g. 15:00")
    return value


class CompanyValue(Strict):
    name: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[\w-]+$")]
    emoji: str = ""
    meaning: str = ""


class AnonymitySettings(Strict):
    min_group_size: Annotated[int, Field(ge=MIN_GROUP_FLOOR, le=1000)] = 5
    min_free_text_group: Annotated[int, Field(ge=MIN_GROUP_FLOOR, le=1000)] = 10

    @model_validator(mode="after")
    def _free_text_needs_a_larger_crowd(self) -> AnonymitySettings:
        if self.min_free_text_group < self.min_group_size:
            raise ValueError("min_free_text_group may not be below min_group_size")
        return self


def check_sources(value: list[str], info: ValidationInfo) -> list[str]:
    """Membership sources are written like channels: `slack:@support-emea`, `msteams:19:…@thread.tacv2`."""
    try:
        return check_channels(value, info)
    except ValueError:
        raise ValueError("write members as platform:group, e.g. slack:@support-emea (a Slack user group) or "
                         "msteams:19:…@thread.tacv2 (a Teams team or channel)") from None


class TeamSettings(Strict):
    """A team: its members (the people in its channels, plus any user group or roster in `members`), and who
    reads its digest (`managers` by DM, `digest_channels`) — a manager sees only the teams that name them."""

    name: Annotated[str, Field(min_length=1, max_length=80)]
    channels: list[str] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)
    managers: list[str] = Field(default_factory=list)
    digest_channels: list[str] = Field(default_factory=list)

    _channels = field_validator("channels", "digest_channels")(check_channels)
    _members = field_validator("members")(check_sources)
    _managers = field_validator("managers")(check_managers)

    @property
    def has_audience(self) -> bool:
        return bool(self.managers or self.digest_channels)


class MembershipSettings(Strict):
    """Membership kept in an HR system: a CSV of `email,team,manager` (the manager's email, optional), read
    afresh for every round and digest; emails are resolved on `platform` (on Slack, from users.list)."""

    csv: str = ""
    platform: Annotated[str, Field(pattern=r"^[a-z][a-z0-9]*$")] = "slack"


class Settings(BaseModel):
    """The core's keys as fields; each feature's section, when given, as an extra attribute. Features read
    theirs with `section(Model)`."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    timezone: str = "UTC"
    values: list[CompanyValue] = Field(default_factory=list)
    anonymity: AnonymitySettings = AnonymitySettings()
    teams: list[TeamSettings] = Field(default_factory=list)
    membership: MembershipSettings = MembershipSettings()
    retention_weeks: Annotated[int, Field(ge=1, le=520)] = 52
    language: str = "en"
    """Channel posts, and anyone whose own language is unknown: en, zh-CN, zh-TW, vi or es."""
    admins: list[str] = Field(default_factory=list)
    """Who may remove anyone's kudos, as platform:user id (`slack:U0123ABCD`, `msteams:29:1a2b…`)."""

    @field_validator("admins")
    @classmethod
    def _admins(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return check_people(value, info, "admins")

    def is_admin(self, person: Person) -> bool:
        return f"{person.platform}:{person.user_id}" in {a.strip() for a in self.admins}

    @model_validator(mode="before")
    @classmethod
    def _sections(cls, raw: Any, info: ValidationInfo) -> Any:
        """Feature sections are validated by their own models, which `bot.settings.load_settings` passes in the
        validation context; built in code, they arrive as model instances."""
        if not isinstance(raw, dict):
            return raw
        sections = (info.context or {}).get("sections")
        validated = dict(raw)
        for key, given in raw.items():
            if key in cls.model_fields:
                continue
            if sections is None:
                if not isinstance(given, BaseModel):
                    raise ValueError(f"{key}: a feature's section is read with bot.settings.load_settings")
                continue
            model = sections.get(key)
            if model is None:
                raise ValueError(f"{key}: unknown setting — check the spelling against the commented app.yaml")
            try:
                validated[key] = model.model_validate({} if given is None else given, context=info.context)
            except ValidationError as exc:
                raise ValueError(describe(exc.errors()[0], key)) from None
        return validated

    def section(self, model: type[Section]) -> Section:
        """A feature's section of app.yaml, by its model; its defaults when app.yaml leaves it out."""
        given = next((v for v in (self.model_extra or {}).values() if isinstance(v, model)), None)
        return given if given is not None else model()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("use an IANA time zone such as Europe/London or America/New_York") from None
        return value

    @field_validator("language")
    @classmethod
    def _spoken(cls, value: str) -> str:
        code = language_of(value)
        if code is None:
            raise ValueError(f"Huzzah speaks {', '.join(TAGS.values())}")
        return code

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


def describe(error: Any, section: str = "") -> str:
    """One pydantic error as `key: got value — what is allowed` (`section` prefixes the key)."""
    key = ".".join(str(p) for p in (section, *error["loc"]) if p != "") or "(top level)"
    msg = error["msg"].removeprefix("Value error, ")
    if not error["loc"] and not section and error["type"] == "value_error":
        return str(msg)
    if error["type"] == "extra_forbidden":
        return f"{key}: unknown setting — check the spelling against the commented app.yaml"
    hint = _yaml_hint(error, key)
    return hint or f"{key}: got {error['input']!r} — {msg}"


def _yaml_hint(error: Any, key: str) -> str | None:
    """What YAML did to a value that was meant otherwise, when its type gives it away."""
    given, kind, name = error["input"], error["type"], str(error["loc"][-1]) if error["loc"] else key
    if kind == "string_type" and isinstance(given, int) and not isinstance(given, bool) and (
            "time" in name and 0 <= given < 24 * 60):
        written = f"{given // 60}:{given % 60:02d}"
        return (f"{key}: YAML reads an unquoted {written} as the number {given} — quote the time: "
                f"{name}: \"{given // 60:02d}:{given % 60:02d}\"")
    if kind == "string_type" and isinstance(given, bool):
        return f"{key}: YAML reads an unquoted {'yes/true/on' if given else 'no/false/off'} as a yes/no — " \
               f"quote it if you mean the word: {name}: \"{'yes' if given else 'no'}\""
    if kind == "string_type" and isinstance(given, int | float):
        return f"{key}: got the number {given!r} — quote it if it is meant as text: {name}: \"{given}\""
    if kind in ("int_type", "int_from_float") and isinstance(given, bool):
        return f"{key}: got {'yes/true' if given else 'no/false'}, a yes/no — write a whole number, e.g. {name}: 5"
    if kind == "bool_type":
        return f"{key}: got {given!r} — write true or false"
    return None


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
