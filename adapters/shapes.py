"""Reading what a platform sent before anything else does: JSON parsed strictly, then checked against the
shape an adapter expects, field by field.

An authentic request can still be malformed (a platform bug, a proxy, someone holding a leaked secret), and
SDKs read bodies with plain indexing, so a missing key or a list where an object belongs ends in a 500 and
a traceback. Here every field an adapter or its SDK reads is checked first; a `Malformed` names the field
and what was expected — never the content, which can be what someone wrote in confidence.

A shape is a function `(value, where) -> value`; `record` keeps only the fields it names, so nothing that
was not checked travels further.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Shape = Callable[[Any, str], Any]


class Malformed(ValueError):
    """An authentic request that cannot be read; the message is safe to log and to show (no content)."""


@dataclass(frozen=True)
class Field:
    shape: Shape
    required: bool = False


def need(shape: Shape) -> Field:
    """A field that must be present (and not null)."""
    return Field(shape, required=True)


def _named(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def record(**fields: Shape | Field) -> Shape:
    """An object with these fields; others are dropped, a null counts as absent."""
    specs = {name: spec if isinstance(spec, Field) else Field(spec) for name, spec in fields.items()}

    def check(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Malformed(f"{where or 'the body'} is not an object")
        out: dict[str, Any] = {}
        for name, spec in specs.items():
            given = value.get(name)
            if given is None:
                if spec.required:
                    raise Malformed(f"{_named(where, name)} is missing")
                continue
            out[name] = spec.shape(given, _named(where, name))
        return out

    return check


def array(item: Shape, *, most: int, least: int = 0) -> Shape:
    def check(value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise Malformed(f"{where} is not a list")
        if not least <= len(value) <= most:
            raise Malformed(f"{where} has {len(value)} items (expected {least} to {most})")
        return [item(v, f"{where}[{i}]") for i, v in enumerate(value)]

    return check


def mapping(key: Shape, item: Shape, *, most: int) -> Shape:
    """An object used as a dictionary (keys chosen by whoever built it), each key and value checked."""

    def check(value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise Malformed(f"{where} is not an object")
        if len(value) > most:
            raise Malformed(f"{where} has {len(value)} entries (at most {most})")
        # entries are named by position: a key is whatever the sender chose, and a message never quotes it
        return {key(k, f"{where} key #{i}"): item(v, f"{where}[#{i}]") for i, (k, v) in enumerate(value.items())}

    return check


def text(most: int, *, least: int = 0) -> Shape:
    """A string of at most `most` characters (content is not judged: that is the core's edge)."""

    def check(value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise Malformed(f"{where} is not text")
        if not least <= len(value) <= most:
            raise Malformed(f"{where} is {len(value)} characters long (expected {least} to {most})")
        return value

    return check


def token(pattern: str, *, most: int) -> Shape:
    """An identifier: a string of at most `most` characters matching `pattern` in full (ASCII only)."""
    compiled = re.compile(pattern, re.ASCII)

    def check(value: Any, where: str) -> str:
        if not isinstance(value, str):
            raise Malformed(f"{where} is not text")
        if len(value) > most:
            raise Malformed(f"{where} is {len(value)} characters long (at most {most})")
        if not compiled.fullmatch(value):
            raise Malformed(f"{where} is not a well-formed identifier")
        return value

    return check


def either(*shapes: Shape) -> Shape:
    """The first shape that fits."""

    def check(value: Any, where: str) -> Any:
        problems = []
        for shape in shapes:
            try:
                return shape(value, where)
            except Malformed as no:
                problems.append(str(no))
        raise Malformed(" or ".join(problems))

    return check


def flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise Malformed(f"{where} is not true or false")
    return value


def number(value: Any, where: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Malformed(f"{where} is not a number")
    return value


def anything(*, depth: int, most: int) -> Shape:
    """Any JSON value nested at most `depth` deep, with at most `most` items in each list or object."""

    def check(value: Any, where: str, level: int = 0) -> Any:
        if isinstance(value, dict | list):
            if level >= depth:
                raise Malformed(f"{where} is nested more than {depth} deep")
            if len(value) > most:
                raise Malformed(f"{where} has more than {most} items")
            if isinstance(value, list):
                return [check(v, where, level + 1) for v in value]
            return {str(k): check(v, where, level + 1) for k, v in value.items()}
        return value

    return check


def parse_json(raw: bytes | str, what: str = "the body") -> Any:
    """JSON from UTF-8 bytes, refusing what Python would otherwise take (invalid UTF-8, nesting past the
    interpreter's limit, numbers too long to convert) with a `Malformed`."""
    try:
        decoded = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(decoded)
    except UnicodeDecodeError:
        raise Malformed(f"{what} is not UTF-8") from None
    except RecursionError:
        raise Malformed(f"{what} is nested too deep") from None
    except ValueError:
        raise Malformed(f"{what} is not JSON") from None


def media_type(headers: Mapping[str, str]) -> str:
    """The Content-Type without its parameters, lowercased ('' when there is none)."""
    return headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
