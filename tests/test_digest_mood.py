"""The digest's mood section from the check-ins feature's own report: shown, or withheld with the reason."""

from __future__ import annotations

from bot.context import Context
from bot.features.digest.figures import gather
from bot.features.digest.view import digest_message
from bot.features.digest.week import Week
from bot.messages import plain_text
from storage.db import Database
from tests.org_support import a_round as closed_round

W47 = Week(2026, 47)


async def a_round(db: Database, moods: list[int], asked: int, vents: tuple[str, ...] = (), week: Week = W47) -> None:
    """Support's closed round (2026-W47 unless told): `asked` people invited, the first ones answering `moods`."""
    await closed_round(db, "Support", week, asked, moods, vents)


async def digest_text(core) -> str:  # type: ignore[no-untyped-def]
    ctx: Context = core.ctx
    return plain_text(digest_message(ctx.settings, await gather(ctx, "Support", W47), None))


async def test_too_few_answers_withhold_mood_and_participation_and_say_why(core, db: Database) -> None:  # type: ignore[no-untyped-def]
    await a_round(db, [5, 1, 3], asked=8, vents=("I am the only night-shift person",))
    text = await digest_text(core)
    assert "Mood withheld — not enough answers to share without risking anyone's anonymity." in text
    assert "3.0" not in text and "Participation" not in text
    assert "night-shift" not in text


async def test_enough_answers_show_the_hand_computed_figures_and_withhold_vents(core, db: Database) -> None:  # type: ignore[no-untyped-def]
    await a_round(db, [5, 4, 4, 3, 3, 5], asked=8, vents=("the new tool is slow",))
    text = await digest_text(core)
    assert "Mood: 4.0 / 5" in text  # (5+4+4+3+3+5) / 6
    assert "Participation: 6 of 8 answered (75%)" in text
    assert "Answers 1→5: 0 · 0 · 2 · 2 · 2" in text
    assert "Vents withheld — comments need at least 10 answers" in text
    assert "the new tool is slow" not in text


async def test_the_trend_shows_the_last_six_rounds_oldest_first(core, db: Database) -> None:  # type: ignore[no-untyped-def]
    """Six weeks is what the digest promises; older rounds drop off the front, never out of order."""
    for i in range(8):  # W40 … W47, averaging 1.0, 1.4, … 3.8 (five moods summing to 5 + 2i)
        await a_round(db, [1 + (2 * i + n) // 5 for n in range(5)], asked=5, week=W47.before(7 - i))
    text = await digest_text(core)
    assert "Six weeks: W42 1.8 · W43 2.2 · W44 2.6 · W45 3.0 · W46 3.4 · W47 3.8" in text
    assert "W40" not in text and "W41" not in text
