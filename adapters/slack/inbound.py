"""What Slack sends, checked before anything reads it: the signature over the raw bytes first, then the shape
of each kind of payload Huzzah handles.

Order matters. Nothing parses a body whose signature did not check out (a forged body must not be able to
make the parser fail, or cost us anything but the HMAC), and slack-bolt only ever sees a body whose every
field it or a listener reads has the type it expects — a `Read.body` keeps only those fields.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from slack_sdk.signature import Clock, SignatureVerifier

from adapters.shapes import (
    Field,
    Malformed,
    Shape,
    array,
    either,
    flag,
    mapping,
    need,
    number,
    parse_json,
    record,
    text,
    token,
)
from adapters.slack.limits import (
    SLACK_MAX_ID_CHARS,
    SLACK_MAX_INPUT_CHARS,
    SLACK_MAX_METADATA_CHARS,
    SLACK_MAX_TEXT_CHARS,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"
MAX_FORM_FIELDS = 100
_TIMESTAMP = token(r"[0-9]{1,12}", most=12)
_SIGNATURE = token(r"v0=[0-9a-f]{64}", most=67)


class _RawBodyVerifier(SignatureVerifier):
    """slack_sdk's verifier (its time window, its constant-time comparison) over the raw bytes.

    The SDK decodes a bytes body as UTF-8 before hashing, so a body that is not UTF-8 would raise instead of
    failing the check; Slack signs the bytes it sends, which is what is hashed here.
    """

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        raw = body if isinstance(body, bytes) else body.encode()
        signed = b"v0:" + timestamp.encode("ascii") + b":" + raw
        return "v0=" + hmac.new(self.signing_secret.encode(), signed, hashlib.sha256).hexdigest()


class Signatures:
    """Whether a request is Slack's: a strict timestamp within five minutes and a matching v0 signature."""

    def __init__(self, secret: str, clock: Clock | None = None) -> None:
        self._verifier = _RawBodyVerifier(secret, clock or Clock())

    def authentic(self, headers: Mapping[str, str], raw: bytes) -> bool:
        timestamp, signature = headers.get(TIMESTAMP_HEADER, ""), headers.get(SIGNATURE_HEADER, "")
        try:
            # ASCII digits only: str.isdigit() and int() also take '²' or '٣', and int() takes ' 1_0 '
            _TIMESTAMP(timestamp, TIMESTAMP_HEADER)
            _SIGNATURE(signature, SIGNATURE_HEADER)
        except Malformed:
            return False
        return self._verifier.is_valid(raw, timestamp, signature)  # also refuses over five minutes old


# ---- the body -------------------------------------------------------------------------------------

def body_of(content_type: str, raw: bytes) -> dict[str, Any]:
    """The request body as Slack encodes it: a form (slash commands, `payload=` for interactivity) or JSON."""
    if content_type == FORM:
        try:
            fields = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, errors="strict",
                               max_num_fields=MAX_FORM_FIELDS)
        except UnicodeDecodeError:
            raise Malformed("the form is not UTF-8") from None
        except ValueError:
            raise Malformed(f"the form has more than {MAX_FORM_FIELDS} fields") from None
        form = dict(fields)
        body = parse_json(form["payload"], "the payload") if "payload" in form else form
    elif content_type == JSON:
        body = parse_json(raw)
    else:
        raise Malformed("the body is neither a form nor JSON")
    if not isinstance(body, dict):
        raise Malformed("the body is not an object")
    return body


# ---- shapes of what Huzzah reads ------------------------------------------------------------------

ID = token(r"[A-Za-z0-9_-]+", most=SLACK_MAX_ID_CHARS)
TS = token(r"[0-9]{1,12}(\.[0-9]{1,9})?", most=24)
TRIGGER = token(r"[A-Za-z0-9._-]+", most=200)
URL = token(r"https?://[!-~]+", most=2000)
NAME = text(200)
LABEL = token(r"[^\x00-\x1f\x7f]+", most=255)
"""Names Huzzah gave (action and callback ids) and Slack's own words (types, emoji names): printable."""

USER = record(id=need(ID), username=NAME, name=NAME, team_id=ID)
TEAM = either(ID, record(id=ID, domain=NAME, enterprise_id=ID))
ENTERPRISE = either(ID, record(id=ID, name=NAME))
CHANNEL = record(id=ID, name=NAME)
BOT_PROFILE = record(id=ID, name=NAME, app_id=ID)

COMMAND = record(
    command=need(token(r"/[!-~]+", most=100)), text=text(SLACK_MAX_TEXT_CHARS), user_id=need(ID), user_name=NAME,
    team_id=ID, team_domain=NAME, enterprise_id=ID, enterprise_name=NAME, channel_id=ID, channel_name=NAME,
    trigger_id=TRIGGER, response_url=URL, api_app_id=ID, is_enterprise_install=LABEL,
)


def _event(**fields: Any) -> Shape:
    return record(type=need(LABEL), event_ts=TS, **fields)


_MESSAGE = {
    "user": ID, "text": text(SLACK_MAX_TEXT_CHARS), "ts": TS, "channel": ID, "channel_type": LABEL,
    "subtype": LABEL, "bot_id": ID, "bot_profile": BOT_PROFILE, "team": ID, "user_team": ID, "thread_ts": TS,
    "client_msg_id": LABEL,
}
EVENTS: dict[str, Shape] = {
    "app_mention": _event(**{**_MESSAGE, "channel": need(ID), "ts": need(TS)}),
    "message": _event(**_MESSAGE),
    **dict.fromkeys(("reaction_added", "reaction_removed"), _event(
        user=need(ID), reaction=need(LABEL), item_user=ID, item=need(record(type=LABEL, channel=ID, ts=TS)))),
    "app_home_opened": _event(user=need(ID), tab=LABEL, channel=ID),
}
"""The events Huzzah listens to (slack-manifest.yaml); any other is acknowledged and left alone."""

