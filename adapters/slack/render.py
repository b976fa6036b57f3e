"""Neutral messages and forms as Block Kit: messages, modals and the App Home tab, within Slack's limits.

Every message also gets a plain `text` (the notification line). Strings are escaped (`&`, `<`, `>`), so what a
person typed is never read as a mention or a link; Slack people become real mentions. A PNG chart cannot be
a block (the messenger uploads it next to the message), so here it is left out or shown by its alt text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from bot.codec import decode, encode
from bot.forms import Checkboxes, Form, Note, Select, TextInput
from bot.i18n import tr
from bot.messages import (
    Block,
    Button,
    Buttons,
    Choices,
    Divider,
    Fields,
    Footnote,
    Image,
    Inline,
    Link,
    Message,
    Strong,
    Text,
    message,
    summary_of,
    text,
)
from bot.people import Person

PLATFORM = "slack"
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_CHARS = 3000
MAX_FIELD_CHARS = 2000
MAX_FIELDS = 10
MAX_BUTTONS = 25
MAX_OPTIONS = 100
MAX_CHECKBOXES = 10
MAX_LABEL_CHARS = 75
MAX_TITLE_CHARS = 24
MAX_OPTION_VALUE_CHARS = 150
MAX_TEXT_CHARS = 3000
ACTION_INDEX = "#"
OPEN_FORM = "huzzah.form"
"""The adapter's own button: it opens the form its value holds (see `form_button`)."""
MAX_BUTTON_VALUE_CHARS = 2000
"""Separates an action name from the button's position when one block holds the same action twice."""

Blocks = list[dict[str, Any]]


def escape(raw: str) -> str:
    return raw.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(raw: str, limit: int) -> str:
    return raw if len(raw) <= limit else raw[: limit - 1] + "…"


def plain(raw: str, limit: int = MAX_LABEL_CHARS) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(raw or " ", limit), "emoji": True}


def mrkdwn(raw: str, limit: int = MAX_SECTION_CHARS) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": cut(raw or " ", limit)}


def inline(part: Inline) -> str:
    match part:
        case str():
            return escape(part)
        case Person(platform="slack", user_id=user_id):
            return f"<@{user_id}>"
        case Person():
            return escape(part.label)
        case Strong(text=words):
            # Slack only bolds when the asterisks touch the words, so spaces stay outside them
            core = words.strip()
            if not core:
                return escape(words)
            lead, trail = words[: len(words) - len(words.lstrip())], words[len(words.rstrip()):]
            return f"{lead}*{escape(core)}*{trail}"
        case Link(url=url, label=label):
            shown = escape(label).replace("|", "¦")
            return f"<{url.replace('>', '%3E').replace('|', '%7C')}|{shown}>" if label else f"<{url}>"
    return ""


def mrkdwn_of(parts: Iterable[Inline]) -> str:
    return "".join(inline(p) for p in parts)


def _quoted(body: str) -> str:
    return "\n".join(f">{line}" for line in body.split("\n"))


