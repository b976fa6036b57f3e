"""The anonymity promise, checked the way an attacker with the whole database and the logs would check it."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import DateTime, text

from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import AnonymitySettings, Settings, TeamSettings
from bot.features.checkins.report import DIFFERENCING, STILL_OPEN, TOO_FEW, mood_report, withheld_teams
from bot.features.checkins.settings import CrisisResource, CrisisSettings
from storage import checkins as repo
from storage.db import Database
from storage.schema import metadata
from storage.tables.checkins import checkin_answered, checkin_moods, checkin_sealed, checkin_vents
from storage.tables.delivery import outbox
from tests.checkin_support import FRIDAY, NAMES, WEEK, answer, close_round, count, dump, open_round, session, texts

VENTS = (
    "The refund macro made me look stupid in front of a VIP customer",
    "I cried in the car park after the outage call",
    "Nobody noticed I covered three shifts this week",
    "我真的很累，但是团队很好",
    "Tôi cảm thấy quá tải với số lượng vé",
    "Honestly a good week, the new tooling helps",
)
IDENTITY_COLUMN_WORDS = ("user", "person", "people", "name", "channel", "ts", "message", "_at", "time")


@pytest.fixture
def six(core: Huzzah) -> ConsoleSession:
    return session(core, NAMES[:8])


async def six_answer(console: ConsoleSession, clock: FakeClock) -> dict[str, list[dict]]:
    """Six people answer with a mood and a vent; returns the database as it was just before."""
    await open_round(console, clock)
    before = await dump(console.core.ctx.db)
    for i, (name, vent) in enumerate(zip(NAMES, VENTS, strict=False)):
        clock.advance(minutes=7)
        await answer(console, name, 1 + i % 5, vent)
    return before


# --- what the database holds ---------------------------------------------------------------------------------

async def test_after_six_answers_no_row_anywhere_ties_a_mood_or_vent_to_a_person_or_a_time(
    six: ConsoleSession, clock: FakeClock
) -> None:
    before = await six_answer(six, clock)
    people = list(six.directory.people.values())
    identities = {p.user_id for p in people} | {p.name for p in people} | {f"dm:{p.user_id}" for p in people}

    tables = await dump(six.core.ctx.db)
    # answering wrote marks and sealed answers and nowhere else (no tally moved, no delivery, no log table)
    assert {name for name in tables if tables[name] != before.get(name)} == {"checkin_answered", "checkin_sealed"}
    assert "cried in the car park" not in str(tables)  # while open, no vent is readable anywhere
    assert {frozenset(r) for r in tables["checkin_sealed"]} == {frozenset({"id", "round_id", "box"})}
    assert len({len(r["box"]) for r in tables["checkin_sealed"]}) <= 3  # padded: a mood looks like a short vent
    # the marks say someone answered, and not even who without the server key
    assert {frozenset(r) for r in tables["checkin_answered"]} == {frozenset({"round_id", "mark"})}
    assert len(tables["checkin_answered"]) == 6 and not any(r["mark"] in identities for r in tables["checkin_answered"])

    await close_round(six)
    tables = await dump(six.core.ctx.db)
    assert tables["checkin_sealed"] == [] and tables["checkin_answered"] == []
    answer_tables = set()
    for name, rows in tables.items():
        for row in rows:
            for column, value in row.items():
                if any(v in str(value) for v in VENTS):
                    assert (name, column) == ("checkin_vents", "body"), f"a vent reached {name}.{column}"
                    answer_tables.add(name)
            if "mood" in row:
                answer_tables.add(name)
    assert answer_tables == {"checkin_vents", "checkin_moods"}
    for name in answer_tables:
        for row in tables[name]:
            for column, value in row.items():
                assert not any(word in column for word in IDENTITY_COLUMN_WORDS), f"{name}.{column}"
                assert not isinstance(value, datetime), f"{name}.{column} holds a time"
                assert str(value) not in identities, f"{name}.{column} holds who answered"
    assert sorted(r["body"] for r in tables["checkin_vents"]) == sorted(VENTS)
    # moods are tallies, not rows: five counters for the round, however many answered
    assert len(tables["checkin_moods"]) == 5 and sum(r["answers"] for r in tables["checkin_moods"]) == 6


def test_answer_tables_cannot_point_to_a_person_by_construction() -> None:
    for table in (checkin_moods, checkin_vents, checkin_sealed, checkin_answered):
        assert {fk.column.table.name for fk in table.foreign_keys} == {"checkin_rounds"}
        assert not any(isinstance(c.type, DateTime) or hasattr(c.type, "impl") for c in table.columns)
    assert set(checkin_answered.columns.keys()) == {"round_id", "mark"}
    for table in (checkin_moods, checkin_vents, checkin_sealed, checkin_answered):
        assert table.dialect_options["sqlite"]["with_rowid"] is False
    assert "checkin_vents" in metadata.tables


async def test_sealed_and_vent_ids_are_random_and_reveal_nothing_about_order(
    six: ConsoleSession, clock: FakeClock
) -> None:
    await six_answer(six, clock)
    for table, n in (("checkin_sealed", 12), ("checkin_vents", 6)):  # six moods and six vents, then six vents
        async with six.core.ctx.db.transaction() as conn:
            ids = (await conn.execute(text(f"SELECT id FROM {table}"))).scalars().all()
        assert len(set(ids)) == n and all(len(i) == 32 and int(i, 16) for i in ids)
        await close_round(six)


async def test_on_postgresql_row_versions_do_not_pair_a_mood_with_its_author(
    six: ConsoleSession, clock: FakeClock, db: Database
) -> None:
    if db.dialect != "postgresql":
        pytest.skip("xmin is PostgreSQL's")
    await open_round(six, clock)
    async with db.transaction() as conn:
        created = set((await conn.execute(text("SELECT xmin::text FROM checkin_moods"))).scalars())
    await answer(six, NAMES[0], 2)
    async with db.transaction() as conn:
        tallies = set((await conn.execute(text("SELECT xmin::text FROM checkin_moods"))).scalars())
        flag = (await conn.execute(text("SELECT xmin::text FROM checkin_answered"))).scalar_one()
        sealed = (await conn.execute(text("SELECT xmin::text FROM checkin_sealed"))).scalar_one()
    assert tallies == created  # no tally moves while the round is open
    assert sealed == flag  # one transaction: a keyed mark beside an unreadable box, nothing anyone can open

    for name in NAMES[1:5]:
        await answer(six, name, 4, "words")
    clock.advance(days=4)
    await six.core.tick()
    async with db.transaction() as conn:
        flags = set((await conn.execute(text("SELECT xmin::text FROM checkin_answered"))).scalars())
        vents = set((await conn.execute(text("SELECT xmin::text FROM checkin_vents"))).scalars())
    assert flags == set() and len(vents) == 1  # marks gone, vents written together at close: no order is left


# --- what the logs hold --------------------------------------------------------------------------------------

async def test_logs_at_debug_never_contain_a_vent_even_when_the_database_fails(
    six: ConsoleSession, clock: FakeClock, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    await six_answer(six, clock)
    # a database error quotes its statement's parameters: make one happen while storing a vent
    monkeypatch.setattr(repo, "random_id", lambda: "0" * 32)
    await six.say(NAMES[6], "vent")
    await six.submit(NAMES[6], {"text": "first of two with the same id", "discard": ()})
    await six.say(NAMES[6], "vent")
    failed = await six.submit(NAMES[6], {"text": "SECRET the second one collides", "discard": ()})
    clock.advance(days=4)
    await six.core.tick()
    await mood_report(six.core.ctx, "Support", WEEK)

    assert "Sorry — something went wrong" in texts(failed)[0]
    assert any("IntegrityError" in r.getMessage() for r in caplog.records)
    assert any("INSERT INTO checkin_sealed" in r.getMessage() for r in caplog.records)  # the SQL itself was logged
    logged = "\n".join(r.getMessage() + str(r.args) + str(r.exc_text or "") for r in caplog.records)
    for vent in (*VENTS, "SECRET the second one collides", "first of two with the same id"):
        assert vent not in logged


# --- crisis and "don't keep it" --------------------------------------------------------------------------------

async def test_crisis_words_send_the_resources_to_the_writer_only_and_flag_nothing(
    six: ConsoleSession, clock: FakeClock
) -> None:
    await open_round(six, clock)
    queued = await count(six.core.ctx.db, outbox)
    for vent in ("honestly some days I want to die", "我有时候想自杀", "Tôi muốn TỰ TỬ"):
        await six.say(NAMES[0], "vent")
        shown = await six.submit(NAMES[0], {"text": vent, "discard": ()})
        assert {s.where for s in shown} == {f"only @{NAMES[0]}"}
        assert "You don't have to carry this alone" in shown[0].text and "findahelpline.com" in shown[0].text
        assert "Nobody else has been told" in shown[0].text
    assert await count(six.core.ctx.db, outbox) == queued  # no message to anyone, nothing queued
    assert await count(six.core.ctx.db, checkin_sealed) == 3  # still kept, sealed, like any vent


async def test_crisis_phrases_set_in_app_yaml_replace_the_built_in_list_and_reach_the_writer_only(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    """A company's own phrases and helpline are what matter to its people; app.yaml says a set list replaces ours."""
    crisis = CrisisSettings(phrases=["Can't Go On"], resources=[CrisisResource(name="Nightline", contact="ext. 4444")])
    console = session(Huzzah(settings.model_copy(update={"crisis": crisis}), db, clock), NAMES[:8])
    await open_round(console, clock)

    await console.say(NAMES[0], "vent")
    shown = await console.submit(NAMES[0], {"text": "after this week I really can't  go on", "discard": ()})
    assert {s.where for s in shown} == {f"only @{NAMES[0]}"}
    assert "You don't have to carry this alone" in shown[0].text and "Nightline — ext. 4444" in shown[0].text
    assert "Nobody else has been told" in shown[0].text and "findahelpline.com" not in shown[0].text

    await console.say(NAMES[1], "vent")
    built_in = await console.submit(NAMES[1], {"text": "honestly some days I want to die", "discard": ()})
    assert len(built_in) == 1 and "Thank you for sharing" in built_in[0].text  # not on the list that was set
    assert await count(db, checkin_sealed) == 2


