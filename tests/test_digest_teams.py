"""A contact centre's digests on Slack: each team's managers and channels get only that team's digest and vents,
and membership comes from a user group or an HR CSV, read afresh for every round."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.slack.roster import SlackRoster
from bot.config import ConfigError, MembershipSettings, Settings, TeamSettings
from bot.features.digest.audience import audience_of
from bot.features.digest.week import Week
from bot.membership import MembershipError, read_members
from bot.settings import load_settings
from storage.db import Database
from storage.tables.checkins import checkin_invites, checkin_rounds
from storage.tables.people import people
from tests.fakes.slack_api import TEAM_ID, FakeSlackAPI
from tests.org_support import a_round
from tests.slack_support import SlackHarness

DIGEST_TIME = datetime(2026, 11, 24, 9, 1, tzinfo=UTC)
VENTS = {"Support": "the escalation queue in support is drowning us", "Billing": "billing refunds tool keeps crashing"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"teams": [
        TeamSettings(name="Support", channels=["slack:#support"], managers=["slack:UALICE"],
                     digest_channels=["slack:#support-leads"]),
        TeamSettings(name="Billing", channels=["slack:#billing"], managers=["slack:UCAROL", "slack:UDAVE"],
                     digest_channels=["slack:#billing-leads"]),
    ]})


async def a_closed_round(db: Database, team: str, vent: str) -> None:
    """Twelve answers and a vent: enough for the digest to quote vents (min_free_text_group is 10)."""
    await a_round(db, team, Week(2026, 47), 12, [4] * 12, (vent,), platform="slack", workspace=TEAM_ID)


def deliveries(api: FakeSlackAPI) -> list[tuple[str, str]]:
    """(channel, everything sent there as text) for every message Huzzah posted, DMs included."""
    sent = [c for c in api.calls if c.method in ("chat.postMessage", "chat.postEphemeral", "chat.update")]
    return [(api.where(str(c.params.get("channel", ""))), json.dumps(c.params, ensure_ascii=False)) for c in sent]


async def test_each_team_s_managers_and_channel_get_only_their_team_s_digest(slack: SlackHarness, db: Database) -> None:
    slack.api.add_channel("CBILLING", "billing", members=["UCAROL", "UDAVE"])
    slack.api.add_channel("CSLEADS", "support-leads", members=["UALICE"])
    slack.api.add_channel("CBLEADS", "billing-leads", members=["UCAROL"])
    for team, vent in VENTS.items():
        await a_closed_round(db, team, vent)

    slack.core.ctx.clock.set(DIGEST_TIME)  # type: ignore[attr-defined]
    await slack.core.tick()
    await slack.settle()

    sent = deliveries(slack.api)
    readers = {"Support": {"CSLEADS", slack.api.dm_channel("UALICE")},
               "Billing": {"CBLEADS", slack.api.dm_channel("UCAROL"), slack.api.dm_channel("UDAVE")}}
    for team, where in readers.items():
        got = {channel for channel, words in sent if f"{team} — weekly digest" in words}
        assert got == where, team
        assert {channel for channel, words in sent if VENTS[team] in words} == where, f"{team}'s vent leaked"
    other_teams_words = [words for channel, words in sent if channel in readers["Billing"] and "Support" in words]
    assert other_teams_words == []


def test_global_and_per_team_readers_mixed_is_one_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "app.yaml"
    config.write_text(
        "teams: [{name: Support, managers: ['slack:U1']}, {name: Billing}]\n"
        "digest: {managers: ['slack:U2']}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert "team 'Support' names its own managers/digest_channels — move the global ones under each team" \
        in str(caught.value)


def test_a_single_team_install_keeps_the_global_keys(tmp_path: Path) -> None:
    config = tmp_path / "app.yaml"
    config.write_text("teams: [{name: Support}]\ndigest: {channels: ['slack:#leads'], managers: ['slack:U2']}\n",
                      encoding="utf-8")
    settings = load_settings(config)
    assert audience_of(settings, "Support").managers == ("slack:U2",)


async def invited_teams(db: Database, week: str) -> dict[str, str]:
    """user id → the team whose round of `week` invited them."""
    async with db.transaction() as conn:
        rows = await conn.execute(
            select(people.c.user_id, checkin_rounds.c.team)
            .join(checkin_invites, checkin_invites.c.person_id == people.c.id)
            .join(checkin_rounds, checkin_rounds.c.id == checkin_invites.c.round_id)
            .where(checkin_rounds.c.week == week))
        return {r.user_id: r.team for r in rows}


async def test_user_group_and_csv_define_teams_and_a_moved_member_is_asked_in_the_new_team(
    slack: SlackHarness, db: Database, tmp_path: Path
) -> None:
    hr = tmp_path / "people.csv"
    hr.write_text("email,team,manager\ncarol@example.com,Billing,dave@example.com\n"
                  "bob@example.com,Billing,dave@example.com\n", encoding="utf-8")
    slack.api.usergroups["S0EMEA"] = ("support-emea", ["UALICE", "UBOB"])
    slack.api.users_page = 2  # so the pages of users.list are seen followed
    settings = slack.core.settings.model_copy(update={
        "teams": [TeamSettings(name="Support", members=["slack:@support-emea"]), TeamSettings(name="Billing")],
        "membership": MembershipSettings(csv=str(hr), platform="slack"),
    })
    object.__setattr__(slack.core.ctx, "settings", settings)
    slack.core.rosters["slack"] = SlackRoster(slack.adapter.client, slack.adapter.directory)

    slack.core.ctx.clock.set(datetime(2026, 11, 20, 21, tzinfo=UTC))  # type: ignore[attr-defined]
    await slack.core.tick()
    await slack.settle()
    assert await invited_teams(db, "2026-W47") == {"UALICE": "Support", "UBOB": "Support", "UCAROL": "Billing"}

    hr.write_text("email,team,manager\ncarol@example.com,Billing,dave@example.com\n"
                  "alice@example.com,Billing,dave@example.com\n", encoding="utf-8")
    slack.api.usergroups["S0EMEA"] = ("support-emea", ["UBOB"])
    slack.core.ctx.clock.set(datetime(2026, 11, 27, 21, tzinfo=UTC))  # type: ignore[attr-defined]
    await slack.core.tick()
    await slack.settle()
    assert await invited_teams(db, "2026-W48") == {"UALICE": "Billing", "UBOB": "Support", "UCAROL": "Billing"}
    assert slack.api.calls_to("usergroups.users.list") and len(slack.api.calls_to("users.list")) > 1


def test_a_bad_membership_csv_row_is_named_with_its_column(tmp_path: Path) -> None:
    hr = tmp_path / "people.csv"
    hr.write_text("email,team,manager\ncarol@example.com,Billing,\nbob@example.com,Biling,\n", encoding="utf-8")
    with pytest.raises(MembershipError) as caught:
        read_members(str(hr), ["Support", "Billing"])
    assert str(caught.value) == (f"{hr}: row 3, column team: 'Biling' is not a team in app.yaml "
                                 "(teams: Support, Billing)")
