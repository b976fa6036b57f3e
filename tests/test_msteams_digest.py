"""The weekly digest on Teams: one Adaptive Card with the same sections and the chart inline, posted to the
managers' channel and to each manager's personal chat."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from bot.config import Settings, TeamSettings
from bot.features.digest.settings import DigestSettings
from tests.msteams_support import (
    BOT,
    CHANNEL_ID,
    MsTeamsWorld,
    bot_added_to_team,
    channel_message,
    personal_conversation,
    user,
    world_fixture,
)

msteams = world_fixture("msteams")
ALICE, BOB, DANA = user("Alice"), user("Bob"), user("Dana")
LEADS = "19:support-leads@thread.tacv2"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={
        "teams": [TeamSettings(name="Support", channels=[f"msteams:{CHANNEL_ID}"])],
        "digest": DigestSettings(day="mon", channels=[f"msteams:{LEADS}"], managers=[f"msteams:{DANA['id']}"]),
    })


async def test_the_digest_card_is_posted_to_the_managers_conversation(msteams: MsTeamsWorld) -> None:
    await msteams.send(bot_added_to_team(msteams.service_url, ALICE))
    for reason in ("thanks for the outage cover #ownership", "thanks for the macro fix #teamwork"):
        await msteams.send(channel_message(msteams.service_url, ALICE, f"<at>Huzzah</at> <at>Bob</at> {reason}",
                                         [BOT, BOB]))

    msteams.core.ctx.clock.set(datetime(2026, 11, 23, 9, 1, tzinfo=UTC))  # type: ignore[attr-defined]
    await msteams.core.tick()
    await msteams.core.outbox.drain()

    [digest] = msteams.connector.to(LEADS)
    assert digest.card and "Support" in digest.words and "digest" in digest.words.casefold()
    assert "Kudos given: 2" in digest.words and "🌟 <at>Bob</at>, from <at>Alice</at>" in digest.words
    assert "Mood withheld" in digest.words and "Polls closed this week" in digest.words
    [chart] = [e for e in digest.card["body"] if e["type"] == "Image"]
    assert chart["url"].startswith("data:image/png;base64,")
    assert base64.b64decode(chart["url"].split(",", 1)[1]).startswith(b"\x89PNG")
    assert "Kudos per day" in chart["altText"]
    assert digest.card["fallbackText"] and "Kudos per day" in digest.card["fallbackText"]

    [to_dana] = msteams.connector.to(personal_conversation(DANA))
    assert to_dana.card == digest.card

    await msteams.core.tick()
    await msteams.core.outbox.drain()
    assert len(msteams.connector.to(LEADS)) == 1, "posted once per week, however often the scheduler ticks"


async def test_each_team_s_digest_reaches_only_its_own_managers_on_teams(msteams: MsTeamsWorld) -> None:
    billing_leads = "19:billing-leads@thread.tacv2"
    settings = msteams.core.settings.model_copy(update={"digest": DigestSettings(), "teams": [
        TeamSettings(name="Support", channels=[f"msteams:{CHANNEL_ID}"], managers=[f"msteams:{DANA['id']}"],
                     digest_channels=[f"msteams:{LEADS}"]),
        TeamSettings(name="Billing", channels=["msteams:19:billing@thread.tacv2"],
                     managers=[f"msteams:{BOB['id']}"], digest_channels=[f"msteams:{billing_leads}"]),
    ]})
    object.__setattr__(msteams.core.ctx, "settings", settings)
    await msteams.send(bot_added_to_team(msteams.service_url, ALICE))
    await msteams.send(channel_message(msteams.service_url, ALICE, "<at>Huzzah</at> <at>Bob</at> thanks #ownership",
                                       [BOT, BOB]))

    msteams.core.ctx.clock.set(datetime(2026, 11, 23, 9, 1, tzinfo=UTC))  # type: ignore[attr-defined]
    await msteams.core.tick()
    await msteams.core.outbox.drain()

    for team, where in (("Support", (LEADS, personal_conversation(DANA))),
                        ("Billing", (billing_leads, personal_conversation(BOB)))):
        for conversation in where:
            [digest] = [m for m in msteams.connector.to(conversation) if "weekly digest" in m.words]
            assert f"{team} — weekly digest" in digest.words
            assert ({"Support", "Billing"} - {team}).pop() not in digest.words