async def test_a_dont_keep_it_vent_leaves_no_row_anywhere(six: ConsoleSession, clock: FakeClock) -> None:
    await open_round(six, clock)
    before = await dump(six.core.ctx.db)
    shown = await answer(six, NAMES[0], 3, "Let it out: the escalation queue is a nightmare", discard=True)
    assert "nothing was kept" in shown[-1].text
    after = await dump(six.core.ctx.db)
    assert "escalation queue" not in str(after)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {"checkin_answered", "checkin_sealed"}  # the mood, sealed, and nothing about the words
    assert len(after["checkin_sealed"]) == 1


# --- what managers see ---------------------------------------------------------------------------------------

async def answered_by(console: ConsoleSession, names: tuple[str, ...], mood: int = 4) -> None:
    for name in names:
        await answer(console, name, mood, f"note from someone about week {mood}")


async def test_five_answers_show_the_team_figures_and_four_withhold_them(
    core: Huzzah, clock: FakeClock
) -> None:
    console = session(core, NAMES[:9])
    await open_round(console, clock)
    await answered_by(console, NAMES[:4])
    assert (await mood_report(core.ctx, "Support", WEEK)).withheld == STILL_OPEN  # nothing before the close
    await close_round(console)
    assert "closed" in (await answer(console, NAMES[4], 2))[0].text  # late: refused, the figures stay as closed

    four = await mood_report(core.ctx, "Support", WEEK)
    assert (four.asked, four.answered) == (9, 4)
    assert four.average is None and four.distribution is None and four.vents is None
    assert four.withheld == TOO_FEW == "not enough answers to share without risking anyone's anonymity"
    assert four.trend == ((WEEK, None),)

    await open_round(console, clock, FRIDAY + timedelta(weeks=1))
    await answered_by(console, NAMES[:4])
    await answer(console, NAMES[4], 2)
    await close_round(console)
    five = await mood_report(core.ctx, "Support", "2026-W48")
    assert five.answered == 5 and five.average == 3.6 and five.distribution == (0, 1, 0, 4, 0)
    assert five.trend == ((WEEK, None), ("2026-W48", 3.6))
    assert five.vents is None and "at least 10 answers" in five.withheld


