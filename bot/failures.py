"""The one error path: an unexpected error is logged without its message and answered with one apology.

Exception text can carry what people typed (a database error quotes its parameters), so only the type and
the code locations are written — never `log.exception`, which would print the message.
"""

from __future__ import annotations

import logging
import traceback

from bot.i18n import N_, tr
from bot.messages import Message, say
from bot.outgoing import Response, reply

SORRY = N_(
    "Sorry — something went wrong on my side and nothing was changed. Please try again in a minute; "
    "if it keeps happening, tell whoever runs Huzzah."
)


def sorry() -> Message:
    return say(tr(SORRY))


def log_failure(log: logging.Logger, what: str, exc: BaseException) -> None:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename][-6:]
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    log.error("%s failed: %s at %s", what, type(exc).__name__, where)


def apology(log: logging.Logger, what: str, exc: BaseException) -> Response:
    """Log `exc` safely and give the person the one answer for a failure on our side."""
    log_failure(log, what, exc)
    return reply(sorry())
