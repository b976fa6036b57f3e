"""Forms the bot asks a person to fill in privately: a Slack modal, a Teams card form, a console prompt.

A form's answers come back as one `Submitted` incoming with the field values, so typed words (a vent,
a poll's options) never become a chat message in the platform's own history.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.messages import Inline


@dataclass(frozen=True)
class TextInput:
    name: str
    label: str
    multiline: bool = False
    optional: bool = False
    max_length: int | None = None
    initial: str = ""
    hint: str = ""


@dataclass(frozen=True)
class Select:
    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    multi: bool = False
    optional: bool = False
    initial: tuple[str, ...] = ()


@dataclass(frozen=True)
class Checkboxes:
    name: str
    label: str
    options: tuple[tuple[str, str], ...]
    optional: bool = True
    initial: tuple[str, ...] = ()
    """Values ticked when the form opens (a form shown again after a mistake keeps what was chosen)."""


@dataclass(frozen=True)
class Note:
    parts: tuple[Inline, ...]


FormField = TextInput | Select | Checkboxes | Note


@dataclass(frozen=True)
class Form:
    """`id` names the handler that receives the answers; `context` travels with them (a round or poll id)."""

    id: str
    title: str
    submit: str
    fields: tuple[FormField, ...]
    context: str = ""
