"""`kudos.reaction` in app.yaml picks the emoji that says thanks; the default 🎉 then means nothing special."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.features.kudos.settings import KudosSettings
from tests.slack_support import SlackHarness, reaction_added
from tests.test_slack_kudos import rows


@pytest.fixture
def settings(settings: Settings) -> Settings:
    kudos = settings.section(KudosSettings).model_copy(update={"reaction": "raised_hands"})
    return settings.model_copy(update={"kudos": kudos})


async def test_the_configured_reaction_gives_kudos_and_tada_no_longer_does(slack: SlackHarness) -> None:
    await slack.event(reaction_added(user="UALICE", item_user="UBOB", reaction="tada"))
    await slack.settle()
    assert await rows(slack) == 0 and slack.api.posts_in("CKUDOS") == []

    await slack.event(reaction_added(user="UALICE", item_user="UBOB", reaction="raised_hands::skin-tone-4"))
    await slack.settle()
    assert await rows(slack) == 1
    assert len(slack.api.posts_in("CKUDOS")) == 1 and len(slack.api.posts_in("DUBOB")) == 1
