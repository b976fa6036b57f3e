"""Reading app.yaml: the core's keys and every feature's sections, checked in one pass.

This sits above the features (it reads their list), so `bot.config` — which the features import for the
core's keys — never has to know them.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Mapping
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from bot.config import ConfigError, Settings, describe
from bot.feature import Feature
from bot.features import FEATURES


def sections_of(features: Iterable[Feature]) -> Mapping[str, type[BaseModel]]:
    return {key: model for feature in features for key, model in feature.settings.items()}


def load_settings(path: str | os.PathLike[str] | None = None, *, platforms: Collection[str] | None = None,
                  features: Iterable[Feature] = FEATURES) -> Settings:
    """Read app.yaml (or $HUZZAH_CONFIG); with neither present, the defaults.

    `platforms`: the platform names channels and people may be written with (the composition root knows them).
    """
    chosen = Path(path or os.environ.get("HUZZAH_CONFIG") or "app.yaml")
    if not chosen.exists():
        if path or os.environ.get("HUZZAH_CONFIG"):
            raise ConfigError(f"{chosen}: no such file — set HUZZAH_CONFIG to your app.yaml")
        return Settings()
    try:
        text = chosen.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = chosen.read_bytes()[:exc.start].count(b"\n") + 1
        raise ConfigError(f"{chosen}: not UTF-8 text (byte {exc.start + 1}, line {line}) — save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"{chosen}: cannot be read ({exc.strerror or exc}) — set HUZZAH_CONFIG to your app.yaml "
                          "or fix its permissions") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{chosen}: not valid YAML{where} — {getattr(exc, 'problem', exc)}") from None
    if raw is None:
        # An empty file is far more often a truncated copy or a mount gone wrong than a wish for the defaults,
        # and running on the defaults would post kudos where they were given and send no digest.
        raise ConfigError(f"{chosen}: the file is empty (or only comments) — write your settings in it "
                          "(huzzah init --force writes a commented one), or {} to run on the defaults on purpose")
    if not isinstance(raw, dict):
        raise ConfigError(f"{chosen}: expected a mapping of settings at the top level")
    context = {"platforms": platforms, "sections": sections_of(features)}
    try:
        settings = Settings.model_validate(raw, context=context)
        for feature in features:
            if feature.check is not None:
                feature.check(settings)
    except ValidationError as exc:
        raise ConfigError(f"{chosen}: {describe(exc.errors()[0])}") from None
    except ValueError as exc:
        raise ConfigError(f"{chosen}: {exc}") from None
    return settings
