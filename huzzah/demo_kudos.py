"""The kudos part of `huzzah demo`: one huzzah shown in full, someone joining it with Me too, a refusal, then the
rest of the week's thank-yous one line each. The digest that ends the demo counts them on the days shown."""

from __future__ import annotations

from huzzah.demo_stage import Stage

FIRST = ("carol", "@dave for the macro that cut our refund replies in half", "craft")
JOINS = "erin"
SELF = ("frank", "@frank thanks me for being awesome")
WEEK: tuple[tuple[int, str, str, str, str], ...] = (  # day (0: Monday), time, giver, the thanks, a value
    (0, "11:00", "bob", "@carol 谢谢你帮我处理那个紧急工单", "teamwork"),
    (0, "14:30", "dave", "@alice @grace pour la patience infinie avec le client de Lyon", "empathy"),
    (1, "09:30", "heidi", "@bob for covering my shift when my kid was sick", "teamwork"),
    (2, "10:00", "grace", "@frank for the calm explanation to a very confused customer 🙏", "empathy"),
    (3, "11:00", "bob", "@erin for spotting the billing bug before it hit everyone", "craft"),
    (4, "09:30", "carol", "@bob for taking the angry caller off my hands", "ownership"),
)


def _tagged(stage: Stage, thanks: str, value: str) -> str:
    """The #value only if the settings have it (an explicit --config may list other values, or none)."""
    return f"{thanks} #{value}" if stage.settings.value_named(value) else thanks


async def first_huzzah(stage: Stage) -> None:
    """Monday morning: a kudos as everyone sees it, Me too, and what happens when you thank yourself."""
    giver, thanks, value = FIRST
    await stage.at(0, "09:00")
    await stage.say(giver, _tagged(stage, thanks, value))
    await stage.press(JOINS, "Me too")
    await stage.say(*SELF)


async def thank_yous(stage: Stage, day: int) -> None:
    """The day's other kudos, one line each: the giver's confirmation, and where the rest went."""
    for when, hhmm, giver, thanks, value in WEEK:
        if when == day:
            await stage.at(day, hhmm)
            await stage.say(giver, _tagged(stage, thanks, value), mode="brief")


async def stats(stage: Stage, who: str = "carol") -> None:
    await stage.say(who, "stats")
