"""The check-in part of `huzzah demo`: the scheduler asks everyone privately on Friday, they answer with a
button (some also write in the anonymous form, one keeps nothing), a second answer is refused, and the one
person who has not answered gets a reminder. Managers see only the round's figures, in the digest."""

from __future__ import annotations

from huzzah.demo_stage import Stage

FIRST = ("alice", 4, "Busy week but the team had my back on the outage.")
"""Shown step by step, as its writer sees it; the others' answers take a line each."""
OTHERS: tuple[tuple[str, int, str | None, bool], ...] = (  # who, mood, what they write (or not), keep it?
    ("bob", 5, None, True),
    ("carol", 2, "The new ticket tool keeps eating my drafts and nobody seems to care.", True),
    ("dave", 3, "Honestly I just need to say that the VIP account is exhausting.", False),
    ("erin", 4, None, True),
    ("frank", 3, "Too many escalations landed on the evening shift again.", True),
    ("grace", 3, None, True),
)
LATE = ("heidi", 4)
DISCARD = "Just let it out — don't keep it"


async def checkin_round(stage: Stage) -> None:
    await stage.at(4, "15:00")  # the scheduler asks at the settings' time: Friday 15:00 in the demo team's
    if not stage.sees(" 1", "DM @alice"):
        stage.note("(No one was asked to check in: checkins are off in this app.yaml, or come on another day.)")
        return
    await _first_answer(stage)
    for who, mood, words, keep in OTHERS:
        await _answer(stage, who, mood, words, keep)
    await stage.press("bob", " 1", where="DM @bob")  # one answer each
    await stage.at(5, "15:00")  # a day after being asked: the reminder, to whoever has not answered
    await _answer(stage, *LATE, None, True)


async def _first_answer(stage: Stage) -> None:
    who, mood, words = FIRST
    if await stage.press(who, f" {mood}", where=f"DM @{who}") and await stage.do_submit(who, _form(words, True)):
        stage.act(who, "writes", f"“{words}”  [Send anonymously]")
        stage.show()


async def _answer(stage: Stage, who: str, mood: int, words: str | None, keep: bool) -> None:
    """One line for the press and what they wrote; the bot's replies only where they differ from alice's."""
    label = await stage.do_press(who, f" {mood}", where=f"DM @{who}")
    if label is None:
        return
    if words is None:
        stage.act(who, "presses", f"[{label}] in DM @{who}")
    elif await stage.do_submit(who, _form(words, keep)):
        ticked = f" and ticks “{DISCARD}”" if not keep else ""
        stage.act(who, "presses", f"[{label}], then writes in the form: “{words}”{ticked}")
    stage.show()


def _form(words: str | None, keep: bool) -> dict[str, str | tuple[str, ...]]:
    return {"text": words or "", "discard": () if keep else ("discard",)}