AUTHORIZATION = record(enterprise_id=ID, team_id=ID, user_id=ID, is_bot=flag, is_enterprise_install=flag)


def _callback(event: Shape) -> Shape:
    return record(
        type=need(LABEL), team_id=ID, enterprise_id=ID, api_app_id=ID, event=need(event), event_id=ID,
        event_time=number, authorizations=array(AUTHORIZATION, most=10), is_ext_shared_channel=flag,
        context_team_id=ID, context_enterprise_id=ID,
    )


CALLBACKS = {name: _callback(event) for name, event in EVENTS.items()}
_EVENT_TYPE = record(type=need(LABEL))

_INTERACTION: dict[str, Shape | Field] = {
    "type": need(LABEL), "user": need(USER), "team": TEAM, "enterprise": ENTERPRISE, "api_app_id": ID,
    "is_enterprise_install": flag, "trigger_id": TRIGGER, "response_url": URL,
}
OPTION = record(value=need(text(SLACK_MAX_INPUT_CHARS)))
ACTION = record(action_id=need(LABEL), block_id=LABEL, value=text(SLACK_MAX_INPUT_CHARS),
                selected_option=OPTION, type=LABEL, action_ts=TS)
ELEMENT = record(type=LABEL, value=text(SLACK_MAX_INPUT_CHARS), selected_option=OPTION,
                 selected_options=array(OPTION, most=100))
VIEW = record(
    id=ID, type=LABEL, callback_id=need(LABEL), private_metadata=text(SLACK_MAX_METADATA_CHARS),
    title=record(text=text(200)), state=record(values=mapping(LABEL, mapping(LABEL, ELEMENT, most=100), most=100)),
    hash=text(200), team_id=ID, app_id=ID, bot_id=ID, app_installed_team_id=ID,
)
INTERACTIONS: dict[str, Shape] = {
    "block_actions": record(
        **_INTERACTION, actions=need(array(ACTION, least=1, most=25)), channel=CHANNEL, message=record(ts=TS),
        container=record(type=LABEL, message_ts=TS, channel_id=ID, is_ephemeral=flag, view_id=ID),
        view=record(id=ID, callback_id=LABEL, team_id=ID, app_installed_team_id=ID),
    ),
    "view_submission": record(
        **_INTERACTION, view=need(VIEW),
        response_urls=array(record(response_url=need(URL), block_id=LABEL, action_id=LABEL, channel_id=ID), most=10),
    ),
    "view_closed": record(**_INTERACTION, view=need(VIEW), is_cleared=flag),
    "shortcut": record(**_INTERACTION, callback_id=need(LABEL), action_ts=TS),
    "message_action": record(
        **_INTERACTION, callback_id=need(LABEL), action_ts=TS, message_ts=TS, channel=need(CHANNEL),
        message=need(record(type=LABEL, subtype=LABEL, user=ID, bot_id=ID, bot_profile=BOT_PROFILE, username=NAME,
                            ts=need(TS), team=ID)),
    ),
}
URL_VERIFICATION = record(type=need(LABEL), challenge=need(text(200)))
IGNORED = frozenset({"app_rate_limited", "ssl_check"})
"""Well-formed payloads that need nothing but a 200."""


@dataclass(frozen=True)
class Read:
    """A checked payload: its kind (`command`, `event_callback`, `block_actions`…) and the body to dispatch —
    None when there is nothing to do but acknowledge it."""

    kind: str
    body: dict[str, Any] | None


def kind_of(body: Mapping[str, Any]) -> str:
    """What a parsed body claims to be, before it is checked (so a refusal can be worded for it)."""
    if "command" in body:
        return "command"
    if "ssl_check" in body:
        return "ssl_check"
    kind = body.get("type")
    return kind if isinstance(kind, str) and kind in (*INTERACTIONS, *IGNORED, "event_callback",
                                                     "url_verification") else ""


def read(body: Mapping[str, Any]) -> Read:
    """The body with only what Huzzah and slack-bolt read, each field checked; raises `Malformed`."""
    kind = kind_of(body)
    if kind == "command":
        return Read(kind, COMMAND(body, ""))
    if kind in IGNORED:
        return Read(kind, None)
    if kind == "url_verification":
        return Read(kind, URL_VERIFICATION(body, ""))
    if kind == "event_callback":
        event = _EVENT_TYPE(body.get("event"), "event")
        shape = CALLBACKS.get(event["type"])
        return Read(kind, shape(body, "") if shape else None)
    if kind in INTERACTIONS:
        return Read(kind, INTERACTIONS[kind](body, ""))
    raise Malformed("the body is not a Slack payload Huzzah handles")


METADATA = record(context=text(SLACK_MAX_METADATA_CHARS), channel=ID)


def metadata_of(raw: str) -> dict[str, str]:
    """A modal's private_metadata as Huzzah wrote it; anything else (forged, garbled) counts as none."""
    try:
        return METADATA(parse_json(raw or "{}", "private_metadata"), "private_metadata")
    except Malformed:
        return {}