async def test_vents_appear_only_at_the_free_text_minimum_after_the_round_closes_shuffled(
    core: Huzzah, clock: FakeClock
) -> None:
    console = session(core, NAMES[:12])
    await open_round(console, clock)
    for i, name in enumerate(NAMES[:9]):
        await answer(console, name, 3, f"vent number {i}")
    clock.advance(days=4)
    await core.tick()
    nine = await mood_report(core.ctx, "Support", WEEK)
    assert nine.average == 3.0 and nine.vents is None and "at least 10 answers" in nine.withheld

    clock.set(FRIDAY + timedelta(weeks=1))
    await open_round(console, clock, clock.now())
    for i, name in enumerate(NAMES[:10]):
        await answer(console, name, 4, f"second week vent {i}")
    week48 = "2026-W48"
    still_open = await mood_report(core.ctx, "Support", week48)
    assert still_open.average is None and still_open.vents is None and still_open.withheld == STILL_OPEN

    clock.advance(days=4)
    await core.tick()
    closed = await mood_report(core.ctx, "Support", week48)
    assert sorted(closed.vents or ()) == sorted(f"second week vent {i}" for i in range(10))
    orders = {(await mood_report(core.ctx, "Support", week48)).vents for _ in range(8)}
    assert len(orders) > 1  # shuffled every time, never the order of writing
    assert closed.trend == (("2026-W47", 3.0), (week48, 4.0))


