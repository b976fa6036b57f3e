"""Slack's limits and how patiently Huzzah retries and trusts what Slack said."""

SLACK_INLINE_RETRIES = 2
"""Retries slack_sdk makes in place (connection drops, 429s, 500/503s) before the outbox takes over."""
SLACK_INLINE_RETRY_AFTER_SECONDS = 10
"""A 429 asking to wait longer than this is left to the outbox, which reschedules instead of sleeping."""
SLACK_CACHE_SECONDS = 600
"""How long what conversations.info / conversations.list said is trusted before asking Slack again."""
SLACK_PEOPLE_SECONDS = 3600
"""How long a profile (users.list, users.info) is trusted: a roster then re-reads everyone's once an hour at
most — 50 users.list calls for 10,000 people — and a changed name or time zone shows within the hour."""
SLACK_MEMBERS_PAGE = 200
"""Members asked of `conversations.members` per page (Slack advises no more than 200)."""
SLACK_USERS_PAGE = 200
"""Profiles asked of `users.list` per page (Slack advises no more than 200)."""
SLACK_USERS_ONE_BY_ONE = 20
"""A roster with at most this many people not yet known asks users.info for each; more, and it reads the whole
workspace's profiles through users.list (Tier 2) in pages instead."""

SLACK_MAX_ID_CHARS = 128
"""Slack's ids (U…, C…, T…, event ids) are a dozen characters; the core stores at most this many."""
SLACK_MAX_TEXT_CHARS = 40_000
"""The longest message text Slack accepts; the core answers more politely about anything over its own limit."""
SLACK_MAX_INPUT_CHARS = 10_000
"""A modal's text input (Slack caps them at 3,000); features say themselves when an answer is too long."""
SLACK_MAX_METADATA_CHARS = 3000
"""A modal's private_metadata, as Slack limits it."""
SLACK_FIND_PAGE = 200
"""Messages read per page when looking for a delivery whose outcome is unknown (conversations.history)."""
SLACK_FIND_PAGES = 5
"""At most this many pages: a conversation busier than that since the attempt gets the message again."""
SLACK_FIND_SKEW_SECONDS = 60
"""Looked for from this long before the unsure attempt began, in case Slack's clock is behind ours."""
