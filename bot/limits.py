"""The core's hard limits: what protects people and platforms whatever the feature. Tunable thresholds live in
app.yaml; a feature's or a platform's own limits live in its folder."""

MAX_COMMAND_CHARS = 4000
MIN_GROUP_FLOOR = 3
"""No configuration may show a figure built from fewer answers than this."""
OUTBOX_MAX_ATTEMPTS = 12
OUTBOX_CLAIM_SECONDS = 60
OUTBOX_POLL_SECONDS = 5.0
OUTBOX_BATCH = 50
"""Deliveries one worker claims in one statement; a full batch starts the next pass at once."""
OUTBOX_PARALLEL = 10
"""Deliveries of one pass in flight to the platforms at once (the rest of the batch waits its turn)."""
INBOX_CLAIM_SECONDS = 30
"""How long the instance that acknowledged a request holds its inbox row; after that, if the row is still there
(the instance died), any instance finishes it. Its effect commits once however many try (`bot.inbox`)."""
INBOX_MAX_ATTEMPTS = 5
"""A request whose work kept dying with its process is dropped (and logged) after this many tries."""
INBOX_WORKERS = 16
"""Acknowledged requests worked off at once per process; the rest wait their turn (safely, in the inbox). Kudos
among them are written together (`Kudos._give_all`), so this is also the largest such batch."""
ACKS_FIRST = 20
"""Work on an acknowledged request waits while acknowledgements are being written — for at most this many of
their commits (each holds every request that arrived meanwhile), so a burst is acknowledged before its work
takes the CPU and the database, and a steady stream of requests delays that work but never starves it."""
SHUTDOWN_SECONDS = 10.0
"""How long a stopping process may take to finish what it started (`--shutdown-timeout`)."""
TICK_SECONDS = 30
"""How often the scheduler asks every feature what is due (check-in rounds, poll deadlines, digests)."""
DEDUPE_HOURS = 24
"""How long a platform's delivery id is remembered: Slack stops retrying within the hour, the Bot Connector
within minutes."""
MAX_NAME_CHARS = 200
"""A person's or a channel's name as the core keeps it (longer ones are cut at the edge)."""
MAX_ZONE_CHARS = 64
"""No IANA time zone name is longer; a longer one from a platform is not a time zone."""
MAX_RECORD_ID = 2**31 - 1
"""The largest id of a stored record (a kudos, a poll) a button can name: PostgreSQL's INTEGER."""
