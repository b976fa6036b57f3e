"""`poll` alone opens a form (a Slack modal) that builds the poll field by field.

The form carries the channel it was opened from, so the poll lands where it was asked for even on
platforms whose form submissions don't say where they came from. A submission with mistakes comes
back as the same form, filled in as it was, with the mistakes listed on top.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from bot.edge import admitted
from bot.features.polls.grammar import CreatePoll, parse_closes
from bot.features.polls.limits import MAX_POLL_OPTIONS, MAX_POLL_QUESTION_CHARS, MIN_POLL_OPTIONS
from bot.features.polls.settings import PollSettings
from bot.forms import Checkboxes, Form, Note, TextInput
from bot.i18n import N_, tr, tr_plural
from bot.incoming import Submitted
from bot.people import Channel

BUILDER = "poll.builder"
SETTINGS = (
    (N_("Anonymous — no one can see who voted for what"), "anonymous"),
    (N_("Let people pick more than one option"), "multi"),
    (N_("Hide results until the poll closes"), "hide_results"),
)
Values = Mapping[str, str | tuple[str, ...]]


def builder_form(where: Channel, settings: PollSettings, values: Values | None = None,
                 problems: tuple[str, ...] = ()) -> Form:
    given = values or {}
    hours = settings.default_open_hours
    default = tr_plural("empty: in {n} hour", "empty: in {n} hours", hours) if hours else \
        tr("empty: until you close it")
    fix = tr("⚠️ Please fix:\n{problems}", problems="\n".join(f"• {p}" for p in problems))
    fields = (
        *((Note((fix,)),) if problems else ()),
        TextInput("question", tr("Question"), max_length=MAX_POLL_QUESTION_CHARS, initial=_text(given, "question"),
                  hint=tr("e.g. Which shift pattern for December?")),
        TextInput("options", tr("Options, one per line ({least}–{most})", least=MIN_POLL_OPTIONS,
                                most=MAX_POLL_OPTIONS), multiline=True,
                  initial=_text(given, "options"), hint=tr("4x10\n5x8\nFlexible")),
        TextInput("closes", tr("Closes"), optional=True, initial=_text(given, "closes"),
                  hint=tr("e.g. 2h, tomorrow 9am or fri 17:00 — {default}", default=default)),
        Checkboxes("settings", tr("Settings"), tuple((tr(label), value) for label, value in SETTINGS),
                   initial=_chosen(given, "settings")),
    )
    context = json.dumps({"channel": where.id, "name": where.name})
    return Form(BUILDER, tr("New poll"), tr("Post poll"), fields, context=context)


def channel_of(submitted: Submitted) -> Channel:
    """Where the form was opened from (kept in its context); the submission's own channel otherwise."""
    try:
        kept = json.loads(submitted.context)
    except ValueError:
        return submitted.channel
    if not isinstance(kept, dict) or not isinstance(kept.get("channel"), str) or not kept["channel"]:
        return submitted.channel
    name = kept["name"] if isinstance(kept.get("name"), str) else ""
    return admitted(Channel(submitted.sender.platform, submitted.sender.workspace, kept["channel"], name=name))


def read(values: Values) -> tuple[CreatePoll, list[str]]:
    """The poll the form describes, and the mistakes that only reading can find (an unreadable deadline)."""
    typed_closes = _text(values, "closes").strip()
    closes = parse_closes(typed_closes) if typed_closes else None
    problems = [] if closes or not typed_closes else [
        tr("I can't read “{typed}” as a deadline — try 2h, 3d, tomorrow 9am or fri 17:00.", typed=typed_closes)
    ]
    chosen = _chosen(values, "settings")
    poll = CreatePoll(
        question=_text(values, "question").strip(),
        options=_options(_text(values, "options")),
        anonymous="anonymous" in chosen, multi="multi" in chosen, hide_results="hide_results" in chosen,
        closes=closes,
    )
    return poll, problems


def _options(typed: str) -> tuple[str, ...]:
    """One option per line; a single line with commas (`Tacos, Ramen, Salad`) is read as a list."""
    lines = [line.strip() for line in typed.splitlines() if line.strip()]
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return tuple(lines)


def _text(values: Values, name: str) -> str:
    value = values.get(name, "")
    return value if isinstance(value, str) else "\n".join(value)


def _chosen(values: Values, name: str) -> tuple[str, ...]:
    value = values.get(name, ())
    return (value,) if isinstance(value, str) and value else tuple(value)
