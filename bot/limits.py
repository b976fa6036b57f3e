"""Hard limits that protect people and platforms; tunable thresholds live in app.yaml instead."""

MAX_RECIPIENTS = 10
MAX_REASON_CHARS = 1000
MAX_COMMAND_CHARS = 4000
MIN_GROUP_FLOOR = 3
"""No configuration may show a figure built from fewer answers than this."""

OUTBOX_MAX_ATTEMPTS = 12
OUTBOX_CLAIM_SECONDS = 60
OUTBOX_POLL_SECONDS = 5.0
