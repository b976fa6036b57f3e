"""Neutral messages as terminal text: mentions as @name, quotes indented, buttons as [labels].

Whatever is shown is passed through `visible`: a control character in stored text (ESC begins the
sequences that move the cursor, recolour the screen or retitle the window) is written out, never sent raw.
"""

from __future__ import annotations

import re

from bot.forms import Checkboxes, Form, Note, Select, TextInput
from bot.messages import Buttons, Message, block_plain, parts_plain

_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 controls but tab and newline, DEL, and C1 controls (some terminals read \x9b as ESC [)."""


def visible(text: str) -> str:
    """`text` safe to print on a terminal: each control character shown as `\\x1b`, `\\x07`…"""
    return _UNPRINTABLE.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def render(msg: Message) -> str:
    lines: list[str] = []
    for block in msg.blocks:
        shown = block_plain(block)
        if isinstance(block, Buttons):
            shown = "  ".join(f"[{b.label}]" for b in block.buttons) + "   (press with /press <label>)"
        if shown:
            lines.append(shown)
    return visible("\n".join(lines))


def render_form(form: Form) -> str:
    lines = [f"┌ {form.title}"]
    for field in form.fields:
        match field:
            case TextInput(label=label, optional=optional):
                lines.append(f"│ {label}{' (optional)' if optional else ''}")
            case Select(label=label, options=options) | Checkboxes(label=label, options=options):
                lines.append(f"│ {label}: " + " | ".join(o for o, _ in options))
            case Note(parts=parts):
                lines.append(f"│ {parts_plain(parts)}")
    lines.append(f"└ [{form.submit}]")
    return visible("\n".join(lines))
