"""Only the people a check-in round asked can answer it: a mood or a vent sent from someone else's question
is refused kindly, counts for nothing and changes nothing stored — on SQLite and PostgreSQL.

The refusal is read from the invitations alone (who was asked), the same record the reminders use; nothing
is written for it, so no answer is tied to anyone.
"""

from __future__ import annotations

import pytest

from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.features.checkins.report import TOO_FEW, mood_report
from bot.features.checkins.views import VENT_FORM
from bot.incoming import Submitted
from bot.messages import plain_text
from storage import checkins as repo
from storage.tables.checkins import checkin_sealed
from tests.checkin_support import NAMES, WEEK, answer, close_round, count, dump, open_round, session, texts

EIGHT = NAMES[:8]
REFUSED = "This check-in wasn't sent to you"
SECRET = "the new rota means I never see my kids"


async def round_id(console: ConsoleSession) -> str:
    async with console.core.ctx.db.transaction() as conn:
        found = await repo.round_for(conn, "Support", WEEK)
    assert found is not None
    return found.id


async def figures(console: ConsoleSession) -> repo.RoundFigures:
    """The round's figures, once it has closed (an open round has none)."""
    await close_round(console)
    async with console.core.ctx.db.transaction() as conn:
        [found] = await repo.figures_for_week(conn, WEEK)
    return found


async def vents_in_round(console: ConsoleSession) -> list[str]:
    this_week = await round_id(console)
    async with console.core.ctx.db.transaction() as conn:
        return await repo.vents_of(conn, this_week)


async def submit_vent(console: ConsoleSession, name: str, body: str, context: str) -> list[str]:
    """A vent form for round `context` comes back from `name` (a form kept open, or a forged payload)."""
    submitted = Submitted(console.person(name), console.where(f"@{name}"), VENT_FORM,
                          {"text": body, "discard": ()}, context)
    response = await console.core.handle(submitted)
    return [plain_text(r) for r in response.replies]


def assert_kind_refusal(shown_text: str) -> None:
    assert REFUSED in shown_text
    assert "If you're in a team, type `checkin` to get your own" in shown_text
    assert "Thanks" not in shown_text and "recorded" not in shown_text


@pytest.fixture
async def opted_out(core: Huzzah, clock: FakeClock) -> ConsoleSession:
    """Eight teammates; agent01 switched check-ins off, so this week's round asked only the other seven."""
    team = session(core, EIGHT)
    await team.say("agent01", "checkin off")
    await open_round(team, clock)
    assert "DM @agent01" not in {s.where for s in team.messenger.shown}
    return team


# --- moods ------------------------------------------------------------------------------------------------

async def test_a_mood_from_someone_the_round_never_asked_is_refused_and_cannot_lift_a_team_over_the_minimum(
    opted_out: ConsoleSession,
) -> None:
    team = opted_out
    for name in EIGHT[1:5]:
        await answer(team, name, 4)
    before = await dump(team.core.ctx.db)

    refused = await team.press("agent01", " 1", where="DM @agent05")

    assert [s.where for s in refused] == ["only @agent01"], "a private reply, and no vent form opened"
    assert_kind_refusal(refused[0].text)
    assert await dump(team.core.ctx.db) == before, "a refused answer writes nothing at all"
    await close_round(team)
    report = await mood_report(team.core.ctx, "Support", WEEK)
    assert (report.asked, report.answered) == (7, 4)
    assert report.distribution is None and report.withheld == TOO_FEW, "four real answers stay too few to show"


async def test_someone_refused_who_follows_the_advice_gets_their_own_check_in_and_is_counted_once(
    opted_out: ConsoleSession,
) -> None:
    team = opted_out
    for name in EIGHT[1:5]:
        await answer(team, name, 4)
    assert_kind_refusal(texts(await team.press("agent01", " 1", where="DM @agent02"))[0])

    asked = await team.say("agent01", "checkin")
    assert [s.where for s in asked] == ["only @agent01"] and "How was your week?" in asked[0].text
    counted = await answer(team, "agent01", 1, where="only @agent01")

    assert "Thanks — recorded" in counted[0].text
    await close_round(team)
    report = await mood_report(team.core.ctx, "Support", WEEK)
    assert (report.asked, report.answered) == (8, 5) and report.distribution == (1, 0, 0, 4, 0)


