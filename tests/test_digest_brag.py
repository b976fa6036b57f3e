"""The company brag sheet (kudos highlights only, nobody who said `feature off`) and the fairness nudges that only
a team's managers see in their own copy of the digest."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from adapters.console.directory import ConsoleDirectory
from adapters.console.session import ConsoleSession
from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings, TeamSettings
from bot.features.digest.settings import BragSettings, DigestSettings
from storage.db import Database
from tests.conftest import TEAM


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={
        "teams": [TeamSettings(name="Support", channels=["console:#support"], managers=["console:carol"],
                               digest_channels=["console:#leads"])],
        "digest": DigestSettings(brag=BragSettings(channels=["console:#company"])),
    })


@pytest.fixture
def console(core: Huzzah) -> ConsoleSession:
    return ConsoleSession(core, ConsoleDirectory(TEAM), channel="#support")


async def test_the_brag_sheet_has_kudos_only_and_leaves_out_people_who_opted_out(
    console: ConsoleSession, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 11, 17, 10, tzinfo=UTC))
    await console.say("alice", "@bob thanks for the calm outage call #ownership")
    await console.say("dave", "@erin for the refund macro #teamwork")
    answer = await console.say("erin", "feature off")
    assert "no kudos that names you will appear on the company brag sheet" in answer[-1].text

    clock.set(datetime(2026, 11, 24, 9, 1, tzinfo=UTC))
    await console.core.tick()
    await console.core.tick()
    await console.core.outbox.drain()
    [sheet] = [s for s in console.messenger.shown if s.where == "#company"]
    assert "Kudos from around the company" in sheet.text and "calm outage call" in sheet.text
    assert "@erin" not in sheet.text and "refund macro" not in sheet.text
    for private in ("Mood", "vent", "Participation", "Kudos given"):
        assert private not in sheet.text

    await console.say("erin", "feature on")
    assert "feature" in (await console.say("erin", "feature maybe"))[-1].text  # a mistake says what to type


async def test_nudges_reach_only_the_managers_dm_and_invite_a_look(
    console: ConsoleSession, clock: FakeClock, db: Database
) -> None:
    clock.set(datetime(2026, 10, 20, 10, tzinfo=UTC))
    await console.say("alice", "@grace thanks for the night cover")
    clock.set(datetime(2026, 11, 17, 10, tzinfo=UTC))
    await console.say("alice", "@bob thanks for the outage call")
    await console.say("bob", "@alice thanks for the macro")

    clock.set(datetime(2026, 11, 24, 9, 1, tzinfo=UTC))
    await console.core.tick()
    await console.core.outbox.drain()
    [to_carol] = [s for s in console.messenger.shown if s.where == "DM @carol" and "weekly digest" in s.text]
    [in_channel] = [s for s in console.messenger.shown if s.where == "#leads" and "weekly digest" in s.text]
    assert "Nobody has thanked @grace since 20 Oct — worth a word?" in to_carol.text
    assert "Nobody has thanked @heidi in the last 4 weeks — worth a word?" in to_carol.text
    assert "@bob — worth" not in to_carol.text and "@alice — worth" not in to_carol.text
    assert "2 different people gave thanks and 2 received them, of 8 in the team" in to_carol.text
    assert "Nobody has thanked" not in in_channel.text and "For the team's managers only" not in in_channel.text
