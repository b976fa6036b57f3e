"""Logging an unexpected error without its message: exception text can carry what people typed
(a database error quotes its parameters), so only the type and the code locations are written."""

from __future__ import annotations

import logging
import traceback


def log_failure(log: logging.Logger, what: str, exc: BaseException) -> None:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "site-packages" not in f.filename][-6:]
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))
    log.error("%s failed: %s at %s", what, type(exc).__name__, where)
