"""Neutral messages as terminal text: mentions as @name, quotes indented, buttons as [labels]."""

from __future__ import annotations

from bot.forms import Checkboxes, Form, Note, Select, TextInput
from bot.messages import Buttons, Message, block_plain, parts_plain


def render(msg: Message) -> str:
    lines: list[str] = []
    for block in msg.blocks:
        shown = block_plain(block)
        if isinstance(block, Buttons):
            shown = "  ".join(f"[{b.label}]" for b in block.buttons) + "   (press with /press <label>)"
        if shown:
            lines.append(shown)
    return "\n".join(lines)


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
    return "\n".join(lines)
