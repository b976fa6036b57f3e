"""Hard limits that protect people and platforms; tunable thresholds live in app.yaml instead."""

MAX_RECIPIENTS = 10
MAX_REASON_CHARS = 1000
MAX_COMMAND_CHARS = 4000
MIN_GROUP_FLOOR = 3
"""No configuration may show a figure built from fewer answers than this."""

OUTBOX_MAX_ATTEMPTS = 12
OUTBOX_CLAIM_SECONDS = 60
OUTBOX_POLL_SECONDS = 5.0

DIGEST_TOP_VALUES = 3
DIGEST_HIGHLIGHTS = 3
DIGEST_MAX_VENTS = 10
"""How many company values, quoted kudos and vents a weekly digest shows (a chat message has a size limit)."""
TICK_SECONDS = 30
"""How often the scheduler asks every feature what is due (check-in rounds, poll deadlines, digests)."""

MAX_VENT_CHARS = 3000
"""A vent is a few paragraphs; the form stops there."""
ROSTER_REFRESH_SECONDS = 3600
"""Team channel members are asked of the platform at most this often (check-in fan-out and `checkin`)."""
ROSTER_RECHECK_SECONDS = 60
"""Someone not found in a team is looked up again when the member list is older than this (they just joined)."""
MOOD_TREND_ROUNDS = 6
"""How many rounds a team's mood trend spans."""

HOME_LATEST_KUDOS = 5
"""How many of the newest kudos about you the home screen shows."""

SLACK_INLINE_RETRIES = 2
"""Retries slack_sdk makes in place (connection drops, 429s, 500/503s) before the outbox takes over."""
SLACK_INLINE_RETRY_AFTER_SECONDS = 10
"""A 429 asking to wait longer than this is left to the outbox, which reschedules instead of sleeping."""
SLACK_CACHE_SECONDS = 600
"""How long what users.info / conversations.info said is trusted before asking Slack again."""

MIN_POLL_OPTIONS = 2
MAX_POLL_OPTIONS = 10
"""A poll offers 2–10 options: a button each, plus Close, fits one row of buttons everywhere."""
MAX_POLL_QUESTION_CHARS = 200
MAX_POLL_OPTION_CHARS = 75
"""Slack cuts button labels at 75 characters."""
MIN_POLL_OPEN_MINUTES = 1
"""A deadline closer than this is almost certainly a typo."""
POLL_NAMES_SHOWN = 15
"""A named poll lists at most this many voters per option, then says how many more."""
SLACK_MEMBERS_PAGE = 200
"""Members asked of `conversations.members` per page (Slack advises no more than 200)."""
DEDUPE_HOURS = 24
"""How long a platform's delivery id is remembered: Slack stops retrying within the hour, the Bot Connector
within minutes."""
