"""How much one weekly digest shows (a chat message has a size limit)."""

DIGEST_TOP_VALUES = 3
DIGEST_HIGHLIGHTS = 3
DIGEST_MAX_VENTS = 10
"""How many company values, quoted kudos and vents a weekly digest shows (a chat message has a size limit)."""