def _options(options: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    return [{"text": plain(label), "value": cut(value, MAX_OPTION_VALUE_CHARS)}
            for label, value in list(options)[:MAX_OPTIONS]]


def action_name(action_id: str) -> str:
    """The core action a Slack action_id stands for (the position suffix removed)."""
    return action_id.split(ACTION_INDEX, 1)[0]


def _buttons(buttons: tuple[Any, ...]) -> Blocks:
    blocks: Blocks = []
    for start in range(0, len(buttons), MAX_BUTTONS):
        chunk = buttons[start:start + MAX_BUTTONS]
        repeated = len({b.action for b in chunk}) < len(chunk)
        elements = []
        for i, button in enumerate(chunk):
            element = {
                "type": "button", "text": plain(button.label),
                "action_id": f"{button.action}{ACTION_INDEX}{start + i}" if repeated else button.action,
            }
            if button.value:
                element["value"] = cut(button.value, MAX_FIELD_CHARS)
            if button.style:
                element["style"] = button.style
            elements.append(element)
        blocks.append({"type": "actions", "elements": elements})
    return blocks


def block_kit(block: Block, *, png_as_text: bool = True) -> Blocks:
    """One neutral block as Block Kit blocks (a long one may become several)."""
    match block:
        case Text(parts=parts, quote=quote):
            body = mrkdwn_of(parts)
            return [{"type": "section", "text": mrkdwn(_quoted(body) if quote else body)}] if body.strip() else []
        case Fields(pairs=pairs):
            fields = [mrkdwn(f"*{escape(label)}*\n{escape(value)}", MAX_FIELD_CHARS) for label, value in pairs]
            return [{"type": "section", "fields": fields[i:i + MAX_FIELDS]} for i in range(0, len(fields), MAX_FIELDS)]
        case Buttons(buttons=buttons):
            return _buttons(buttons)
        case Choices(action=action, placeholder=placeholder, options=options):
            select = {"type": "static_select", "action_id": action, "placeholder": plain(placeholder),
                      "options": _options(options)}
            return [{"type": "actions", "elements": [select]}]
        case Image(alt=alt, url=url, title=title) if url:
            image: dict[str, Any] = {"type": "image", "image_url": url, "alt_text": cut(alt, MAX_FIELD_CHARS)}
            if title:
                image["title"] = plain(title, MAX_FIELD_CHARS)
            return [image]
        case Image(alt=alt, title=title):
            shown = f"📊 {escape(title)}: {escape(alt)}" if title else f"📊 {escape(alt)}"
            return [{"type": "context", "elements": [mrkdwn(shown)]}] if png_as_text else []
        case Footnote(parts=parts):
            body = mrkdwn_of(parts)
            return [{"type": "context", "elements": [mrkdwn(body)]}] if body.strip() else []
        case Divider():
            return [{"type": "divider"}]
    return []


def blocks_of(msg: Message, *, limit: int = MAX_MESSAGE_BLOCKS, png_as_text: bool = True) -> Blocks:
    out: Blocks = [kit for block in msg.blocks for kit in block_kit(block, png_as_text=png_as_text)]
    if len(out) > limit:
        out = [*out[: limit - 1], {"type": "context", "elements": [mrkdwn(tr("…and more than fits in one message."))]}]
    return out


def fallback(msg: Message) -> str:
    """The plain `text` Slack shows in notifications and to clients that cannot draw blocks (escaped too:
    Slack reads `<…>` in it as markup)."""
    return cut(escape(summary_of(msg)), MAX_TEXT_CHARS)


def message_payload(msg: Message, *, png_as_text: bool = True) -> dict[str, Any]:
    """`text` + `blocks` for chat.postMessage / chat.update / chat.postEphemeral / respond()."""
    return {"text": fallback(msg), "blocks": blocks_of(msg, png_as_text=png_as_text)}


def home_view(msg: Message) -> dict[str, Any]:
    return {"type": "home", "blocks": blocks_of(msg, limit=MAX_VIEW_BLOCKS)}


# ---- forms as modals ---------------------------------------------------------------------------------

def _field(field: Any) -> dict[str, Any]:
    match field:
        case TextInput(name=name, label=label, multiline=multiline, optional=optional, max_length=max_length,
                       initial=initial, hint=hint):
            element: dict[str, Any] = {"type": "plain_text_input", "action_id": name, "multiline": multiline}
            if max_length:
                element["max_length"] = max_length
            if initial:
                element["initial_value"] = initial
            if hint:
                element["placeholder"] = plain(hint, 150)
            return {"type": "input", "block_id": name, "label": plain(label, MAX_FIELD_CHARS), "optional": optional,
                    "element": element}
        case Select(name=name, label=label, options=options, multi=multi, optional=optional, initial=initial):
            return _choice_input(name, label, options, optional, initial, "multi_static_select" if multi
                                 else "static_select")
        case Checkboxes(name=name, label=label, options=options, optional=optional, initial=initial):
            kind = "checkboxes" if len(options) <= MAX_CHECKBOXES else "multi_static_select"
            return _choice_input(name, label, options, optional, initial, kind)
        case Note(parts=parts):
            return {"type": "section", "text": mrkdwn(mrkdwn_of(parts))}
    raise TypeError(f"no Slack rendering for form field {type(field).__name__}")


def _choice_input(name: str, label: str, options: tuple[tuple[str, str], ...], optional: bool,
                  initial: tuple[str, ...], kind: str) -> dict[str, Any]:
    rendered = _options(options)
    element: dict[str, Any] = {"type": kind, "action_id": name, "options": rendered}
    if kind != "checkboxes":
        element["placeholder"] = plain("Choose…")
    chosen = [o for o in rendered if o["value"] in initial]
    if chosen and kind == "static_select":
        element["initial_option"] = chosen[0]
    elif chosen:
        element["initial_options"] = chosen
    return {"type": "input", "block_id": name, "label": plain(label, MAX_FIELD_CHARS), "optional": optional,
            "element": element}


def modal(form: Form, metadata: Mapping[str, str]) -> dict[str, Any]:
    """A form as a modal; `metadata` (the form's context, where it was opened) travels in private_metadata."""
    blocks = [_field(f) for f in form.fields][:MAX_VIEW_BLOCKS]
    view: dict[str, Any] = {
        "type": "modal", "callback_id": form.id, "title": plain(form.title, MAX_TITLE_CHARS),
        "close": plain(tr("Cancel"), MAX_TITLE_CHARS), "private_metadata": json.dumps(dict(metadata)), "blocks": blocks,
    }
    if any(b["type"] == "input" for b in blocks):
        view["submit"] = plain(form.submit, MAX_TITLE_CHARS)
    return view


def result_view(title: str, replies: Iterable[Message]) -> dict[str, Any]:
    """What a modal turns into after it was submitted: the bot's answer, and a Close button."""
    blocks = [kit for msg in replies for kit in blocks_of(msg)][:MAX_VIEW_BLOCKS]
    return {"type": "modal", "title": plain(title, MAX_TITLE_CHARS), "close": plain(tr("Close"), MAX_TITLE_CHARS),
            "blocks": blocks or [{"type": "section", "text": mrkdwn(tr("Done."))}]}


def form_values(state: Mapping[str, Any]) -> dict[str, str | tuple[str, ...]]:
    """A submitted modal's `view.state.values` as field name → text or chosen option values.

    The app checks the payload's shape first (`inbound`); this still reads only what has the expected type,
    so anything else counts as an empty answer rather than an error.
    """
    values: dict[str, str | tuple[str, ...]] = {}
    for actions in state.values():
        for name, element in (actions.items() if isinstance(actions, Mapping) else ()):
            if not isinstance(element, Mapping):
                continue
            kind = element.get("type")
            if kind in ("static_select", "radio_buttons"):
                values[name] = _text(_mapping(element.get("selected_option")).get("value"))
            elif kind in ("multi_static_select", "checkboxes"):
                chosen = element.get("selected_options")
                listed = chosen if isinstance(chosen, list) else ()
                values[name] = tuple(_text(_mapping(o).get("value")) for o in listed)
            else:
                values[name] = _text(element.get("value"))
    return values


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def form_button(form: Form) -> Message | None:
    """A private message whose button opens `form`, for a form asked for where Slack gave no trigger (a typed DM or
    mention: Slack opens a modal only within 3 seconds of a press or a command). The form travels in the button's
    value, so nothing is stored; None when it is too big for one."""
    value = json.dumps(encode(form), separators=(",", ":"), ensure_ascii=False)
    if len(value) > MAX_BUTTON_VALUE_CHARS:
        return None
    return message(text(tr("Press the button to open “{form}” — only you will see it.", form=form.title)),
                   Buttons((Button(form.title[:MAX_LABEL_CHARS], OPEN_FORM, value, style="primary"),)))


def form_of(value: str) -> Form | None:
    """The form a `form_button` holds; None for anything else (a value Slack signed, but not one we wrote)."""
    try:
        found = decode(json.loads(value))
    except (ValueError, TypeError, KeyError):
        return None
    return found if isinstance(found, Form) else None
