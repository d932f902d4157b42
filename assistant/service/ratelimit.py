"""Token-bucket rate limiting: pure bucket arithmetic plus a small thread-safe in-memory store.

A spec such as "30/minute" allows bursts of up to 30 requests and refills at 30 per minute.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

PERIODS = {
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "m": 60.0,
    "min": 60.0,
    "minute": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "hour": 3600.0,
}
_SPEC = re.compile(r"^\s*(\d+)\s*(?:/|per)\s*([a-z]+?)s?\s*$", re.IGNORECASE)


class RateLimitSpecError(ValueError):
    """The rate-limit setting cannot be parsed."""


@dataclass(frozen=True)
class Rate:
    count: int
    period: float  # seconds

    @property
    def per_second(self) -> float:
        return self.count / self.period


def parse_rate(spec: str) -> Rate:
    """'30/minute' → Rate(30, 60.0). Also /second, /hour (and s, min, h abbreviations)."""
    match = _SPEC.match(spec)
    unit = match.group(2).lower() if match else ""
    if not match or unit not in PERIODS or int(match.group(1)) < 1:
        raise RateLimitSpecError(
            f"invalid rate limit {spec!r}: expected COUNT/PERIOD with COUNT ≥ 1 and PERIOD one of "
            "second, minute, hour (e.g. '30/minute')"
        )
    return Rate(count=int(match.group(1)), period=PERIODS[unit])


@dataclass(frozen=True)
class Bucket:
    tokens: float
    updated: float


def refill(bucket: Bucket, rate: Rate, now: float) -> Bucket:
    elapsed = max(0.0, now - bucket.updated)
    return Bucket(tokens=min(float(rate.count), bucket.tokens + elapsed * rate.per_second), updated=now)


def wait_time(bucket: Bucket, rate: Rate) -> float:
    """Seconds until the (already refilled) bucket holds one whole token."""
    return max(0.0, (1.0 - bucket.tokens) / rate.per_second)


class RateLimiter:
    """Buckets keyed by client id ("key:pk_…", "ip:1.2.3.4"); one request draws from all its buckets."""

    def __init__(self, rate: Rate, clock: Callable[[], float] = time.monotonic, max_buckets: int = 10_000):
        self.rate = rate
        self._clock = clock
        self._max_buckets = max_buckets
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def hit(self, ids: Sequence[str]) -> float | None:
        """Take one token from each id's bucket; None if allowed, else seconds to wait (nothing is taken)."""
        with self._lock:
            now = self._clock()
            current = {i: self._current(i, now) for i in ids}
            waits = [wait_time(b, self.rate) for b in current.values() if b.tokens < 1.0]
            if waits:
                self._buckets.update(current)
                return max(waits)
            for i, bucket in current.items():
                self._buckets[i] = Bucket(tokens=bucket.tokens - 1.0, updated=now)
            self._prune(now)
            return None

    def _current(self, client_id: str, now: float) -> Bucket:
        bucket = self._buckets.get(client_id)
        if bucket is None:
            return Bucket(tokens=float(self.rate.count), updated=now)
        return refill(bucket, self.rate, now)

    def _prune(self, now: float) -> None:
        # A bucket that has refilled completely is the same as no bucket: drop those to bound memory.
        if len(self._buckets) <= self._max_buckets:
            return
        full = [i for i, b in self._buckets.items() if refill(b, self.rate, now).tokens >= self.rate.count]
        for client_id in full:
            del self._buckets[client_id]


def retry_after_header(wait: float) -> str:
    """HTTP Retry-After is whole seconds; round up so a client that obeys it is let through."""
    return str(max(1, math.ceil(wait)))
