"""The poll part of `huzzah demo`, on Tuesday: an anonymous decision with hidden results, votes summarised in
one line, a change of mind, a close refused to anyone but the asker, and the scheduler closing it on time."""

from __future__ import annotations

from huzzah.demo_stage import Stage

ASK = ('poll "Which macro should we fix first?" "Refund" "Shipping delay" "Password reset" --anonymous '
       '--hide-results --closes 3h')
VOTES = (("alice", "Refund"), ("bob", "Shipping delay"), ("erin", "Refund"), ("frank", "Password"))


async def poll_scene(stage: Stage) -> None:
    await stage.at(1, "10:00")
    await stage.say("dave", ASK)
    pressed = [f"{who} {label}" for who, label in VOTES if await stage.do_press(who, label)]
    if pressed:
        stage.note(f"(votes: {', '.join(pressed)} — each is told privately that it counted)")
    stage.show("edits")  # the post as the votes left it: it counts voters, nothing more
    await stage.press("bob", "Refund")  # a change of mind, while the poll is open
    await stage.press("alice", "Close poll")  # only dave may close it early
    await stage.at(1, "13:01")  # its deadline passed seconds ago: the scheduler's next tick closes it
