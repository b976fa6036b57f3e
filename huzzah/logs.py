"""How Huzzah logs: readable lines for a terminal, or one JSON object per line for a log collector
(`--log-format json`), at the level `LOG_LEVEL` (or `--log-level`) names.

A JSON line carries the time, level, logger and message, plus whatever the work at hand is known by
(`bot.tracing`: request id, platform, feature) and the numbers a line adds (route, status, latency). Never
what someone typed, chose or is called: our own messages are written that way, an exception becomes its type
and code locations (its text can quote a database parameter), and libraries that log request bodies at
DEBUG (slack_sdk, slack_bolt, botbuilder, aiohttp's client) are held at WARNING whatever level is asked for.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TextIO

from bot.tracing import current

FORMATS = ("text", "json")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
EXTRA = ("route", "method", "status", "latency_ms")
"""Fields a log call may add with `extra=`: numbers and code names only."""
CHATTY = ("slack_sdk", "slack_bolt", "botbuilder", "botframework", "msrest", "aiohttp.client", "urllib3")
"""Libraries whose DEBUG lines quote requests or responses (message text); never below WARNING."""
QUIET = {"alembic": logging.WARNING, "apscheduler": logging.WARNING}
"""Routine chatter: a migration check and every scheduler tick would drown the lines that matter."""


class JsonFormatter(logging.Formatter):
    """One JSON object per record, without exception text or tracebacks."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **current(),
        }
        for name in EXTRA:
            if name in record.__dict__:
                line[name] = record.__dict__[name]
        if record.exc_info and record.exc_info[1] is not None:
            line["error"] = type(record.exc_info[1]).__name__
            line["where"] = _where(record.exc_info[2])
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The classic line, and an exception as its type and code locations only (never its text)."""

    def __init__(self) -> None:
        super().__init__(TEXT)

    def format(self, record: logging.LogRecord) -> str:
        cached = record.exc_text
        record.exc_text = None  # another handler may have cached the whole traceback, text and all, on the record
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: Any) -> str:  # logging's own name for it
        return f"{type(ei[1]).__name__} at {_where(ei[2])}"


def _where(tb: Any) -> str:
    frames = [f for f in traceback.extract_tb(tb) if "site-packages" not in f.filename][-6:]
    return " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in reversed(frames))


def level_from(env: Mapping[str, str], given: str | None, default: str) -> str:
    """`--log-level`, else `LOG_LEVEL`, else the command's default; raises ValueError naming what is allowed."""
    chosen = (given or env.get("LOG_LEVEL") or default).strip().upper()
    if chosen == "WARN":
        chosen = "WARNING"
    if chosen not in LEVELS:
        raise ValueError(f"log level {chosen!r} is not one of {', '.join(LEVELS)}")
    return chosen


def setup(level: str, fmt: str = "text", stream: TextIO | None = None) -> logging.Handler:
    """Send every log record to `stream` (stderr) in `fmt`; returns the handler (tests remove it again)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_huzzah", False)]:
        root.removeHandler(old)
    handler._huzzah = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    floor = max(logging.WARNING, logging.getLevelName(level))
    for name in CHATTY:
        logging.getLogger(name).setLevel(floor)
    for name, quiet in QUIET.items():
        logging.getLogger(name).setLevel(max(quiet, logging.getLevelName(level)))
    return handler


def format_from(env: Mapping[str, str], given: str | None) -> str:
    """`--log-format`, else `LOG_FORMAT`, else text."""
    chosen = (given or env.get("LOG_FORMAT") or "text").strip().lower()
    if chosen not in FORMATS:
        raise ValueError(f"log format {chosen!r} is not one of {', '.join(FORMATS)}")
    return chosen


def from_environment(given_level: str | None, given_format: str | None, default_level: str) -> logging.Handler:
    """Logging as the command line and the environment ask; raises ValueError for a level or format unknown."""
    return setup(level_from(os.environ, given_level, default_level), format_from(os.environ, given_format))