async def test_a_mood_from_someone_outside_every_team_is_refused_with_the_same_kind_words(
    core: Huzzah, clock: FakeClock
) -> None:
    team = session(core, EIGHT, channels={"#support": EIGHT[1:]})  # agent01 is in no team's channel
    await open_round(team, clock)
    await team.say("agent01", "checkin at thu 10:00")  # known to Huzzah, but never asked

    refused = await team.press("agent01", " 5", where="DM @agent02")

    assert [s.where for s in refused] == ["only @agent01"]
    assert_kind_refusal(refused[0].text)
    assert "not in any team's channels" in texts(await team.say("agent01", "checkin"))[0]
    found = await figures(team)
    assert found.answered == 0 and found.distribution == (0, 0, 0, 0, 0)


async def test_everyone_the_round_asked_still_answers_as_before(opted_out: ConsoleSession) -> None:
    team = opted_out
    for i, name in enumerate(EIGHT[1:]):
        shown = await answer(team, name, i % 5 + 1)
        assert [s.where for s in shown] == [f"only @{name}", f"form for @{name}"]
        assert "Thanks — recorded" in shown[0].text

    found = await figures(team)
    assert (found.asked, found.answered, found.distribution) == (7, 7, (2, 2, 1, 1, 1))


# --- vents -----------------------------------------------------------------------------------------------

async def test_the_vent_button_of_someone_elses_check_in_opens_no_form(opted_out: ConsoleSession) -> None:
    team = opted_out

    refused = await team.press("agent01", "Get something off your chest", where="DM @agent02")

    assert [s.where for s in refused] == ["only @agent01"], "no form to type into and then lose"
    assert_kind_refusal(refused[0].text)
    assert "agent01" not in team.open_forms


async def test_a_vent_sent_for_a_round_one_was_never_asked_in_is_not_kept_and_says_so(
    opted_out: ConsoleSession,
) -> None:
    team = opted_out
    before = await dump(team.core.ctx.db)

    [reply] = await submit_vent(team, "agent01", SECRET, await round_id(team))

    assert REFUSED in reply and "I didn't keep what you wrote" in reply
    assert "If you're in a team, type `checkin` to get your own" in reply and "`vent`" in reply
    assert "Thank you for sharing" not in reply and SECRET not in reply
    assert await dump(team.core.ctx.db) == before
    assert await vents_in_round(team) == []


async def test_crisis_words_in_a_refused_vent_still_bring_their_writer_help(opted_out: ConsoleSession) -> None:
    team = opted_out

    lifeline, refusal = await submit_vent(team, "agent01", "some days I want to die", await round_id(team))

    assert "You don't have to carry this alone" in lifeline and "findahelpline.com" in lifeline
    assert "I didn't keep what you wrote" in refusal
    assert await count(team.core.ctx.db, checkin_sealed) == 0


async def test_vents_from_the_people_asked_and_from_the_vent_command_are_still_kept(
    opted_out: ConsoleSession,
) -> None:
    team = opted_out
    opened = await team.press("agent02", "Get something off your chest", where="DM @agent02")
    assert [s.where for s in opened] == ["form for @agent02"]
    kept = await team.submit("agent02", {"text": "the queue tool froze all morning", "discard": ()})
    after_mood = await answer(team, "agent03", 2, "two escalations before lunch")
    await team.say("agent01", "vent")  # not asked this week, but `vent` is open to everyone in a team
    anytime = await team.submit("agent01", {"text": "nobody covered my break", "discard": ()})

    assert "Thank you for sharing" in kept[0].text and "Thank you for sharing" in after_mood[-1].text
    assert "Thank you for sharing" in anytime[0].text
    await close_round(team)
    assert sorted(await vents_in_round(team)) == [
        "nobody covered my break", "the queue tool froze all morning", "two escalations before lunch",
    ]
