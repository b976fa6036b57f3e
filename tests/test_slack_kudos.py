"""Kudos given on Slack, end to end: signed requests into the real server, Web API calls out (fake on loopback).

Every way of giving kudos (slash command, @-mention, reaction, message shortcut + modal), the Me too button,
App Home, and the clear private answers for people who cannot receive kudos.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.tables.kudos import kudos, kudos_cogivers
from tests.slack_support import (
    SlackHarness,
    app_home_opened,
    app_mention,
    block_actions,
    direct_message,
    message_action,
    reaction_added,
    view_submission,
)


async def rows(slack: SlackHarness, table: Any = kudos) -> int:
    async with slack.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


def words(blocks: list[dict[str, Any]]) -> str:
    """Every piece of text in a list of Block Kit blocks."""
    out = []
    for block in blocks:
        if isinstance(block.get("text"), dict):
            out.append(block["text"]["text"])
        out += [f["text"] for f in block.get("fields", [])]
        for element in block.get("elements", []):
            shown = element.get("text")
            out.append(shown if isinstance(shown, str) else (shown or {}).get("text", ""))
    return "\n".join(out)


def private(slack: SlackHarness, user: str) -> list[str]:
    """What only `user` was shown, as text (fallback and blocks)."""
    return [m.get("text", "") + "\n" + words(m.get("blocks", [])) for m in slack.api.ephemerals(user)]


async def test_slash_command_posts_publicly_dms_the_recipient_and_stores_one_kudos(slack: SlackHarness) -> None:
    slow = ("chat.postMessage", "chat.postEphemeral", "conversations.open", "respond")
    slack.api.pause(*slow)  # Slack takes nothing the work sends until the ack is in
    async with asyncio.timeout(60):  # a safety net, not a measurement
        status, body = await slack.command("<@UBOB> thanks for the save #ownership", user="UALICE")
    assert status == 200 and body == ""  # an empty ack: the answer follows through response_url
    assert slack.api.messages == [] and slack.api.responses == [], "acked before any of the work, within Slack's 3 s"
    slack.api.resume()
    await slack.settle()

    posts = slack.api.posts_in("CKUDOS")
    assert len(posts) == 1
    assert "<@UBOB>" in words(posts[0]["blocks"]) and "thanks for the save" in words(posts[0]["blocks"])
    assert len(slack.api.posts_in("DUBOB")) == 1
    assert slack.api.calls_to("conversations.open") == [], "a DM goes to the user id: nothing to open first"
    assert await rows(slack) == 1
    [confirmation] = private(slack, "UALICE")
    assert "Sent!" in confirmation and "#kudos" in confirmation


async def test_mentions_with_names_and_several_recipients(slack: SlackHarness) -> None:
    await slack.command("<@UBOB|bob> and <@UCAROL|carol> thanks for covering &amp; more #teamwork", user="UALICE")
    await slack.settle()
    [post] = slack.api.posts_in("CKUDOS")
    assert "<@UBOB>" in words(post["blocks"]) and "<@UCAROL>" in words(post["blocks"])
    assert "covering &amp; more" in words(post["blocks"])  # shown as typed, escaped once for Slack
    assert len(slack.api.posts_in("DUBOB")) == 1 and len(slack.api.posts_in("DUCAROL")) == 1


async def test_users_are_looked_up_once_and_cached(slack: SlackHarness) -> None:
    await slack.command("<@UBOB> thanks for the save", user="UALICE")
    await slack.settle()
    await slack.command("<@UBOB> thanks again", user="UALICE")
    await slack.settle()
    looked_up = [p["user"] for p in slack.api.calls_to("users.info")]
    assert sorted(looked_up) == ["UALICE", "UBOB"]


async def test_help_and_stats_answer_only_the_person_who_asked(slack: SlackHarness) -> None:
    await slack.command("help", user="UALICE")
    await slack.settle()
    [shown] = private(slack, "UALICE")
    assert "/huzzah @alice thanks for taking the angry caller #ownership" in shown

    await slack.command("<@UBOB> thanks for the save", user="UALICE")
    await slack.settle()
    await slack.command("stats", user="UALICE")
    await slack.settle()
    assert "given 1" in private(slack, "UALICE")[-1]
    assert slack.api.posts_in("CSUPPORT") == []


async def test_unknown_user_gets_a_clear_private_message(slack: SlackHarness) -> None:
    await slack.command("<@UNOBODY|zed> thanks for the help", user="UALICE")
    await slack.settle()
    [shown] = private(slack, "UALICE")
    assert "I couldn't find @zed" in shown
    assert await rows(slack) == 0 and slack.api.calls_to("chat.postMessage") == []


async def test_bots_cannot_receive_kudos(slack: SlackHarness) -> None:
    await slack.command("<@UOTHERBOT> thanks for deploying", user="UALICE")
    await slack.settle()
    [shown] = private(slack, "UALICE")
    assert "is a bot" in shown and "Mention a person" in shown
    assert await rows(slack) == 0


async def test_deactivated_people_cannot_receive_kudos(slack: SlackHarness) -> None:
    await slack.command("<@UGONE> thanks for everything", user="UALICE")
    await slack.settle()
    [shown] = private(slack, "UALICE")
    assert "has left this workspace" in shown
    assert await rows(slack) == 0


async def test_self_kudos_is_refused_privately(slack: SlackHarness) -> None:
    await slack.command("<@UALICE> thanks me", user="UALICE")
    await slack.settle()
    assert "can't give yourself" in private(slack, "UALICE")[0]
    assert await rows(slack) == 0


async def test_app_mention_gives_kudos_and_confirms_with_an_ephemeral(slack: SlackHarness) -> None:
    status, _ = await slack.event(app_mention("<@UHUZZAHBOT> <@UBOB> thanks for the save #ownership"))
    assert status == 200
    await slack.settle()
    assert len(slack.api.posts_in("CKUDOS")) == 1
    [ephemeral] = slack.api.calls_to("chat.postEphemeral")
    assert ephemeral["user"] == "UALICE" and ephemeral["channel"] == "CSUPPORT"
    assert "Sent!" in ephemeral["text"] + words(ephemeral["blocks"])


async def test_a_direct_message_to_the_bot_is_answered_in_the_dm(slack: SlackHarness) -> None:
    await slack.event(direct_message("stats"))
    await slack.settle()
    [answer] = slack.api.posts_in("DUALICE")
    assert "haven't given or received" in words(answer["blocks"])


async def test_me_too_joins_the_thanks_and_updates_the_post(slack: SlackHarness) -> None:
    await slack.command("<@UBOB> thanks for the save #ownership", user="UALICE")
    await slack.settle()
    [posted] = [m for m in slack.api.messages if m["channel"] == "CKUDOS"]
    button = next(e for b in posted["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert button["text"]["text"] == "🙌 Me too"

    press = block_actions(user="UCAROL", name="carol", action_id=button["action_id"], value=button["value"],
                          channel="CKUDOS", message=posted, response_url=slack.api.response_url("UCAROL"))
    status, _ = await slack.interact(press)
    assert status == 200
    await slack.settle()

    assert await rows(slack, kudos_cogivers) == 1
    assert "joined the thanks" in private(slack, "UCAROL")[0]
    [update] = slack.api.calls_to("chat.update")
    assert update["channel"] == "CKUDOS" and update["ts"] == posted["ts"]
    assert "with <@UCAROL>" in words(update["blocks"])


async def test_me_too_is_refused_for_the_recipient_and_a_double_click_counts_once(slack: SlackHarness) -> None:
    await slack.command("<@UBOB> thanks for the save", user="UALICE")
    await slack.settle()
    [posted] = [m for m in slack.api.messages if m["channel"] == "CKUDOS"]

    def press(user: str, name: str) -> dict[str, Any]:
        return block_actions(user=user, name=name, action_id="kudos.metoo", value="1", channel="CKUDOS",
                             message=posted, response_url=slack.api.response_url(user))

    await slack.interact(press("UBOB", "bob"))
    await slack.interact(press("UCAROL", "carol"))
    await slack.interact(press("UCAROL", "carol"))
    await slack.settle()
    assert "This huzzah is for you" in private(slack, "UBOB")[0]
    assert await rows(slack, kudos_cogivers) == 1
    assert "already part of this" in private(slack, "UCAROL")[-1]


async def test_the_same_interaction_delivered_twice_is_handled_once(slack: SlackHarness) -> None:
    await slack.command("<@UBOB> thanks for the save", user="UALICE")
    await slack.settle()
    [posted] = [m for m in slack.api.messages if m["channel"] == "CKUDOS"]
    press = block_actions(user="UCAROL", name="carol", action_id="kudos.metoo", value="1", channel="CKUDOS",
                          message=posted, response_url=slack.api.response_url("UCAROL"))
    await slack.interact(press)
    await slack.interact(press)
    await slack.settle()
    assert len(private(slack, "UCAROL")) == 1


async def test_the_configured_reaction_thanks_the_author_with_a_link(slack: SlackHarness) -> None:
    status, _ = await slack.event(reaction_added(user="UALICE", item_user="UBOB", ts="1763280000.000042"))
    assert status == 200
    await slack.settle()

    assert slack.api.calls_to("chat.getPermalink") == [{"channel": "CSUPPORT", "message_ts": "1763280000.000042"}]
    [post] = slack.api.posts_in("CKUDOS")
    assert "<@UBOB>" in words(post["blocks"])
    assert "archives/CSUPPORT/p1763280000000042|the message>" in words(post["blocks"])
    assert len(slack.api.posts_in("DUBOB")) == 1
    [ephemeral] = slack.api.calls_to("chat.postEphemeral")
    assert ephemeral["user"] == "UALICE"


async def test_reaction_removed_and_added_again_thanks_once(slack: SlackHarness) -> None:
    await slack.event(reaction_added(user="UALICE", item_user="UBOB", ts="1763280000.000042"))
    await slack.event(reaction_added(user="UALICE", item_user="UBOB", ts="1763280000.000042"))
    await slack.settle()
    assert await rows(slack) == 1 and len(slack.api.posts_in("CKUDOS")) == 1


async def test_reactions_that_are_not_thanks_are_ignored(slack: SlackHarness) -> None:
    await slack.event(reaction_added(user="UALICE", item_user="UALICE"))                   # own message
    await slack.event(reaction_added(user="UALICE", item_user="UHUZZAHBOT"))               # the bot's message
    await slack.event(reaction_added(user="UALICE", item_user="UOTHERBOT"))                # another bot
    await slack.event(reaction_added(user="UALICE", item_user="UBOB", reaction="thumbsup"))  # another emoji
    await slack.settle()
    assert await rows(slack) == 0
    assert slack.api.calls_to("chat.postMessage") == [] and slack.api.calls_to("chat.postEphemeral") == []


async def test_shortcut_opens_a_prefilled_modal_and_its_submission_gives_kudos(slack: SlackHarness) -> None:
    shortcut = message_action(user="UALICE", name="alice", author="UBOB",
                              response_url=slack.api.response_url("UALICE"))
    status, _ = await slack.interact(shortcut)
    assert status == 200
    await slack.settle()

    [opened] = slack.api.calls_to("views.open")
    assert opened["trigger_id"] == shortcut["trigger_id"]
    view = opened["view"]
    assert view["type"] == "modal" and view["callback_id"] == "kudos.give"
    assert "<@UBOB>" in words(view["blocks"]) and "archives/CSUPPORT/p" in words(view["blocks"])
    assert {b["block_id"] for b in view["blocks"] if b["type"] == "input"} == {"reason", "values"}

    submission = view_submission(view, {"reason": "thanks for fixing the macro", "values": ("teamwork",)},
                                 user="UALICE", name="alice")
    status, body = await slack.interact(submission)
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update" and "Sent!" in words(answer["view"]["blocks"])
    await slack.settle()

    [post] = slack.api.posts_in("CKUDOS")
    assert "thanks for fixing the macro" in words(post["blocks"]) and "🤝 teamwork" in words(post["blocks"])
    assert "the message>" in words(post["blocks"])
    assert await rows(slack) == 1


async def test_a_refused_modal_comes_back_with_the_problem_and_what_was_typed(slack: SlackHarness) -> None:
    await slack.interact(message_action(user="UALICE", name="alice", author="UBOB",
                                        response_url=slack.api.response_url("UALICE")))
    await slack.settle()
    view = slack.api.calls_to("views.open")[0]["view"]
    status, body = await slack.interact(view_submission(view, {"reason": "   ", "values": ("teamwork",)},
                                                        user="UALICE", name="alice"))
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "update" and answer["view"]["callback_id"] == "kudos.give"
    assert "Say why" in words(answer["view"]["blocks"])
    values = next(b for b in answer["view"]["blocks"] if b.get("block_id") == "values")
    assert [o["value"] for o in values["element"]["initial_options"]] == ["teamwork"]
    assert await rows(slack) == 0


async def test_shortcut_on_your_own_message_is_refused_privately(slack: SlackHarness) -> None:
    await slack.interact(message_action(user="UALICE", name="alice", author="UALICE",
                                        response_url=slack.api.response_url("UALICE")))
    await slack.settle()
    assert slack.api.calls_to("views.open") == []
    assert "can't give yourself" in private(slack, "UALICE")[0]


async def test_app_home_shows_your_kudos_and_the_values(slack: SlackHarness) -> None:
    await slack.command("<@UBOB> thanks for the late-night save #ownership", user="UALICE")
    await slack.settle()
    status, _ = await slack.event(app_home_opened("UBOB"))
    assert status == 200
    await slack.settle()

    [published] = slack.api.calls_to("views.publish")
    assert published["user_id"] == "UBOB" and published["view"]["type"] == "home"
    shown = words(published["view"]["blocks"])
    assert "received 1 · given 0" in shown
    assert "thanks for the late-night save" in shown and "from <@UALICE>" in shown
    assert "#ownership" in shown and "#teamwork" in shown


async def test_url_verification_is_answered(slack: SlackHarness) -> None:
    challenge = "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"
    status, body = await slack.event({}, body={"token": "x", "challenge": challenge, "type": "url_verification"})
    assert status == 200 and challenge in body



async def test_only_the_home_tab_is_drawn_and_bot_messages_in_dms_are_ignored(slack: SlackHarness) -> None:
    await slack.event({**app_home_opened("UALICE"), "tab": "messages"})
    await slack.event({**direct_message("stats"), "bot_id": "BOTHER", "subtype": "bot_message"})
    await slack.settle()
    assert slack.api.calls_to("views.publish") == [] and slack.api.calls_to("chat.postMessage") == []


async def test_shortcut_on_an_apps_message_is_refused_privately(slack: SlackHarness) -> None:
    shortcut = message_action(user="UALICE", name="alice", author="", response_url=slack.api.response_url("UALICE"))
    shortcut["message"] = {**shortcut["message"], "bot_id": "BDEPLOY", "subtype": "bot_message",
                           "bot_profile": {"id": "BDEPLOY", "name": "Deploybot", "team_id": "T0HUZZAH"}}
    del shortcut["message"]["user"]
    await slack.interact(shortcut)
    await slack.settle()
    assert slack.api.calls_to("views.open") == []
    assert "@Deploybot is a bot" in private(slack, "UALICE")[0]


async def test_a_command_that_says_payload_is_read_like_any_other(slack: SlackHarness) -> None:
    """slack-bolt reads any form containing the word `payload` as an interactivity payload; Huzzah does not."""
    status, _ = await slack.command("<@UBOB> thanks for untangling the webhook payload #ownership")
    await slack.settle()
    assert status == 200 and await rows(slack) == 1
    assert "payload" in words(slack.api.posts_in("CKUDOS")[0]["blocks"])


@pytest.mark.parametrize("posted_by", [
    pytest.param({"user": "UOTHERBOT", "bot_id": "BOTHER", "bot_profile": {"id": "BOTHER", "name": "Deploybot"}},
                 id="an app's bot user"),
    pytest.param({"bot_id": "BOTHER", "subtype": "bot_message", "username": "Deploybot"}, id="an integration"),
    pytest.param({"user": "UOTHERBOT"}, id="a bot user Slack does not mark in the event"),
])
async def test_another_bots_mention_or_dm_gives_no_kudos(slack: SlackHarness, posted_by: dict[str, Any]) -> None:
    mention = {**app_mention("<@UHUZZAHBOT> <@UBOB> thanks for the deploy #ownership"), **posted_by}
    dm = {**direct_message("<@UBOB> thanks for the deploy"), **posted_by}
    if "user" not in posted_by:
        del mention["user"], dm["user"]
    assert (await slack.event(mention))[0] == 200 and (await slack.event(dm))[0] == 200
    await slack.settle()
    assert await rows(slack) == 0
    assert slack.api.posts_in("CKUDOS") == [] and slack.api.calls_to("chat.postEphemeral") == []
    assert slack.api.calls_to("chat.postMessage") == []
