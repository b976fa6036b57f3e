"""How `huzzah demo` prints what the bot showed: where each thing went, minus what the reader has already seen.

The console session records every message in full. A week of it is hundreds of lines, most of them the same
check-in DM eight times or a poll redrawn after every vote. A newcomer reading the transcript should see each
kind of thing once, so the narrator applies four rules to the session's record — and never rewords the bot:

* a message in exactly the words already shown is left out (DMs and posts say whom else it reached);
* within a message, two or more lines already shown in a row become one `⋯`;
* an edit shows only the lines it changed, and only the latest edit of a message in one step;
* in `brief` mode a step shows one line: the first line the actor saw, and where everything else went.

Each step prints what the session recorded since the previous step, so every step must be narrated (or
passed over on purpose) before the next begins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from adapters.console.session import ConsoleSession, Shown
from bot.incoming import MessageRef

Echo = Callable[[Shown], None]
Mode = Literal["full", "brief", "edits"]
"""`edits`: only the edits, e.g. a poll's post after a run of votes whose private replies were all alike."""
PRESS_HINT = "   (press with /press <label>)"
"""How `huzzah chat` tells you to press a button: noise in a transcript no one can press."""
SEEN = "⋯"
EDITED = "(edited) "


class Narrator:
    """Reads the session's record since the last step and prints it by the rules above."""

    def __init__(self, session: ConsoleSession, echo: Echo) -> None:
        self.session = session
        self.echo = echo
        self._read = 0
        self._texts: set[str] = set()
        self._lines: set[str] = set()
        self._latest: dict[MessageRef, str] = {}

    def note(self, text: str) -> None:
        """A line from the demo itself (headings, what happened off screen), never from the bot."""
        self.echo(Shown("demo", text))

    def act(self, who: str, verb: str, what: str) -> None:
        """What a person did, e.g. `carol types │ @dave thanks …`."""
        self.echo(Shown(f"{who} {verb}", what))

    def step(self, mode: Mode = "full", before: Callable[[], None] | None = None) -> int:
        """Print what the bot showed since the last step; `before` runs first if anything is printed."""
        items = _latest_edits(self.session.messenger.shown[self._read:])
        self._read = len(self.session.messenger.shown)
        if mode == "edits":
            items = [item for item in items if item.where.startswith(EDITED)]
        out = self._brief(items) if mode == "brief" else self._full(items)
        if out and before is not None:
            before()
        for item in out:
            self.echo(item)
        return len(out)

    def _brief(self, items: list[Shown]) -> list[Shown]:
        if not items:
            return []
        first, *rest = items  # nothing is remembered as seen: the reader saw one line
        elsewhere = ", ".join(dict.fromkeys(i.where for i in rest if i.where != first.where))
        line = _plain(first.text).splitlines()[0] + (f"  (also: {elsewhere})" if elsewhere else "")
        return [Shown(first.where, line)]

    def _full(self, items: list[Shown]) -> list[Shown]:
        out: list[Shown] = []
        repeats: list[str] = []
        for item in items:
            text = _plain(item.text)
            if item.where.startswith(EDITED) and item.ref is not None:
                before = set(self._latest.get(item.ref, "").splitlines())
                changed = [line for line in text.splitlines() if line not in before]
                self._remember(item)
                if changed:
                    out.append(Shown(item.where, "\n".join(changed)))
            elif text in self._texts:
                if not item.where.startswith(("only ", "form for ")):
                    repeats.append(item.where.removeprefix("DM "))
            else:
                out.append(Shown(item.where, self._elide(text)))
                self._remember(item)
        if repeats:
            out.append(Shown("demo", f"(the same, word for word, to {_and(repeats)})"))
        return out

    def _elide(self, text: str) -> str:
        lines = text.splitlines()
        out: list[str] = []
        i = 0
        while i < len(lines):
            j = i
            while j < len(lines) and lines[j] in self._lines:
                j += 1
            if j - i >= 2:
                out.append(SEEN)
                i = j
            else:
                out.append(lines[i])
                i += 1
        return "\n".join(out)

    def _remember(self, item: Shown) -> None:
        text = _plain(item.text)
        self._texts.add(text)
        self._lines.update(text.splitlines())
        if item.ref is not None:
            self._latest[item.ref] = text


def _plain(text: str) -> str:
    return "\n".join(line.removesuffix(PRESS_HINT) for line in text.splitlines())


def _latest_edits(items: list[Shown]) -> list[Shown]:
    """Each message's edits in one step collapse into the last one, in its place."""
    last = {item.ref: i for i, item in enumerate(items) if item.where.startswith(EDITED)}
    return [item for i, item in enumerate(items) if not item.where.startswith(EDITED) or last[item.ref] == i]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
