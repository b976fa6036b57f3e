"""Hypothesis strategies for hostile requests: real payloads in Slack's and Teams' documented shapes, then
broken the ways a buggy proxy, a platform change or someone holding a leaked secret would break them.

A request is drawn as a `Hostile`: one payload template (placeholders such as `$TS` are filled in when it is
sent, so repeated examples are not taken for Slack's retries), a few mutations (a field removed, replaced by
a hostile value, or wrapped in a list), an encoding, a content type and perhaps a corruption of the bytes.
No drawn string contains `://`, so nothing generated can send the server to any address but loopback.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from hypothesis import strategies as st

RESPONSE_URL, TS, TRIGGER, EVENT_ID, SERVICE_URL, ACTIVITY_ID = (
    "$RESPONSE_URL", "$TS", "$TRIGGER", "$EVENT_ID", "$SERVICE_URL", "$ACTIVITY_ID")
_fresh = itertools.count(1)

HOSTILE_TEXT = [
    "²", "١٢", "12345678901234567890", "-1", "0", "1e309", "NaN", "x" * 201, "U" + "9" * 250, "", " ", "\x00",
    "a\x00b", "\ud800", "\x1b[2J\x1b]0;pwned\x07", "\u202e", "💥" * 40, "<@UBOB>", "%00", "null", "{}", "[]",
    "kudos.metoo", "poll.vote#0", "1:0", "1:²", "checkin.mood", '{"channel": 5}', '{"to": 99999999999999999999}',
    "\n", "\t", "v0=", "D", "C0", "#", "/huzzah", "TOOLONG" * 600,
]
"""Values seen to break parsers and handlers: Unicode digits, ids past every column, NUL, lone surrogates,
terminal escapes, JSON lookalikes, our own action names, forged form contexts."""


def _no_url(text: str) -> bool:
    return "://" not in text


TEXTS = st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=40).filter(_no_url))
SCALARS = st.one_of(
    TEXTS,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)


def nested(depth: int) -> Any:
    """A list nested `depth` deep."""
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.sampled_from(["id", "type", "value", "text", "name", "x"]), SCALARS, max_size=3),
    st.integers(min_value=20, max_value=400).map(nested),
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value (dict keys and list indexes), outermost first."""
    found: list[tuple[Any, ...]] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        found.append((*prefix, key))
        found += paths(inner, (*prefix, key))
    return found


@st.composite
def mutated(draw: st.DrawFn, template: Any) -> Any:
    """`template` with one to three places removed, replaced by a hostile value, or wrapped in a list; text is
    mostly replaced by hostile text, which gets past type checks into the handlers."""
    body = copy.deepcopy(template)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = paths(body)
        if not places:
            break
        *parent_path, key = draw(st.sampled_from(places))
        parent = body
        for step in parent_path:
            parent = parent[step]
        operation = draw(st.sampled_from(["remove", "replace", "replace", "wrap"]))
        if operation == "remove":
            del parent[key]
        elif operation == "replace" and isinstance(parent[key], str):
            parent[key] = draw(st.one_of(TEXTS, TEXTS, VALUES))
        elif operation == "replace":
            parent[key] = draw(VALUES)
        else:
            parent[key] = [parent[key]]
    return body


CONTENT_TYPES = ["text/plain", "application/xml", "multipart/form-data; boundary=x", "",
                 "application/json; charset=utf-8", "APPLICATION/JSON",
                 "application/x-www-form-urlencoded; charset=utf-8",
                 "application/x-www-form-urlencoded, application/json"]
CORRUPTIONS = ["truncate", "not-utf-8", "deep", "top-level-list", "empty", "not-json-inside"]


@dataclass(frozen=True)
class Hostile:
    name: str
    payload: Any
    encoding: str
    """`form` (a slash command's fields), `payload` (interactivity: payload=JSON) or `json`."""
    content_type: str | None
    """None: the right one for the encoding."""
    corruption: str | None
    at: float
    """Where in the bytes a corruption lands (0–1)."""

    def encode(self, fill: Callable[[str], str]) -> tuple[str, bytes]:
        """The Content-Type and the body, placeholders filled in by `fill`."""
        payload = substitute(self.payload, fill)
        if self.encoding == "form" and isinstance(payload, dict):
            raw = urlencode({str(k): _form_value(v) for k, v in payload.items()})
            right = "application/x-www-form-urlencoded"
        elif self.encoding == "payload":
            raw = urlencode({"payload": json.dumps(payload)})
            right = "application/x-www-form-urlencoded"
        else:
            raw = json.dumps(payload)
            right = "application/json"
        body = raw.encode("utf-8", "surrogatepass")
        cut = int(len(body) * self.at)
        match self.corruption:
            case "truncate":
                body = body[:cut]
            case "not-utf-8":
                body = body[:cut] + b"\xff\xfe\xc3" + body[cut:]
            case "deep":
                body = b"[" * (10 + int(self.at * 100_000))
            case "top-level-list":
                body = b"[" + body + b"]" if right == "application/json" else b"payload=%5B1%5D"
            case "empty":
                body = b""
            case "not-json-inside":
                body = b"payload=%7Bnope" if right != "application/json" else b"{nope"
        return (right if self.content_type is None else self.content_type), body


def _form_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def substitute(value: Any, fill: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return fill(value) if value.startswith("$") else value
    if isinstance(value, list):
        return [substitute(v, fill) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, fill) for k, v in value.items()}
    return value


def fresh(placeholder: str) -> str:
    """A new Slack timestamp, trigger or event id, so no two examples look like one delivery repeated."""
    n = next(_fresh)
    return {TS: f"1763280000.{n:06d}", TRIGGER: f"{n}.738474920.8088930838d88f008e0",
            EVENT_ID: f"EvHOSTILE{n:08d}", ACTIVITY_ID: f"hostile-{n}"}.get(placeholder, placeholder)


def requests(templates: list[tuple[str, str, Any]]) -> st.SearchStrategy[Hostile]:
    """Mostly the payload mutated and sent as the platform would; sometimes the wrong content type, sometimes
    bytes no parser should take."""

    @st.composite
    def one(draw: st.DrawFn) -> Hostile:
        name, encoding, template = draw(st.sampled_from(templates))
        payload = draw(st.one_of(mutated(template), mutated(template), st.just(template)))
        content_type = draw(st.one_of(st.none(), st.none(), st.none(), st.sampled_from(CONTENT_TYPES)))
        corruption = draw(st.one_of(st.none(), st.none(), st.none(), st.sampled_from(CORRUPTIONS)))
        return Hostile(name, payload, encoding, content_type, corruption, draw(st.floats(0, 1)))

    return one()
