"""The Web API client every Slack call goes through, with retries as pluggable handlers (not loops in features),
each call's outcome and each retry counted (`bot.metrics`), all over one HTTP session.

Without a session slack_sdk opens a new one — a new TCP and TLS handshake with slack.com — for every call; this
client opens one at its first call (inside the running event loop, as aiohttp wants) and keeps it for every call
after, response_url answers included, until `close` (the platform's `stop`).
"""

from __future__ import annotations

from typing import Any, ClassVar

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from adapters.slack.config import SlackConfig
from adapters.slack.limits import SLACK_INLINE_RETRIES, SLACK_INLINE_RETRY_AFTER_SECONDS
from adapters.slack.render import PLATFORM
from bot.metrics import PLATFORM_CALLS, PLATFORM_RATE_LIMITED, PLATFORM_RETRIES, Metrics, NoMetrics


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


class _Counted(AsyncRetryHandler):
    """Counts each retry its handler decides on (and a 429 among them) before waiting for it."""

    reason: ClassVar[str]
    metrics: Metrics = NoMetrics()

    async def prepare_for_next_attempt_async(
        self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        self.metrics.count(PLATFORM_RETRIES, platform=PLATFORM, reason=self.reason)
        if response is not None and response.status_code == 429:
            self.metrics.count(PLATFORM_RATE_LIMITED, platform=PLATFORM)
        await super().prepare_for_next_attempt_async(state=state, request=request, response=response, error=error)


class _ConnectionRetries(_Counted, AsyncConnectionErrorRetryHandler):
    reason = "unreachable"


class _RateLimitRetries(_Counted, ShortRateLimitRetryHandler):
    reason = "rate_limited"


class _ServerErrorRetries(_Counted, AsyncServerErrorRetryHandler):
    reason = "server_error"


class CountingWebClient(AsyncWebClient):
    """An AsyncWebClient that counts every call by method and outcome, once its in-place retries are over."""

    metrics: Metrics = NoMetrics()

    def open_session(self) -> aiohttp.ClientSession:
        """The one session every call uses, opened at the first; once closed, calls fall back to slack_sdk's own."""
        if self.session is None:
            self.session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self.session

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        self.open_session()
        outcome = "unreachable"
        try:
            response = await super().api_call(api_method, **kwargs)
            outcome = "ok"
            return response
        except SlackApiError as exc:
            outcome = "rate_limited" if exc.response.status_code == 429 else "error"
            if outcome == "rate_limited":
                self.metrics.count(PLATFORM_RATE_LIMITED, platform=PLATFORM)
            raise
        finally:
            self.metrics.count(PLATFORM_CALLS, platform=PLATFORM, method=api_method, outcome=outcome)

    async def close(self) -> None:
        if self.session is not None and not self.session.closed:
            await self.session.close()


def make_client(config: SlackConfig, metrics: Metrics | None = None) -> CountingWebClient:
    client = CountingWebClient(token=config.bot_token, base_url=config.api_url)
    client.metrics = metrics or NoMetrics()
    handlers: list[_Counted] = [
        _ConnectionRetries(max_retry_count=SLACK_INLINE_RETRIES),
        _RateLimitRetries(max_retry_count=SLACK_INLINE_RETRIES),
        _ServerErrorRetries(max_retry_count=SLACK_INLINE_RETRIES),
    ]
    for handler in handlers:
        handler.metrics = client.metrics
    client.retry_handlers = list(handlers)
    return client