def three_teams(settings: Settings) -> Settings:
    teams = [TeamSettings(name=n, channels=[f"console:#{n.lower()}"]) for n in ("Support", "Billing", "Onboarding")]
    return settings.model_copy(update={"teams": teams})


async def test_subtracting_team_figures_from_the_org_wide_ones_never_reveals_a_withheld_team(
    settings: Settings, db: Database, clock: FakeClock
) -> None:
    core = Huzzah(three_teams(settings), db, clock)
    support, billing, onboarding = NAMES[:6], NAMES[6:13], NAMES[13:17]
    console = session(core, NAMES, {"#support": support, "#billing": billing, "#onboarding": onboarding})
    await open_round(console, clock)
    await answered_by(console, support, 5)
    await answered_by(console, billing, 3)
    await answered_by(console, onboarding, 1)  # 4 answers: must stay secret
    await close_round(console)

    teams = {name: await mood_report(core.ctx, name, WEEK) for name in ("Support", "Billing", "Onboarding")}

    # the attack: org total minus every shown team, divided by the withheld teams' answers
    for target in (t for t in teams.values() if t.average is None):
        others = [t for t in teams.values() if t is not target]
        assert any(o.average is None for o in others), f"{target.team} could be derived by subtraction"
    assert teams["Onboarding"].withheld == TOO_FEW
    assert teams["Support"].average is None and teams["Support"].withheld == DIFFERENCING  # the complement
    assert teams["Billing"].average == 3.0
    # what subtraction does give is the withheld teams together: 10 answers, above the minimum
    hidden = [t for t in teams.values() if t.average is None]
    assert sum(t.answered or 0 for t in hidden) >= 5


@pytest.mark.parametrize(
    ("answered", "hidden", "org_shown"),
    [
        ({"A": 6, "B": 7, "C": 4}, {"A", "C"}, True),  # one withheld team gets a complement
        ({"A": 6, "B": 4}, {"A", "B"}, True),  # two teams: both go
        ({"A": 3, "B": 3, "C": 9}, {"A", "B"}, True),  # two withheld teams, 6 answers together: enough
        ({"A": 2, "B": 2, "C": 9}, {"A", "B", "C"}, True),  # 4 together is not: C joins
        ({"A": 4}, {"A"}, False),  # the org figure would be the team's
        ({"A": 5, "B": 0}, {"B"}, True),  # a team nobody answered in has nothing subtraction could reveal
        ({"A": 4, "B": 0}, {"A", "B"}, False),
    ],
)
def test_complementary_suppression(answered: dict[str, int], hidden: set[str], org_shown: bool) -> None:
    rounds = [
        repo.RoundFigures(repo.Round(t, t, WEEK, FRIDAY, True), n, n, (0, 0, n, 0, 0)) for t, n in answered.items()
    ]
    assert withheld_teams(rounds, 5) == (hidden, org_shown)


def test_the_minimum_group_size_can_never_go_below_three() -> None:
    with pytest.raises(ValueError, match="greater than or equal to 3"):
        AnonymitySettings(min_group_size=2)
    with pytest.raises(ValueError, match="may not be below"):
        AnonymitySettings(min_group_size=5, min_free_text_group=4)
