"""Slack and the inbox: a request is acknowledged only once it is on disk, the work after the ack answers
through the response_url it came with, and a request that could not be written down is not acknowledged as
taken — an event is answered 500, so Slack delivers it again."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.tables.delivery import once_keys
from storage.tables.inbox import inbox
from storage.tables.kudos import kudos
from tests.slack_support import SlackHarness, app_mention, event_callback


async def count(slack: SlackHarness, table) -> int:  # type: ignore[no-untyped-def]
    async with slack.core.ctx.db.transaction() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


async def test_an_event_slack_could_not_be_asked_about_is_not_acked_and_its_redelivery_is_done_once(
    slack: SlackHarness,
) -> None:
    body = event_callback(app_mention("<@UHUZZAHBOT> <@UBOB> thanks for the save"))
    slack.api.script("users.info", status=500, body={"ok": False, "error": "internal_error"}, times=3)
    status, _ = await slack.event({}, body=body)
    assert status == 500, "not acknowledged: Slack will deliver it again"
    await slack.settle()
    assert await count(slack, once_keys) == 0 and await count(slack, inbox) == 0

    status, _ = await slack.event({}, body=body, retry=1)
    assert status == 200
    await slack.settle()
    assert await count(slack, kudos) == 1 and len(slack.api.posts_in("CKUDOS")) == 1
    assert await count(slack, inbox) == 0


async def test_a_command_that_could_not_be_taken_is_answered_with_the_apology(slack: SlackHarness) -> None:
    slack.api.script("users.info", status=500, body={"ok": False, "error": "internal_error"}, times=3)
    status, _ = await slack.command("<@UBOB> thanks for the save")
    assert status == 200
    await slack.settle()
    [answer] = slack.api.ephemerals("UALICE")
    assert "nothing was changed" in answer["text"]
    assert await count(slack, kudos) == 0 and await count(slack, inbox) == 0


async def test_the_work_after_the_ack_answers_through_the_response_url_and_clears_the_inbox(
    slack: SlackHarness,
) -> None:
    status, _ = await slack.command("<@UBOB> thanks for the save")
    assert status == 200
    await slack.settle()
    [answer] = slack.api.responses
    assert "Sent!" in answer["text"] and answer["response_type"] == "ephemeral"
    assert answer["replace_original"] is False
    assert await count(slack, inbox) == 0 and await count(slack, kudos) == 1
