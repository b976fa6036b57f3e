"""`GET /metrics`: what Huzzah counted (`bot.metrics`), its web requests and errors, and the outbox as it stands,
in Prometheus' text format through prometheus_client.

Counts only. No label names a person, channel, poll, round, option or mood; check-in answers are added when
their round closes. Counters are per process (sum them across instances); the outbox figures are read from the
shared database at each scrape, so every instance reports the same ones (take the max, not the sum).
"""

from __future__ import annotations

import logging
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, disable_created_metrics
from prometheus_client.exposition import choose_encoder

from bot.metrics import ALL, Metric
from storage.db import Database
from storage.delivery import queue_stats

PREFIX = "huzzah_"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Seconds. Slack wants an answer within 3 s, so the buckets are finest below that."""


class PrometheusMetrics:
    """`bot.metrics.Metrics` on its own prometheus_client registry (one per core, so tests never share counts)."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        disable_created_metrics()  # a `_created` series per label set would be the time of its first event
        self.registry = registry or CollectorRegistry()
        self._counters: dict[str, Counter] = {}
        for metric in ALL:
            self._counter(metric)
        self.requests = Histogram(
            f"{PREFIX}http_request_duration_seconds", "Web requests by method, route and status, and how long "
            "each took to answer.", ("method", "route", "status"), buckets=LATENCY_BUCKETS, registry=self.registry)
        self.errors = Counter(f"{PREFIX}errors", "Errors logged, by the module that logged them.", ("logger",),
                              registry=self.registry)
        self.pending = Gauge(f"{PREFIX}outbox_pending", "Deliveries waiting in the outbox (due now or later), by "
                             "platform (\"\" for edits).", ("platform",), registry=self.registry)
        self.oldest = Gauge(f"{PREFIX}outbox_oldest_pending_age_seconds", "How long the longest-waiting delivery "
                            "that is due has been due (0 when none waits).", ("platform",), registry=self.registry)
        self.failed = Gauge(f"{PREFIX}outbox_failed", "Deliveries given up for good, kept in the database.",
                            ("platform",), registry=self.registry)
        self.up = Gauge(f"{PREFIX}outbox_readable", "1 when the last scrape could read the outbox, 0 when the "
                        "database did not answer.", registry=self.registry)

    def _counter(self, metric: Metric) -> Counter:
        if metric.name not in self._counters:
            counter = Counter(f"{PREFIX}{metric.name}", metric.help, metric.labels, registry=self.registry)
            for values in metric.known:
                counter.labels(*values)
            self._counters[metric.name] = counter
        return self._counters[metric.name]

    def count(self, metric: Metric, amount: float = 1.0, **labels: str) -> None:
        try:
            counter = self._counter(metric)
            (counter.labels(**labels) if metric.labels else counter).inc(amount)
        except Exception as exc:  # counting must never break the work it counts
            logging.getLogger(__name__).warning("could not count %s: %s", metric.name, type(exc).__name__)

    def request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method=method, route=route, status=str(status)).observe(seconds)

    async def read_outbox(self, db: Database, now: datetime) -> None:
        """Refresh the outbox gauges from the database (each scrape)."""
        try:
            async with db.transaction() as conn:
                stats = await queue_stats(conn, now)
        except Exception as exc:
            self.up.set(0)
            logging.getLogger(__name__).warning("metrics: could not read the outbox (%s)", type(exc).__name__)
            return
        self.up.set(1)
        for gauge in (self.pending, self.oldest, self.failed):
            gauge.clear()
        for row in stats:
            self.pending.labels(platform=row.platform).set(row.pending)
            self.failed.labels(platform=row.platform).set(row.failed)
            age = (now - row.oldest_due).total_seconds() if row.oldest_due is not None else 0.0
            self.oldest.labels(platform=row.platform).set(max(age, 0.0))

    def exposition(self, accept: str = "") -> tuple[bytes, str]:
        """The text a scraper asked for (its Accept header): Prometheus' classic text format unless it asks for
        OpenMetrics; with the content type to answer with."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type


class ErrorCounter(logging.Handler):
    """Counts every record at ERROR or above by logger name: each error path already logs, so none is missed."""

    def __init__(self, metrics: PrometheusMetrics) -> None:
        super().__init__(level=logging.ERROR)
        self.metrics = metrics

    def emit(self, record: logging.LogRecord) -> None:
        self.metrics.errors.labels(logger=record.name).inc()
