"""Neutral messages to JSON and back, so a delivery can wait in the outbox across restarts."""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from bot import forms, incoming, messages, outgoing, people

_TYPES: dict[str, type] = {
    cls.__name__: cls
    for module in (messages, forms, outgoing, people, incoming)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
}


def encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _TYPES.get(name) is not type(value):
            raise TypeError(f"{name} is not a neutral message type")
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$": name, **fields}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {"$map": [[k, encode(v)] for k, v in value.items()]}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot encode {type(value).__name__}")


def decode(data: Any) -> Any:
    if isinstance(data, list):
        return tuple(decode(v) for v in data)
    if isinstance(data, dict):
        if "$bytes" in data:
            return base64.b64decode(data["$bytes"])
        if "$map" in data:
            return {k: decode(v) for k, v in data["$map"]}
        cls = _TYPES[data["$"]]
        return cls(**{k: decode(v) for k, v in data.items() if k != "$"})
    return data
