"""The Web API client every Slack call goes through, with retries as pluggable handlers (not loops in features)."""

from __future__ import annotations

from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.config import SlackConfig
from adapters.slack.limits import SLACK_INLINE_RETRIES, SLACK_INLINE_RETRY_AFTER_SECONDS


def retry_after(headers: Any) -> float | None:
    """Seconds from a Retry-After header (slack_sdk gives header values as lists)."""
    for name, value in (headers or {}).items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


class ShortRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """Waits out a 429 in place only when Slack asks for a short pause.

    A long Retry-After would pin a request or an outbox worker for minutes; then the error surfaces and the
    outbox reschedules the delivery for when Slack said, holding nothing meanwhile.
    """

    async def _can_retry_async(
        self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after(response.headers)
        return wait is None or wait <= SLACK_INLINE_RETRY_AFTER_SECONDS


def make_client(config: SlackConfig) -> AsyncWebClient:
    client = AsyncWebClient(token=config.bot_token, base_url=config.api_url)
    client.retry_handlers = [
        AsyncConnectionErrorRetryHandler(max_retry_count=SLACK_INLINE_RETRIES),
        ShortRateLimitRetryHandler(max_retry_count=SLACK_INLINE_RETRIES),
        AsyncServerErrorRetryHandler(max_retry_count=SLACK_INLINE_RETRIES),
    ]
    return client
