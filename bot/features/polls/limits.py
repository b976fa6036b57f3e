"""Polls' hard limits: what fits a row of buttons on every platform, and what is surely a typo."""

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
