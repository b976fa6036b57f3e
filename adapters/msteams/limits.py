"""Microsoft Teams' documented limits, and how patiently Huzzah retries when Teams pushes back."""

PER_CONVERSATION = (7, 1.0)
"""At most 7 messages per second from one bot into one conversation."""

PER_TENANT = (30, 1.0)
"""Roughly 30 messages per second from one app across a tenant."""

RETRY_STATUSES = frozenset({412, 429, 502, 504})
"""What Teams asks bots to retry (throttling, precondition races, gateway hiccups)."""

RETRY_ATTEMPTS = 5
"""Tries within one delivery before handing the message back to the outbox for a later attempt."""

RETRY_BASE_SECONDS = 0.5
RETRY_MAX_SECONDS = 30.0
"""Backoff doubles from the base with jitter; a Retry-After longer than the max goes back to the outbox."""

CARD_MAX_BYTES = 26_000
"""Teams refuses messages over about 28 KB; an inline image that would push a card past this is left out."""

AUTH_TIMEOUT_SECONDS = 10.0
"""Checking a token may fetch Microsoft's signing keys; never keep Teams waiting longer than this."""

MEMBERS_PAGE = 500

MAX_ACCOUNT_ID_CHARS = 128
"""Teams user ids (`29:…`) are around 90 characters; the core stores at most this many."""
MAX_CONVERSATION_ID_CHARS = 256
MAX_TENANT_ID_CHARS = 64
MAX_TEXT_CHARS = 100_000
"""Teams refuses messages over about 28 KB; an activity's text is never longer than this."""
