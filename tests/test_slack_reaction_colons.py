"""`kudos.reaction: ':raised_hands:'`, written as people type emoji, still turns that reaction into a kudos:
Slack names reactions without the colons, so app.yaml's colons are dropped when it is read."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.features.kudos.settings import KudosSettings
from tests.slack_support import SlackHarness, reaction_added
from tests.test_slack_kudos import rows


@pytest.fixture
def settings(settings: Settings) -> Settings:
    kudos = KudosSettings.model_validate({**settings.kudos.model_dump(), "reaction": ":raised_hands:"})
    return settings.model_copy(update={"kudos": kudos})


async def test_a_reaction_written_with_colons_gives_kudos(slack: SlackHarness) -> None:
    await slack.event(reaction_added(user="UALICE", item_user="UBOB", reaction="raised_hands"))
    await slack.settle()
    assert await rows(slack) == 1
    assert len(slack.api.posts_in("CKUDOS")) == 1
