"""Taking back, correcting and moderating kudos on Slack, end to end (signed requests in, fake Web API out)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import Huzzah
from bot.clock import FakeClock
from bot.config import Settings
from huzzah.audit import show_audit
from storage.db import Database
from storage.tables.kudos import kudos
from tests.fakes.slack_api import FakeSlackAPI
from tests.slack_support import SlackHarness, block_actions, reaction_added, serving
from tests.test_slack_kudos import private, words


async def count(slack: SlackHarness) -> int:
    async with slack.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(kudos))).scalar_one()


def kudos_post(slack: SlackHarness) -> dict:  # type: ignore[type-arg]
    """The public post as Slack stores it (with its `ts`)."""
    [posted] = [m for m in slack.api.messages if m["channel"] == "CKUDOS"]
    return posted


async def give(slack: SlackHarness, text: str = "<@UBOB> and <@UCAROL> thanks for the save #ownership",
               user: str = "UALICE") -> None:
    await slack.command(text, user=user)
    await slack.settle()


async def test_undo_within_the_window_deletes_the_post_tells_each_recipient_and_returns_the_allowance(
        slack: SlackHarness, clock: FakeClock) -> None:
    await give(slack)
    post = kudos_post(slack)
    assert "left today" in private(slack, "UALICE")[0] and "3 thank-yous" in private(slack, "UALICE")[0]
    clock.advance(minutes=14)

    await slack.command("undo", user="UALICE")
    await slack.settle()

    assert slack.api.calls_to("chat.delete") == [{"channel": "CKUDOS", "ts": post["ts"]}]
    for dm in ("DUBOB", "DUCAROL"):
        [_, withdrawn] = slack.api.posts_in(dm)
        assert "took back the huzzah" in words(withdrawn["blocks"])
    answer = private(slack, "UALICE")[-1]
    assert "Taken back" in answer and "You have 5 thank-yous left today" in answer
    assert await count(slack) == 0


async def test_undo_after_the_window_is_refused_and_the_post_stays(slack: SlackHarness, clock: FakeClock) -> None:
    await give(slack)
    clock.advance(minutes=16)
    await slack.command("undo", user="UALICE")
    await slack.settle()
    assert "more than 15 minutes ago" in private(slack, "UALICE")[-1]
    assert "ask an admin" in private(slack, "UALICE")[-1]
    assert slack.api.calls_to("chat.delete") == [] and await count(slack) == 1


async def test_the_undo_button_in_the_confirmation_takes_it_back(slack: SlackHarness) -> None:
    await give(slack, "<@UBOB> thanks for the save")
    [confirmation] = slack.api.ephemerals("UALICE")
    button = next(e for b in confirmation["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert button["text"]["text"] == "↩️ Undo"
    press = block_actions(user="UALICE", name="alice", action_id=button["action_id"], value=button["value"],
                          channel="CSUPPORT", message={"ts": "1763280000.000001"},
                          response_url=slack.api.response_url("UALICE"))
    await slack.interact(press)
    await slack.settle()
    assert len(slack.api.calls_to("chat.delete")) == 1 and await count(slack) == 0


async def test_someone_else_cannot_press_undo_on_your_kudos(slack: SlackHarness) -> None:
    await give(slack, "<@UBOB> thanks for the save")
    press = block_actions(user="UDAVE", name="dave", action_id="kudos.undo", value="1", channel="CSUPPORT",
                          message={"ts": "1763280000.000001"}, response_url=slack.api.response_url("UDAVE"))
    await slack.interact(press)
    await slack.settle()
    assert "Only the person who gave a huzzah, or an admin" in private(slack, "UDAVE")[-1]
    assert slack.api.calls_to("chat.delete") == [] and await count(slack) == 1


async def test_removing_the_reaction_takes_the_reaction_kudos_back(slack: SlackHarness) -> None:
    ts = "1763280000.000042"
    await slack.event(reaction_added(user="UALICE", item_user="UBOB", ts=ts))
    await slack.settle()
    post = kudos_post(slack)

    await slack.event({**reaction_added(user="UALICE", item_user="UBOB", ts=ts), "type": "reaction_removed"})
    await slack.settle()
    assert slack.api.calls_to("chat.delete") == [{"channel": "CKUDOS", "ts": post["ts"]}]
    assert "took back" in words(slack.api.posts_in("DUBOB")[-1]["blocks"])
    assert await count(slack) == 0

    await slack.event(reaction_added(user="UALICE", item_user="UBOB", ts=ts))  # added again: thanks again
    await slack.settle()
    assert await count(slack) == 1


async def test_edit_updates_the_post_in_place(slack: SlackHarness) -> None:
    await give(slack, "<@UBOB> thanks for the sve #ownership")
    post = kudos_post(slack)
    await slack.command("edit thanks for the save on the billing call #empathy", user="UALICE")
    await slack.settle()

    [update] = slack.api.calls_to("chat.update")
    assert update["channel"] == "CKUDOS" and update["ts"] == post["ts"]
    shown = words(update["blocks"])
    assert "thanks for the save on the billing call" in shown and "💛 empathy" in shown and "ownership" not in shown
    assert "Corrected" in private(slack, "UALICE")[-1]


async def test_an_edit_tagging_a_value_twice_in_any_case_counts_it_once(slack: SlackHarness) -> None:
    await give(slack, "<@UBOB> thanks for the sve #ownership")
    await slack.command("edit thanks for the save #empathy #Empathy", user="UALICE")
    await slack.settle()
    [update] = slack.api.calls_to("chat.update")
    assert words(update["blocks"]).count("💛 empathy") == 1
    assert "Corrected" in private(slack, "UALICE")[-1]


async def test_edit_with_an_unknown_value_is_refused_and_nothing_changes(slack: SlackHarness) -> None:
    await give(slack, "<@UBOB> thanks for the save")
    await slack.command("edit thanks #kindnes", user="UALICE")
    await slack.settle()
    assert "isn't one of our values" in private(slack, "UALICE")[-1]
    assert slack.api.calls_to("chat.update") == []


async def test_a_post_not_yet_sent_is_never_sent_when_taken_back(slack: SlackHarness) -> None:
    slack.api.script("chat.postMessage", status=429, headers={"Retry-After": "120"})  # the post waits its turn
    await give(slack, "<@UBOB> thanks for the save")
    assert slack.api.messages == []
    await slack.command("undo", user="UALICE")
    await slack.settle()
    assert "Taken back" in private(slack, "UALICE")[-1]
    assert slack.api.messages == [] and slack.api.calls_to("chat.delete") == [], "Slack never showed it"
    assert slack.api.posts_in("DUBOB") == [], "Bob was never told, so he is not told it is gone either"


async def test_a_post_on_its_way_when_taken_back_is_deleted_once_it_is_out(slack: SlackHarness) -> None:
    slack.api.pause("chat.postMessage")  # the outbox has handed it to Slack, which has not answered yet
    await slack.command("<@UBOB> thanks for the save", user="UALICE")
    await slack.wait_for(lambda: slack.adapter.busy == 0)
    await slack.command("undo", user="UALICE")
    await slack.wait_for(lambda: slack.adapter.busy == 0)
    slack.api.resume()
    await slack.settle()
    await slack.wait_for(lambda: len(slack.api.calls_to("chat.delete")) == 1)
    assert [m for m in slack.api.messages if m["channel"] == "CKUDOS"] == []


@pytest.fixture
def moderated(settings: Settings) -> Settings:
    return settings.model_copy(update={"admins": ["slack:UDAVE"]})


async def test_an_admin_removes_any_kudos_with_a_reason_and_it_is_in_the_audit(
        moderated: Settings, db: Database, clock: FakeClock, fake_slack_api: FakeSlackAPI,
        capsys: pytest.CaptureFixture[str]) -> None:
    async with serving(Huzzah(moderated, db, clock), fake_slack_api) as slack:
        await give(slack, "<@UBOB> thanks for the save")
        clock.advance(hours=3)
        await slack.command("remove 1", user="UDAVE")
        await slack.settle()
        assert "Give the huzzah's number" in private(slack, "UDAVE")[-1]
        await slack.command("remove 1 it names a customer", user="UCAROL")  # not an admin
        await slack.settle()
        assert "Only the person who gave a huzzah, or an admin" in private(slack, "UCAROL")[-1]
        await slack.command("remove 1 it names a customer", user="UDAVE")
        await slack.settle()

        assert len(slack.api.calls_to("chat.delete")) == 1 and await count(slack) == 0
        [notice] = [m for m in slack.api.posts_in("DUALICE") if "An admin removed" in words(m["blocks"])]
        assert "it names a customer" in words(notice["blocks"])
        assert "An admin removed" in words(slack.api.posts_in("DUBOB")[-1]["blocks"])

    assert await show_audit(db) == 0
    printed = capsys.readouterr().out
    assert "slack:UDAVE" in printed and "removed huzzah no. 1" in printed and "it names a customer" in printed
    assert "slack:UALICE" in printed and "thanks for the save" not in printed


def test_the_audit_command_is_on_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from huzzah.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/huzzah.db")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app.yaml").write_text("timezone: UTC\n", encoding="utf-8")
    assert main(["audit"]) == 0
    assert "No kudos have been removed by an admin." in capsys.readouterr().out
